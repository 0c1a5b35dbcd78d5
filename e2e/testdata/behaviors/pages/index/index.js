Page({
  data: { loadedWith: '', submitted: 'nothing yet', three: false, bumped: 'not bumped', info: { name: 'apples', count: 1 } },
  onLoad() {
    const app = getApp();
    app.order.push('index.onLoad');
    // getCurrentPages() in onLoad already holds this page.
    const pages = getCurrentPages();
    this.setData({ loadedWith: pages.length + ' page(s), last ' + pages[pages.length - 1].route });
  },
  onShow() { getApp().order.push('index.onShow'); },
  onReady() {
    getApp().order.push('index.onReady');
    this.setData({ order: getApp().order.join(' > ') });
  },
  onSubmit(e) { this.setData({ submitted: JSON.stringify(e.detail.value) }); },
  addTab() { this.setData({ three: !this.data.three }); },
  bump() {
    const counter = this.selectComponent('#counter');
    counter.bump();
    this.setData({ bumped: 'bumped to ' + counter.value() + ', tabs found ' + this.selectAllComponents('.tab').length });
  },
  more() { this.setData({ 'info.count': this.data.info.count + 1 }); },
});
