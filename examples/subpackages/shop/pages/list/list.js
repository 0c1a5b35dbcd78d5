// A page of the shop subpackage: it may use the main package's modules and components.
const format = require('../../../utils/format.js')
const cart = require('../../utils/cart.js')

Page({
  data: { from: '', total: '', main: '' },
  onLoad(query) {
    this.setData({ from: query.from || '', total: format.price(cart.totalCents()), main: getApp().globalData.from })
  }
})
