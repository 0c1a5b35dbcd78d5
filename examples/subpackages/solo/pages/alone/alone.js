// A page of the independent subpackage: it starts without the main package, so
// getApp() may be undefined here; allowDefault gives a default App object.
Page({
  data: { app: '' },
  onLoad() {
    const app = getApp({ allowDefault: true })
    const from = app && app.globalData && app.globalData.from
    this.setData({ app: from ? 'with ' + from : 'without the main package' })
  }
})
