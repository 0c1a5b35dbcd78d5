// ctl-picker-view.js — <picker-view>/<picker-view-column>: a wheel drawn in the page.
// Each column scrolls (wheel, touch, or a mouse or pen drag) and settles with a row in
// the indicator band; the rows are the column's children, which the patcher owns. The
// row height is indicator-style's height, else the first row's, else 34 px; the column
// is padded so the first and last rows can reach the band. Attributes as WeChat: value
// (an index per column), indicator-style, indicator-class, mask-style, mask-class,
// immediate-change. Events: pickstart when a column starts to move, pickend and then
// change {value: [index per column]} when it settles on another row; a data change of
// value moves the columns without events.

var PICK_SETTLE_MS = 140; // a column that has not scrolled for this long has stopped

function pickerViewColumns(el) {
  return Array.prototype.filter.call(el.children, function (c) { return c.localName === "picker-view-column"; });
}

function pickerViewState(el) {
  return el.__sfPV || (el.__sfPV = { value: [], moving: 0, row: 34, indicator: null, mask: null, want: null });
}

function columnRows(col) {
  return Array.prototype.filter.call(col.children, function (c) { return c.__sfNode; });
}

// pickerViewLayout sizes the rows' band: the indicator in the middle, the masks above
// and below, and each column's padding.
function pickerViewLayout(el) {
  var s = pickerViewState(el), a = el.__sfNode.attrs;
  var first = null;
  pickerViewColumns(el).some(function (c) { first = columnRows(c)[0] || null; return !!first; });
  var measured = first ? first.getBoundingClientRect().height : 0;
  s.row = indicatorHeight(a["indicator-style"], state.rpx, measured > 0 ? measured : 34);
  var h = el.clientHeight, pad = Math.max(0, (h - s.row) / 2);
  s.indicator.style.cssText = "top:" + pad + "px;height:" + s.row + "px;" + toText(a["indicator-style"]).replace(/(^|;)\s*height\s*:[^;]*/ig, "$1");
  s.indicator.className = "sf-picker-view-indicator " + toText(a["indicator-class"]);
  s.mask.style.cssText = "background-size: 100% " + pad + "px;" + toText(a["mask-style"]);
  s.mask.className = "sf-picker-view-mask " + toText(a["mask-class"]);
  pickerViewColumns(el).forEach(function (col) {
    col.style.paddingTop = col.style.paddingBottom = pad + "px";
    columnRows(col).forEach(function (r) { r.style.height = s.row + "px"; r.style.lineHeight = s.row + "px"; });
  });
}

function pickerViewScrollTo(el, value, smooth) {
  var s = pickerViewState(el);
  pickerViewColumns(el).forEach(function (col, i) {
    var top = (value[i] || 0) * s.row;
    col.__sfSettled = top;
    if (Math.abs(col.scrollTop - top) < 1) return;
    col.__sfProgrammatic = true;
    if (smooth && col.scrollTo) col.scrollTo({ top: top, behavior: "smooth" });
    else col.scrollTop = top;
  });
}

function pickerViewCounts(el) { return pickerViewColumns(el).map(function (c) { return columnRows(c).length; }); }

// pickerViewSettle runs when a column stopped: it snaps it onto its row and, once no
// column moves, sends pickend and change if the value differs.
function pickerViewSettle(el, col) {
  var s = pickerViewState(el), rows = columnRows(col).length;
  var snap = col.__sfSnap;
  if (!snap) snap = col.__sfSnap = { top: rowAt(col.scrollTop, s.row, rows) * s.row, tries: 0 };
  if (Math.abs(col.scrollTop - snap.top) >= 1) {
    // Glide there; a scroll that does not arrive (WebKit may drop a smooth scroll
    // started under load) is set outright on the third try.
    col.__sfProgrammatic = false;
    if (snap.tries++ < 2 && col.scrollTo) { col.scrollTo({ top: snap.top, behavior: "smooth" }); return; }
    col.scrollTop = snap.top;
  }
  col.__sfSnap = null;
  col.__sfSettled = col.scrollTop;
  if (col.__sfMoving) { col.__sfMoving = false; s.moving--; }
  if (s.moving > 0) return;
  var value = pickerViewColumns(el).map(function (c) { return rowAt(c.scrollTop, s.row, columnRows(c).length); });
  if (!s.started) return;
  s.started = false;
  emitComponentEvent(el, "pickend", {});
  if (!deepEqual(value, s.value)) {
    s.value = value;
    modelWrite(el, "value", value.slice());
    emitComponentEvent(el, "change", { value: value });
  }
}

function pickerViewColumnInit(el, col) {
  if (col.__sfPVInit) return;
  col.__sfPVInit = true;
  var s = pickerViewState(el), timer = 0, drag = null;
  function moved(user) {
    if (user && !col.__sfMoving) {
      col.__sfMoving = true;
      s.moving++;
      if (!s.started) { s.started = true; emitComponentEvent(el, "pickstart", {}); }
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (drag) return;
      if (col.__sfProgrammatic && !col.__sfMoving) { col.__sfProgrammatic = false; return; }
      pickerViewSettle(el, col);
    }, PICK_SETTLE_MS);
  }
  col.addEventListener("scroll", function () {
    // A late scroll event where the column already settled moves nothing.
    if (!drag && !col.__sfMoving && col.__sfSettled !== undefined && Math.abs(col.scrollTop - col.__sfSettled) < 1) return;
    moved(!col.__sfProgrammatic);
  });
  col.addEventListener("wheel", function () { col.__sfProgrammatic = false; col.__sfSnap = null; moved(true); }, { passive: true });
  // A mouse or pen drags the column as a finger would (touch scrolls it natively).
  col.addEventListener("pointerdown", function (e) {
    if (e.isPrimary) col.__sfProgrammatic = false; // what scrolls now is the user
    if (e.button !== 0 || !e.isPrimary || e.pointerType === "touch") return;
    drag = { id: e.pointerId, y: e.clientY, top: col.scrollTop, t0: now(), marks: [{ y: e.clientY, t: now() }] };
    col.__sfProgrammatic = false;
    col.__sfSnap = null;
    try { col.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
    moved(true);
  });
  col.addEventListener("pointermove", function (e) {
    if (!drag || e.pointerId !== drag.id) return;
    col.scrollTop = drag.top - (e.clientY - drag.y);
    drag.marks.push({ y: e.clientY, t: now() });
    if (drag.marks.length > 8) drag.marks.shift();
  });
  function release(e) {
    if (!drag || e.pointerId !== drag.id) return;
    // A fling: the speed over the last 100 ms of a drag that lasted a person's while
    // (an instant drag, as automation makes, places the column where it was let go).
    var t = now(), v = 0, first = drag.marks[0];
    for (var i = drag.marks.length - 1; i >= 0; i--) { if (t - drag.marks[i].t > 100) break; first = drag.marks[i]; }
    if (t - drag.t0 >= 60 && t > first.t) v = Math.max(-3, Math.min(3, (e.clientY - first.y) / Math.max(16, t - first.t)));
    drag = null;
    var target = col.scrollTop - movableGlide(v, 2) / 4;
    col.__sfSnap = { top: rowAt(target, s.row, columnRows(col).length) * s.row, tries: 0 };
    if (Math.abs(col.scrollTop - col.__sfSnap.top) >= 1) {
      if (col.scrollTo) col.scrollTo({ top: col.__sfSnap.top, behavior: "smooth" }); else col.scrollTop = col.__sfSnap.top;
    }
    moved(true);
  }
  col.addEventListener("pointerup", release);
  col.addEventListener("pointercancel", release);
  // The click that ends a drag is not a tap on the row under it.
  col.addEventListener("dragstart", function (e) { e.preventDefault(); });
}

BUILTINS["picker-view"] = {
  own: { value: true, "indicator-style": true, "mask-style": true },
  create: function (el) {
    var s = pickerViewState(el);
    s.mask = htmlEl("div", "sf-picker-view-mask");
    s.indicator = htmlEl("div", "sf-picker-view-indicator");
    el.appendChild(s.mask);
    el.appendChild(s.indicator);
    // A picker-view on a hidden page has no size yet: lay it out when it gets one.
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(function () {
        if (!el.isConnected || !el.clientHeight) return;
        pickerViewLayout(el);
        if (s.moving === 0) pickerViewScrollTo(el, s.value, false);
      }).observe(el);
    }
  },
  update: function (el, v, old) {
    var s = pickerViewState(el), a = v.attrs, p = old ? old.attrs : {};
    // Keep the decorations last, above the columns.
    if (el.lastChild !== s.indicator) { el.appendChild(s.mask); el.appendChild(s.indicator); }
    pickerViewColumns(el).forEach(function (col) { pickerViewColumnInit(el, col); });
    var counts = pickerViewCounts(el);
    var resized = !deepEqual(counts, s.counts);
    var fromData = !old || v.fresh.value || !deepEqual(a.value, p.value) || resized;
    s.counts = counts;
    // Rows taken away clamp a column's scroll: that scroll is not the user's.
    if (resized && s.moving === 0) pickerViewColumns(el).forEach(function (col) { col.__sfProgrammatic = true; });
    if (fromData && !(old && modelEcho(el, a.value)) && s.moving === 0) s.want = pickerViewValue(a.value, counts);
    whenPatched(function () {
      if (!el.isConnected) return;
      pickerViewLayout(el);
      if (s.want) {
        s.value = s.want;
        pickerViewScrollTo(el, s.want, false);
        s.want = null;
      }
    });
  }
};

BUILTINS["picker-view-column"] = {};
