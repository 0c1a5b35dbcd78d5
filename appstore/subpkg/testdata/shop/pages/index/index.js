Page({
  data: { title: 'Shop' },
  openList() { wx.navigateTo({ url: '/packageA/pages/list/list' }) }
})
