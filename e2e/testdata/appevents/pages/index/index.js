Page({
  data: { log: '' },
  onLoad() { this.setData({ log: getApp().globalData.log.join(' ') }) },
  boom() { throw new Error('kaput') },
})
