App({
  onLaunch() {
    console.info('app launched');
  }
});
