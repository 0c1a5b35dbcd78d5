interface IAppOption {
  globalData: { launchedAt: number }
}

App<IAppOption>({
  globalData: { launchedAt: 0 },
  onLaunch(options) {
    this.globalData.launchedAt = Date.now()
    console.info('[[.Title]] launched at', options.path)
  },
  onThemeChange({ theme }) {
    console.info('theme is now', theme)
  }
})
