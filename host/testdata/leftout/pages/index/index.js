Page({
  data: { nav: '' },
  lost() {
    wx.navigateTo({ url: '/pages/lost/lost', fail: e => this.setData({ nav: e.errMsg }) })
  },
  ok() {
    wx.navigateTo({ url: '../ok/ok' })
  }
})
