App({
  onError(msg) {
    const pages = getCurrentPages()
    if (pages.length) pages[pages.length - 1].setData({ lastError: String(msg).split('\n')[0] })
  }
})
