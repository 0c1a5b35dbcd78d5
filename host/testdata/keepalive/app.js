App({
  hides: 0,
  onHide() { this.hides++; },
});
