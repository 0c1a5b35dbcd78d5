// ctl-icon.js — <icon type size color>: WeChat's icon set drawn as inline SVG
// (createElementNS), 24-unit view box. Also used by the toast.

var ICON_COLORS = {
  success: "#07c160", success_no_circle: "#07c160", info: "#10aeff", warn: "#f76260",
  waiting: "#10aeff", cancel: "#f43530", download: "#07c160", search: "#b2b2b2",
  clear: "#b2b2b2", circle: "#c9c9c9", info_circle: "#07c160"
};

var CHECK = "M6.5 12.5l3.8 3.8 7.4-8";
var CROSS = "M8.3 8.3l7.4 7.4M15.7 8.3l-7.4 7.4";

// ICON_SHAPES: [filled disc?, ring?, strokes (white on a disc, colour otherwise), dots].
var ICON_SHAPES = {
  success: { disc: true, strokes: [CHECK] },
  success_no_circle: { strokes: ["M4.5 12.5l5 5 10-11"] },
  info: { disc: true, strokes: ["M12 10.5v7"], dots: [[12, 7.2]] },
  warn: { disc: true, strokes: ["M12 6.5v7"], dots: [[12, 17]] },
  waiting: { disc: true, strokes: ["M12 6.5V12l3.8 2.5"] },
  cancel: { disc: true, strokes: [CROSS] },
  download: { disc: true, strokes: ["M12 6.5v9M8 12l4 4 4-4"] },
  search: { strokes: ["M10.5 4.5a6 6 0 1 1 0 12a6 6 0 1 1 0-12zM15 15l5 5"] },
  clear: { disc: true, strokes: [CROSS] },
  circle: { ring: true },
  info_circle: { ring: true, strokes: ["M12 10.5v7"], dots: [[12, 7.2]] }
};

// iconSvg draws an icon of type in color (its own default when empty) at size px.
function iconSvg(type, size, color) {
  var shape = ICON_SHAPES[type] || ICON_SHAPES.info;
  color = color || ICON_COLORS[type] || ICON_COLORS.info;
  var svg = svgEl("svg", { viewBox: "0 0 24 24", width: size, height: size, "aria-hidden": "true" });
  if (shape.disc) svg.appendChild(svgEl("circle", { cx: 12, cy: 12, r: 11, fill: color }));
  if (shape.ring) svg.appendChild(svgEl("circle", { cx: 12, cy: 12, r: 10.2, fill: "none", stroke: color, "stroke-width": 1.6 }));
  var ink = shape.disc ? "#fff" : color;
  (shape.strokes || []).forEach(function (d) {
    svg.appendChild(svgEl("path", { d: d, fill: "none", stroke: ink, "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round" }));
  });
  (shape.dots || []).forEach(function (p) { svg.appendChild(svgEl("circle", { cx: p[0], cy: p[1], r: 1.3, fill: ink })); });
  return svg;
}

BUILTINS.icon = {
  own: { size: true, color: true },
  update: function (el, v, old) {
    var a = v.attrs, p = old ? old.attrs : {};
    if (old && a.type === p.type && a.size === p.size && a.color === p.color && el.querySelector("svg")) return;
    var size = cssLength(a.size, state.rpx, "23px");
    var svg = iconSvg(toText(a.type), size, toText(a.color));
    var prev = el.querySelector("svg");
    if (prev) el.replaceChild(svg, prev); else el.insertBefore(svg, el.firstChild);
  }
};
