Page({
  data: { sheetOut: 'none', askOut: 'none', tabOut: 'none' },
  sheet() {
    wx.showActionSheet({
      alertText: 'Pick a fruit',
      itemList: ['Apple', 'Banana', 'Cherry'],
      success: (res) => this.setData({ sheetOut: 'tap ' + res.tapIndex }),
      fail: (err) => this.setData({ sheetOut: err.errMsg }),
    });
  },
  ask() {
    wx.showModal({ title: 'Your name', editable: true, placeholderText: 'name', content: 'Ada' })
      .then((res) => this.setData({ askOut: (res.confirm ? 'confirm ' : 'cancel ') + res.content + ' ' + res.errMsg }));
  },
  badge() {
    wx.setTabBarBadge({ index: 1, text: '7' }).then((res) => this.setData({ tabOut: res.errMsg }));
  },
  dot() {
    wx.showTabBarRedDot({ index: 0 }).then((res) => this.setData({ tabOut: res.errMsg }));
  },
  style() {
    wx.setTabBarStyle({ selectedColor: '#ff0000', backgroundColor: '#222222' }).then((res) => this.setData({ tabOut: res.errMsg }));
  },
  rename() {
    wx.setTabBarItem({ index: 1, text: 'Renamed' }).then((res) => this.setData({ tabOut: res.errMsg }));
  },
  loading() { wx.showNavigationBarLoading(); },
  preview() {
    wx.previewImage({ urls: ['/images/red.svg', '/images/blue.svg'], current: '/images/blue.svg' });
  },
  openLong() { wx.navigateTo({ url: '/pages/long/long' }); },
});
