// devtools.js — what DevTools' WXML panel asks the page (docs/devtools.md), as probe
// ops: "dev.tree" (the shown page's rendered tree, with component boundaries),
// "dev.inspect" (a node's classes and computed style) and "dev.highlight" (a box over
// the node in the page). A node is named by its path of child indexes from the page's
// root ("0.2.1"). The page answers probes only to a window whose gate accepts them
// (automation on, or `shell dev`'s DevTools).

var DEV_TREE_MAX = 2000;
var DEV_STYLES = ["display", "position", "box-sizing", "width", "height", "margin", "padding",
  "color", "background-color", "font-size", "font-weight", "line-height", "flex-direction",
  "justify-content", "align-items", "border", "border-radius", "opacity", "visibility"];

function devRoot() {
  var page = state.pages[state.shown];
  if (!page) throw new Error("no page is shown");
  return page.root;
}

function devNode(path) {
  var el = devRoot();
  var parts = String(path || "").split(".").filter(function (s) { return s !== ""; });
  for (var i = 0; i < parts.length; i++) {
    el = el.children[Number(parts[i])];
    if (!el) throw new Error("no node at " + path);
  }
  return el;
}

function devTree() {
  var count = 0;
  function walk(el, path) {
    count++;
    var v = el.__sfNode;
    var n = { path: path, tag: v ? v.tag : el.localName };
    if (el.id) n.id = el.id;
    var cls = el.getAttribute("class");
    if (cls) n["class"] = cls;
    var comp = el.getAttribute("data-sf-comp");
    if (comp) { n.component = comp; if (el.__sfInst) n.instance = el.__sfInst.id; }
    if (el.getAttribute("data-page")) { n.page = el.getAttribute("data-page"); n.route = el.getAttribute("data-route"); }
    if (!el.children.length) {
      var text = (el.textContent || "").trim();
      if (text) n.text = text.length > 80 ? text.slice(0, 80) + "…" : text;
    }
    var kids = [];
    for (var i = 0; i < el.children.length && count < DEV_TREE_MAX; i++) {
      kids.push(walk(el.children[i], path === "" ? String(i) : path + "." + i));
    }
    if (kids.length) n.children = kids;
    return n;
  }
  return walk(devRoot(), "");
}

function devInspect(path) {
  var el = devNode(path), cs = getComputedStyle(el), style = {};
  DEV_STYLES.forEach(function (p) { style[p] = cs.getPropertyValue(p).trim(); });
  var r = el.getBoundingClientRect();
  var v = el.__sfNode;
  return {
    path: path, tag: v ? v.tag : el.localName, classes: Array.prototype.slice.call(el.classList),
    component: el.getAttribute("data-sf-comp") || "", style: style,
    box: { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) }
  };
}

var devBox = null;

function devHighlight(path) {
  if (devBox) { devBox.remove(); devBox = null; }
  if (path === "-") return null;
  var el = devNode(path), r = el.getBoundingClientRect();
  devBox = document.createElement("div");
  devBox.setAttribute("data-sf-devtools", "highlight");
  var s = devBox.style;
  s.position = "fixed"; s.left = r.left + "px"; s.top = r.top + "px";
  s.width = r.width + "px"; s.height = r.height + "px"; s.zIndex = "2147483647";
  s.pointerEvents = "none"; s.background = "rgba(64,128,255,0.25)"; s.outline = "2px solid rgb(64,128,255)";
  document.documentElement.appendChild(devBox);
  return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
}

// devProbe answers a dev.* op and returns true, or returns false for any other op.
function devProbe(p, done) {
  switch (p.op) {
    case "dev.tree": done(devTree()); return true;
    case "dev.inspect": done(devInspect(toText(p.selector))); return true;
    case "dev.highlight": done(devHighlight(toText(p.selector))); return true;
  }
  return false;
}
