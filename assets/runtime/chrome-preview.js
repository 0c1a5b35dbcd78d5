// chrome-preview.js — ui previewImage {urls, current}: a full-window image viewer in
// the chrome's closed shadow root (the app's CSS cannot restyle or cover it). Bundle
// paths resolve from init.images (relative to the calling page), remote URLs through
// the shell's image scheme (the page never fetches them itself). Previous / next
// buttons and the arrow keys move through the list; the close button, Escape or a
// click on the backdrop close it.

var preview = null; // {el, img, count, urls, at, page}

function showPreview(op) {
  closePreview();
  var urls = Array.isArray(op.urls) ? op.urls.map(toText) : [];
  if (!urls.length) return;
  var page = state.pages[op.page || state.shown];
  var at = Math.max(0, urls.indexOf(toText(op.current)));
  var layer = htmlEl("div", "sf-preview");
  layer.setAttribute("role", "dialog");
  layer.setAttribute("aria-modal", "true");
  layer.tabIndex = -1;
  var img = htmlEl("img", "sf-preview-image");
  img.alt = "";
  img.draggable = false;
  var count = htmlEl("div", "sf-preview-count");
  var close = previewButton("sf-preview-close", "Close", "M6 6l12 12M18 6L6 18", closePreview);
  var prev = previewButton("sf-preview-prev", "Previous", "M15 5l-7 7 7 7", function () { previewGo(-1); });
  var next = previewButton("sf-preview-next", "Next", "M9 5l7 7-7 7", function () { previewGo(1); });
  [img, count, prev, next, close].forEach(function (el) { layer.appendChild(el); });
  layer.addEventListener("click", function (e) { if (e.target === layer) closePreview(); });
  layer.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); closePreview(); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); previewGo(-1); }
    else if (e.key === "ArrowRight") { e.preventDefault(); previewGo(1); }
  });
  shell.overlay.appendChild(layer);
  preview = { el: layer, img: img, count: count, prev: prev, next: next, urls: urls, at: at, file: page ? page.route : "" };
  previewShow();
  layer.focus();
}

function previewButton(cls, label, path, onClick) {
  var b = htmlEl("button", "sf-preview-button " + cls);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.appendChild(svgEl("svg", { viewBox: "0 0 24 24", width: "26", height: "26", "aria-hidden": "true" }))
    .appendChild(svgEl("path", { d: path, fill: "none", stroke: "currentColor", "stroke-width": "2.2", "stroke-linecap": "round", "stroke-linejoin": "round" }));
  b.addEventListener("click", function (e) { e.stopPropagation(); onClick(); });
  return b;
}

function previewGo(by) {
  if (!preview) return;
  var at = preview.at + by;
  if (at < 0 || at >= preview.urls.length) return;
  preview.at = at;
  previewShow();
}

function previewShow() {
  var p = preview, url = p.urls[p.at];
  var src = resolveImage(state.init && state.init.images, p.file, url) || remoteImage(currentAppID(), url);
  if (src) p.img.src = src; else p.img.removeAttribute("src");
  p.img.setAttribute("data-url", url);
  p.count.textContent = p.urls.length > 1 ? (p.at + 1) + " / " + p.urls.length : "";
  p.prev.hidden = p.at === 0;
  p.next.hidden = p.at === p.urls.length - 1;
}

function closePreview() {
  if (!preview) return;
  if (preview.el.parentNode) preview.el.parentNode.removeChild(preview.el);
  preview = null;
}
