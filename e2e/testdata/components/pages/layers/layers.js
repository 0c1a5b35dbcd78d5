Page({
  data: { show: false, position: 'bottom', pcEvents: '' },
  log(name) { this.setData({ pcEvents: this.data.pcEvents + name + ' ' }); },
  open() { this.setData({ show: true, pcEvents: '' }); },
  openCenter() { this.setData({ show: true, position: 'center', pcEvents: '' }); },
  onBeforeEnter() { this.log('beforeenter'); },
  onEnter() { this.log('enter'); },
  onAfterEnter() { this.log('afterenter'); },
  onBeforeLeave() { this.log('beforeleave'); },
  onLeave() { this.log('leave'); },
  onAfterLeave() { this.log('afterleave'); this.setData({ show: false }); },
  onOverlay() { this.log('clickoverlay'); }
});
