// Each handler misbehaves in one way; ping is the well-behaved control.
Page({
  data: { n: 0 },
  ping() {
    this.setData({ n: this.data.n + 1 });
  },
  // Heap bomb: a string that doubles, every copy kept alive.
  stringBomb() {
    const keep = [];
    let s = 'xxxxxxxx';
    for (;;) {
      s = s + s;
      keep.push(s);
    }
  },
  // Heap bomb: an array that grows by small objects.
  arrayBomb() {
    const a = [];
    for (let i = 0; ; i++) {
      a.push({ i: i, s: 'item ' + i });
    }
  },
  // A native call that no guard bounds and the interrupt cannot reach: a global
  // replace with a lookahead runs match by match inside regexp2 (about a second per
  // million characters).
  pinNative() {
    this.setData({ n: 'a'.repeat(4e6).replace(/(?=a)a/g, 'b').length });
  },
  // A JSON bomb: a catchable error in the child as in process.
  jsonBomb() {
    try { JSON.parse('['.repeat(5e6)); } catch (e) { this.setData({ n: e.name }); }
  },
  // Endless loop.
  spin() {
    for (;;) {}
  },
});
