// patch.js — brings the DOM from an old virtual tree to a new one. Children are matched
// by key (keyed.js): a reused child keeps its DOM node and is moved only when it is out
// of order, so focus, caret and scroll survive. rc is the render context {page}: the
// page the nodes live in, whose id component instances record.

var afterPatch = [];

// whenPatched runs fn once the current batch of patches is in the document (focus,
// scroll positions and other things that need a connected element).
function whenPatched(fn) { afterPatch.push(fn); }

function runAfterPatch() {
  var fns = afterPatch;
  afterPatch = [];
  fns.forEach(function (fn) { try { fn(); } catch (err) { reportError("after patch", err); } });
}

function sameKind(a, b) { return a.t === b.t && a.tag === b.tag && a.is === b.is; }

function patchChildren(parent, oldList, newList, rc) {
  if (patchInPlace(oldList, newList, rc)) return;
  var plan = planChildren(oldList.map(vkey), newList.map(vkey));
  plan.removed.forEach(function (j) { removeNode(oldList[j]); });
  var nodes = newList.map(function (v, i) {
    var j = plan.source[i];
    if (j >= 0 && sameKind(oldList[j], v)) {
      patchNode(oldList[j], v, rc);
      return v.dom;
    }
    if (j >= 0) removeNode(oldList[j]);
    plan.stay[i] = false;
    return createNode(v, rc);
  });
  placeChildren(plan, nodes, function (node, ref) { parent.insertBefore(node, ref); });
  reportMoved(plan, newList);
}

function vkey(v) { return v.key; }

// patchInPlace is patchChildren's common case without a plan: the same keys in the
// same order, each of the same kind (what planChildren would match one to one, with
// nothing removed, created or moved). False, having changed nothing, otherwise.
function patchInPlace(oldList, newList, rc) {
  var n = newList.length;
  if (oldList.length !== n) return false;
  for (var i = 0; i < n; i++) {
    var o = oldList[i], v = newList[i];
    if (o !== v && (o.key !== v.key || !sameKind(o, v))) return false;
  }
  for (var j = 0; j < n; j++) patchNode(oldList[j], newList[j], rc);
  return true;
}

// createNode makes the DOM for a vnode (and everything under it).
function createNode(v, rc) {
  if (v.t === "text") { v.dom = document.createTextNode(v.text); return v.dom; }
  if (v.t === "comp") return mountComponent(v, rc);
  var el = createElementFor(v.tag), b = behaviourOf(v.tag);
  v.dom = el;
  el.__sfNode = v;
  if (b && b.create) guard(v, function () { b.create(el, v, rc); });
  applyAttrs(el, v, null, b && b.own);
  patchChildren(el, [], v.children, rc);
  if (b && b.update) guard(v, function () { b.update(el, v, null, rc); });
  return el;
}

function patchNode(old, v, rc) {
  if (old === v) return;
  if (v.t === "text") {
    v.dom = old.dom;
    if (old.text !== v.text) v.dom.data = v.text;
    return;
  }
  if (v.t === "comp") { updateComponent(old, v, rc); return; }
  var el = old.dom, b = behaviourOf(v.tag);
  v.dom = el;
  el.__sfNode = v;
  applyAttrs(el, v, old, b && b.own);
  patchChildren(el, old.children, v.children, rc);
  if (b && b.update) guard(v, function () { b.update(el, v, old, rc); });
}

// removeNode takes a vnode's DOM out and ends the component instances inside it.
function removeNode(v) {
  if (v.dom && v.dom.parentNode) v.dom.parentNode.removeChild(v.dom);
  forEachComponent(v, destroyComponent);
}

function forEachComponent(v, fn) {
  if (v.t === "comp") { if (v.inst) fn(v.inst); return; }
  (v.children || []).forEach(function (c) { forEachComponent(c, fn); });
}

// guard runs a built-in behaviour so that its failure costs one element, not the page.
function guard(v, fn) {
  try { fn(); } catch (err) { reportError("<" + v.tag + "> behaviour", err); }
}

// keepFocus runs fn (which may move nodes) and then gives focus and caret back to the
// control that had them, without telling logic about a blur/focus the user never did.
var restoringFocus = false;
function keepFocus(fn) {
  var el = document.activeElement, start = null, end = null;
  if (el && (el.localName === "input" || el.localName === "textarea")) {
    try { start = el.selectionStart; end = el.selectionEnd; } catch (e) { /* no selection API */ }
  }
  try { fn(); } finally {
    if (el && el !== document.body && el.isConnected && document.activeElement !== el) {
      restoringFocus = true;
      try {
        el.focus({ preventScroll: true });
        if (start !== null) el.setSelectionRange(start, end);
      } catch (e) { /* element cannot take focus any more */ }
      restoringFocus = false;
    }
  }
}
