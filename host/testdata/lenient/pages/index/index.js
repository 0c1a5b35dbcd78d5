Page({
  go() { wx.navigateTo({url: '/pkg/ok/ok'}); }
});
