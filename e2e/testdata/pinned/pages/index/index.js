// A handler stuck inside one native call that the interrupt cannot reach (a global
// replace with a lookahead walks nine million characters match by match inside
// regexp2, several seconds in Go): the shell must still stop the app, tell the user,
// answer automation and end at once on SIGTERM.
Page({
  data: { replaced: '' },
  pin() {
    const s = 'aab'.repeat(3e6).replace(/(?=ab)a/g, 'c')
    this.setData({ replaced: String(s.length) })
  }
})
