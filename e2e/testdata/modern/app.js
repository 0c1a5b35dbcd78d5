// ES modules in app.js: compiled to CommonJS when the app loads.
import { installInterceptor, requestLog } from './utils/request'
import { APP_NAME } from 'config'

installInterceptor()

// A UI kit adds its own namespace to wx.
wx.lin = { version: '0.1' }

// Wrap Page, as page-tracking and mixin libraries do.
const originalPage = Page
Page = function (def) {
  const onLoad = def.onLoad
  def.onLoad = function (query) {
    this.setData({ wrapped: 'wrapped by app.js' })
    if (onLoad) onLoad.call(this, query)
  }
  return originalPage(def)
}

App({
  globalData: { name: APP_NAME, requestLog }
})
