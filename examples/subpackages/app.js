// The main package's App: an independent subpackage's pages never see it when the app
// starts there (they call getApp({allowDefault: true})).
App({
  onLaunch() {
    this.globalData.launched = true
  },
  globalData: {
    from: 'main package'
  }
})
