// Removes every way to compile code at run time: eval, the Function constructor and its
// async and generator siblings (reachable through any function's .constructor). Runs
// before anything else in the runtime; the replacements are non-writable and
// non-configurable so mini-app code cannot put the originals back.
(function (global) {
  'use strict';
  function deny(what) {
    // A plain function (not an arrow) so that `new` reaches the throw too.
    return function () {
      throw new Error('eval is not allowed in mini-apps: ' + what + ' compiles code at run time');
    };
  }
  function lock(obj, key, value) {
    Object.defineProperty(obj, key, { value: value, writable: false, enumerable: false, configurable: false });
  }
  var FunctionProto = Function.prototype;
  var AsyncFunctionProto = Object.getPrototypeOf(async function () {});
  var GeneratorFunctionProto = Object.getPrototypeOf(function* () {});

  var fn = deny('Function(...)');
  // keeps `x instanceof Function` working
  Object.defineProperty(fn, 'prototype', { value: FunctionProto, writable: false });
  lock(global, 'Function', fn);
  lock(FunctionProto, 'constructor', fn);
  lock(AsyncFunctionProto, 'constructor', deny('the AsyncFunction constructor'));
  lock(GeneratorFunctionProto, 'constructor', deny('the GeneratorFunction constructor'));
  lock(global, 'eval', deny('eval(...)'));
})
