Page({
  data: {list: [1, 2]},
  onShow() { wx.vibrateShort({type: "light"}); wx.vibrateShort(); }
});
