// json.js — an expandable JSON tree (console arguments, AppData, details).

function jsonLeaf(v) {
  if (v === null) return h("span", { class: "jt-null" }, "null");
  switch (typeof v) {
    case "string": return h("span", { class: "jt-str" }, JSON.stringify(v));
    case "number": return h("span", { class: "jt-num" }, String(v));
    case "boolean": return h("span", { class: "jt-bool" }, String(v));
  }
  return h("span", null, String(v));
}

function jsonPreview(v) {
  if (Array.isArray(v)) return "Array(" + v.length + ")";
  var keys = Object.keys(v);
  return "{" + keys.slice(0, 4).join(", ") + (keys.length > 4 ? ", …" : "") + "}";
}

// jsonTree renders v; onLeaf(path, v, el), when given, decorates leaves (AppData edits).
function jsonTree(v, name, path, open, onLeaf) {
  var label = name == null ? null : h("span", { class: "jt-key" }, name + ": ");
  if (v === null || typeof v !== "object") {
    var leaf = jsonLeaf(v);
    var row = h("div", { class: "jt-row", "data-path": path || "" }, label, leaf);
    if (onLeaf) onLeaf(path, v, row);
    return row;
  }
  var d = h("details", { class: "jt-row", "data-path": path || "" });
  if (open) d.open = true;
  d.appendChild(h("summary", null, label, h("span", { class: "muted" }, jsonPreview(v))));
  var body = h("div", { class: "jt" });
  var keys = Array.isArray(v) ? v.map(function (_, i) { return i; }) : Object.keys(v);
  keys.slice(0, 500).forEach(function (k) {
    var sub = Array.isArray(v) ? (path || "") + "[" + k + "]" : (path ? path + "." + k : String(k));
    body.appendChild(jsonTree(v[k], String(k), sub, false, onLeaf));
  });
  if (keys.length > 500) body.appendChild(h("div", { class: "jt-row muted" }, "… " + (keys.length - 500) + " more"));
  d.appendChild(body);
  return d;
}
