// The main package's page. It may reach the shop subpackage only asynchronously:
// require.async (a Promise) and the <price-tag> component, a placeholder <view> until
// the subpackage is there.
Page({
  data: { total: 'not yet', result: '' },
  loadCart() {
    require.async('../../shop/utils/cart.js').then(cart => {
      this.setData({ total: cart.total() })
    }).catch(err => {
      this.setData({ total: 'failed: ' + (err && (err.errMsg || err.message) || err) })
    })
  },
  openShop() {
    wx.navigateTo({
      url: '/shop/pages/list/list?from=index',
      success: () => this.setData({ result: 'navigateTo:ok' }),
      fail: err => this.setData({ result: err.errMsg })
    })
  },
  openSolo() {
    wx.navigateTo({
      url: '/solo/pages/alone/alone',
      fail: err => this.setData({ result: err.errMsg })
    })
  }
})
