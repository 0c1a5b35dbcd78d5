Page({
  data: { n: 0, shows: 0, hides: 0, appHides: 0 },
  inc() { this.setData({ n: this.data.n + 1 }); },
  onShow() { this.setData({ shows: this.data.shows + 1, appHides: getApp().hides }); },
  onHide() { this.setData({ hides: this.data.hides + 1 }); },
});
