Page({
  data: { n: 0, info: null, toast: '' },
  onLoad() {
    this.setData({ info: wx.getSystemInfoSync().platform })
  },
  inc() {
    this.setData({ n: this.data.n + 1 })
  },
  toast() {
    wx.showToast({ title: 'hi' }).then(r => this.setData({ toast: r.errMsg }), e => this.setData({ toast: e.errMsg }))
  }
})
