// Sandframe logic extension: the tasks of the subpackage APIs (docs/subpackages.md).
// wx.preDownloadSubpackage (WeChat's typings) and wx.loadSubpackage (WeChat's
// mini-game API, offered too) return a task whose onProgressUpdate hears the fetch's
// progress once it is known; the call itself is the gateway's preDownloadSubpackage or
// the hidden subpackage.load. Called once per runtime, before any app code.
(function (wx, kit) {
  'use strict';
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const TypeErrorCtor = TypeError;

  function own(o, k) { return hasOwn(o, k) && typeof o[k] === 'function' ? o[k] : undefined; }

  function task(api, gateway, argsOf) {
    return function (opts) {
      if (opts === undefined || opts === null) opts = {};
      if (typeof opts !== 'object') throw new TypeErrorCtor('wx.' + api + ': the argument must be an object');
      const listeners = [];
      kit.call(gateway, argsOf(opts), function (ok, res) {
        if (res && typeof res.errMsg === 'string' && res.errMsg.indexOf(gateway + ':') === 0) {
          res.errMsg = api + res.errMsg.slice(gateway.length);
        }
        if (ok) {
          // As WeChat: the last progress (100) before success.
          const total = typeof res.totalBytesExpectedToWrite === 'number' ? res.totalBytesExpectedToWrite : 0;
          const done = typeof res.totalBytesWritten === 'number' ? res.totalBytesWritten : total;
          const ev = { progress: 100, totalBytesWritten: done, totalBytesExpectedToWrite: total };
          listeners.slice().forEach(function (fn) { kit.safeCall(fn, undefined, [ev]); });
          res = { errMsg: api + ':ok' };
        }
        kit.safeCall(ok ? own(opts, 'success') : own(opts, 'fail'), undefined, [res]);
        kit.safeCall(own(opts, 'complete'), undefined, [res]);
      });
      return {
        onProgressUpdate: function (fn) { if (typeof fn === 'function') listeners.push(fn); },
        offProgressUpdate: function (fn) {
          if (fn === undefined) { listeners.length = 0; return; }
          const i = listeners.indexOf(fn);
          if (i >= 0) listeners.splice(i, 1);
        },
      };
    };
  }
  wx.preDownloadSubpackage = task('preDownloadSubpackage', 'preDownloadSubpackage', function (o) {
    const a = {};
    if (typeof o.packageType === 'string') a.packageType = o.packageType;
    if (typeof o.name === 'string') a.name = o.name;
    return a;
  });
  wx.loadSubpackage = task('loadSubpackage', 'subpackage.load', function (o) {
    return { name: typeof o.name === 'string' ? o.name : (typeof o.root === 'string' ? o.root : '') };
  });
})
