// 计时器 (saved in UTF-8)
var label = "开始";
