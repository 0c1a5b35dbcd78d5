App({
  onLaunch(options) {
    console.info('[[.Title]] launched at', options.path)
  },
  onThemeChange({ theme }) {
    console.info('theme is now', theme)
  }
})
