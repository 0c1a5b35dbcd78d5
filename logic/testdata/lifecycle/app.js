App({
  onLaunch(o) { console.log('app.onLaunch ' + o.path + ' scene=' + o.scene); },
  onShow(o) { console.log('app.onShow' + (o && o.path ? ' ' + o.path : '')); },
  onHide() { console.log('app.onHide'); },
});
