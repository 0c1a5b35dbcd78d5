// Sandframe logic extension: the objects of the file APIs (docs/files.md).
// wx.getFileSystemManager() and the DownloadTask / UploadTask of wx.downloadFile and
// wx.uploadFile. Called once per runtime, before any app code, with wx and the
// framework's extension kit; every call still goes through the gateway as an api
// message (the manager's methods are hidden declarations of files/fsapis.go).
(function (wx, kit) {
  'use strict';
  const ObjectKeys = Object.keys;
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const ErrorCtor = Error, TypeErrorCtor = TypeError, ArrayBufferCtor = ArrayBuffer;
  const isView = ArrayBuffer.isView;
  const PromiseCtor = Promise;
  const toB64 = wx.arrayBufferToBase64, fromB64 = wx.base64ToArrayBuffer;

  function own(o, k) { return hasOwn(o, k) && typeof o[k] === 'function' ? o[k] : undefined; }

  // plain is the options without their callbacks, as the api message carries them.
  function plain(opts) {
    const out = {};
    const ks = ObjectKeys(opts);
    for (let i = 0; i < ks.length; i++) if (typeof opts[ks[i]] !== 'function') out[ks[i]] = opts[ks[i]];
    return out;
  }

  function options(name, opts) {
    if (opts === undefined || opts === null) return {};
    if (typeof opts !== 'object') throw new TypeErrorCtor(name + ': the argument must be an object');
    return opts;
  }

  function callback(opts, ok, res) {
    kit.safeCall(ok ? own(opts, 'success') : own(opts, 'fail'), undefined, [res]);
    kit.safeCall(own(opts, 'complete'), undefined, [res]);
  }

  // renamed gives errMsg the manager's method name when the gateway's differs.
  function renamed(res, gw, name) {
    if (gw !== name && res && typeof res.errMsg === 'string' && res.errMsg.indexOf(gw + ':') === 0) {
      res.errMsg = name + res.errMsg.slice(gw.length);
    }
    return res;
  }

  // data: an ArrayBuffer (or a view) crosses as base64.
  function prepareData(args) {
    const d = args.data;
    if (d instanceof ArrayBufferCtor || isView(d)) {
      args.data = toB64(d);
      args.encoding = 'base64';
    }
  }

  // Stats with WeChat's methods.
  function stats(s) {
    const dir = !!s.dir;
    return {
      mode: s.mode, size: s.size, lastAccessedTime: s.lastAccessedTime, lastModifiedTime: s.lastModifiedTime,
      isDirectory: function () { return dir; }, isFile: function () { return !dir; },
    };
  }

  const finishers = {
    readFile: function (res, args) {
      if (args.encoding === undefined) res.data = fromB64(res.data);
      return res.data;
    },
    stat: function (res) {
      const s = res.stats;
      if (s && typeof s.length === 'number') {
        res.stats = s.map(function (e) { return { path: e.path, stats: stats(e.stats) }; });
      } else res.stats = stats(s);
      return res.stats;
    },
    readdir: function (res) { return res.files; },
    saveFile: function (res) { return res.savedFilePath; },
  };

  // The manager is built on first use: most apps never ask for it, and every runtime
  // would pay for its thirty-odd functions.
  let fsmObj = null;
  function makeFSM() {
    const fsm = {};
    // method builds one async method and, with params, its Sync form.
    function method(name, gw, params, prepare) {
      const finish = finishers[name];
      fsm[name] = function (opts) {
        opts = options('FileSystemManager.' + name, opts);
        const args = plain(opts);
        if (prepare) prepare(args);
        kit.call(gw, args, function (ok, res) {
          renamed(res, gw, name);
          if (ok && finish) finish(res, args);
          callback(opts, ok, res);
        });
      };
      if (!params) return;
      const syncName = name + 'Sync', syncGw = gw + 'Sync';
      fsm[syncName] = function () {
        const args = {};
        for (let i = 0; i < params.length; i++) if (arguments[i] !== undefined) args[params[i]] = arguments[i];
        if (prepare) prepare(args);
        const r = kit.callSync(syncGw, args);
        const res = renamed(r.result || {}, syncGw, syncName);
        if (!r.ok) throw new ErrorCtor(res.errMsg || syncName + ':fail');
        return finish ? finish(res, args) : undefined;
      };
    }
    method('access', 'fs.access', ['path']);
    method('appendFile', 'fs.appendFile', ['filePath', 'data', 'encoding'], prepareData);
    method('copyFile', 'fs.copyFile', ['srcPath', 'destPath']);
    method('mkdir', 'fs.mkdir', ['dirPath', 'recursive']);
    method('readdir', 'fs.readdir', ['dirPath']);
    method('readFile', 'fs.readFile', ['filePath', 'encoding', 'position', 'length']);
    method('rename', 'fs.rename', ['oldPath', 'newPath']);
    method('rmdir', 'fs.rmdir', ['dirPath', 'recursive']);
    method('saveFile', 'fs.saveFile', ['tempFilePath', 'filePath']);
    method('stat', 'fs.stat', ['path', 'recursive']);
    method('unlink', 'fs.unlink', ['filePath']);
    method('writeFile', 'fs.writeFile', ['filePath', 'data', 'encoding'], prepareData);
    method('getFileInfo', 'getFileInfo');
    method('getSavedFileList', 'getSavedFileList');
    method('removeSavedFile', 'removeSavedFile');
    // File descriptors, truncation and archives are not offered: they fail as an old
    // client's would.
    ['open', 'close', 'fstat', 'ftruncate', 'read', 'write', 'truncate', 'unzip', 'readZipEntry', 'readCompressedFile'].forEach(function (n) {
      const msg = n + ':fail not supported on this platform';
      fsm[n] = function (opts) {
        if (opts !== null && typeof opts === 'object') {
          PromiseCtor.resolve().then(function () { callback(opts, false, { errMsg: msg }); });
        }
      };
      fsm[n + 'Sync'] = function () { throw new ErrorCtor(msg); };
    });
    return fsm;
  }
  wx.getFileSystemManager = function getFileSystemManager() {
    if (fsmObj === null) fsmObj = makeFSM();
    return fsmObj;
  };
  wx.env = { USER_DATA_PATH: 'wxfile://usr' };

  // ---- DownloadTask / UploadTask ------------------------------------------------------

  let taskSeq = 0;
  function transfer(name, upload) {
    return function (opts) {
      opts = options('wx.' + name, opts);
      const id = 't' + (++taskSeq);
      const args = plain(opts);
      args.taskId = id;
      let finished = false, aborted = false, polling = false, seen = 0, last = null;
      const listeners = [];
      function emit(res) {
        last = res;
        const ev = upload
          ? { progress: res.progress, totalBytesSent: res.done, totalBytesExpectedToSend: res.total < 0 ? 0 : res.total }
          : { progress: res.progress, totalBytesWritten: res.done, totalBytesExpectedToWrite: res.total < 0 ? 0 : res.total };
        listeners.slice().forEach(function (fn) { kit.safeCall(fn, undefined, [ev]); });
      }
      // The host answers each wait when the transfer moved on; the next wait follows.
      function poll() {
        if (polling || finished || listeners.length === 0) return;
        polling = true;
        kit.call('task.progress', { taskId: id, seen: seen }, function (ok, res) {
          polling = false;
          if (!ok) return;
          seen = res.seen;
          if (finished) return;
          if (res.done > 0 && !aborted) emit(res);
          if (!res.finished) poll();
        });
      }
      kit.call(name, args, function (ok, res) {
        finished = true;
        // As in WeChat, the last progress (100) comes before success, whichever of the
        // host's answers arrived first.
        if (ok && listeners.length > 0 && (last === null || last.progress !== 100)) {
          let n = last === null ? 0 : (last.total > 0 ? last.total : last.done);
          if (typeof res.dataLength === 'number') n = res.dataLength;
          emit({ progress: 100, done: n, total: n });
        }
        if (!ok && aborted) res = { errMsg: name + ':fail abort' };
        callback(opts, ok, res);
      });
      return {
        abort: function () {
          if (finished || aborted) return;
          aborted = true;
          kit.call('task.abort', { taskId: id }, function () {});
        },
        onProgressUpdate: function (fn) {
          if (typeof fn !== 'function') return;
          listeners.push(fn);
          poll();
        },
        offProgressUpdate: function (fn) {
          if (fn === undefined) { listeners.length = 0; return; }
          const i = listeners.indexOf(fn);
          if (i >= 0) listeners.splice(i, 1);
        },
        onHeadersReceived: function () {},
        offHeadersReceived: function () {},
      };
    };
  }
  wx.downloadFile = transfer('downloadFile', false);
  wx.uploadFile = transfer('uploadFile', true);
})
