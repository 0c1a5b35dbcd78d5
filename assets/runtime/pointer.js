// pointer.js — turns pointer and click events in the pages into WeChat's touch events:
// touchstart/touchmove/touchend/touchcancel, longpress after 350 ms of holding (which,
// when a handler ran, swallows the tap that would follow), tap on click, hover-class
// while pressed, and the activation of built-in components (checkbox, switch, button
// form-type, navigator, label) on click.

var LONGPRESS_MS = 350;
var MOVE_SLOP = 10; // px a press may wander and still be a tap or a longpress

var press = null;       // the press in progress
var swallowClick = false; // the next click belongs to a longpress that a handler took
var pendingMove = null; // touchmove coalesced to one per frame

function eventElement(e) {
  var t = e.target;
  return t && t.nodeType === 1 ? t : (t && t.parentElement) || null;
}

function installPointer(root) {
  root.addEventListener("pointerdown", onPointerDown);
  root.addEventListener("pointermove", onPointerMove);
  root.addEventListener("pointerup", onPointerUp);
  root.addEventListener("pointercancel", onPointerCancel);
  root.addEventListener("click", onClick);
}

function onPointerDown(e) {
  if (e.button !== 0 || !e.isPrimary) return;
  var el = eventElement(e);
  if (!el || !templatePath(el).length) return;
  endPress();
  swallowClick = false;
  press = { el: el, x: e.clientX, y: e.clientY, timer: 0, hover: startHover(el) };
  dispatchTouch("touchstart", el, e.clientX, e.clientY);
  var p = press;
  p.timer = setTimeout(function () {
    if (press !== p) return;
    p.timer = 0;
    var ran = dispatchBubbling("longpress", p.el, pagePoint(p.el, p.x, p.y), now());
    ran += dispatchBubbling("longtap", p.el, pagePoint(p.el, p.x, p.y), now());
    if (ran) swallowClick = true;
  }, LONGPRESS_MS);
}

function onPointerMove(e) {
  if (!press || !e.isPrimary) return;
  if (Math.abs(e.clientX - press.x) > MOVE_SLOP || Math.abs(e.clientY - press.y) > MOVE_SLOP) {
    if (press.timer) { clearTimeout(press.timer); press.timer = 0; }
    stopHover(press.hover, 0);
  }
  var p = press;
  if (pendingMove) { pendingMove.cx = e.clientX; pendingMove.cy = e.clientY; return; }
  pendingMove = { cx: e.clientX, cy: e.clientY };
  requestAnimationFrame(function () {
    var m = pendingMove;
    pendingMove = null;
    if (m) dispatchTouch("touchmove", p.el, m.cx, m.cy);
  });
}

function onPointerUp(e) {
  if (!press || !e.isPrimary) return;
  var p = press;
  endPress();
  dispatchTouch("touchend", p.el, e.clientX, e.clientY);
}

function onPointerCancel(e) {
  if (!press || !e.isPrimary) return;
  var p = press;
  endPress();
  swallowClick = false;
  dispatchTouch("touchcancel", p.el, e.clientX, e.clientY);
}

// dispatchTouch sends a touch event whose touches/changedTouches (events.js
// touchLists) are at client position (cx, cy).
var touchAt = null;
function dispatchTouch(type, el, cx, cy) {
  touchAt = { cx: cx, cy: cy };
  try { dispatchBubbling(type, el, pagePoint(el, cx, cy), now()); } finally { touchAt = null; }
}

function endPress() {
  if (!press) return;
  if (press.timer) clearTimeout(press.timer);
  stopHover(press.hover, -1);
  press = null;
}

function onClick(e) {
  var el = eventElement(e);
  if (!el || !templatePath(el).length) return;
  if (el.closest("label")) e.preventDefault(); // our label logic replaces the native one
  if (swallowClick) { swallowClick = false; return; }
  var cx = e.clientX, cy = e.clientY;
  if (!e.detail && cx === 0 && cy === 0) { // keyboard activation: use the element's centre
    var r = el.getBoundingClientRect();
    cx = r.left + r.width / 2; cy = r.top + r.height / 2;
  }
  dispatchBubbling("tap", el, pagePoint(el, cx, cy), now());
  activate(el, e);
}

// activate runs the built-in behaviour of the nearest element that takes the click
// (activate returns true); a button without form-type inside a navigator lets it go on.
function activate(el, e) {
  for (var n = el; n && n.localName !== "page"; n = n.parentElement) {
    var v = n.__sfNode, b = v && v.t === "el" ? behaviourOf(v.tag) : null, took = false;
    if (b && b.activate) guard(v, function () { took = b.activate(n, e); });
    if (took) return;
  }
}

// startHover applies hover-class (after hover-start-time) to the nearest element that
// has one; button and navigator have a default class.
var HOVER_DEFAULTS = { button: ["button-hover", 20, 70], navigator: ["navigator-hover", 50, 600] };

function startHover(el) {
  for (var n = el; n && n.localName !== "page"; n = n.parentElement) {
    var v = n.__sfNode;
    if (!v || v.t !== "el") continue;
    var def = HOVER_DEFAULTS[v.tag] || ["none", 50, 400];
    var cls = v.attrs["hover-class"] !== undefined ? toText(v.attrs["hover-class"]) : def[0];
    if (cls === "none" || cls === "" ) { if (v.attrs["hover-stop-propagation"]) return null; continue; }
    if (v.attrs.disabled) return null;
    var h = { el: n, cls: cls.split(/\s+/).filter(Boolean), stay: numberAttr(v.attrs["hover-stay-time"], def[2]), on: false, timer: 0 };
    h.timer = setTimeout(function () { h.on = true; h.cls.forEach(function (c) { h.el.classList.add(c); }); }, numberAttr(v.attrs["hover-start-time"], def[1]));
    return h;
  }
  return null;
}

// stopHover removes the hover class: at once (delay 0) when the press moved away,
// after hover-stay-time (delay -1) when it ended.
function stopHover(h, delay) {
  if (!h) return;
  clearTimeout(h.timer);
  var off = function () { h.cls.forEach(function (c) { h.el.classList.remove(c); }); };
  if (!h.on) { if (delay < 0) { h.cls.forEach(function (c) { h.el.classList.add(c); }); setTimeout(off, h.stay); } return; }
  if (delay === 0) off(); else setTimeout(off, h.stay);
}

function numberAttr(v, fallback) { var n = Number(v); return v !== undefined && n === n ? n : fallback; }
