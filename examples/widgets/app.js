App({
  onLaunch() {
    console.info('widgets launched')
  }
})
