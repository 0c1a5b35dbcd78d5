const rows = [];
for (let i = 1; i <= 60; i++) rows.push(i);
Page({
  data: { rows: rows, refreshes: 0, bottoms: 0, scrolled: 'no', guarded: 'no' },
  onPullDownRefresh() {
    this.setData({ refreshes: this.data.refreshes + 1 });
    // End the refresh as a real app does once its data is in.
    setTimeout(() => wx.stopPullDownRefresh(), 200);
  },
  onReachBottom() { this.setData({ bottoms: this.data.bottoms + 1 }); },
  onPageScroll(e) { if (e.scrollTop > 100 && this.data.scrolled === 'no') this.setData({ scrolled: 'yes' }); },
  toEnd() { wx.pageScrollTo({ selector: '#end', duration: 100 }); },
  start() { wx.startPullDownRefresh(); },
  guard() { wx.enableAlertBeforeUnload({ message: 'Leave this page?', success: () => this.setData({ guarded: 'yes' }) }); },
});
