// expr.js — evaluates the EXPR trees of docs/template.md. Never eval: each kind is
// walked here with JavaScript's own operator semantics. A missing path is undefined,
// never an error; only a malformed tree (a bad template node) throws.

// member reads o[p] the way WXML allows: own data properties, plus length and
// indexes of strings and arrays. Inherited members (constructor, __proto__) are not data.
function member(o, p) {
  if (o === undefined || o === null) return undefined;
  if (typeof o === "string") {
    if (p === "length") return o.length;
    return hasOwn(Object(o), p) ? o[p] : undefined;
  }
  if (typeof o !== "object") return undefined;
  if (Array.isArray(o) && p === "length") return o.length;
  return hasOwn(o, p) ? o[p] : undefined;
}

function evalBinary(op, a, b) {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a % b;
    case "==": return a == b; // eslint-disable-line eqeqeq
    case "!=": return a != b; // eslint-disable-line eqeqeq
    case "===": return a === b;
    case "!==": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    case "in": return isObject(b) ? hasOwn(b, String(a)) || (Array.isArray(b) && a === "length") : false;
  }
  throw new Error("unknown binary operator " + JSON.stringify(op));
}

function evalUnary(op, a) {
  switch (op) {
    case "!": return !a;
    case "-": return -a;
    case "+": return +a;
    case "typeof": return typeof a;
  }
  throw new Error("unknown unary operator " + JSON.stringify(op));
}

// evalExpr evaluates e; lookup(name) resolves identifiers (loop variables, then data).
function evalExpr(e, lookup) {
  if (!isObject(e)) throw new Error("expression is not an object");
  switch (e.k) {
    case "lit": return e.v;
    case "undef": return undefined;
    case "id": return lookup(e.n);
    case "mem": {
      var o = evalExpr(e.o, lookup);
      if (o === undefined || o === null) return undefined;
      return member(o, evalExpr(e.p, lookup));
    }
    case "un": return evalUnary(e.op, evalExpr(e.a, lookup));
    case "bin":
      if (e.op === "&&") { var l = evalExpr(e.a, lookup); return l ? evalExpr(e.b, lookup) : l; }
      if (e.op === "||") { var r = evalExpr(e.a, lookup); return r ? r : evalExpr(e.b, lookup); }
      return evalBinary(e.op, evalExpr(e.a, lookup), evalExpr(e.b, lookup));
    case "cond": return evalExpr(e.c, lookup) ? evalExpr(e.a, lookup) : evalExpr(e.b, lookup);
    case "arr": return evalArray(e.items || [], lookup);
    case "obj": return evalObject(e.props || [], lookup);
    case "wxs": return wxsExports(e.m);
    case "call": return evalCall(e, lookup);
  }
  throw new Error("unknown expression kind " + JSON.stringify(e.k));
}

// evalCall calls a function of a WXS module (the compiler allows no other callee).
function evalCall(e, lookup) {
  var f;
  if (isObject(e.f) && e.f.k === "mem") f = member(evalExpr(e.f.o, lookup), evalExpr(e.f.p, lookup));
  else f = evalExpr(e.f, lookup);
  var args = (Array.isArray(e.args) ? e.args : []).map(function (a) { return evalExpr(a, lookup); });
  return wxsCallFromTemplate(f, args);
}

function evalArray(items, lookup) {
  var out = [];
  items.forEach(function (it) {
    if (isObject(it) && it.k === "spread") {
      var v = evalExpr(it.a, lookup);
      if (typeof v === "string") out.push.apply(out, Array.from(v));
      else if (Array.isArray(v)) out.push.apply(out, v);
      return; // spreading anything else adds nothing, like WeChat
    }
    out.push(evalExpr(it, lookup));
  });
  return out;
}

function evalObject(props, lookup) {
  var out = {};
  props.forEach(function (p) {
    if (hasOwn(p, "spread") && p.spread) {
      var v = evalExpr(p.spread, lookup);
      if (isObject(v)) Object.keys(v).forEach(function (k) { if (!isUnsafeKey(k)) out[k] = v[k]; });
      return;
    }
    if (isUnsafeKey(p.key)) return;
    out[p.key] = evalExpr(p.v, lookup);
  });
  return out;
}

// exprNames lists the identifiers e reads, so a render can tell which data roots a
// value depends on (inputs whose bound data was set are refreshed even if equal).
function exprNames(e, out) {
  out = out || [];
  if (!isObject(e)) return out;
  switch (e.k) {
    case "id": out.push(e.n); break;
    case "mem": exprNames(e.o, out); exprNames(e.p, out); break;
    case "un": case "spread": exprNames(e.a, out); break;
    case "bin": exprNames(e.a, out); exprNames(e.b, out); break;
    case "cond": exprNames(e.c, out); exprNames(e.a, out); exprNames(e.b, out); break;
    case "arr": (e.items || []).forEach(function (it) { exprNames(it, out); }); break;
    case "obj": (e.props || []).forEach(function (p) { exprNames(p.spread || p.v, out); }); break;
    case "call": exprNames(e.f, out); (e.args || []).forEach(function (a) { exprNames(a, out); }); break;
  }
  return out;
}
