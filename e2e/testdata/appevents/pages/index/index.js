Page({
  data: { log: '', code: '', session: '' },
  onLoad() { this.setData({ log: getApp().globalData.log.join(' ') }) },
  boom() { throw new Error('kaput') },
  login() {
    wx.login().then(r => wx.checkSession().then(
      () => this.setData({ code: r.code, session: 'ok' }),
      e => this.setData({ session: e.errMsg })))
  },
})
