Page({
  data: {
    colors: ['#e8f3ff', '#fff3e0', '#e8f5e9'],
    fruits: ['apple', 'banana', 'cherry', 'damson'],
    fruit: 0,
    day: '2024-02-10',
    level: 50,
    swDetail: '',
    autoDetail: '',
    pkDetail: '',
    dateDetail: '',
    slDetail: '',
    cancels: 0,
    html: '<p>Rich <b id="bold">bold</b> <i>text</i><script>alert(1)</script><img src="/none.png" onerror="alert(2)"></p>'
  },
  onSwiper(e) { this.setData({ swDetail: JSON.stringify(e.detail) }); },
  onAuto(e) { if (!this.data.autoDetail) this.setData({ autoDetail: JSON.stringify(e.detail) }); },
  onPick(e) { this.setData({ fruit: e.detail.value, pkDetail: JSON.stringify(e.detail) }); },
  onCancel() { this.setData({ cancels: this.data.cancels + 1 }); },
  onDate(e) { this.setData({ day: e.detail.value, dateDetail: JSON.stringify(e.detail) }); },
  onSlide(e) { this.setData({ level: e.detail.value, slDetail: JSON.stringify(e.detail) }); }
});
