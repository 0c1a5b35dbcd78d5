// automator.js — the app side of WeChat's automator protocol (package automator,
// docs/automator.md): what a test driving the app through `--auto-port` asks of its
// logic. It is set up on the first such request only, never for an app run without
// the automator, and the object it returns stays in Go's hands: app code cannot reach
// it, nor the compile function it is given (a test's function declarations, compiled
// by the host; the app itself still has no eval).
//
// run(op, paramsJSON, done): done(ok, resultJSON | message) is called exactly once,
// maybe later (an async wx method, a promise).
(function (global, wx, fw, asyncNames, compile) {
  'use strict';
  const isAsync = {};
  (JSON.parse(asyncNames) || []).forEach(function (n) { isAsync[n] = true; });
  const originals = new Map(); // mocked method → what wx had before

  function enc(v) {
    if (v === undefined) return 'null';
    const s = JSON.stringify(v);
    return s === undefined ? 'null' : s;
  }
  function message(e) {
    if (e !== null && typeof e === 'object') return String(e.errMsg || e.message || JSON.stringify(e));
    return String(e);
  }
  function safe(fn, arg) {
    if (typeof fn !== 'function') return;
    try { fn(arg); } catch (_) { /* an app callback's throw is the app's */ }
  }
  // settle answers with v, or with what v resolves to when it is a promise.
  function settle(v, done) {
    if (v !== null && typeof v === 'object' && typeof v.then === 'function') {
      v.then(function (r) { done(true, enc(r)); }, function (e) { done(false, message(e)); });
      return;
    }
    done(true, enc(v));
  }
  function instance(id) {
    const inst = fw.instanceOf(String(id));
    if (inst === null) throw new Error('no page or component instance ' + id + ' (it was closed?)');
    return inst;
  }
  function method(inst, name) {
    const fn = inst[name];
    if (typeof fn !== 'function') throw new Error((inst.route || inst.is || 'the instance') + ' has no method ' + name);
    return fn;
  }

  // mockWx replaces wx[name] with a fixed result or a function declaration, or (no
  // result and no function) puts the original back. An async method's mock answers
  // through success/complete and a promise, as the method would.
  function mockWx(p) {
    const name = String(p.method);
    if (!originals.has(name)) originals.set(name, wx[name]);
    const origin = originals.get(name);
    const hasResult = Object.prototype.hasOwnProperty.call(p, 'result');
    if (!hasResult && !p.functionDeclaration) {
      wx[name] = origin;
      originals.delete(name);
      return;
    }
    let impl;
    if (p.functionDeclaration) {
      const fn = compile(String(p.functionDeclaration));
      const extra = Array.isArray(p.args) ? p.args : [];
      const self = { origin: origin };
      impl = function () { return fn.apply(self, Array.prototype.slice.call(arguments).concat(extra)); };
    } else {
      const json = enc(p.result);
      impl = function () { return JSON.parse(json); };
    }
    if (!isAsync[name]) {
      wx[name] = impl;
      return;
    }
    wx[name] = function (opt) {
      const o = opt !== null && typeof opt === 'object' ? opt : {};
      let out;
      try {
        out = Promise.resolve(impl.apply(this, arguments));
      } catch (e) {
        out = Promise.reject(e);
      }
      const answered = out.then(function (res) {
        safe(o.success, res);
        safe(o.complete, res);
        return res;
      }, function (e) {
        const err = e !== null && typeof e === 'object' && e.errMsg ? e : { errMsg: name + ':fail ' + message(e) };
        safe(o.fail, err);
        safe(o.complete, err);
        throw err;
      });
      if (typeof o.success === 'function' || typeof o.fail === 'function' || typeof o.complete === 'function') {
        answered.catch(function () {});
        return undefined;
      }
      return answered;
    };
  }

  // callWx calls wx[method](...args); an async method answers with what its success
  // receives, and a fail is the request's error.
  function callWx(p, done) {
    const name = String(p.method);
    const fn = wx[name];
    if (typeof fn !== 'function') throw new Error('wx.' + name + ' is not a function');
    const args = Array.isArray(p.args) ? p.args : [];
    if (!isAsync[name]) {
      settle(fn.apply(wx, args), done);
      return;
    }
    const opt = Object.assign({}, args[0] !== null && typeof args[0] === 'object' ? args[0] : {});
    opt.success = function (res) { done(true, enc(res)); };
    opt.fail = function (res) { done(false, message(res)); };
    const r = fn.apply(wx, [opt].concat(args.slice(1)));
    if (r !== null && typeof r === 'object' && typeof r.then === 'function') r.then(undefined, function () {});
  }

  const ops = {
    callWx: callWx,
    mockWx: function (p, done) { mockWx(p); done(true, 'null'); },
    callFunction: function (p, done) {
      const fn = compile(String(p.functionDeclaration));
      settle(fn.apply(undefined, Array.isArray(p.args) ? p.args : []), done);
    },
    // setData answers once the page has applied it, as its callback does.
    setData: function (p, done) {
      const inst = instance(p.id);
      inst.setData(p.data !== null && typeof p.data === 'object' ? p.data : {}, function () { done(true, 'null'); });
    },
    getData: function (p, done) { done(true, enc(instance(p.id).data)); },
    callMethod: function (p, done) {
      const inst = instance(p.id);
      settle(method(inst, String(p.method)).apply(inst, Array.isArray(p.args) ? p.args : []), done);
    },
    trigger: function (p, done) {
      const inst = instance(p.id);
      method(inst, 'triggerEvent').call(inst, String(p.type), p.detail);
      done(true, 'null');
    },
  };

  return function run(op, paramsJSON, done) {
    const f = ops[op];
    if (f === undefined) throw new Error('unknown automator op ' + op);
    f(JSON.parse(paramsJSON), done);
  };
})
