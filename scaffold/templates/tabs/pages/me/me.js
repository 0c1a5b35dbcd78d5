Page({
  data: { theme: 'light' },

  onLoad() {
    this.setData({ theme: wx.getSystemInfoSync().theme || 'light' })
    this.onTheme = ({ theme }) => this.setData({ theme })
    wx.onThemeChange(this.onTheme)
  },

  onUnload() {
    wx.offThemeChange(this.onTheme)
  }
})
