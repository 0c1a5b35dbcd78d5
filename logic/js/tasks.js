// Sandframe logic: host-owned tasks and host events (docs/netapi.md, "WebSockets").
// Evaluated once per runtime as a function expression; the framework calls it with the
// wx it built (before any mini-app code runs) and a few of its own helpers, and hands
// the function it returns the host's bridge.APIEvent messages (api, task, event, data).
// The host owns every connection: this layer only keeps the app's listeners and turns
// WeChat's call shapes (a SocketTask returned at once, ArrayBuffer data) into the
// registry's plain calls.
(function (wx, lib) {
  'use strict';
  const safeCall = lib.safeCall;
  const parse = JSON.parse;
  const hasOwn = Function.prototype.call.bind(Object.prototype.hasOwnProperty);
  const ObjectKeys = Object.keys;
  const MapCtor = Map;
  const ArrayBufferCtor = ArrayBuffer;
  const isView = ArrayBuffer.isView;
  const PromiseCtor = Promise;

  // The registry's functions, captured before the app can replace them.
  const connectCall = wx.connectSocket;
  const sendCall = wx.sendSocketMessage;
  const closeCall = wx.closeSocket;
  const netSubscribe = wx.onNetworkStatusChange;
  const toBase64 = wx.arrayBufferToBase64;
  const fromBase64 = wx.base64ToArrayBuffer;

  function ownFunction(o, key) {
    return o !== null && typeof o === 'object' && hasOwn(o, key) && typeof o[key] === 'function' ? o[key] : undefined;
  }
  function hasCallbacks(o) {
    return ownFunction(o, 'success') !== undefined || ownFunction(o, 'fail') !== undefined || ownFunction(o, 'complete') !== undefined;
  }
  // plainArgs copies the option object's own data members (what crosses the bridge).
  function plainArgs(o) {
    const args = {};
    if (o === null || typeof o !== 'object') return args;
    const ks = ObjectKeys(o);
    for (let i = 0; i < ks.length; i++) {
      if (typeof o[ks[i]] !== 'function') args[ks[i]] = o[ks[i]];
    }
    return args;
  }
  function settleLater(o, ok, res) {
    PromiseCtor.resolve().then(function () {
      safeCall(ok ? ownFunction(o, 'success') : ownFunction(o, 'fail'), undefined, [res]);
      safeCall(ownFunction(o, 'complete'), undefined, [res]);
    });
  }

  // ---- WebSockets --------------------------------------------------------------------

  const EVENTS = ['open', 'message', 'close', 'error'];
  const tasks = new MapCtor(); // host task id → SocketTask record
  const early = new MapCtor(); // host task id → events that came before the connect result
  const MAX_EARLY = 64;
  let current = null; // the record of the latest wx.connectSocket: the global forms' socket
  const globalListeners = { open: [], message: [], close: [], error: [] };

  function newRecord() {
    const rec = { id: 0, state: 'connecting', closeWanted: null, listeners: { open: [], message: [], close: [], error: [] } };
    const task = {};
    EVENTS.forEach(function (ev) {
      const method = 'on' + ev[0].toUpperCase() + ev.slice(1);
      task[method] = function (fn) {
        if (typeof fn === 'function') rec.listeners[ev].push(fn);
      };
    });
    task.send = function send(o) { sendOn(rec, o, false); };
    task.close = function close(o) { closeOn(rec, o, false); };
    rec.task = task;
    return rec;
  }

  // message data: a string, or an ArrayBuffer (or a view of one) sent as base64.
  function sendArgs(rec, o) {
    const args = {};
    if (rec !== null && rec.id !== 0) args.socketTaskId = rec.id;
    const d = o !== null && typeof o === 'object' ? o.data : undefined;
    if (d instanceof ArrayBufferCtor || isView(d)) {
      args.data = toBase64(d);
      args.binary = true;
    } else if (d !== undefined) {
      args.data = d;
    }
    return args;
  }

  function withCallbacks(args, o, always) {
    if (hasCallbacks(o)) {
      args.success = ownFunction(o, 'success');
      args.fail = ownFunction(o, 'fail');
      args.complete = ownFunction(o, 'complete');
      ObjectKeys(args).forEach(function (k) { if (args[k] === undefined) delete args[k]; });
    } else if (always) {
      // SocketTask methods answer nothing: no promise left to reject unseen.
      args.complete = function () {};
    }
    return args;
  }

  function sendOn(rec, o, global) {
    const args = withCallbacks(sendArgs(rec, o), o, !global);
    return sendCall(args);
  }

  function closeOn(rec, o, global) {
    const args = plainArgs(o);
    if (rec !== null && rec.id === 0 && rec.state === 'connecting') {
      // The connect call has not answered yet: close as soon as it does.
      rec.closeWanted = args;
      if (hasCallbacks(o)) settleLater(o, true, { errMsg: 'closeSocket:ok' });
      return global && !hasCallbacks(o) ? PromiseCtor.resolve({ errMsg: 'closeSocket:ok' }) : undefined;
    }
    if (rec !== null && rec.id !== 0) args.socketTaskId = rec.id;
    withCallbacks(args, o, !global);
    return closeCall(args);
  }

  function fire(rec, ev, res) {
    const ls = rec.listeners[ev].slice();
    for (let i = 0; i < ls.length; i++) safeCall(ls[i], undefined, [res]);
    if (rec === current) {
      const gs = globalListeners[ev].slice();
      for (let i = 0; i < gs.length; i++) safeCall(gs[i], undefined, [res]);
    }
  }

  function socketEvent(rec, ev, data) {
    switch (ev) {
      case 'open':
        rec.state = 'open';
        fire(rec, 'open', { header: data.header || {}, profile: {} });
        return;
      case 'message':
        fire(rec, 'message', { data: data.binary ? fromBase64(data.data || '') : data.data });
        return;
      case 'error':
        fire(rec, 'error', { errMsg: data.errMsg || '' });
        return;
      case 'close':
        rec.state = 'closed';
        tasks.delete(rec.id);
        fire(rec, 'close', { code: data.code, reason: data.reason || '' });
    }
  }

  function bind(rec, id) {
    rec.id = id;
    tasks.set(id, rec);
    const waiting = early.get(id);
    early.delete(id);
    if (rec.closeWanted !== null) {
      const args = rec.closeWanted;
      rec.closeWanted = null;
      args.socketTaskId = id;
      args.complete = function () {};
      closeCall(args);
    }
    if (waiting !== undefined) {
      for (let i = 0; i < waiting.length; i++) socketEvent(rec, waiting[i].ev, waiting[i].data);
    }
  }

  // Without the registry's socket calls (a runtime built with fewer APIs) wx keeps the
  // stand-ins that answer "not supported".
  const haveSockets = typeof connectCall === 'function' && typeof sendCall === 'function' && typeof closeCall === 'function';
  if (haveSockets) wx.connectSocket = function connectSocket(options) {
    const o = options !== null && typeof options === 'object' ? options : {};
    const rec = newRecord();
    current = rec;
    const args = plainArgs(o);
    args.success = function (res) {
      bind(rec, res.socketTaskId);
      const out = { errMsg: res.errMsg, socketTaskId: res.socketTaskId };
      safeCall(ownFunction(o, 'success'), undefined, [out]);
      safeCall(ownFunction(o, 'complete'), undefined, [out]);
    };
    args.fail = function (res) {
      rec.state = 'closed';
      safeCall(ownFunction(o, 'fail'), undefined, [res]);
      safeCall(ownFunction(o, 'complete'), undefined, [res]);
    };
    connectCall(args);
    return rec.task; // never a promise: WeChat's connectSocket has no promise form
  };
  if (haveSockets) wx.sendSocketMessage = function sendSocketMessage(o) { return sendOn(current, o, true); };
  if (haveSockets) wx.closeSocket = function closeSocket(o) { return closeOn(current, o, true); };
  if (haveSockets) EVENTS.forEach(function (ev) {
    const name = 'onSocket' + ev[0].toUpperCase() + ev.slice(1);
    wx[name] = function (fn) {
      if (typeof fn === 'function') globalListeners[ev].push(fn);
    };
  });

  // ---- network status ----------------------------------------------------------------

  const netListeners = [];
  let subscribed = false;
  if (typeof netSubscribe === 'function') wx.onNetworkStatusChange = function onNetworkStatusChange(fn) {
    if (typeof fn !== 'function') return;
    netListeners.push(fn);
    if (!subscribed) {
      subscribed = true;
      netSubscribe({ complete: function () {} }); // the host reports changes from now on
    }
  };
  if (typeof netSubscribe === 'function') wx.offNetworkStatusChange = function offNetworkStatusChange(fn) {
    if (fn === undefined) {
      netListeners.length = 0;
      return;
    }
    const i = netListeners.indexOf(fn);
    if (i >= 0) netListeners.splice(i, 1);
  };

  // ---- events from the host ------------------------------------------------------------

  return function apiEvent(api, task, ev, dataJSON) {
    const data = parse(dataJSON);
    if (api === 'connectSocket') {
      const rec = tasks.get(task);
      if (rec !== undefined) {
        socketEvent(rec, ev, data);
        return;
      }
      // The events of a socket may overtake the answer to its connect call.
      let q = early.get(task);
      if (q === undefined) {
        if (early.size >= MAX_EARLY) return;
        q = [];
        early.set(task, q);
      }
      if (q.length < MAX_EARLY) q.push({ ev: ev, data: data });
      return;
    }
    if (api === 'onNetworkStatusChange' && ev === 'change') {
      const res = { isConnected: !!data.isConnected, networkType: data.networkType };
      const ls = netListeners.slice();
      for (let i = 0; i < ls.length; i++) safeCall(ls[i], undefined, [res]);
    }
  };
})
