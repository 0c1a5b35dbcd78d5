// perf.js — the Performance timeline: one sample a second.

var perfStream = newStream("perf.since", 300);
var PERF_CHARTS = [
  { key: "pushes", title: "setData pushes / s", fmt: function (v) { return String(v); } },
  { key: "pushBytes", title: "setData bytes / s", fmt: bytes },
  { key: "applyAvg", title: "render apply (avg ms)", fmt: function (v) { return v.toFixed(1) + " ms"; } },
  { key: "taskMaxMs", title: "longest JS task (ms)", fmt: function (v) { return v.toFixed(1) + " ms"; } },
  { key: "tasks", title: "JS tasks / s", fmt: function (v) { return String(v); } },
  { key: "heapBytes", title: "logic heap", fmt: bytes },
  { key: "webBytes", title: "WebView memory", fmt: bytes },
  { key: "apiCalls", title: "API calls / s", fmt: function (v) { return String(v); } }
];

function perfValue(s, key) {
  if (key === "applyAvg") return s.applies ? s.applyMs / s.applies : 0;
  return Number(s[key]) || 0;
}

function sparkline(values) {
  var W = 300, H = 70, n = values.length, top = Math.max.apply(null, values.concat([1e-9]));
  var svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("preserveAspectRatio", "none");
  if (n < 2) return svg;
  var d = "";
  values.forEach(function (v, i) {
    var x = (i / (n - 1)) * W, y = H - 2 - (v / top) * (H - 6);
    d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
  });
  var area = document.createElementNS(SVG_NS, "path");
  area.setAttribute("class", "area");
  area.setAttribute("d", d + "L" + W + " " + H + "L0 " + H + "Z");
  var line = document.createElementNS(SVG_NS, "path");
  line.setAttribute("class", "line");
  line.setAttribute("d", d);
  svg.appendChild(area);
  svg.appendChild(line);
  return svg;
}

function renderPerf() {
  var samples = perfStream.items.slice(-120);
  fill($("perf-charts"), PERF_CHARTS.map(function (c) {
    var values = samples.map(function (s) { return perfValue(s, c.key); });
    var now = values.length ? values[values.length - 1] : 0;
    var peak = values.length ? Math.max.apply(null, values) : 0;
    return h("div", { class: "chart", "data-chart": c.key },
      h("div", { class: "title" }, h("span", null, c.title), h("span", { class: "now" }, c.fmt(now))),
      sparkline(values),
      h("div", { class: "muted small" }, "peak " + c.fmt(peak) + " · last " + samples.length + " s"));
  }));
}

function pollPerf() {
  return pollStream(perfStream).then(function (items) { if (items.length && activePanel === "perf") renderPerf(); });
}
