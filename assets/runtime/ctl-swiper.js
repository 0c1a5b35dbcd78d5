// ctl-swiper.js — <swiper>/<swiper-item>: the swiper is the viewport and places each
// swiper-item child with a transform (base.css), so the patcher keeps owning the items.
// Attributes as WeChat: current, current-item-id, autoplay, interval (5000 ms),
// duration (500 ms), circular, vertical, display-multiple-items, indicator-dots,
// indicator-color, indicator-active-color. A drag (touch, mouse or pen) or an arrow key
// turns it; events: change and animationfinish {current, currentItemId, source}
// (source "autoplay", "touch" or "" for a data change), transition {dx, dy} while dragged.

var SWIPER_SLOP = 6; // px a press may move before it is a drag rather than a tap

function swiperItems(el) {
  return Array.prototype.filter.call(el.children, function (c) { return c.localName === "swiper-item"; });
}

function swiperState(el) {
  return el.__sfSwiper || (el.__sfSwiper = { cur: 0, timer: 0, every: 0, drag: null, dots: null, n: -1, suppressClick: false });
}

function itemID(item) { return item && item.__sfNode ? toText(item.__sfNode.attrs["item-id"]) : ""; }

// swiperLayout places the items around the current one, offset px along the axis
// (a drag in progress), with the transition when animate.
function swiperLayout(el, offset, animate) {
  var s = swiperState(el), a = el.__sfNode.attrs, items = swiperItems(el), n = items.length;
  var vertical = !!a.vertical, circular = !!a.circular && n > 1;
  var per = Math.max(1, Math.floor(numberAttr(a["display-multiple-items"], 1)));
  var ms = Math.max(0, numberAttr(a.duration, 500));
  items.forEach(function (item, i) {
    var pos = i - s.cur;
    if (circular) {
      pos = ((pos % n) + n) % n;
      if (pos > (n - per) / 2 + (offset > 0 ? -0.5 : 0.5) && n > per) pos -= n;
    }
    // An item that wraps round to the other side jumps rather than crossing the view.
    var jump = item.__sfPos === undefined || Math.abs(item.__sfPos - pos) > 1;
    item.__sfPos = pos;
    item.style.transition = animate && !jump ? "transform " + ms + "ms ease" : "none";
    item.style[vertical ? "height" : "width"] = (100 / per) + "%";
    item.style[vertical ? "width" : "height"] = "100%";
    item.style.transform = (vertical ? "translateY(" : "translateX(") + "calc(" + (pos * 100) + "% + " + Math.round(offset) + "px))";
  });
}

function swiperDots(el) {
  var s = swiperState(el), a = el.__sfNode.attrs, n = swiperItems(el).length;
  if (!a["indicator-dots"]) { if (s.dots) s.dots.hidden = true; return; }
  if (!s.dots) { s.dots = htmlEl("div", "sf-swiper-dots"); el.appendChild(s.dots); }
  s.dots.hidden = false;
  flagAttr(s.dots, "vertical", a.vertical ? "" : null);
  while (s.dots.children.length > n) s.dots.removeChild(s.dots.lastChild);
  while (s.dots.children.length < n) s.dots.appendChild(htmlEl("span", "sf-swiper-dot"));
  var color = toText(a["indicator-color"]) || "rgba(0, 0, 0, .3)", active = toText(a["indicator-active-color"]) || "#000000";
  Array.prototype.forEach.call(s.dots.children, function (d, i) {
    flagAttr(d, "active", i === s.cur ? "" : null);
    d.style.background = i === s.cur ? active : color;
  });
}

// swiperGo makes index current and tells the page why, as WeChat does.
function swiperGo(el, index, source) {
  var s = swiperState(el), items = swiperItems(el), n = items.length;
  if (!n) return;
  index = ((index % n) + n) % n;
  var changed = index !== s.cur;
  s.cur = index;
  flagAttr(el, "current", String(index));
  swiperLayout(el, 0, true);
  swiperDots(el);
  if (!changed) return;
  var detail = { current: index, currentItemId: itemID(items[index]), source: source };
  modelWrite(el, "current", index);
  emitComponentEvent(el, "change", detail);
  var ms = Math.max(0, numberAttr(el.__sfNode.attrs.duration, 500));
  setTimeout(function () { if (onShownPage(el) && s.cur === index) emitComponentEvent(el, "animationfinish", detail); }, ms);
}

// swiperStep turns by one, wrapping round only when circular (autoplay rewinds).
function swiperStep(el, dir, source) {
  var s = swiperState(el), a = el.__sfNode.attrs, n = swiperItems(el).length;
  var per = Math.max(1, Math.floor(numberAttr(a["display-multiple-items"], 1)));
  var next = s.cur + dir, last = Math.max(0, n - (a.circular ? 1 : per));
  if (!a.circular && source !== "autoplay" && (next < 0 || next > last)) { swiperLayout(el, 0, true); return; }
  if (!a.circular && next > last) next = 0;
  swiperGo(el, next, source);
}

// onShownPage: el is in the page in front. A hidden page's swiper waits: an event
// from it would be delivered to the page in front ("page" is resolved by the host).
function onShownPage(el) {
  var page = el.isConnected ? el.closest("page") : null;
  return !!page && !page.hasAttribute("hidden");
}

function swiperAutoplay(el) {
  var s = swiperState(el), a = el.__sfNode.attrs;
  var every = a.autoplay && swiperItems(el).length > 1 ? Math.max(100, numberAttr(a.interval, 5000)) : 0;
  if (every === s.every) return;
  if (s.timer) clearInterval(s.timer);
  s.timer = 0;
  s.every = every;
  if (!every) return;
  s.timer = setInterval(function () {
    if (!el.isConnected) { clearInterval(s.timer); s.timer = 0; s.every = 0; return; }
    if (!s.drag && !document.hidden && onShownPage(el)) swiperStep(el, 1, "autoplay");
  }, every);
}

BUILTINS.swiper = {
  own: { current: true },
  create: function (el) {
    var s = swiperState(el);
    el.tabIndex = 0;
    el.addEventListener("pointerdown", function (e) {
      if (e.button !== 0 || !e.isPrimary || el.__sfNode.attrs["disable-touch"]) return;
      s.drag = { x: e.clientX, y: e.clientY, t: now(), moved: false, id: e.pointerId };
      s.suppressClick = false;
    });
    el.addEventListener("pointermove", function (e) {
      var d = s.drag;
      if (!d || e.pointerId !== d.id) return;
      var vertical = !!el.__sfNode.attrs.vertical;
      var dx = e.clientX - d.x, dy = e.clientY - d.y, along = vertical ? dy : dx;
      if (!d.moved && Math.abs(along) < SWIPER_SLOP) return;
      if (!d.moved) { d.moved = true; try { el.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ } }
      d.along = along;
      swiperLayout(el, along, false);
      emitComponentEvent(el, "transition", { dx: -Math.round(dx), dy: -Math.round(dy) });
    });
    function release(e, cancelled) {
      var d = s.drag;
      if (!d || e.pointerId !== d.id) return;
      s.drag = null;
      if (!d.moved) return;
      s.suppressClick = true;
      var size = el.__sfNode.attrs.vertical ? el.clientHeight : el.clientWidth;
      var fast = Math.abs(d.along) / Math.max(1, now() - d.t) > 0.5;
      if (!cancelled && (Math.abs(d.along) > size / 4 || (fast && Math.abs(d.along) > 20))) swiperStep(el, d.along < 0 ? 1 : -1, "touch");
      else swiperLayout(el, 0, true);
    }
    el.addEventListener("pointerup", function (e) { release(e, false); });
    el.addEventListener("pointercancel", function (e) { release(e, true); });
    // The click that ends a drag is not a tap on the item under it.
    el.addEventListener("click", function (e) {
      if (s.suppressClick) { s.suppressClick = false; e.stopPropagation(); e.preventDefault(); }
    }, true);
    el.addEventListener("dragstart", function (e) { e.preventDefault(); });
    el.addEventListener("keydown", function (e) {
      var vertical = !!el.__sfNode.attrs.vertical;
      var back = vertical ? "ArrowUp" : "ArrowLeft", fwd = vertical ? "ArrowDown" : "ArrowRight";
      if (e.target !== el || (e.key !== back && e.key !== fwd)) return;
      e.preventDefault();
      swiperStep(el, e.key === fwd ? 1 : -1, "touch");
    });
  },
  update: function (el, v, old) {
    var s = swiperState(el), a = v.attrs, p = old ? old.attrs : {};
    var items = swiperItems(el), n = items.length;
    var want = -1;
    if (a["current-item-id"] !== undefined && (!old || a["current-item-id"] !== p["current-item-id"])) {
      var id = toText(a["current-item-id"]);
      want = items.findIndex(function (it) { return itemID(it) === id; });
    }
    if (want < 0 && a.current !== undefined && (!old || v.fresh.current || a.current !== p.current)) want = Math.floor(numberAttr(a.current, 0));
    if (n && s.cur > n - 1) s.cur = n - 1;
    if (want >= 0 && want < n && want !== s.cur) {
      if (!old || s.n < 1) s.cur = want; // the first render shows it, no event
      else { swiperGo(el, want, ""); want = -1; }
    }
    s.n = n;
    flagAttr(el, "vertical", a.vertical ? "" : null);
    flagAttr(el, "current", String(s.cur));
    swiperLayout(el, 0, !!old);
    swiperDots(el);
    swiperAutoplay(el);
  }
};
