// Records the app-wide events on the page in front, in the order they come.
function note(what) {
  const pages = getCurrentPages()
  const app = getApp()
  app.globalData.log.push(what)
  if (pages.length) pages[pages.length - 1].setData({ log: app.globalData.log.join(' ') })
}
App({
  globalData: { log: [] },
  onShow() { note('App.onShow') },
  onHide() { note('App.onHide') },
  onError(msg) { note('App.onError:' + msg.split('\n')[0].replace(/ /g, '_')) },
})
wx.onAppShow(() => note('onAppShow'))
wx.onAppHide(() => note('onAppHide'))
wx.onError(msg => note('onError'))
