// The todo example: the App keeps nothing itself; the list lives in utils/store.js,
// which both pages require.
App({
  onLaunch(options) {
    console.info('todo launched at', options.path)
  },
  onError(msg) {
    console.error('todo error:', msg)
  },
  globalData: {
    title: 'Todo'
  }
})
