// ctl-scroll.js — <scroll-view scroll-x scroll-y>: scrolling is the browser's (styled
// in base.css); this sends scroll {scrollLeft, scrollTop, scrollHeight, scrollWidth,
// deltaX, deltaY}, scrolltoupper/scrolltolower {direction} once on entering
// upper-threshold/lower-threshold (default 50 px), and applies scroll-top,
// scroll-left and scroll-into-view when their data changed or was set.

BUILTINS["scroll-view"] = {
  own: { "scroll-top": true, "scroll-left": true, "scroll-into-view": true },
  create: function (el) {
    var last = { top: 0, left: 0, nearUpper: true, nearLower: false };
    el.addEventListener("scroll", function () {
      var v = el.__sfNode, a = v.attrs;
      var top = el.scrollTop, left = el.scrollLeft;
      emitComponentEvent(el, "scroll", {
        scrollLeft: left, scrollTop: top, scrollHeight: el.scrollHeight, scrollWidth: el.scrollWidth,
        deltaX: left - last.left, deltaY: top - last.top
      });
      var upper = numberAttr(a["upper-threshold"], 50), lower = numberAttr(a["lower-threshold"], 50);
      var vertical = !!a["scroll-y"] || !a["scroll-x"];
      var pos = vertical ? top : left;
      var rest = vertical ? el.scrollHeight - el.clientHeight - top : el.scrollWidth - el.clientWidth - left;
      var nearUpper = pos <= upper, nearLower = rest <= lower;
      if (nearUpper && !last.nearUpper && pos < (vertical ? last.top : last.left)) emitComponentEvent(el, "scrolltoupper", { direction: vertical ? "top" : "left" });
      if (nearLower && !last.nearLower && pos > (vertical ? last.top : last.left)) emitComponentEvent(el, "scrolltolower", { direction: vertical ? "bottom" : "right" });
      last.top = top; last.left = left; last.nearUpper = nearUpper; last.nearLower = nearLower;
    });
  },
  update: function (el, v, old) {
    var a = v.attrs, p = old ? old.attrs : {};
    var smooth = a["scroll-with-animation"] ? "smooth" : "auto";
    ["scroll-top", "scroll-left"].forEach(function (name) {
      if (a[name] === undefined || (old && !v.fresh[name] && a[name] === p[name])) return;
      var px = parseFloat(cssLength(a[name], state.rpx, "0px"));
      whenPatched(function () {
        var to = {}; to[name === "scroll-top" ? "top" : "left"] = px; to.behavior = smooth;
        el.scrollTo(to);
      });
    });
    var into = a["scroll-into-view"];
    if (into && (!old || v.fresh["scroll-into-view"] || into !== p["scroll-into-view"])) {
      whenPatched(function () {
        var target = Array.prototype.find.call(el.querySelectorAll("[id]"), function (n) { return n.id === toText(into); });
        if (!target) return;
        var r = target.getBoundingClientRect(), box = el.getBoundingClientRect();
        el.scrollTo({ top: el.scrollTop + r.top - box.top, left: el.scrollLeft + r.left - box.left, behavior: smooth });
      });
    }
  }
};
