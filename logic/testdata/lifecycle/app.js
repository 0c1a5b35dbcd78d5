App({
  onLaunch(o) { console.log('app.onLaunch ' + o.path + ' scene=' + o.scene); },
  onShow() { console.log('app.onShow'); },
});
