// util.js — small helpers shared by every part of the runtime. Pure: no DOM.

var hasOwn = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

function isObject(v) { return v !== null && typeof v === "object"; }

// isUnsafeKey guards against prototype pollution when keys come from messages.
function isUnsafeKey(k) { return k === "__proto__" || k === "constructor" || k === "prototype"; }

// toText turns any data value into display text, as WXML does for {{…}} in text.
function toText(v) {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") {
    try { return JSON.stringify(v); } catch (e) { return ""; }
  }
  return String(v);
}

// camelToKebab turns a dataset key back into its attribute form (itemId → item-id).
function camelToKebab(s) { return s.replace(/[A-Z]/g, function (c) { return "-" + c.toLowerCase(); }); }

// kebabToCamel turns an attribute name into a property name (my-prop → myProp).
function kebabToCamel(s) { return s.replace(/-([a-z])/g, function (_, c) { return c.toUpperCase(); }); }

// deepEqual compares JSON-shaped values.
function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return a !== a && b !== b; // NaN
  if (!isObject(a) || !isObject(b)) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  var ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (var i = 0; i < ka.length; i++) {
    if (!hasOwn(b, ka[i]) || !deepEqual(a[ka[i]], b[ka[i]])) return false;
  }
  return true;
}

// cloneJSON copies a JSON-shaped value so later mutation of data cannot leak into it.
function cloneJSON(v) {
  if (!isObject(v)) return v;
  if (Array.isArray(v)) return v.map(cloneJSON);
  var out = {};
  Object.keys(v).forEach(function (k) { if (!isUnsafeKey(k)) out[k] = cloneJSON(v[k]); });
  return out;
}

// reportError logs a failure without letting it escape: one broken part must not stop the rest.
function reportError(where, err) {
  try { console.error("[sandframe] " + where + ": " + (err && err.stack ? err.stack : err)); } catch (e) { /* no console */ }
}
