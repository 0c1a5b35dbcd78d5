// ctl-movable.js — <movable-area>/<movable-view>: a view dragged inside its area by a
// pointer (touch, mouse or pen). Attributes as WeChat: direction (none, all,
// horizontal, vertical; default none), inertia, out-of-bounds, x, y (px or rpx),
// damping (20), friction (2), disabled, scale, scale-min (0.1), scale-max (10),
// scale-value (1), animation (true). Events: change {x, y, source} with source "touch",
// "touch-out-of-bounds", "out-of-bounds" (the spring back), "friction" (inertia) or ""
// (a data change of x/y); scale {x, y, scale} (ctrl + wheel, a touchpad pinch, when
// scale is set); htouchmove/vtouchmove on the first move of a drag along that axis.
// The area's scale-area (pinching the area) is not supported.

function movableNumber(v, fallback) {
  if (typeof v === "number" && isFinite(v)) return v;
  var m = /^\s*(-?\d*\.?\d+)\s*(px|rpx)?\s*$/.exec(toText(v));
  if (!m) return fallback;
  return m[2] === "rpx" ? parseFloat(m[1]) * state.rpx : parseFloat(m[1]);
}

function movableState(el) {
  return el.__sfMV || (el.__sfMV = { x: 0, y: 0, scale: 1, drag: null, suppressClick: false, timer: 0 });
}

function movableBoundsOf(el) {
  var s = movableState(el), area = el.parentElement;
  var aw = area ? area.clientWidth : 0, ah = area ? area.clientHeight : 0;
  // Not laid out yet (a hidden page): nothing to clamp against.
  if (!aw && !ah) return { x: { min: -Infinity, max: Infinity }, y: { min: -Infinity, max: Infinity } };
  return movableBounds({ width: aw, height: ah }, { width: el.offsetWidth, height: el.offsetHeight }, s.scale);
}

// movablePlace draws the view at its state, with a transition of ms (0: at once).
function movablePlace(el, ms) {
  var s = movableState(el);
  el.style.transition = ms > 0 ? "transform " + ms + "ms cubic-bezier(0.25, 0.8, 0.3, 1)" : "none";
  // x/y name the top-left corner (transform-origin 0 0 in base.css), scaled or not.
  el.style.transform = "translate(" + s.x + "px, " + s.y + "px) scale(" + s.scale + ")";
}

function movableEmit(el, source) {
  var s = movableState(el);
  emitComponentEvent(el, "change", { x: round2(s.x), y: round2(s.y), source: source });
}

function round2(n) { return Math.round(n * 100) / 100; }

function movableDirection(a) {
  var d = toText(a.direction);
  return d === "all" || d === "horizontal" || d === "vertical" ? d : "none";
}

// movableSettle ends a drag: an inertial glide (friction), then the spring back inside
// the area when out of bounds.
function movableSettle(el, vx, vy) {
  var s = movableState(el), a = el.__sfNode.attrs, b = movableBoundsOf(el);
  var dir = movableDirection(a), steps = [];
  if (a.inertia && (vx || vy)) {
    var f = numberAttr(a.friction, 2);
    var to = { x: s.x + (dir === "vertical" ? 0 : movableGlide(vx, f)), y: s.y + (dir === "horizontal" ? 0 : movableGlide(vy, f)) };
    to = movableClamp(to, b, false);
    if (Math.abs(to.x - s.x) >= 1 || Math.abs(to.y - s.y) >= 1) steps.push({ pos: to, source: "friction", ms: 400 });
  }
  var inside = movableClamp({ x: s.x, y: s.y }, b, false);
  if (!steps.length && (inside.x !== s.x || inside.y !== s.y)) {
    var damping = Math.max(1, numberAttr(a.damping, 20));
    steps.push({ pos: inside, source: "out-of-bounds", ms: Math.round(Math.min(800, Math.max(150, 4000 / damping))) });
  }
  function next() {
    var st = steps.shift();
    if (!st || !el.isConnected) return;
    s.x = st.pos.x;
    s.y = st.pos.y;
    movablePlace(el, st.ms);
    clearTimeout(s.timer);
    s.timer = setTimeout(function () { movableEmit(el, st.source); next(); }, st.ms);
  }
  next();
}

BUILTINS["movable-area"] = {};

BUILTINS["movable-view"] = {
  own: { x: true, y: true },
  create: function (el) {
    var s = movableState(el);
    el.addEventListener("pointerdown", function (e) {
      var a = el.__sfNode.attrs, dir = movableDirection(a);
      if (e.button !== 0 || !e.isPrimary || a.disabled || dir === "none") return;
      e.stopPropagation(); // an outer movable-view or swiper does not move with it
      clearTimeout(s.timer);
      movablePlace(el, 0);
      s.drag = { id: e.pointerId, cx: e.clientX, cy: e.clientY, x: s.x, y: s.y, moved: false, t0: now(), last: { x: e.clientX, y: e.clientY, t: now() }, vx: 0, vy: 0 };
      s.suppressClick = false;
    });
    el.addEventListener("pointermove", function (e) {
      var d = s.drag;
      if (!d || e.pointerId !== d.id) return;
      var a = el.__sfNode.attrs, dir = movableDirection(a);
      var dx = e.clientX - d.cx, dy = e.clientY - d.cy;
      if (!d.moved) {
        if (Math.abs(dx) < 3 && Math.abs(dy) < 3) return;
        d.moved = true;
        try { el.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
        emitComponentEvent(el, Math.abs(dx) >= Math.abs(dy) ? "htouchmove" : "vtouchmove", pagePoint(el, e.clientX, e.clientY));
      }
      var want = { x: dir === "vertical" ? d.x : d.x + dx, y: dir === "horizontal" ? d.y : d.y + dy };
      var b = movableBoundsOf(el), pos = movableClamp(want, b, !!a["out-of-bounds"]);
      var t = now();
      if (t > d.last.t) {
        d.vx = (e.clientX - d.last.x) / (t - d.last.t);
        d.vy = (e.clientY - d.last.y) / (t - d.last.t);
        d.last = { x: e.clientX, y: e.clientY, t: t };
      }
      if (pos.x === s.x && pos.y === s.y) return;
      s.x = pos.x;
      s.y = pos.y;
      movablePlace(el, 0);
      var inside = movableClamp(pos, b, false);
      movableEmit(el, inside.x !== pos.x || inside.y !== pos.y ? "touch-out-of-bounds" : "touch");
    });
    function release(e) {
      var d = s.drag;
      if (!d || e.pointerId !== d.id) return;
      s.drag = null;
      if (!d.moved) return;
      s.suppressClick = true;
      // A throw: the last moves' speed, capped, for a drag that lasted a person's while
      // (an instant drag, as automation makes, just places the view).
      var cap = 3, thrown = now() - d.t0 >= 60 && now() - d.last.t < 100;
      movableSettle(el, thrown ? Math.max(-cap, Math.min(cap, d.vx)) : 0, thrown ? Math.max(-cap, Math.min(cap, d.vy)) : 0);
    }
    el.addEventListener("pointerup", release);
    el.addEventListener("pointercancel", release);
    el.addEventListener("click", function (e) {
      if (s.suppressClick) { s.suppressClick = false; e.stopPropagation(); e.preventDefault(); }
    }, true);
    el.addEventListener("dragstart", function (e) { e.preventDefault(); });
    el.addEventListener("wheel", function (e) {
      var a = el.__sfNode.attrs;
      if (!a.scale || a.disabled || !e.ctrlKey) return;
      e.preventDefault();
      var min = numberAttr(a["scale-min"], 0.1), max = numberAttr(a["scale-max"], 10);
      var next = Math.min(max, Math.max(min, s.scale * Math.exp(-e.deltaY / 300)));
      if (next === s.scale) return;
      s.scale = Math.round(next * 1000) / 1000;
      var pos = movableClamp({ x: s.x, y: s.y }, movableBoundsOf(el), false);
      s.x = pos.x;
      s.y = pos.y;
      movablePlace(el, 0);
      emitComponentEvent(el, "scale", { x: round2(s.x), y: round2(s.y), scale: s.scale });
    }, { passive: false });
  },
  update: function (el, v, old) {
    var s = movableState(el), a = v.attrs, p = old ? old.attrs : {};
    flagAttr(el, "disabled", a.disabled ? "" : null);
    var setX = !old || v.fresh.x || a.x !== p.x, setY = !old || v.fresh.y || a.y !== p.y;
    var setScale = a.scale && (!old || a["scale-value"] !== p["scale-value"]);
    if (!setX && !setY && !setScale) return;
    var animate = old && a.animation !== false;
    whenPatched(function () {
      if (!el.isConnected || s.drag) return;
      if (setScale) {
        var min = numberAttr(a["scale-min"], 0.1), max = numberAttr(a["scale-max"], 10);
        s.scale = Math.min(max, Math.max(min, numberAttr(a["scale-value"], 1)));
      }
      var want = { x: setX ? movableNumber(a.x, s.x) : s.x, y: setY ? movableNumber(a.y, s.y) : s.y };
      var pos = movableClamp(want, movableBoundsOf(el), false);
      var changed = pos.x !== s.x || pos.y !== s.y;
      s.x = pos.x;
      s.y = pos.y;
      movablePlace(el, animate ? 300 : 0);
      if (changed && old) movableEmit(el, "");
    });
  }
};
