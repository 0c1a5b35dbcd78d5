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
    // A panel over the top of the page: the last good version below stays usable, and
    // a click puts the panel away until the next error.
    el.style.cssText = "position:fixed;left:0;top:0;right:0;max-height:50%;z-index:2147483647;overflow:auto;" +
      "box-sizing:border-box;padding:16px;background:rgba(60,0,0,.94);color:#fff;" +
      "font:13px/1.5 monospace;white-space:pre-wrap;box-shadow:0 2px 12px rgba(0,0,0,.4)";
    el.addEventListener("click", function () { if (el.parentNode) el.parentNode.removeChild(el); });
    root.appendChild(el);
  }
  el.textContent = op.text;
}
