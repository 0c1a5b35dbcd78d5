import dayjs from 'dayjs'
import { formatPrice, countdown } from '../../utils/format'

const app = getApp()

Page({
  data: { wrapped: '', price: '', year: 0, count: '', name: '', lin: '', request: '', intercepted: '', who: '' },

  async onLoad() {
    const seen = []
    for await (const n of countdown(3)) seen.push(n)
    this.setData({
      price: formatPrice({ cents: 1250, currency: 'EUR' }),
      year: dayjs(0).year(),
      count: seen.join(','),
      name: app.globalData.name,
      lin: wx.lin.version
    })
  },

  send() {
    // No network domain is declared: refused at run time with a fail, not at load.
    wx.request({
      url: 'https://api.example.com/items',
      fail: (e) => this.setData({ request: e.errMsg, intercepted: app.globalData.requestLog.count + ' ' + app.globalData.requestLog.lastHeader })
    })
  },

  who() {
    // A call left over from a project template, its capability undeclared: a lint
    // warning, and at run time WeChat's anonymous profile (the refusal is audited).
    wx.getUserProfile({ desc: 'template', success: (r) => this.setData({ who: 'anonymous ' + r.userInfo.nickName }),
      fail: (e) => this.setData({ who: e.errMsg }) })
  }
})
