// A handler stuck inside one native call that the interrupt cannot reach (the default
// sort of two million numbers runs for half a minute in Go): the shell must still stop
// the app, tell the user, answer automation and end at once on SIGTERM.
Page({
  data: { sorted: '' },
  pin() {
    const a = Array(2e6).fill(0).map(Math.random).sort()
    this.setData({ sorted: String(a.length) })
  }
})
