Page({
  data: {
    region: ['广东省', '广州市', '海珠区'],
    regionDetail: '',
    hours: ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11'],
    minutes: ['00', '15', '30', '45'],
    pv: [2, 1],
    pvDetail: '',
    pvEvents: '',
    mvDetail: '',
    mvSources: '',
    mvX: 0,
    mvY: 0
  },
  onRegion(e) { this.setData({ region: e.detail.value, regionDetail: JSON.stringify(e.detail) }); },
  onPickStart() { this.setData({ pvEvents: this.data.pvEvents + 'start ' }); },
  onPickEnd() { this.setData({ pvEvents: this.data.pvEvents + 'end ' }); },
  onPV(e) { this.setData({ pv: e.detail.value, pvDetail: JSON.stringify(e.detail) }); },
  setPV() { this.setData({ pv: [5, 3] }); },
  onMove(e) {
    const s = this.data.mvSources;
    const src = e.detail.source || 'data';
    this.setData({ mvDetail: JSON.stringify(e.detail), mvSources: s.endsWith(src + ' ') ? s : s + src + ' ' });
  },
  moveTo() { this.setData({ mvX: 40, mvY: 30 }); },
  toLayers() { wx.navigateTo({ url: '/pages/layers/layers' }); },
  toMedia() { wx.navigateTo({ url: '/pages/media/media' }); }
});
