App({
  onPageNotFound(r) {
    wx.redirectTo({ url: '/pages/b/b?from=' + r.path + '&x=' + r.query.x + '&entry=' + r.isEntryPage })
  },
})
