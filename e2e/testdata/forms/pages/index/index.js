Page({
  data: { name: 'Ada', seen: '', on: false, taps: '', taps2: '', count: 0, fieldText: 'f0', title: 'Meta title', pageBg: 'rgb(240, 248, 255)' },
  onInput(e) {
    // A model: write arrives before the bound input handler: data already holds it.
    this.setData({ seen: 'seen ' + this.data.name + ' = ' + e.detail.value });
  },
  tap(name) { this.setData({ taps: this.data.taps ? this.data.taps + ',' + name : name }); },
  onMutOuter() { this.tap('mutOuter'); },
  onOuter() { this.tap('outer'); },
  onMutInner() { this.tap('mutInner'); },
  onCapture() { this.tap('capture'); },
  onCaptureCatch() { this.setData({ taps2: this.data.taps2 + 'captureCatch;' }); },
  onInnerCatch() { this.setData({ taps2: this.data.taps2 + 'innerCatch;' }); },
  onRetitle() { this.setData({ title: 'Second title' }); },
});
