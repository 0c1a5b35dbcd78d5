function isFn(x) { return x instanceof Function }
var call = Function.prototype.call
var t = typeof isFn === 'function'
