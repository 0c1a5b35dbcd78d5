// A well-behaved app that does at startup what real apps do: cache a list in storage, one
// key an entry, with setStorageSync in a loop, then render it with many setData calls.
// None of it may be refused, and the shell must not stop it.
Page({
  data: { result: '', n: 0, count: 0, ticks: 0, list: [] },

  onLoad() {
    const out = { stored: 0, failed: [] }
    for (let i = 0; i < 1000; i++) {
      try {
        wx.setStorageSync('item' + i, { id: i, title: 'Item ' + i })
        out.stored++
      } catch (e) {
        if (out.failed.length < 3) out.failed.push(e.message)
      }
    }
    out.keys = wx.getStorageInfoSync().keys.length
    out.read = wx.getStorageSync('item999').title
    // 500 setData calls in one turn (one push)...
    for (let i = 0; i < 500; i++) {
      this.setData({ count: i + 1, ['list[' + (i % 20) + ']']: 'row ' + i })
    }
    out.count = this.data.count
    // ...and 500 more, each in a turn of its own (a push each, acknowledged by the page).
    const tick = (k) => {
      this.setData({ ticks: k })
      if (k < 500) {
        setTimeout(() => tick(k + 1), 0)
      } else {
        out.ticks = this.data.ticks
        this.setData({ result: JSON.stringify(out) })
      }
    }
    tick(1)
  },

  clear() {
    this.setData({ result: '' })
  },

  inc() {
    this.setData({ n: this.data.n + 1 })
  },

  // Asynchronous local calls by the thousand: storage reads and writes, system info.
  localFlood() {
    let ok = 0, failed = 0, done = 0
    const n = 3000
    const end = () => {
      if (++done === n) this.setData({ result: JSON.stringify({ ok, failed }) })
    }
    for (let i = 0; i < n; i++) {
      let p
      switch (i % 3) {
        case 0: p = wx.setStorage({ key: 'async' + (i % 100), data: i }); break
        case 1: p = wx.getStorage({ key: 'item' + (i % 1000) }); break
        default: p = wx.getSystemInfo()
      }
      p.then(() => { ok++ }, () => { failed++ }).then(end)
    }
  }
})
