Page({
  data: {list: [1, 2]},
  onShow() { wx.startCompass({}); wx.startCompass(); }
});
