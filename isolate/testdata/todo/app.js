App({
  globalData: { opened: 0 },
  onLaunch(options) {
    console.log('app onLaunch ' + options.path);
  },
  onShow() {
    console.log('app onShow');
  },
  onError(msg) {
    console.log('app onError ' + msg);
  },
});
