wx.lin = {hello() {}};
App({
  onLaunch() {
    const info = wx.getAppBaseInfo();
    wx.lin.hello(info);
  }
});
