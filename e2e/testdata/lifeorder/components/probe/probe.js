const log = require('../../log.js')
Component({
  properties: { label: String },
  lifetimes: {
    created() { log.push('comp.created') },
    attached() { log.push('comp.attached') },
    ready() { log.push('comp.ready') }
  },
  pageLifetimes: { show() { log.push('comp.pageShow') } }
})
