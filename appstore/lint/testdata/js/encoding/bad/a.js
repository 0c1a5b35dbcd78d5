// 计时器 (saved in GBK)
var label = "开始";
