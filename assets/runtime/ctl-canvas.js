// ctl-canvas.js — <canvas>: a real HTML canvas owned by the runtime inside the
// <wx-canvas> element, and the replay of the drawing command lists logic records
// (render op "canvas", docs/canvas.md). The page runs no app code: every command is a
// name from CANVAS_OPS (the same table as bridge.CanvasOps) whose arguments are checked
// again here before the real context sees them. A legacy canvas (canvas-id) is sized by
// its CSS box times devicePixelRatio and draws in CSS pixels; a 2d canvas
// (type="2d") has the bitmap size its Canvas object sets. canvasRead exports a canvas
// as PNG or JPEG for wx.canvasToTempFilePath, in chunks of canvasData.

var CANVAS_OPS = {
  "fillStyle": "f", "strokeStyle": "f", "lineWidth": "n", "lineCap": "s", "lineJoin": "s",
  "miterLimit": "n", "font": "s", "textAlign": "s", "textBaseline": "s", "globalAlpha": "n",
  "globalCompositeOperation": "s", "shadowColor": "s", "shadowBlur": "n", "shadowOffsetX": "n",
  "shadowOffsetY": "n", "lineDashOffset": "n", "setLineDash": "a", "imageSmoothingEnabled": "b",
  "direction": "s", "letterSpacing": "s", "filter": "s",
  "beginPath": "", "closePath": "", "moveTo": "nn", "lineTo": "nn", "arc": "nnnnn|b",
  "arcTo": "nnnnn", "quadraticCurveTo": "nnnn", "bezierCurveTo": "nnnnnn", "rect": "nnnn",
  "roundRect": "nnnn|n", "ellipse": "nnnnnnn|b",
  "fill": "|s", "stroke": "", "clip": "|s", "fillRect": "nnnn", "strokeRect": "nnnn",
  "clearRect": "nnnn", "fillText": "snn|n", "strokeText": "snn|n", "drawImage": "inn|nnnnnn",
  "putImageData": "dnn|nnnn",
  "save": "", "restore": "", "translate": "nn", "rotate": "n", "scale": "nn",
  "transform": "nnnnnn", "setTransform": "nnnnnn", "resetTransform": "",
  "size": "nn"
};

var CANVAS_PROPS = { fillStyle: 1, strokeStyle: 1, lineWidth: 1, lineCap: 1, lineJoin: 1, miterLimit: 1, font: 1,
  textAlign: 1, textBaseline: 1, globalAlpha: 1, globalCompositeOperation: 1, shadowColor: 1, shadowBlur: 1,
  shadowOffsetX: 1, shadowOffsetY: 1, lineDashOffset: 1, imageSmoothingEnabled: 1, direction: 1, letterSpacing: 1, filter: 1 };

var CANVAS_HISTORY = 200000; // commands a legacy canvas keeps to redraw itself after a resize
var CANVAS_CHUNK = 196608;   // base64 characters per canvasData (bridge.MaxCanvasChunk; a multiple of 4)
var canvasImages = {};       // resolved url → {img, ok, failed, waiters}

BUILTINS.canvas = {
  create: function (el) {
    var c = htmlEl("canvas", "sf-canvas-el");
    el.appendChild(c);
    var cv = { el: el, canvas: c, ctx: c.getContext("2d"), kind: "legacy", queue: [], waiting: false,
      history: [], historyCount: 0, cssW: 0, cssH: 0, dpr: 1, sized: false };
    el.__sfCanvas = cv;
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(function () { canvasFit(cv); }).observe(el);
    }
  },
  update: function (el, v) {
    var a = v.attrs, cv = el.__sfCanvas;
    cv.kind = toText(a.type) === "2d" ? "2d" : "legacy";
    el.style.touchAction = a["disable-scroll"] || a.disableScroll ? "none" : "";
    canvasFit(cv);
  }
};

// canvasFit sizes a legacy canvas's bitmap to its CSS box times the device pixel
// ratio, redrawing what it showed when the size changed (a bitmap resize clears it).
function canvasFit(cv) {
  if (cv.kind !== "legacy") return;
  var dpr = window.devicePixelRatio || 1;
  var w = cv.el.clientWidth, h = cv.el.clientHeight;
  if (!w || !h) { if (cv.sized) return; w = 300; h = 150; } // not laid out (a hidden page): the default size
  var bw = Math.max(1, Math.round(w * dpr)), bh = Math.max(1, Math.round(h * dpr));
  if (cv.sized && cv.canvas.width === bw && cv.canvas.height === bh) return;
  cv.sized = true;
  cv.cssW = w; cv.cssH = h; cv.dpr = dpr;
  cv.canvas.width = bw;
  cv.canvas.height = bh;
  cv.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  // Redraw the draws since the last clear, unless some are still waiting to run.
  if (!cv.waiting && cv.queue.length === 0 && cv.history.length) {
    cv.queue = cv.history.map(function (cmds) { return { cmds: cmds, i: 0 }; });
    canvasPump(cv);
  }
}

// findCanvas is the <wx-canvas> of owner (a page or component id) on page that d
// names: its canvas-id (legacy), id attribute (2d) or the page's node id.
function findCanvas(page, owner, d) {
  var p = hasOwn(state.pages, page) ? state.pages[page] : null;
  if (!p) return null;
  var list = p.root.querySelectorAll(elementTag("canvas"));
  for (var i = 0; i < list.length; i++) {
    var el = list[i], v = el.__sfNode;
    if (!v || v.owner !== owner || !el.__sfCanvas) continue;
    if (d.node && queryNode(d.node) === el) return el; // query.js gave the node its id
    if (d.canvasId && toText(v.attrs["canvas-id"]) === d.canvasId) return el;
    if ((d.id || d.elem) && toText(v.attrs.id) === (d.id || d.elem)) return el;
  }
  return null;
}

// The canvas ops of a render push run after its renders (the element may be new).
var canvasPending = [];
function queueCanvasOp(op) { canvasPending.push(op); }
function runCanvasOps() {
  var ops = canvasPending;
  canvasPending = [];
  ops.forEach(function (op) {
    try { applyCanvasOp(op); } catch (err) { reportError("canvas", err); }
  });
}

function applyCanvasOp(op) {
  var d = isObject(op.canvas) ? op.canvas : {};
  var el = findCanvas(String(op.page || ""), String(op.target || ""), d);
  if (!el) throw new Error("no <canvas> " + JSON.stringify(d.canvasId || d.id || d.node || "") + " in " + op.target);
  var cv = el.__sfCanvas, cmds = Array.isArray(d.cmds) ? d.cmds : [];
  canvasFit(cv);
  if (cv.kind === "legacy") {
    if (!d.reserve) {
      cv.queue = [];
      cv.waiting = false;
      cv.history = [];
      cv.historyCount = 0;
      cv.queue.push({ clear: true, cmds: [], i: 0 });
    }
    if (cv.historyCount + cmds.length <= CANVAS_HISTORY) {
      cv.history.push(cmds);
      cv.historyCount += cmds.length;
    } else {
      cv.history = [];
      cv.historyCount = CANVAS_HISTORY + 1; // too much to keep: no redraw on resize
    }
  }
  cv.queue.push({ cmds: cmds, i: 0 });
  canvasPump(cv);
}

// canvasPump runs the queued commands in order; an image not loaded yet pauses the
// queue until it loads (or fails).
function canvasPump(cv) {
  if (cv.waiting) return;
  while (cv.queue.length) {
    var job = cv.queue[0];
    if (job.clear) { canvasClear(cv); cv.queue.shift(); continue; }
    while (job.i < job.cmds.length) {
      var cmd = job.cmds[job.i];
      var src = canvasImageArg(cmd);
      if (src !== null) {
        var im = canvasImage(src);
        if (!im.ok && !im.failed) {
          cv.waiting = true;
          im.waiters.push(function () { cv.waiting = false; canvasPump(cv); });
          return;
        }
        if (im.failed && !job.errorSent) {
          job.errorSent = true;
          emitComponentEvent(cv.el, "error", { errMsg: "drawImage: " + src + " could not be loaded" });
        }
      }
      job.i++;
      try { canvasRun(cv, cmd); } catch (err) {
        reportError("canvas " + (Array.isArray(cmd) ? cmd[0] : "command"), err);
      }
    }
    cv.queue.shift();
  }
}

function canvasClear(cv) {
  if (cv.kind !== "legacy") return;
  var c = cv.canvas;
  c.width = c.width; // clears the bitmap and resets the whole context state
  cv.ctx.setTransform(cv.dpr, 0, 0, cv.dpr, 0, 0);
}

// canvasImageArg is the image source a command needs loaded, or null.
function canvasImageArg(cmd) {
  if (!Array.isArray(cmd)) return null;
  if (cmd[0] === "drawImage" && typeof cmd[1] === "string") return cmd[1];
  if ((cmd[0] === "fillStyle" || cmd[0] === "strokeStyle") && Array.isArray(cmd[1]) && cmd[1][0] === "pattern" && typeof cmd[1][1] === "string") return cmd[1][1];
  return null;
}

// canvasImageURL resolves an image source as <image> does: a bundle path, a data:
// image, or a remote image or wxfile:// file of the app through the shell's image scheme.
function canvasImageURL(src) {
  return resolveImage(state.init && state.init.images, "", src) || remoteImage(currentAppID(), src) || "";
}

function canvasImage(src) {
  if (hasOwn(canvasImages, src)) return canvasImages[src];
  var im = { img: null, ok: false, failed: false, waiters: [] };
  canvasImages[src] = im;
  var url = canvasImageURL(src);
  function done(ok) {
    im.ok = ok; im.failed = !ok;
    var w = im.waiters; im.waiters = [];
    w.forEach(function (fn) { try { fn(); } catch (err) { reportError("canvas image", err); } });
  }
  if (!url) { im.failed = true; return im; }
  var img = new Image();
  im.img = img;
  img.onload = function () { done(true); };
  img.onerror = function () { done(false); };
  img.src = url;
  return im;
}

function canvasArgsOK(cmd) {
  if (!Array.isArray(cmd) || typeof cmd[0] !== "string" || !hasOwn(CANVAS_OPS, cmd[0])) return false;
  var spec = CANVAS_OPS[cmd[0]], bar = spec.indexOf("|");
  var req = bar < 0 ? spec.length : bar, types = spec.replace("|", ""), n = cmd.length - 1;
  if (n < req || n > types.length) return false;
  for (var i = 0; i < n; i++) {
    var a = cmd[i + 1];
    switch (types[i]) {
      case "n": if (typeof a !== "number" || !isFinite(a)) return false; break;
      case "s": case "i": if (typeof a !== "string") return false; break;
      case "b": if (typeof a !== "boolean") return false; break;
      case "a": if (!Array.isArray(a) || !a.every(function (x) { return typeof x === "number" && isFinite(x); })) return false; break;
      case "f": if (typeof a !== "string" && !Array.isArray(a)) return false; break;
      case "d": if (!Array.isArray(a) || a.length !== 3 || typeof a[2] !== "string") return false; break;
    }
  }
  return true;
}

// canvasStyle turns a recorded style into a colour, gradient or pattern.
function canvasStyle(ctx, s) {
  if (typeof s === "string") return s;
  var g = null;
  if (s[0] === "linear" && s.length === 6) g = ctx.createLinearGradient(s[1], s[2], s[3], s[4]);
  else if (s[0] === "radial" && s.length === 8) g = ctx.createRadialGradient(s[1], s[2], s[3], s[4], s[5], s[6]);
  else if (s[0] === "pattern") {
    var im = canvasImage(String(s[1]));
    return im.ok ? ctx.createPattern(im.img, String(s[2] || "repeat")) : null;
  }
  if (!g) return null;
  (Array.isArray(s[s.length - 1]) ? s[s.length - 1] : []).forEach(function (stop) {
    try { g.addColorStop(Number(stop[0]), String(stop[1])); } catch (err) { /* a bad colour is ignored, as on the web */ }
  });
  return g;
}

function canvasRun(cv, cmd) {
  if (!canvasArgsOK(cmd)) throw new Error("malformed drawing command " + JSON.stringify(cmd).slice(0, 80));
  var ctx = cv.ctx, name = cmd[0], args = cmd.slice(1);
  if (CANVAS_PROPS[name]) {
    var value = name === "fillStyle" || name === "strokeStyle" ? canvasStyle(ctx, args[0]) : args[0];
    if (value !== null) ctx[name] = value;
    return;
  }
  switch (name) {
    case "size":
      if (cv.kind !== "2d") return;
      cv.canvas.width = Math.max(0, Math.min(8192, Math.floor(args[0])));
      cv.canvas.height = Math.max(0, Math.min(8192, Math.floor(args[1])));
      return;
    case "setLineDash": ctx.setLineDash(args[0]); return;
    case "resetTransform":
      if (cv.kind === "legacy") ctx.setTransform(cv.dpr, 0, 0, cv.dpr, 0, 0);
      else ctx.setTransform(1, 0, 0, 1, 0, 0);
      return;
    case "setTransform":
      ctx.setTransform(args[0], args[1], args[2], args[3], args[4], args[5]);
      if (cv.kind === "legacy") { ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.scale(cv.dpr, cv.dpr); ctx.transform(args[0], args[1], args[2], args[3], args[4], args[5]); }
      return;
    case "roundRect":
      if (typeof ctx.roundRect === "function") { ctx.roundRect(args[0], args[1], args[2], args[3], args[4] || 0); return; }
      canvasRoundRect(ctx, args[0], args[1], args[2], args[3], args[4] || 0);
      return;
    case "drawImage": {
      var im = canvasImage(args[0]);
      if (!im.ok) return;
      var rest = args.slice(1);
      if (rest.length === 2) ctx.drawImage(im.img, rest[0], rest[1]);
      else if (rest.length === 4) ctx.drawImage(im.img, rest[0], rest[1], rest[2], rest[3]);
      else if (rest.length === 8) ctx.drawImage(im.img, rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6], rest[7]);
      return;
    }
    case "putImageData": {
      var w = args[0][0], h = args[0][1], bytes = atob(args[0][2]);
      if (bytes.length !== w * h * 4) throw new Error("putImageData: data is not " + w + "x" + h + " pixels");
      var data = ctx.createImageData(w, h);
      for (var i = 0; i < bytes.length; i++) data.data[i] = bytes.charCodeAt(i);
      if (args.length === 7) ctx.putImageData(data, args[1], args[2], args[3], args[4], args[5], args[6]);
      else ctx.putImageData(data, args[1], args[2]);
      return;
    }
  }
  ctx[name].apply(ctx, args); // a method of the vocabulary, with checked arguments
}

function canvasRoundRect(ctx, x, y, w, h, r) {
  r = Math.max(0, Math.min(r, Math.abs(w) / 2, Math.abs(h) / 2));
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

// canvasRead exports a canvas for wx.canvasToTempFilePath once its queued drawing ran.
function canvasRead(p) {
  var id = Number(p.id) || 0;
  function fail(msg) { post("canvasData", { id: id, ok: false, error: String(msg).slice(0, 4000) }); }
  var el = findCanvas(String(p.page || ""), String(p.owner || ""), { canvasId: p.canvasId, elem: p.elem, node: p.node });
  if (!el) { fail("canvas " + JSON.stringify(p.canvasId || p.elem || p.node || "") + " is not on the page"); return; }
  var cv = el.__sfCanvas;
  canvasFit(cv); // a resize the ResizeObserver has not reported yet
  if (cv.waiting || cv.queue.length) { // an image is loading: export after it drew
    var tries = 0;
    var wait = function () {
      if ((cv.waiting || cv.queue.length) && ++tries < 200) { setTimeout(wait, 25); return; }
      canvasExport(cv, p, id, fail);
    };
    setTimeout(wait, 25);
    return;
  }
  canvasExport(cv, p, id, fail);
}

function canvasExport(cv, p, id, fail) {
  var c = cv.canvas;
  var cssW = cv.el.clientWidth || c.width, cssH = cv.el.clientHeight || c.height;
  var sx = c.width / cssW, sy = c.height / cssH; // bitmap px per CSS px
  var x = Math.max(0, Number(p.x) || 0), y = Math.max(0, Number(p.y) || 0);
  var w = Number(p.width) || (cssW - x), h = Number(p.height) || (cssH - y);
  var bx = x * sx, by = y * sy, bw = Math.min(w * sx, c.width - bx), bh = Math.min(h * sy, c.height - by);
  if (!(bw > 0 && bh > 0)) { fail("the area to export is empty"); return; }
  var dw = Math.round(Number(p.destWidth) || bw), dh = Math.round(Number(p.destHeight) || bh);
  dw = Math.max(1, Math.min(8192, dw)); dh = Math.max(1, Math.min(8192, dh));
  var out = document.createElement("canvas");
  out.width = dw; out.height = dh;
  var octx = out.getContext("2d");
  var jpg = p.fileType === "jpg";
  if (jpg) { octx.fillStyle = "#ffffff"; octx.fillRect(0, 0, dw, dh); }
  var url;
  try {
    octx.drawImage(c, bx, by, bw, bh, 0, 0, dw, dh);
    if (p.fileType === "rgba") url = "," + canvasBase64(octx.getImageData(0, 0, dw, dh).data);
    else url = jpg ? out.toDataURL("image/jpeg", Number(p.quality) || 1) : out.toDataURL("image/png");
  } catch (err) {
    fail("the canvas cannot be exported: " + (err && err.message || err));
    return;
  }
  var data = url.slice(url.indexOf(",") + 1);
  for (var i = 0; i < data.length || i === 0; i += CANVAS_CHUNK) {
    var more = i + CANVAS_CHUNK < data.length;
    post("canvasData", { id: id, ok: true, data: data.slice(i, i + CANVAS_CHUNK), more: more });
    if (!more) break;
  }
}

// canvasBase64 encodes raw pixels (canvasGetImageData) in pieces, so that
// String.fromCharCode never gets more arguments than the engine takes.
function canvasBase64(bytes) {
  var parts = [];
  for (var i = 0; i < bytes.length; i += 0x8000) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
  }
  return btoa(parts.join(""));
}
