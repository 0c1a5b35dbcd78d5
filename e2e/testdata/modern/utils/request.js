// A wx.request interceptor, as request libraries install one: it changes only this
// app's own view of wx; the call still goes through the host's checks.
export const requestLog = { count: 0, lastHeader: '' }

export function installInterceptor() {
  const original = wx.request
  wx.request = function (options) {
    requestLog.count++
    const header = Object.assign({}, options.header, { 'X-Intercepted': 'yes' })
    requestLog.lastHeader = header['X-Intercepted']
    return original.call(wx, Object.assign({}, options, { header }))
  }
}
