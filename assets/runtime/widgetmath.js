// widgetmath.js — the arithmetic of picker-view, movable-view and match-media, with no
// DOM (the tests load it alone).

// indicatorHeight reads the height a picker-view's indicator-style gives its rows
// ("height: 50px;"; rpx converted), or fallback.
function indicatorHeight(style, rpx, fallback) {
  var m = /(?:^|;)\s*height\s*:\s*(-?\d*\.?\d+)\s*(px|rpx)?\s*(?:;|$)/i.exec(toText(style));
  if (!m) return fallback;
  var h = parseFloat(m[1]) * (m[2] && m[2].toLowerCase() === "rpx" ? rpx : 1);
  return h > 0 ? h : fallback;
}

// rowAt is the row a picker-view column shows in its indicator at scroll offset top.
function rowAt(top, rowHeight, rows) {
  if (!(rowHeight > 0) || rows < 1) return 0;
  return Math.min(rows - 1, Math.max(0, Math.round(top / rowHeight)));
}

// pickerViewValue fits a value attribute to the columns' row counts: one index per
// column, each clamped (a missing or bad index is 0).
function pickerViewValue(value, counts) {
  var v = Array.isArray(value) ? value : [];
  return counts.map(function (n, i) {
    var x = Math.floor(Number(v[i]));
    return x === x && x > 0 ? Math.min(x, Math.max(0, n - 1)) : 0;
  });
}

// movableBounds is the range of a movable-view's x and y inside its area (sizes after
// scale): [min, max] per axis. A view larger than its area may move over it, so that its
// far edge can be brought in.
function movableBounds(area, view, scale) {
  function axis(a, v) {
    var size = v * scale;
    return size <= a ? { min: 0, max: a - size } : { min: a - size, max: 0 };
  }
  return { x: axis(area.width, view.width), y: axis(area.height, view.height) };
}

// movableClamp keeps a position inside bounds; with outOfBounds a position past them
// is pulled half back (the rubber band while dragging), not stopped.
function movableClamp(pos, b, outOfBounds) {
  function one(v, r) {
    if (v < r.min) return outOfBounds ? r.min - (r.min - v) / 2 : r.min;
    if (v > r.max) return outOfBounds ? r.max + (v - r.max) / 2 : r.max;
    return v;
  }
  return { x: one(pos.x, b.x), y: one(pos.y, b.y) };
}

// movableGlide is where an inertial throw ends: a velocity v (px/ms) decelerated by
// friction (WeChat's attribute, default 2) travels v² / (2·a), with a in px/ms² growing
// with friction.
function movableGlide(v, friction) {
  var a = 0.0025 * Math.max(0.1, friction > 0 ? friction : 2);
  var d = (v * v) / (2 * a);
  return v < 0 ? -Math.min(d, 4000) : Math.min(d, 4000);
}

// mediaMatches reports whether a <match-media> with these attributes applies to a
// window of width x height (px); an attribute left out does not constrain.
function mediaMatches(attrs, width, height) {
  function num(name) { var v = attrs[name]; if (v === undefined || v === null || v === "") return null; var n = parseFloat(v); return n === n ? n : null; }
  var checks = [["min-width", function (n) { return width >= n; }], ["max-width", function (n) { return width <= n; }],
    ["width", function (n) { return width === n; }], ["min-height", function (n) { return height >= n; }],
    ["max-height", function (n) { return height <= n; }], ["height", function (n) { return height === n; }]];
  for (var i = 0; i < checks.length; i++) {
    var n = num(checks[i][0]);
    if (n !== null && !checks[i][1](n)) return false;
  }
  var o = toText(attrs.orientation);
  if (o === "landscape" && !(width > height)) return false;
  if (o === "portrait" && !(height >= width)) return false;
  return true;
}
