Page({
  data: {
    items: [
      { id: 1, text: 'Edit pages/home/home.wxml and save: the simulator reloads' },
      { id: 2, text: 'Edit a .wxss file: the style changes in place' }
    ]
  },

  toMe() {
    wx.switchTab({ url: '/pages/me/me' })
  }
})
