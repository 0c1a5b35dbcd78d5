wx.lin = {hello() {}};
App({
  onLaunch() {
    const info = wx.getBatteryInfoSync();
    wx.lin.hello(info);
  }
});
