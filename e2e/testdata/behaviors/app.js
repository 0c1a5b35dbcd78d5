App({
  onLaunch() { this.order = ['app.onLaunch']; },
  onShow() { this.order.push('app.onShow'); },
});
