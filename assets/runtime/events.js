// events.js — WeChat's event model over the DOM. A bubbling event (tap, longpress,
// touch*) walks the template elements from where it started up to the page: capture
// handlers top-down first, then bind/catch bottom-up; catch stops it, capture-catch
// stops everything, and after one mut-bind handler the others are skipped. Each
// handler belongs to the OWNER of the template that bound it (the page or a component
// instance); its event.target is retargeted to the element of that owner's template
// the event came through, as WeChat does at component boundaries. Component events
// (input, change, submit…) do not bubble.

// TOUCH_TYPES are the DOM-level events a custom component's host element can bind.
var TOUCH_TYPES = { tap: true, longpress: true, longtap: true, touchstart: true, touchmove: true, touchend: true, touchcancel: true };

// templatePath lists the template elements from el up to (not including) its page.
function templatePath(el) {
  var path = [];
  for (var n = el; n && n.nodeType === 1 && n.localName !== "page"; n = n.parentNode) {
    if (n.__sfNode) path.push(n);
  }
  return n && n.localName === "page" ? path : [];
}

function handlersOf(el, type) {
  var v = el.__sfNode;
  if (!v || !v.events) return [];
  if (v.t === "comp" && !TOUCH_TYPES[type]) return []; // custom events go through logic
  return v.events.filter(function (e) { return e.type === type; });
}

// mergedMarks merges mark:* along the path; a child's mark wins over its ancestor's.
function mergedMarks(path) {
  var mark = {};
  for (var i = path.length - 1; i >= 0; i--) {
    var m = path[i].__sfNode.marks || {};
    Object.keys(m).forEach(function (k) { mark[k] = m[k]; });
  }
  return mark;
}

function targetInfo(el) {
  var v = el.__sfNode;
  return { id: v.attrs && v.attrs.id !== undefined && v.attrs.id !== null ? toText(v.attrs.id) : "", dataset: v.dataset || {} };
}

// dispatchBubbling delivers a bubbling event that started at el. It returns how many
// handlers ran, so a longpress can suppress the following tap.
function dispatchBubbling(type, el, detail, timeStamp) {
  var path = templatePath(el);
  if (!path.length) return 0;
  var mark = mergedMarks(path), ran = 0, mutDone = false;
  function run(host, binding) {
    if (binding.mut) { if (mutDone) return; mutDone = true; }
    sendHandler(path, host, binding, type, detail, mark, timeStamp);
    ran++;
  }
  for (var i = path.length - 1; i >= 0; i--) {
    var caps = handlersOf(path[i], type).filter(function (b) { return b.capture; });
    for (var c = 0; c < caps.length; c++) {
      run(path[i], caps[c]);
      if (caps[c]["catch"]) return ran;
    }
  }
  for (var j = 0; j < path.length; j++) {
    var binds = handlersOf(path[j], type).filter(function (b) { return !b.capture; });
    var stop = false;
    binds.forEach(function (b) { run(path[j], b); if (b["catch"]) stop = true; });
    if (stop) break;
  }
  return ran;
}

// emitComponentEvent delivers a non-bubbling event of a built-in component to the
// handlers bound on that element itself.
function emitComponentEvent(el, type, detail) {
  if (!el.__sfNode) return 0;
  var path = templatePath(el);
  var bindings = handlersOf(el, type);
  bindings.forEach(function (b) { sendHandler([el], el, b, type, detail, mergedMarks(path.length ? path : [el]), now()); });
  return bindings.length;
}

function sendHandler(path, host, binding, type, detail, mark, timeStamp) {
  var owner = host.__sfNode.owner;
  var target = path.find(function (n) { return n.__sfNode.owner === owner; }) || host;
  var evt = { type: type, timeStamp: timeStamp, target: targetInfo(target), currentTarget: targetInfo(host) };
  if (detail !== undefined && !(isObject(detail) && Object.keys(detail).length === 0)) evt.detail = detail;
  if (Object.keys(mark).length) evt.mark = mark;
  if (touchAt && /^touch/.test(type)) touchLists(evt, type, path[0]);
  // A page names itself: the host refuses an event from a page no longer in front.
  post("event", { target: owner, handler: binding.handler, event: evt });
}

// postModel reports a two-way binding's write: the owner's data key takes value
// (docs/protocol.md, "model"). ownerId is a page or component instance id.
function postModel(ownerId, key, value) {
  // The host accepts a page only while it is in front, and components of that page
  // only: a write for an owner on a hidden page (a component's timer there) is left
  // out rather than sent to the wrong page.
  var owner = ownerOf(ownerId);
  if (!owner || (owner.kind === "page" ? owner.id : owner.page) !== state.shown) {
    reportError("model " + key, new Error("owner " + ownerId + " is not on the page in front; its data is not updated"));
    return;
  }
  post("model", { target: ownerId, key: key, value: value === undefined ? null : value });
}

// modelWrite is what a built-in control does when the user changes attr: if the
// element binds attr with model:, its owner's key takes the value, before the
// control's own event is sent (as in WeChat, a bindinput handler sees the new data).
function modelWrite(el, attr, value) {
  var v = el.__sfNode;
  if (!v || !v.model || !hasOwn(v.model, attr)) return;
  var sent = el.__sfModelSent || (el.__sfModelSent = []);
  sent.push(value);
  if (sent.length > 32) sent.shift();
  postModel(v.owner, v.model[attr], value);
}

// modelEcho reports whether value is a write this element sent and its owner now
// renders back: the control already shows it, or newer writes are on their way, so
// rewriting it could undo what the user typed meanwhile.
function modelEcho(el, value) {
  var sent = el.__sfModelSent, i = sent ? sent.indexOf(value) : -1;
  if (i < 0) return false;
  sent.splice(0, i + 1);
  return true;
}

// sendHostEvent asks the host to act for shell-owned UI (navigation, tabs, modals).
function sendHostEvent(handler, detail, el) {
  var info = el && el.__sfNode ? targetInfo(el) : { id: "", dataset: {} };
  post("event", { target: "host", handler: handler, event: { type: "tap", timeStamp: now(), detail: detail, target: info, currentTarget: info } });
}

function now() { return Math.round(performance.now() * 10) / 10; }

// pagePoint is a pointer position in the coordinates of the page's content (WeChat's
// detail.x/y), for an event at client position (cx, cy) inside el's page.
function pagePoint(el, cx, cy) {
  var page = el.closest ? el.closest("page") : null;
  if (!page) return { x: Math.round(cx), y: Math.round(cy) };
  var r = page.getBoundingClientRect();
  return { x: Math.round(cx - r.left + page.scrollLeft), y: Math.round(cy - r.top + page.scrollTop) };
}

// touchLists adds WeChat's touches and changedTouches to a touch event (one pointer:
// identifier 0); on a <canvas> each touch also has x/y in the canvas's CSS pixels.
function touchLists(evt, type, el) {
  var p = pagePoint(el, touchAt.cx, touchAt.cy);
  var t = { identifier: 0, pageX: p.x, pageY: p.y, clientX: Math.round(touchAt.cx), clientY: Math.round(touchAt.cy) };
  if (el.__sfCanvas) {
    var r = el.getBoundingClientRect();
    t.x = Math.round(touchAt.cx - r.left);
    t.y = Math.round(touchAt.cy - r.top);
  }
  evt.changedTouches = [t];
  evt.touches = type === "touchend" || type === "touchcancel" ? [] : [t];
}
