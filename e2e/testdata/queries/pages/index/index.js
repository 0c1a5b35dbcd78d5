// Queries and motion: selector queries, observers and animations against a known layout.
Page({
  data: { scrollTop: 0, out: '', outScroll: '', seen: 'none', boxSeen: 'none', media: 'none', animated: 'no', ani: null, sv: '' },
  onReady() {
    this.createIntersectionObserver().relativeToViewport().observe('#far', (r) => {
      this.setData({ seen: r.intersectionRatio > 0 ? 'in' : 'out' });
    });
    wx.createIntersectionObserver(this, { thresholds: [1] }).relativeToViewport().observe('#box', (r) => {
      this.setData({ boxSeen: String(r.intersectionRatio) + ' ' + r.id + ' ' + r.boundingClientRect.width });
    });
    this.createMediaQueryObserver().observe({ minWidth: 1 }, (r) => this.setData({ media: String(r.matches) }));
  },
  measure() {
    const t0 = Date.now();
    const q = wx.createSelectorQuery();
    q.select('#stage').boundingClientRect();
    q.select('#box').boundingClientRect();
    q.selectAll('.item').boundingClientRect();
    q.selectViewport().scrollOffset();
    q.select('.inner').boundingClientRect();
    q.select('#kid >>> .inner').fields({ dataset: true, computedStyle: ['height'] });
    q.exec((res) => {
      const ms = Date.now() - t0;
      this.createSelectorQuery().in(this.selectComponent('#kid')).select('.inner').fields({ size: true, dataset: true }).exec((own) => {
        this.setData({
          out: JSON.stringify({
            stage: res[0], box: res[1], items: res[2].length, viewport: res[3], outside: res[4], across: res[5], inside: own[0], ms: ms,
          }),
        });
      });
    });
  },
  // node() of a scroll-view is its ScrollViewContext; the offset query after scrollTo
  // (same turn, so the page takes them in order) sees the new position.
  svScroll() {
    wx.createSelectorQuery().select('#sv').node().exec((r) => {
      r[0].node.scrollTo({ top: 300, animated: false });
      wx.createSelectorQuery().select('#sv').scrollOffset().exec((o) => this.setData({ sv: String(o[0].scrollTop) }));
    });
  },
  scrollDown() { this.setData({ scrollTop: 3000 }); },
  onShow() {
    this.setData({ outScroll: '' }); // back from another page: measure anew
  },
  measureScroll() {
    wx.createSelectorQuery().selectViewport().scrollOffset((r) => this.setData({ outScroll: JSON.stringify(r) })).exec();
  },
  move() {
    const a = wx.createAnimation({ duration: 200, timingFunction: 'ease-in' });
    a.translateX(40).scale(2).opacity(0.5).step();
    this.setData({ ani: a.export() });
  },
  keyframes() {
    this.animate('#kf', [{ opacity: 1 }, { opacity: 0.25 }], 150, () => this.setData({ animated: 'done' }));
  },
});
