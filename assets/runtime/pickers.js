// pickers.js — what a <picker> offers, with no DOM (the tests load it alone): the
// columns of each mode and the value a confirmed choice sends, as WeChat's picker:
//   selector       range (array; objects labelled by range-key), value: index
//   multiSelector  range (array of arrays), value: [index per column]
//   time           start/end "HH:mm" (00:00-23:59), value: "HH:mm"
//   date           start/end "YYYY-MM-DD", fields year|month|day, value: "YYYY[-MM[-DD]]"
//   region         value [province, city, district] names (pickregion.js)
// pickerModel(mode, attrs, today) → {columns: [[label]], selected: [index]};
// pickerRefit(mode, attrs, model) redoes the columns that depend on others (days of a
// month) keeping the choice; pickerValue(mode, attrs, model) → detail.value.

var PICKER_MAX_OPTIONS = 10000; // per column: a huge range must not hang the sheet

function pickerLabel(item, key) {
  if (isObject(item) && key) return toText(item[key]);
  return toText(item);
}

function pad2(n) { return (n < 10 ? "0" : "") + n; }

function pickerList(range, key) {
  return (Array.isArray(range) ? range.slice(0, PICKER_MAX_OPTIONS) : []).map(function (x) { return pickerLabel(x, key); });
}

function clampIndex(i, n) { i = Math.floor(Number(i)); return i === i && i > 0 ? Math.min(i, Math.max(0, n - 1)) : 0; }

function parseTime(s, fallback) {
  var m = /^(\d{1,2}):(\d{1,2})$/.exec(toText(s).trim());
  if (!m || +m[1] > 23 || +m[2] > 59) return fallback;
  return +m[1] * 60 + +m[2];
}

function parseDate(s, fallback) {
  var m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(toText(s).trim());
  if (!m) return fallback;
  return { y: +m[1], m: Math.min(12, Math.max(1, +(m[2] || 1))), d: Math.min(31, Math.max(1, +(m[3] || 1))) };
}

function daysIn(y, m) { return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]; }

function dateKey(d) { return d.y * 10000 + d.m * 100 + d.d; }

function dateFields(attrs) { var f = toText(attrs.fields); return f === "year" || f === "month" ? f : "day"; }

function pickerModel(mode, attrs, today) {
  var key = toText(attrs["range-key"]);
  switch (mode) {
    case "region": return regionModel(attrs);
    case "multiSelector": {
      var cols = (Array.isArray(attrs.range) ? attrs.range.slice(0, 16) : []).map(function (c) { return pickerList(c, key); });
      var val = Array.isArray(attrs.value) ? attrs.value : [];
      return { columns: cols, selected: cols.map(function (c, i) { return clampIndex(val[i], c.length); }) };
    }
    case "time": {
      var start = parseTime(attrs.start, 0), end = parseTime(attrs.end, 23 * 60 + 59);
      if (end < start) end = start;
      var at = Math.min(end, Math.max(start, parseTime(attrs.value, start)));
      var hours = [];
      for (var h = Math.floor(start / 60); h <= Math.floor(end / 60); h++) hours.push(pad2(h));
      var minutes = [];
      for (var mi = 0; mi < 60; mi++) minutes.push(pad2(mi));
      return { columns: [hours, minutes], selected: [Math.floor(at / 60) - Math.floor(start / 60), at % 60] };
    }
    case "date": {
      var lo = parseDate(attrs.start, { y: 1900, m: 1, d: 1 }), hi = parseDate(attrs.end, { y: 2100, m: 12, d: 31 });
      if (dateKey(hi) < dateKey(lo)) hi = lo;
      var now = parseDate(attrs.value, today || lo);
      if (dateKey(now) < dateKey(lo)) now = lo;
      if (dateKey(now) > dateKey(hi)) now = hi;
      var years = [];
      for (var y = lo.y; y <= hi.y && years.length < PICKER_MAX_OPTIONS; y++) years.push(String(y));
      var model = { columns: [years, [], []], selected: [now.y - lo.y, now.m - 1, now.d - 1] };
      return pickerRefit(mode, attrs, model);
    }
    default: {
      var list = pickerList(attrs.range, key);
      return { columns: [list], selected: [clampIndex(attrs.value, list.length)] };
    }
  }
}

// pickerRefit fills the month and day columns of a date picker for the chosen year and
// month (every month has 12 entries and every day column the month's days) and trims
// columns the fields attribute leaves out.
function pickerRefit(mode, attrs, model) {
  if (mode === "region") return regionRefit(attrs, model);
  if (mode !== "date") return model;
  var fields = dateFields(attrs);
  var y = Number(model.columns[0][model.selected[0]] || 1900);
  var months = [];
  for (var m = 1; m <= 12; m++) months.push(pad2(m));
  var m0 = Math.min(11, model.selected[1] || 0) + 1;
  var days = [];
  for (var d = 1; d <= daysIn(y, m0); d++) days.push(pad2(d));
  var cols = [model.columns[0], months, days], sel = [model.selected[0], m0 - 1, Math.min(days.length - 1, model.selected[2] || 0)];
  var n = fields === "year" ? 1 : fields === "month" ? 2 : 3;
  return { columns: cols.slice(0, n), selected: sel.slice(0, n), hidden: sel.slice(n) };
}

function pickerValue(mode, attrs, model) {
  var c = model.columns, s = model.selected;
  switch (mode) {
    case "region": return regionDetail(attrs, model).value;
    case "multiSelector": return s.slice();
    case "time": {
      var start = parseTime(attrs.start, 0), end = parseTime(attrs.end, 23 * 60 + 59);
      var t = Math.min(Math.max(+c[0][s[0]] * 60 + +c[1][s[1]], start), Math.max(start, end));
      return pad2(Math.floor(t / 60)) + ":" + pad2(t % 60);
    }
    case "date": {
      var lo = parseDate(attrs.start, { y: 1900, m: 1, d: 1 }), hi = parseDate(attrs.end, { y: 2100, m: 12, d: 31 });
      var parts = c.map(function (col, i) { return col[s[i]]; });
      var d = { y: +parts[0], m: +(parts[1] || 1), d: +(parts[2] || 1) };
      if (parts.length === 3) {
        if (dateKey(d) < dateKey(lo)) d = lo;
        if (dateKey(d) > dateKey(hi)) d = hi;
      }
      var out = String(d.y);
      if (parts.length > 1) out += "-" + pad2(d.m);
      if (parts.length > 2) out += "-" + pad2(d.d);
      return out;
    }
    default: return c[0].length ? s[0] : 0;
  }
}
