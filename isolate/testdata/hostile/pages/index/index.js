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
  // Endless loop.
  spin() {
    for (;;) {}
  },
});
