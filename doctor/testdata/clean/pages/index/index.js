Page({
  data: {n: 0},
  add() { this.setData({n: this.data.n + 1}); wx.showToast({title: "ok"}); }
});
