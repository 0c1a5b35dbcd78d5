// One soak app: every `period` ms, storage (write and read), wx.request to the
// loopback server, setData on the page in front and a navigation (to the detail page
// and back), until `ms` have passed or `maxTicks` ticks ran. Hidden and shown by the
// driver meanwhile: the loop goes on while the window is hidden.
const cfg = require('./soak.js');

App({
  onLaunch() {
    this.stats = { ticks: 0, ok: 0, fail: 0 };
    const end = Date.now() + cfg.ms;
    const pad = 'x'.repeat(200);
    const timer = setInterval(() => {
      const s = this.stats;
      if (Date.now() > end || s.ticks >= cfg.maxTicks) {
        clearInterval(timer);
        wx.setStorageSync('done', s);
        return;
      }
      s.ticks++;
      const n = s.ticks;
      wx.setStorageSync('k' + (n % 20), { n: n, pad: pad });
      wx.getStorageSync('k' + ((n + 7) % 20));
      wx.request({
        url: cfg.url + '?n=' + n,
        success: () => { s.ok++; },
        fail: () => { s.fail++; },
      });
      const pages = getCurrentPages();
      if (pages.length === 0) return; // the first page is not there yet
      const nav = { fail: () => { s.navFail = (s.navFail || 0) + 1; } };
      pages[pages.length - 1].setData({ n: n, ok: s.ok, list: Array.from({ length: 20 }, (_, i) => i + n) });
      if (pages.length > 1) wx.navigateBack(nav);
      else wx.navigateTo(Object.assign({ url: '/pages/detail/detail?n=' + n }, nav));
    }, cfg.period);
  },
});
