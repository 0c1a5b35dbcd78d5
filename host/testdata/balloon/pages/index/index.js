// A hostile page that tries to balloon the web process that renders it (issue 16 item 5).
Page({
  data: { status: 'loading', rows: 0, s: '' },
  onLoad() { this.paths(); },
  onReady() {
    this.multiply();
    setTimeout(() => this.accumulate(), 1000);
  },
  // The review's shape: 400 paths far past the end of empty arrays, 7.5 KB of JSON that
  // would have the page pad a million nulls each. setData refuses it.
  paths() {
    const o = {};
    for (let i = 0; i < 400; i++) o['a' + i + '[1048575]'] = 1;
    try {
      this.setData(o);
      this.setData({ status: 'paths accepted' });
    } catch (e) {
      this.setData({ status: 'paths refused: ' + e.message });
    }
  },
  // Nested wx:for over a huge number with a long string: the render budget cuts it.
  multiply() {
    this.setData({ rows: 1e9, s: 'x'.repeat(4096) });
  },
  // What no path bound can see: each turn sends a fresh megabyte-sized value under a new
  // key and forgets it at once, so logic stays small while the page keeps every one.
  accumulate() {
    let i = 0;
    const chunk = [];
    for (let j = 0; j < 4096; j++) chunk.push('y'.repeat(200) + j);
    setInterval(() => {
      const key = 'k' + i++;
      this.setData({ [key]: chunk });
      delete this.data[key];
    }, 0);
  },
});
