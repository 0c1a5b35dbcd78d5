// page returns a Page definition that logs every lifecycle as "<name>.<hook>".
exports.page = function (name) {
  const def = { data: { name: name } };
  ['onLoad', 'onShow', 'onReady', 'onHide', 'onUnload'].forEach(function (hook) {
    def[hook] = function (arg) {
      console.log(name + '.' + hook + (arg ? ' ' + JSON.stringify(arg) : ''));
    };
  });
  return def;
};

// component returns a Component definition that logs lifetimes and page lifetimes.
exports.component = function (name) {
  const log = function (what) { return function () { console.log(name + '.' + what); }; };
  return {
    lifetimes: { created: log('created'), attached: log('attached'), ready: log('ready'), detached: log('detached') },
    pageLifetimes: { show: log('pageShow'), hide: log('pageHide') },
  };
};
