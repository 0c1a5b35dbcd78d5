// wxs.js — interprets WXS modules, compiled by render/wxml into trees (docs/template.md,
// "WXS"). Never eval, never Function: each node kind is walked here. WXS code sees only
// its own variables, the values templates pass it, and the library below (Math, JSON,
// Number, Date, getDate, getRegExp, parseInt...): no global object, no prototypes.
// Values stay plain: member reads see own properties only (plus each type's methods,
// called through callMethod), writes refuse __proto__/constructor/prototype, and
// functions are opaque frozen tokens whose code lives in a WeakMap. A step budget stops
// runaway loops with an error naming the module and line.

var WXS_STEPS_PER_CALL = 1000000;  // one call from a template (or one module's start)
var WXS_STEPS_PER_RENDER = 5000000; // all WXS of one owner's render
var WXS_MAX_DEPTH = 200;            // nested WXS calls
var WXS_MAX_STRING = 1 << 24;       // characters in one string a WXS operation makes
var WXS_MAX_ARRAY = 1 << 20;        // elements in one array
var WXS_MAX_MADE = 1 << 26;         // characters and elements one run may make in all

var wxsDefs = null;                 // the module definitions of the template being built
var wxsInstances = new WeakMap();   // module definition → {module, done}
var wxsFnInfo = new WeakMap();      // WXS function token → {node, env, mod}
var wxsNatives = new WeakMap();     // library function token → its JavaScript function
var wxsRun = null;                  // the current top-level run: {left, depth, mod, ln}
var wxsRenderLeft = WXS_STEPS_PER_RENDER;
var wxsBudgetOpen = false;          // a budget is being spent in this task

var WXS_BREAK = { c: "break" }, WXS_CONTINUE = { c: "continue" };

// wxsBeginRender starts building a template. All renders of one task (one push from
// logic renders the page and its components) share one step budget, so many
// components with a runaway loop cannot add up to a hang; the next task has it anew.
function wxsBeginRender(defs) {
  var prev = wxsDefs;
  wxsDefs = isObject(defs) ? defs : null;
  if (!wxsBudgetOpen) {
    wxsBudgetOpen = true;
    wxsRenderLeft = WXS_STEPS_PER_RENDER;
    Promise.resolve().then(function () { wxsBudgetOpen = false; });
  }
  return prev;
}

function wxsEndRender(prev) { wxsDefs = prev; }

function wxsError(msg) { var e = new Error(msg); e.wxs = true; return e; }

function wxsModName(mod) {
  if (!mod) return "WXS";
  return mod.name ? "WXS module " + JSON.stringify(mod.name) + " (" + mod.file + ")" : "WXS module " + mod.file;
}

// wxsTop runs fn as a top-level WXS run (a call from a template, a module start) with
// its own step budget; errors come out naming the module and line.
function wxsTop(mod, fn) {
  if (wxsRun) return fn();
  if (wxsRenderLeft <= 0) throw wxsError(wxsModName(mod) + ": the WXS step budget of this render is spent");
  var budget = Math.min(WXS_STEPS_PER_CALL, wxsRenderLeft);
  var run = wxsRun = { left: budget, depth: 0, mod: mod, ln: 0, made: 0 };
  try {
    return fn();
  } catch (err) {
    if (err && err.wxsPlaced) throw err;
    var msg = err && err.wxsThrown ? (typeof err.value === "string" ? err.value : wxsShow(err.value)) : err && err.message !== undefined ? err.message : wxsShow(err);
    var out = new Error(wxsModName(run.mod) + ":" + run.ln + ": " + msg);
    out.wxsPlaced = true;
    throw out;
  } finally {
    wxsRenderLeft -= budget - Math.max(run.left, 0);
    wxsRun = null;
  }
}

function wxsShow(v) {
  try { return v === undefined ? "undefined" : JSON.stringify(v); } catch (e) { return String(v); }
}

function wxsStep(ln) {
  var run = wxsRun;
  run.ln = ln || run.ln;
  if (--run.left < 0) {
    var e = new Error(wxsModName(run.mod) + ":" + run.ln + ": stopped after " + WXS_STEPS_PER_CALL +
      " steps (a loop that never ends?)");
    e.wxsPlaced = true;
    e.budget = true;
    throw e;
  }
}

// wxsExports returns a module's exports, starting the module on first use.
function wxsExports(key) {
  var def = wxsDefs && hasOwn(wxsDefs, key) ? wxsDefs[key] : null;
  if (!isObject(def) || !isObject(def.code)) throw new Error("WXS module " + JSON.stringify(key) + " is not in this template");
  var inst = wxsInstances.get(def);
  if (inst) return inst.module.exports; // also while it starts: a require cycle gets what is there so far
  inst = { module: { exports: {} } };
  wxsInstances.set(def, inst);
  var mod = { file: String(def.file || key), name: def.name ? String(def.name) : "" };
  wxsTop(mod, function () {
    var saved = wxsRun.mod;
    wxsRun.mod = mod;
    try {
      var scope = { v: Object.create(null), up: null };
      scope.v.module = inst.module;
      wxsEnter(def.code, scope, mod, []);
    } finally {
      wxsRun.mod = saved;
    }
  });
  return inst.module.exports;
}

// wxsCallFromTemplate calls a WXS function with arguments evaluated by a template;
// data is copied so WXS cannot change the page's data in place.
function wxsCallFromTemplate(f, args) {
  var info = wxsFnInfo.get(f);
  if (!info && !wxsNatives.has(f)) throw new Error("only WXS functions can be called in templates");
  var copies = args.map(wxsCopy);
  return wxsTop(info ? info.mod : null, function () { return wxsCall(f, copies); });
}

// wxsCopy copies data for WXS; what WXS made itself (functions, dates, RegExps) passes
// as it is, so {{m.f(m.today())}} gets a date.
function wxsCopy(v) {
  if (!isObject(v) || wxsIsFn(v) || v instanceof Date || v instanceof RegExp) return v;
  if (Array.isArray(v)) return v.map(wxsCopy);
  var out = {};
  Object.keys(v).forEach(function (k) { if (!isUnsafeKey(k)) out[k] = wxsCopy(v[k]); });
  return out;
}

function wxsMakeFn(node, env, mod) {
  var f = Object.freeze(Object.create(null));
  wxsFnInfo.set(f, { node: node, env: env, mod: mod });
  return f;
}

function wxsNative(fn) {
  var f = Object.freeze(Object.create(null));
  wxsNatives.set(f, fn);
  return f;
}

function wxsIsFn(v) { return isObject(v) && (wxsFnInfo.has(v) || wxsNatives.has(v)); }

// wxsCall calls a WXS or library function inside the current run.
function wxsCall(f, args) {
  var info = isObject(f) ? wxsFnInfo.get(f) : undefined;
  if (!info) {
    var nat = isObject(f) ? wxsNatives.get(f) : undefined;
    if (!nat) throw wxsError(wxsShow(f) + " is not a function");
    return wxsCheck(nat.apply(null, wxsJSArgs(args)));
  }
  var run = wxsRun;
  if (++run.depth > WXS_MAX_DEPTH) { run.depth--; throw wxsError("WXS calls nest deeper than " + WXS_MAX_DEPTH); }
  var saved = run.mod;
  run.mod = info.mod;
  try {
    return wxsEnter(info.node, { v: Object.create(null), up: info.env }, info.mod, args, f);
  } finally {
    run.mod = saved;
    run.depth--;
  }
}

// wxsEnter runs a function body in scope: parameters, arguments, hoisted vars and
// function declarations first, as JavaScript does.
function wxsEnter(node, scope, mod, args, self) {
  var v = scope.v;
  var params = node.params || [];
  for (var i = 0; i < params.length; i++) v[params[i]] = args[i];
  if (!(params.indexOf("arguments") >= 0)) v.arguments = args.slice();
  (node.vars || []).forEach(function (n) { if (!(n in v)) v[n] = undefined; });
  (node.fns || []).forEach(function (d) { v[d.n] = wxsMakeFn(d.fn, scope, mod); });
  if (node.n && self && !(node.n in v)) v[node.n] = self;
  var c = wxsExecList(node.body || [], scope);
  return c && c.c === "return" ? c.v : undefined;
}

// ---- statements: each returns undefined, WXS_BREAK, WXS_CONTINUE or {c:"return", v}

function wxsExecList(list, scope) {
  for (var i = 0; i < list.length; i++) {
    var c = wxsExec(list[i], scope);
    if (c) return c;
  }
  return undefined;
}

function wxsExec(s, scope) {
  wxsStep(s.ln);
  switch (s.k) {
    case "expr": wxsEval(s.e, scope); return undefined;
    case "var":
      for (var i = 0; i < s.decl.length; i++) {
        var d = s.decl[i];
        if (hasOwn(d, "v")) wxsAssignName(d.n, wxsEval(d.v, scope), scope);
      }
      return undefined;
    case "block": return wxsExecList(s.body || [], scope);
    case "if":
      if (wxsEval(s.c, scope)) return wxsExec(s.then, scope);
      return s["else"] ? wxsExec(s["else"], scope) : undefined;
    case "for": {
      if (s.init) wxsExec(s.init, scope);
      for (;;) {
        wxsStep(s.ln);
        if (s.test && !wxsEval(s.test, scope)) return undefined;
        var c = wxsExec(s.body, scope);
        if (c === WXS_BREAK) return undefined;
        if (c && c !== WXS_CONTINUE) return c;
        if (s.update) wxsEval(s.update, scope);
      }
    }
    case "forin": {
      var keys = wxsKeys(wxsEval(s.o, scope));
      for (var k = 0; k < keys.length; k++) {
        wxsStep(s.ln);
        wxsWrite(s.t, keys[k], scope);
        var c2 = wxsExec(s.body, scope);
        if (c2 === WXS_BREAK) return undefined;
        if (c2 && c2 !== WXS_CONTINUE) return c2;
      }
      return undefined;
    }
    case "while":
      for (;;) {
        wxsStep(s.ln);
        if (!wxsEval(s.c, scope)) return undefined;
        var c3 = wxsExec(s.body, scope);
        if (c3 === WXS_BREAK) return undefined;
        if (c3 && c3 !== WXS_CONTINUE) return c3;
      }
    case "do":
      for (;;) {
        wxsStep(s.ln);
        var c4 = wxsExec(s.body, scope);
        if (c4 === WXS_BREAK) return undefined;
        if (c4 && c4 !== WXS_CONTINUE) return c4;
        if (!wxsEval(s.c, scope)) return undefined;
      }
    case "return": return { c: "return", v: hasOwn(s, "e") ? wxsEval(s.e, scope) : undefined };
    case "break": return WXS_BREAK;
    case "continue": return WXS_CONTINUE;
    case "switch": {
      var dv = wxsEval(s.d, scope), cases = s.cases || [], start = -1;
      for (var j = 0; j < cases.length && start < 0; j++) {
        if (hasOwn(cases[j], "t") && wxsEval(cases[j].t, scope) === dv) start = j;
      }
      for (var m = 0; m < cases.length && start < 0; m++) if (!hasOwn(cases[m], "t")) start = m;
      if (start < 0) return undefined;
      for (var n = start; n < cases.length; n++) {
        var c5 = wxsExecList(cases[n].body || [], scope);
        if (c5 === WXS_BREAK) return undefined;
        if (c5) return c5;
      }
      return undefined;
    }
    case "throw": throw { wxsThrown: true, value: wxsEval(s.e, scope) };
    case "try": return wxsTry(s, scope);
  }
  throw new Error("unknown WXS statement " + JSON.stringify(s.k));
}

function wxsTry(s, scope) {
  var result;
  try {
    result = wxsExecList(s.body || [], scope);
  } catch (err) {
    if (!s["catch"] || (err && (err.budget || err.wxsPlaced))) throw err; // the budget is not catchable
    var inner = { v: Object.create(null), up: scope };
    if (s.param) inner.v[s.param] = err && err.wxsThrown ? err.value : { name: "Error", message: String(err && err.message) };
    result = wxsExecList(s["catch"], inner);
  } finally {
    if (s["finally"]) {
      var f = wxsExecList(s["finally"], scope);
      if (f) return f; // eslint-disable-line no-unsafe-finally
    }
  }
  return result;
}

// wxsKeys lists what for-in visits: own keys of objects, indexes of arrays and strings.
function wxsKeys(o) {
  if (typeof o === "string") return Object.keys(Object(o));
  if (!isObject(o) || wxsIsFn(o)) return [];
  return Object.keys(o);
}

// ---- names

function wxsFind(name, scope) {
  for (var s = scope; s; s = s.up) if (name in s.v) return s;
  return null;
}

function wxsLookup(name, scope) {
  var s = wxsFind(name, scope);
  if (s) return s.v[name];
  if (hasOwn(WXS_GLOBALS, name)) return WXS_GLOBALS[name];
  throw wxsError(name + " is not defined");
}

function wxsAssignName(name, value, scope) {
  var s = wxsFind(name, scope);
  if (!s) { s = scope; while (s.up) s = s.up; } // an undeclared name becomes the module's
  s.v[name] = value;
}

// ---- expressions

function wxsEval(e, scope) {
  switch (e.k) {
    case "lit": return e.v;
    case "undef": return undefined;
    case "id": return wxsLookup(e.n, scope);
    case "mem": return wxsGet(wxsEval(e.o, scope), wxsEval(e.p, scope));
    case "un": return wxsUnary(e, scope);
    case "bin":
      if (e.op === "&&") { var l = wxsEval(e.a, scope); return l ? wxsEval(e.b, scope) : l; }
      if (e.op === "||") { var r = wxsEval(e.a, scope); return r ? r : wxsEval(e.b, scope); }
      return wxsBinary(e.op, wxsEval(e.a, scope), wxsEval(e.b, scope));
    case "cond": return wxsEval(e.c, scope) ? wxsEval(e.a, scope) : wxsEval(e.b, scope);
    case "arr": {
      var out = [];
      for (var i = 0; i < e.items.length; i++) out.push(wxsEval(e.items[i], scope));
      return out;
    }
    case "obj": {
      var o = {};
      for (var j = 0; j < e.props.length; j++) wxsSet(o, e.props[j].key, wxsEval(e.props[j].v, scope));
      return o;
    }
    case "fn": return wxsMakeFn(e, scope, wxsRun.mod);
    case "call": return wxsCallExpr(e, scope);
    case "assign": {
      var v = wxsEval(e.v, scope);
      if (e.op !== "=") v = wxsBinary(e.op.slice(0, -1), wxsRead(e.t, scope), v);
      return wxsWrite(e.t, v, scope);
    }
    case "upd": {
      var old = +wxsRead(e.t, scope);
      wxsWrite(e.t, e.op === "++" ? old + 1 : old - 1, scope);
      return e.pre ? (e.op === "++" ? old + 1 : old - 1) : old;
    }
    case "seq": {
      var last;
      for (var k = 0; k < e.items.length; k++) last = wxsEval(e.items[k], scope);
      return last;
    }
    case "req": return wxsExports(e.m);
  }
  throw new Error("unknown WXS expression " + JSON.stringify(e.k));
}

// wxsRead and wxsWrite read and write an assignment target (a name or a member).
function wxsRead(t, scope) { return wxsEval(t, scope); }

function wxsWrite(t, v, scope) {
  if (t.k === "id") { wxsAssignName(t.n, v, scope); return v; }
  if (t.k === "mem") { wxsSet(wxsEval(t.o, scope), wxsEval(t.p, scope), v); return v; }
  throw wxsError("invalid assignment target");
}

function wxsUnary(e, scope) {
  if (e.op === "typeof") {
    if (e.a.k === "id" && !wxsFind(e.a.n, scope) && !hasOwn(WXS_GLOBALS, e.a.n)) return "undefined";
    var t = wxsEval(e.a, scope);
    return wxsIsFn(t) ? "function" : typeof t;
  }
  if (e.op === "delete") {
    if (e.a.k !== "mem") return false;
    var o = wxsEval(e.a.o, scope), key = String(wxsEval(e.a.p, scope));
    wxsWritable(o, key);
    return delete o[key];
  }
  var a = wxsEval(e.a, scope);
  switch (e.op) {
    case "!": return !a;
    case "-": return -a;
    case "+": return +a;
    case "~": return ~a;
    case "void": return undefined;
  }
  throw new Error("unknown WXS operator " + JSON.stringify(e.op));
}

function wxsBinary(op, a, b) {
  switch (op) {
    case "+": {
      var s = a + b;
      if (typeof s === "string" && s.length > 64) wxsCheck(s);
      return s;
    }
    case "&": return a & b;
    case "|": return a | b;
    case "^": return a ^ b;
    case "<<": return a << b;
    case ">>": return a >> b;
    case ">>>": return a >>> b;
    case "in":
      if (!isObject(b) || wxsIsFn(b)) throw wxsError("cannot use 'in' to search for " + wxsShow(a) + " in " + wxsShow(b));
      return hasOwn(b, String(a)) || (Array.isArray(b) && a === "length");
  }
  return evalBinary(op, a, b);
}

// wxsType is what WXS's x.constructor says: the name of x's type.
function wxsType(v) {
  if (wxsIsFn(v)) return "Function";
  if (Array.isArray(v)) return "Array";
  if (v instanceof Date) return "Date";
  if (v instanceof RegExp) return "RegExp";
  switch (typeof v) {
    case "string": return "String";
    case "number": return "Number";
    case "boolean": return "Boolean";
  }
  return "Object";
}

// wxsGet reads o[p]: own data, length and indexes, a few RegExp fields, and
// constructor (the type name). Methods are reached only by calling them.
function wxsGet(o, p) {
  if (o === undefined || o === null) throw wxsError("cannot read property " + wxsShow(p) + " of " + o);
  var key = typeof p === "number" ? p : String(p);
  if (key === "constructor") return wxsType(o);
  if (typeof o === "string") {
    if (key === "length") return o.length;
    return hasOwn(Object(o), key) ? o[key] : undefined;
  }
  if (!isObject(o) || wxsIsFn(o)) return undefined;
  if (o instanceof RegExp) return WXS_REGEXP_FIELDS[key] ? o[key] : undefined;
  if (o instanceof Date) return undefined;
  if (Array.isArray(o) && key === "length") return o.length;
  return hasOwn(o, key) ? o[key] : undefined;
}

// wxsWritable refuses writes that could reach a prototype or a library object.
function wxsWritable(o, key) {
  if (!isObject(o) || wxsIsFn(o) || o instanceof Date || o instanceof RegExp || Object.isFrozen(o)) {
    throw wxsError("cannot set property " + wxsShow(key) + " of " + (isObject(o) ? wxsType(o) : wxsShow(o)));
  }
  if (isUnsafeKey(key)) throw wxsError("cannot set property " + key);
}

function wxsSet(o, p, v) {
  var key = String(p);
  wxsWritable(o, key);
  if (Array.isArray(o)) {
    var n = key === "length" ? Number(v) : Number(key);
    if (n === n && n >= WXS_MAX_ARRAY) throw wxsError("array longer than " + WXS_MAX_ARRAY + " elements");
  }
  o[key] = v;
}

var WXS_STRING_METHODS = wxsSet_("toString valueOf charAt charCodeAt concat indexOf lastIndexOf localeCompare match replace search slice split substring substr toLowerCase toLocaleLowerCase toUpperCase toLocaleUpperCase trim");
var WXS_NUMBER_METHODS = wxsSet_("toString toLocaleString valueOf toFixed toExponential toPrecision");
var WXS_ARRAY_METHODS = wxsSet_("toString concat join pop push reverse shift slice sort splice unshift indexOf lastIndexOf every some forEach map filter reduce reduceRight");
var WXS_DATE_METHODS = wxsSet_("toString toDateString toTimeString toLocaleString toLocaleDateString toLocaleTimeString valueOf getTime getFullYear getUTCFullYear getMonth getUTCMonth getDate getUTCDate getDay getUTCDay getHours getUTCHours getMinutes getUTCMinutes getSeconds getUTCSeconds getMilliseconds getUTCMilliseconds getTimezoneOffset setTime setMilliseconds setUTCMilliseconds setSeconds setUTCSeconds setMinutes setUTCMinutes setHours setUTCHours setDate setUTCDate setMonth setUTCMonth setFullYear setUTCFullYear toUTCString toISOString toJSON");
var WXS_REGEXP_METHODS = wxsSet_("exec test toString");
var WXS_REGEXP_FIELDS = wxsSet_("source global ignoreCase multiline lastIndex");

function wxsSet_(names) {
  var out = Object.create(null);
  names.split(" ").forEach(function (n) { out[n] = true; });
  return out;
}

function wxsCallExpr(e, scope) {
  var args = [];
  for (var i = 0; i < e.args.length; i++) args.push(wxsEval(e.args[i], scope));
  wxsStep(e.ln);
  if (e.f.k !== "mem") return wxsCall(wxsEval(e.f, scope), args);
  var o = wxsEval(e.f.o, scope), name = String(wxsEval(e.f.p, scope));
  return wxsCallMethod(o, name, args);
}

// wxsCallMethod calls o.name(args): a function stored in o, or a method of o's type.
function wxsCallMethod(o, name, args) {
  if (o === undefined || o === null) throw wxsError("cannot read property " + wxsShow(name) + " of " + o);
  if (isObject(o) && !Array.isArray(o) && !wxsIsFn(o) && hasOwn(o, name)) return wxsCall(o[name], args);
  var table = null, proto = null;
  if (typeof o === "string") { table = WXS_STRING_METHODS; proto = String.prototype; }
  else if (typeof o === "number") { table = WXS_NUMBER_METHODS; proto = Number.prototype; }
  else if (typeof o === "boolean") { table = { toString: true, valueOf: true }; proto = Boolean.prototype; }
  else if (Array.isArray(o)) { table = WXS_ARRAY_METHODS; proto = Array.prototype; }
  else if (o instanceof Date) { table = WXS_DATE_METHODS; proto = Date.prototype; }
  else if (o instanceof RegExp) { table = WXS_REGEXP_METHODS; proto = RegExp.prototype; }
  else if (isObject(o) && !wxsIsFn(o)) {
    if (name === "hasOwnProperty") return hasOwn(o, String(args[0]));
    if (name === "toString") return "[object Object]";
  }
  if (!table || !table[name]) throw wxsError(wxsType(o) + " has no method " + wxsShow(name));
  var result = proto[name].apply(o, wxsJSArgs(args));
  if (Array.isArray(o) && o.length > WXS_MAX_ARRAY) throw wxsError("array longer than " + WXS_MAX_ARRAY + " elements");
  return result === o ? result : wxsCheck(result); // push/sort grow o in place: bounded, not charged again
}

// wxsJSArgs turns WXS function tokens into JavaScript callbacks for library methods
// (map, sort, replace...); the callbacks run inside the current budget.
function wxsJSArgs(args) {
  return args.map(function (a) {
    if (!wxsIsFn(a)) return a;
    return function () { return wxsCall(a, Array.prototype.slice.call(arguments)); };
  });
}

// wxsCheck bounds what one operation made, and what the whole run has made, so that
// WXS cannot exhaust the page's memory within its step budget.
function wxsCheck(v) {
  var n = 0;
  if (typeof v === "string") {
    if (v.length > WXS_MAX_STRING) throw wxsError("string longer than " + WXS_MAX_STRING + " characters");
    n = v.length;
  } else if (Array.isArray(v)) {
    if (v.length > WXS_MAX_ARRAY) throw wxsError("array longer than " + WXS_MAX_ARRAY + " elements");
    n = v.length;
  }
  if (wxsRun && (wxsRun.made += n) > WXS_MAX_MADE) throw wxsError("made more than " + WXS_MAX_MADE + " characters and elements");
  return v;
}

// ---- the library

function wxsNamespace(src, names, consts) {
  var out = Object.create(null);
  names.split(" ").forEach(function (n) { if (n) out[n] = wxsNative(function () { return src[n].apply(src, arguments); }); });
  (consts || "").split(" ").forEach(function (n) { if (n) out[n] = src[n]; });
  return Object.freeze(out);
}

function wxsGetDate() {
  var a = arguments;
  switch (a.length) {
    case 0: return new Date();
    case 1: return new Date(a[0]);
    default: return new Date(a[0], a[1], a.length > 2 ? a[2] : 1, a[3] || 0, a[4] || 0, a[5] || 0, a[6] || 0);
  }
}

function wxsGetRegExp(pattern, flags) {
  if (flags !== undefined && !/^[gimsuy]*$/.test(String(flags))) throw wxsError("invalid regular expression flags " + wxsShow(flags));
  return new RegExp(String(pattern === undefined ? "" : pattern), flags === undefined ? "" : String(flags));
}

function wxsStringify(v, replacer, space) {
  var s = JSON.stringify(v, function (k, x) {
    if (wxsIsFn(x)) return undefined;
    return typeof replacer === "function" ? replacer(k, x) : x;
  }, space);
  return wxsCheck(s);
}

function wxsParse(text, reviver) {
  if (text === undefined) return undefined; // WeChat: JSON.parse(JSON.stringify()) is undefined
  return JSON.parse(String(text), function (k, x) {
    if (isUnsafeKey(k)) return undefined;
    return typeof reviver === "function" ? reviver(k, x) : x;
  });
}

var WXS_GLOBALS = (function () {
  var g = Object.create(null);
  g.Math = wxsNamespace(Math, "abs acos asin atan atan2 ceil cos exp floor log max min pow random round sin sqrt tan", "E LN10 LN2 LOG2E LOG10E PI SQRT1_2 SQRT2");
  g.JSON = Object.freeze(Object.assign(Object.create(null), { stringify: wxsNative(wxsStringify), parse: wxsNative(wxsParse) }));
  g.Number = wxsNamespace(Number, "", "MAX_VALUE MIN_VALUE NEGATIVE_INFINITY POSITIVE_INFINITY");
  g.Date = wxsNamespace(Date, "parse UTC now");
  g.console = Object.freeze(Object.assign(Object.create(null), {
    log: wxsNative(function () { try { console.log.apply(console, ["[wxs]"].concat(Array.prototype.slice.call(arguments))); } catch (e) { /* no console */ } })
  }));
  ["parseInt", "parseFloat", "isNaN", "isFinite", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent"].forEach(function (n) {
    var fn = globalThis[n];
    g[n] = wxsNative(function () { return fn.apply(null, arguments); });
  });
  g.getDate = wxsNative(wxsGetDate);
  g.getRegExp = wxsNative(wxsGetRegExp);
  g.NaN = NaN;
  g.Infinity = Infinity;
  return Object.freeze(g);
})();
