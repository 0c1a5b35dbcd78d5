// Exercises wx storage from a mini-app; results go to `result` for the tests.
const values = {
  number: 3.25,
  negative: -7,
  yes: true,
  no: false,
  nothing: null,
  text: 'plain',
  unicode: 'héllo 世界 🎉 \u2028 "quotes" \\ back',
  list: [1, 'two', { three: [3] }, null],
  nested: { a: { b: { c: [true, 1.5, 'x'] } } },
  empty: {},
  emptyList: []
}

Page({
  data: { result: '' },

  async roundTrip() {
    const out = {}
    for (const k of Object.keys(values)) {
      await wx.setStorage({ key: 'v:' + k, data: values[k] })
      const r = await wx.getStorage({ key: 'v:' + k })
      out[k] = JSON.stringify(r.data) === JSON.stringify(values[k]) ? 'ok' : 'got ' + JSON.stringify(r.data)
    }
    await wx.setStorage({ key: 'ключ 🔑', data: 'unicode key' })
    out.unicodeKey = (await wx.getStorage({ key: 'ключ 🔑' })).data
    this.setData({ result: JSON.stringify(out) })
  },

  write(e) {
    const d = e.detail || {}
    wx.setStorage({ key: d.key, data: d.value }).then(r => this.setData({ result: r.errMsg }), err => this.setData({ result: err.errMsg }))
  },

  readOther(e) {
    wx.getStorage({ key: (e.detail && e.detail.key) || 'secret' }).then(
      r => this.setData({ result: 'read: ' + JSON.stringify(r.data) }),
      err => this.setData({ result: err.errMsg }))
  },

  readSync(e) {
    this.setData({ result: 'sync: ' + JSON.stringify(wx.getStorageSync((e.detail && e.detail.key) || 'secret')) })
  },

  sync() {
    const out = []
    wx.setStorageSync('s', { n: 1 })
    out.push(JSON.stringify(wx.getStorageSync('s')))
    out.push(JSON.stringify(wx.getStorageSync('missing')))
    wx.removeStorageSync('s')
    out.push(JSON.stringify(wx.getStorageSync('s')))
    wx.setStorageSync('t', 1)
    wx.clearStorageSync()
    out.push(JSON.stringify(wx.getStorageInfoSync().keys))
    this.setData({ result: out.join(' | ') })
  },

  tooBig() {
    wx.setStorage({ key: 'big', data: 'x'.repeat(1 << 20) }).then(
      r => this.setData({ result: r.errMsg }),
      err => this.setData({ result: err.errMsg }))
  },

  publish(e) {
    const d = e.detail
    sf.share.publish(d.name, d.value, { to: d.to }).then(r => this.setData({ result: r.errMsg }), err => this.setData({ result: err.errMsg }))
  },

  readShared(e) {
    const d = e.detail
    sf.share.read(d.from, d.name).then(
      r => this.setData({ result: 'shared: ' + JSON.stringify(r.data) }),
      err => this.setData({ result: err.errMsg }))
  },

  clear() {
    this.setData({ result: '' })
  },

  info() {
    wx.getStorageInfo().then(r => this.setData({ result: JSON.stringify(r) }))
  }
})
