// ctl-page-container.js — <page-container>: a layer over its page, shown while show is
// true. The element is the layer (fixed over the page area; its background is the
// overlay, overlay-style restyles it) and its children are the panel's content,
// stacked at the position's edge: bottom (default), top, right or center, sliding or
// fading in over duration ms (300). z-index (100), overlay (true), round; custom-style
// is not applied (there is no panel element of ours to carry it). Events as WeChat: beforeenter, enter, afterenter when it
// opens; beforeleave, leave, afterleave when it closes; clickoverlay on a click on the
// overlay, which closes it; the back arrow of the navigation bar, while one is open on
// the page in front, closes it instead of leaving the page (WeChat's back gesture). A
// container closed that way stays closed until show changes; apps usually set show to
// false in afterleave.

function pageContainerState(el) {
  return el.__sfPC || (el.__sfPC = { open: false, timer: 0 });
}

function pageContainerPosition(a) {
  var p = toText(a.position);
  return p === "top" || p === "right" || p === "center" ? p : "bottom";
}

function pageContainerMove(el, open) {
  var s = pageContainerState(el), a = el.__sfNode.attrs;
  if (s.open === open) return;
  s.open = open;
  var ms = Math.max(0, numberAttr(a.duration, 300));
  clearTimeout(s.timer);
  emitComponentEvent(el, open ? "beforeenter" : "beforeleave", {});
  el.style.setProperty("--sf-pc-ms", ms + "ms");
  if (open) {
    flagAttr(el, "sf-shown", "");
    // The next frame starts the transition from the closed place.
    requestAnimationFrame(function () { requestAnimationFrame(function () { if (s.open) flagAttr(el, "sf-open", ""); }); });
  } else {
    flagAttr(el, "sf-open", null);
  }
  emitComponentEvent(el, open ? "enter" : "leave", {});
  s.timer = setTimeout(function () {
    if (!open) flagAttr(el, "sf-shown", null);
    if (el.isConnected) emitComponentEvent(el, open ? "afterenter" : "afterleave", {});
  }, ms + 20);
}

// pageContainerBack closes the open page-container of the page in front, if any, and
// reports whether it did: the back arrow then does not leave the page.
function pageContainerBack() {
  var page = state.shown && hasOwn(state.pages, state.shown) ? state.pages[state.shown].root : null;
  if (!page) return false;
  var open = Array.prototype.filter.call(page.querySelectorAll("page-container[sf-shown]"), function (el) { return el.__sfPC && el.__sfPC.open; });
  if (!open.length) return false;
  pageContainerMove(open[open.length - 1], false);
  return true;
}

BUILTINS["page-container"] = {
  own: { show: true, style: true, "custom-style": true, "overlay-style": true },
  create: function (el) {
    el.addEventListener("click", function (e) {
      if (e.target !== el || !pageContainerState(el).open) return;
      emitComponentEvent(el, "clickoverlay", {});
      pageContainerMove(el, false);
    });
  },
  update: function (el, v, old) {
    var a = v.attrs, p = old ? old.attrs : {};
    flagAttr(el, "sf-position", pageContainerPosition(a));
    flagAttr(el, "sf-round", a.round ? "" : null);
    flagAttr(el, "sf-no-overlay", a.overlay === false ? "" : null);
    // overlay-style is the layer's own style (the overlay is its background).
    var ms = el.style.getPropertyValue("--sf-pc-ms");
    el.style.cssText = convertRpx(remoteStyleImages(toText(a["overlay-style"]), currentAppID()), state.rpx);
    el.style.zIndex = String(Math.floor(numberAttr(a["z-index"], 100)));
    if (ms) el.style.setProperty("--sf-pc-ms", ms);
    var want = !!a.show;
    if (!old || a.show !== p.show || v.fresh.show) {
      if (want !== pageContainerState(el).open) pageContainerMove(el, want);
    }
  }
};
