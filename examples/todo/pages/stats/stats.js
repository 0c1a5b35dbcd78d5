const store = require('../../utils/store')

Page({
  data: { total: 0, active: 0, done: 0, percent: 0, from: '' },

  onLoad(query) {
    this.setData(Object.assign({ from: query.from || '' }, store.stats()))
  },

  onReady() {
    wx.setNavigationBarTitle({ title: 'Statistics (' + this.data.total + ')' })
  },

  goBack() {
    wx.navigateBack()
  }
})
