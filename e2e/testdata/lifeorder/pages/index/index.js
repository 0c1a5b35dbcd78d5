const log = require('../../log.js')
Page({
  data: { order: '', found: '' },
  onLoad() {
    const c = this.selectComponent('#x')
    log.push('page.onLoad')
    this.setData({ found: c ? c.data.label : 'nothing' })
  },
  onShow() { log.push('page.onShow') },
  onReady() {
    log.push('page.onReady')
    this.setData({ order: log.join(' > ') })
  }
})
