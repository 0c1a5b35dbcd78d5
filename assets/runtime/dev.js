// dev.js — `shell dev`'s ui ops (docs/dev.md): devStyles swaps the app's compiled WXSS
// into the running page without a reload (op.content: {"css", "pages": {route: css},
// "components": {path: css}}, as init carries them); devOverlay shows a compile error
// over the page (op.text; "" takes it away). Only the dev host sends them.

function devStyles(op) {
  var s = JSON.parse(op.content || "{}");
  var init = state.init;
  if (!init) return;
  if (typeof s.css === "string") init.css = s.css;
  Object.keys(s.pages || {}).forEach(function (route) {
    if (init.pages && init.pages[route]) init.pages[route].css = s.pages[route];
  });
  Object.keys(s.components || {}).forEach(function (path) {
    if (init.components && init.components[path]) init.components[path].css = s.components[path];
  });
  applyStyles(init);
}

function devOverlay(op) {
  var root = shell ? shell.root : document.body;
  var el = root && root.querySelector("#sf-dev-overlay");
  if (!op.text) {
    if (el) el.parentNode.removeChild(el);
    return;
  }
  if (!el) {
    el = document.createElement("div");
    el.id = "sf-dev-overlay";
    el.setAttribute("role", "alert");
    el.style.cssText = "position:fixed;left:0;top:0;right:0;bottom:0;z-index:2147483647;overflow:auto;" +
      "box-sizing:border-box;padding:16px;background:rgba(40,0,0,.92);color:#fff;" +
      "font:13px/1.5 monospace;white-space:pre-wrap;pointer-events:auto";
    root.appendChild(el);
  }
  el.textContent = op.text;
}
