// value.js — renders the VALUEs of docs/template.md (attribute values and text).

// renderValue returns a VALUE's result: static text as is, a lone {{x}} with its own
// type, and mixed text joined as a string (undefined/null → "", objects → JSON).
function renderValue(v, lookup) {
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (!isObject(v)) throw new Error("value is not a string or object");
  if (hasOwn(v, "x")) return evalExpr(v.x, lookup);
  if (Array.isArray(v.cat)) {
    var s = "";
    for (var i = 0; i < v.cat.length; i++) {
      var part = v.cat[i];
      s += typeof part === "string" ? part : toText(evalExpr(part, lookup));
    }
    return s;
  }
  throw new Error("value has neither x nor cat");
}

// valueNames lists the identifiers a VALUE reads.
function valueNames(v) {
  var out = [];
  if (!isObject(v)) return out;
  if (hasOwn(v, "x")) return exprNames(v.x, out);
  (v.cat || []).forEach(function (p) { if (typeof p !== "string") exprNames(p, out); });
  return out;
}

// attrText is how a rendered value is written into a DOM attribute; null means
// "no attribute" (false, null, undefined), true is a present empty attribute.
function attrText(v) {
  if (v === false || v === undefined || v === null) return null;
  if (v === true) return "";
  return toText(v);
}
