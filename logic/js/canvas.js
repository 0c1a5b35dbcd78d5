// Sandframe logic: canvas (docs/canvas.md). wx.createCanvasContext (WeChat's legacy
// CanvasContext), the <canvas type="2d"> Canvas object (globalThis.__sfCanvasNode, what
// SelectorQuery's node() answers) and wx.canvasToTempFilePath. Nothing here draws: each
// call records a command (a name and its checked, bounded arguments) and the recorded
// list goes to the page in the turn's render push as a "canvas" op, where the render
// runtime replays it on a real <canvas>. Evaluated once per runtime after the framework,
// as a function expression called with the framework's host natives, the global object,
// the framework's internals and the canvas natives; nothing here is reachable from
// mini-app code but the functions it installs.
(function (host, global, fw, cv) {
  'use strict';

  const ObjectKeys = Object.keys;
  const ObjectDefine = Object.defineProperty;
  const ObjectCreate = Object.create;
  const Uint8Clamped = Uint8ClampedArray;
  const PromiseCtor = Promise;
  function PromiseResolve() { return PromiseCtor.resolve(); }
  const isFiniteNum = Number.isFinite;
  const NumberCtor = Number;
  const StringCtor = String;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const MapCtor = Map;
  const WeakMapCtor = WeakMap;
  const stringify = JSON.stringify;
  const isArray = Array.isArray;
  const mathAbs = Math.abs;
  const setTimeoutFn = global.setTimeout;
  const clearTimeoutFn = global.clearTimeout;
  const dateNow = Date.now;
  const wx = global.wx;

  const MAX_COMMANDS = cv.maxCommands; // bridge.MaxCanvasCommands
  const MAX_COORD = 1e9;       // bridge.MaxCanvasCoord
  const MAX_TEXT = 1024;       // characters (bridge.MaxCanvasString is 4096 bytes)
  const MAX_SIDE = 8192;       // bridge.MaxCanvasSide

  function warn(msg) { host.note('warn', msg); }

  // num is a drawing number, or undefined when it is not finite (the command is then
  // dropped, as a browser ignores a call with a NaN argument).
  function num(v) {
    const n = NumberCtor(v);
    if (!isFiniteNum(n)) return undefined;
    return n > MAX_COORD ? MAX_COORD : n < -MAX_COORD ? -MAX_COORD : n;
  }
  function str(v, max) {
    const s = StringCtor(v === undefined || v === null ? '' : v);
    return s.length > (max || 256) ? s.slice(0, max || 256) : s;
  }

  // ---- styles: colours, gradients, patterns ----------------------------------------

  const styleOf = new WeakMapCtor(); // a gradient/pattern object → its recorded form

  function Gradient(head) { styleOf.set(this, { head: head, stops: [] }); }
  Gradient.prototype.addColorStop = function addColorStop(offset, color) {
    const g = styleOf.get(this);
    const o = num(offset);
    if (g === undefined || o === undefined) return;
    if (g.stops.length >= 64) { warn('canvas: a gradient keeps at most 64 colour stops'); return; }
    g.stops.push([o < 0 ? 0 : o > 1 ? 1 : o, str(color)]);
  };
  function Pattern(src, repetition) { styleOf.set(this, { pattern: [src, repetition] }); }

  // styleValue is what a fillStyle/strokeStyle command carries.
  function styleValue(v) {
    if (v !== null && typeof v === 'object') {
      const g = styleOf.get(v);
      if (g === undefined) return undefined;
      if (g.pattern) return ['pattern', g.pattern[0], g.pattern[1]];
      const out = g.head.slice();
      out[out.length] = g.stops.map(function (s) { return [s[0], s[1]]; });
      return out;
    }
    return str(v);
  }

  function linearGradient(x0, y0, x1, y1) {
    return new Gradient(['linear', num(x0) || 0, num(y0) || 0, num(x1) || 0, num(y1) || 0]);
  }
  function radialGradient(x0, y0, r0, x1, y1, r1) {
    return new Gradient(['radial', num(x0) || 0, num(y0) || 0, mathAbs(num(r0) || 0), num(x1) || 0, num(y1) || 0, mathAbs(num(r1) || 0)]);
  }

  // ---- measureText --------------------------------------------------------------

  // Advance widths of ASCII 32..126 in thousandths of an em, from Helvetica/Arial's
  // metrics (what the page's sans-serif usually is); other characters: CJK and
  // full-width ones 1 em, the rest 0.6 em. An approximation made in logic, so that
  // measureText stays synchronous as in WeChat (docs/canvas.md).
  const ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584];

  // fontSize reads the px size out of a CSS font shorthand ("bold 14px sans-serif").
  let lastFont = '', lastSize = 10;
  function fontSize(font) {
    if (font === lastFont) return lastSize;
    lastFont = font;
    lastSize = parseFontSize(font);
    return lastSize;
  }
  function parseFontSize(font) {
    const m = /(\d+(?:\.\d+)?)(px|pt|rpx|em|rem)\b/.exec(font);
    if (m === null) return 10;
    const n = NumberCtor(m[1]);
    switch (m[2]) {
      case 'pt': return n * 4 / 3;
      case 'em': case 'rem': return n * 16;
      case 'rpx': return n * 0.5;
    }
    return n;
  }
  function measure(text, font) {
    const s = StringCtor(text);
    const size = fontSize(font);
    const bold = font.indexOf('bold') >= 0 || /\b[6-9]00\b/.test(font) ? 1.05 : 1;
    let w = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 32 && c <= 126) w += ASCII_WIDTHS[c - 32];
      else if (c >= 0x2e80 && c <= 0xffef) w += 1000;
      else if (c >= 0xdc00 && c <= 0xdfff) continue; // second half of a surrogate pair
      else w += 600;
    }
    const width = w / 1000 * size * bold;
    return { width: width, actualBoundingBoxLeft: 0, actualBoundingBoxRight: width,
      actualBoundingBoxAscent: size * 0.72, actualBoundingBoxDescent: size * 0.21,
      fontBoundingBoxAscent: size * 0.92, fontBoundingBoxDescent: size * 0.24 };
  }

  // ---- images -----------------------------------------------------------------------

  // imageSrc turns an image reference into what the page resolves: a bundle path from
  // the root ("/images/a.png", relative ones against the owner's file), or a remote,
  // data: or temporary-file url as given.
  function imageSrc(src, ownerPath) {
    if (src !== null && typeof src === 'object') {
      const im = imageOf.get(src);
      if (im !== undefined) return im.src;
      src = src.src !== undefined ? src.src : src.path;
    }
    const s = str(src, 4096);
    if (s === '' || /^[a-z][a-z0-9+.-]*:/i.test(s) || s.slice(0, 2) === '//') return s;
    if (s[0] === '/') return s;
    const dir = ownerPath.indexOf('/') >= 0 ? ownerPath.slice(0, ownerPath.lastIndexOf('/') + 1) : '';
    const parts = (dir + s).split('/');
    const out = [];
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === '..') out.pop();
      else if (parts[i] !== '.' && parts[i] !== '') out.push(parts[i]);
    }
    return '/' + out.join('/');
  }

  // Image is what canvas.createImage() returns. Its load is announced in logic: a
  // bundle image with its real size when logic can read the file, another one with
  // 0 x 0 (the page loads it when a command draws it, and a <canvas binderror> hears
  // when it cannot). drawImage with a size draws either.
  const imageOf = new WeakMapCtor();
  function Image(ownerPath) {
    imageOf.set(this, { src: '', ownerPath: ownerPath });
    this.width = 0;
    this.height = 0;
    this.complete = false;
    this.onload = null;
    this.onerror = null;
  }
  ObjectDefine(Image.prototype, 'src', {
    get: function () { const im = imageOf.get(this); return im ? im.src : ''; },
    set: function (v) {
      const im = imageOf.get(this);
      if (im === undefined) return;
      im.src = imageSrc(v, im.ownerPath);
      const self = this;
      const size = im.src[0] === '/' ? cv.imageSize(im.src.slice(1)) : '';
      setTimeoutFn(function () {
        if (im.src === '') {
          if (typeof self.onerror === 'function') self.onerror({ errMsg: 'image src is empty' });
          return;
        }
        if (size !== '') {
          const wh = size.split(',');
          self.width = NumberCtor(wh[0]);
          self.height = NumberCtor(wh[1]);
        }
        self.complete = true;
        if (typeof self.onload === 'function') self.onload({ type: 'load' });
      }, 0);
    }
  });

  // ---- the recorder shared by both kinds ---------------------------------------------

  // Recorder holds the commands of one canvas not yet sent, and the drawing state its
  // getters answer (the page keeps the real one).
  function newState() {
    return { fillStyle: '#000000', strokeStyle: '#000000', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter',
      miterLimit: 10, font: '10px sans-serif', textAlign: 'start', textBaseline: 'alphabetic', globalAlpha: 1,
      globalCompositeOperation: 'source-over', shadowColor: 'rgba(0, 0, 0, 0)', shadowBlur: 0, shadowOffsetX: 0,
      shadowOffsetY: 0, lineDashOffset: 0, imageSmoothingEnabled: true, direction: 'inherit', lineDash: [],
      letterSpacing: '0px', filter: 'none' };
  }
  function copyState(s) {
    const o = {};
    const ks = ObjectKeys(s);
    for (let i = 0; i < ks.length; i++) o[ks[i]] = s[ks[i]];
    o.lineDash = s.lineDash.slice();
    return o;
  }

  // rec: {ids: {owner, page, path}, target: {canvasId|id|node}, kind, cmds, state, stack}
  function record(rec, name, args) {
    const c = [name]; // not concat: the guarded built-in costs ~50 µs a call
    for (let i = 0; i < args.length; i++) c[i + 1] = args[i];
    return add(rec, c);
  }
  // add appends a command [name, ...args]; one with an undefined argument (not a
  // finite number) is dropped.
  function add(rec, c) {
    for (let i = 1; i < c.length; i++) if (c[i] === undefined) return false;
    if (rec.cmds.length >= MAX_COMMANDS) {
      throw new ErrorCtor('canvas: more than ' + MAX_COMMANDS + ' drawing commands before they were drawn');
    }
    rec.cmds[rec.cmds.length] = c;
    if (rec.kind === '2d' && !rec.scheduled) schedule2d(rec);
    return true;
  }

  // send puts rec's commands in this turn's render push; cb runs when the page has
  // drawn them (it acknowledged the push).
  function send(rec, reserve, cb) {
    const draw = { kind: rec.kind, cmds: rec.cmds };
    if (rec.target.canvasId !== undefined) draw.canvasId = rec.target.canvasId;
    if (rec.target.id !== undefined && rec.target.id !== '') draw.id = rec.target.id;
    if (rec.target.node !== undefined && rec.target.node !== '') draw.node = rec.target.node;
    if (reserve) draw.reserve = true;
    rec.cmds = [];
    cv.draw(rec.ids.owner, rec.ids.page, stringify(draw), typeof cb === 'function' ? cb : undefined);
  }

  const propSetters = {
    fillStyle: function (v) { return styleValue(v); },
    strokeStyle: function (v) { return styleValue(v); },
    lineWidth: function (v) { const n = num(v); return n !== undefined && n > 0 ? n : undefined; },
    lineCap: function (v) { return /^(butt|round|square)$/.test(v) ? v : undefined; },
    lineJoin: function (v) { return /^(round|bevel|miter)$/.test(v) ? v : undefined; },
    miterLimit: function (v) { const n = num(v); return n !== undefined && n > 0 ? n : undefined; },
    font: function (v) { return str(v); },
    textAlign: function (v) { return /^(start|end|left|right|center)$/.test(v) ? v : undefined; },
    textBaseline: function (v) { return /^(top|hanging|middle|alphabetic|ideographic|bottom|normal)$/.test(v) ? (v === 'normal' ? 'alphabetic' : v) : undefined; },
    globalAlpha: function (v) { const n = num(v); return n !== undefined && n >= 0 && n <= 1 ? n : undefined; },
    globalCompositeOperation: function (v) { return str(v, 64); },
    shadowColor: function (v) { return str(v); },
    shadowBlur: function (v) { const n = num(v); return n !== undefined && n >= 0 ? n : undefined; },
    shadowOffsetX: num,
    shadowOffsetY: num,
    lineDashOffset: num,
    imageSmoothingEnabled: function (v) { return !!v; },
    direction: function (v) { return /^(ltr|rtl|inherit)$/.test(v) ? v : undefined; },
    letterSpacing: function (v) { return str(v, 64); },
    filter: function (v) { return str(v, 256); },
  };

  function setProp(rec, name, v) {
    const value = propSetters[name](v);
    if (value === undefined) return;
    if (record(rec, name, [value])) rec.state[name] = (name === 'fillStyle' || name === 'strokeStyle') && typeof v === 'object' ? v : value;
  }

  // The methods both kinds share (standard CanvasRenderingContext2D names).
  function addMethods(proto, recOf) {
    function r(self) {
      const rec = recOf.get(self);
      if (rec === undefined) throw new TypeErrorCtor('Illegal invocation');
      return rec;
    }
    // One function per arity, without `arguments` or an argument array: these are
    // the calls a chart makes thousands of times.
    function cmd(name, count) {
      switch (count) {
        case 0: proto[name] = function () { add(r(this), [name]); }; return;
        case 1: proto[name] = function (a) { add(r(this), [name, num(a)]); }; return;
        case 2: proto[name] = function (a, b) { add(r(this), [name, num(a), num(b)]); }; return;
        case 4: proto[name] = function (a, b, c, d) { add(r(this), [name, num(a), num(b), num(c), num(d)]); }; return;
        case 5: proto[name] = function (a, b, c, d, e) { add(r(this), [name, num(a), num(b), num(c), num(d), num(e)]); }; return;
        case 6: proto[name] = function (a, b, c, d, e, f) { add(r(this), [name, num(a), num(b), num(c), num(d), num(e), num(f)]); }; return;
      }
      throw new ErrorCtor('canvas: no arity ' + count);
    }
    ['beginPath', 'closePath', 'stroke', 'save', 'restore', 'resetTransform'].forEach(function (n) { cmd(n, 0); });
    cmd('moveTo', 2); cmd('lineTo', 2); cmd('translate', 2); cmd('scale', 2); cmd('rotate', 1);
    cmd('quadraticCurveTo', 4); cmd('bezierCurveTo', 6); cmd('rect', 4); cmd('arcTo', 5);
    cmd('fillRect', 4); cmd('strokeRect', 4); cmd('clearRect', 4);
    cmd('transform', 6); cmd('setTransform', 6);
    proto.save = function save() {
      const rec = r(this);
      if (record(rec, 'save', []) && rec.stack.length < 1024) rec.stack.push(copyState(rec.state));
    };
    proto.restore = function restore() {
      const rec = r(this);
      if (record(rec, 'restore', []) && rec.stack.length > 0) rec.state = rec.stack.pop();
    };
    proto.setTransform = function setTransform(a, b, c, d, e, f) {
      if (a !== null && typeof a === 'object') { // a DOMMatrix-like object
        return this.setTransform(a.a, a.b, a.c, a.d, a.e, a.f);
      }
      if (arguments.length === 0) return record(r(this), 'resetTransform', []), undefined;
      record(r(this), 'setTransform', [num(a), num(b), num(c), num(d), num(e), num(f)]);
    };
    proto.arc = function arc(x, y, radius, start, end, ccw) {
      const rad = num(radius);
      if (rad !== undefined && rad < 0) throw new ErrorCtor("Failed to execute 'arc': The radius provided (" + rad + ') is negative.');
      const args = [num(x), num(y), rad, num(start), num(end)];
      if (ccw) args.push(true);
      record(r(this), 'arc', args);
    };
    proto.ellipse = function ellipse(x, y, rx, ry, rotation, start, end, ccw) {
      const args = [num(x), num(y), num(rx), num(ry), num(rotation), num(start), num(end)];
      if (ccw) args.push(true);
      record(r(this), 'ellipse', args);
    };
    proto.roundRect = function roundRect(x, y, w, h, radii) {
      const args = [num(x), num(y), num(w), num(h)];
      const rr = isArray(radii) ? radii[0] : radii;
      if (rr !== undefined) args.push(num(rr));
      record(r(this), 'roundRect', args);
    };
    function fillRule(name) {
      proto[name] = function (a, b) {
        const rule = typeof a === 'string' ? a : typeof b === 'string' ? b : '';
        record(r(this), name, rule === 'evenodd' || rule === 'nonzero' ? [rule] : []);
      };
    }
    fillRule('fill');
    fillRule('clip');
    function text(name) {
      proto[name] = function (t, x, y, maxWidth) {
        const args = [str(t, MAX_TEXT), num(x), num(y)];
        if (maxWidth !== undefined) args.push(num(maxWidth));
        record(r(this), name, args);
      };
    }
    text('fillText');
    text('strokeText');
    proto.measureText = function measureText(t) { return measure(t, r(this).state.font); };
    proto.createLinearGradient = linearGradient;
    proto.createRadialGradient = radialGradient;
    proto.createPattern = function createPattern(image, repetition) {
      const rep = repetition === undefined || repetition === null || repetition === '' ? 'repeat' : str(repetition, 32);
      return new Pattern(imageSrc(image, r(this).ids.path), rep);
    };
    proto.setLineDash = function setLineDash(segments) {
      const rec = r(this);
      const list = [];
      const src = isArray(segments) ? segments : [];
      for (let i = 0; i < src.length && i < 64; i++) {
        const n = num(src[i]);
        if (n === undefined || n < 0) return;
        list.push(n);
      }
      if (record(rec, 'setLineDash', [list])) rec.state.lineDash = list;
    };
    proto.getLineDash = function getLineDash() { return r(this).state.lineDash.slice(); };
    proto.drawImage = function drawImage(image) {
      const rec = r(this);
      const n = arguments.length - 1;
      if (n !== 2 && n !== 4 && n !== 8) throw new TypeErrorCtor('drawImage takes an image and 2, 4 or 8 numbers');
      const args = [imageSrc(image, rec.ids.path)];
      for (let i = 1; i <= n; i++) args.push(num(arguments[i]));
      record(rec, 'drawImage', args);
    };
    ObjectKeys(propSetters).forEach(function (name) {
      ObjectDefine(proto, name, {
        get: function () { return r(this).state[name]; },
        set: function (v) { setProp(r(this), name, v); },
        enumerable: true,
      });
    });
  }

  // ---- legacy: wx.createCanvasContext ------------------------------------------------

  const legacyOf = new WeakMapCtor();
  function CanvasContext() { throw new TypeErrorCtor('Illegal constructor'); }
  addMethods(CanvasContext.prototype, legacyOf);
  const lp = CanvasContext.prototype;
  function legacy(self) {
    const rec = legacyOf.get(self);
    if (rec === undefined) throw new TypeErrorCtor('Illegal invocation');
    return rec;
  }
  // WeChat's setter methods, the older spelling of the properties.
  [['setFillStyle', 'fillStyle'], ['setStrokeStyle', 'strokeStyle'], ['setLineWidth', 'lineWidth'],
    ['setLineCap', 'lineCap'], ['setLineJoin', 'lineJoin'], ['setMiterLimit', 'miterLimit'],
    ['setTextAlign', 'textAlign'], ['setTextBaseline', 'textBaseline'], ['setGlobalAlpha', 'globalAlpha']].forEach(function (p) {
    lp[p[0]] = function (v) { setProp(legacy(this), p[1], v); };
  });
  lp.setFontSize = function setFontSize(size) {
    const rec = legacy(this);
    const n = num(size);
    if (n === undefined || n <= 0) return;
    const font = /\d+(?:\.\d+)?(px|pt|rpx|em|rem)\b/.test(rec.state.font)
      ? rec.state.font.replace(/\d+(?:\.\d+)?(px|pt|rpx|em|rem)\b/, n + 'px') : n + 'px sans-serif';
    setProp(rec, 'font', font);
  };
  lp.setShadow = function setShadow(offsetX, offsetY, blur, color) {
    const rec = legacy(this);
    setProp(rec, 'shadowOffsetX', offsetX === undefined ? 0 : offsetX);
    setProp(rec, 'shadowOffsetY', offsetY === undefined ? 0 : offsetY);
    setProp(rec, 'shadowBlur', blur === undefined ? 0 : blur);
    setProp(rec, 'shadowColor', color === undefined ? 'black' : color);
  };
  const setLineDash2d = lp.setLineDash;
  lp.setLineDash = function setLineDash(pattern, offset) {
    setLineDash2d.call(this, pattern);
    if (offset !== undefined) setProp(legacy(this), 'lineDashOffset', offset);
  };
  lp.createCircularGradient = function createCircularGradient(x, y, r) { return radialGradient(x, y, 0, x, y, r); };
  // draw sends what was recorded since the last draw: on a cleared canvas, or with
  // reserve on top of what it shows; callback runs once the page drew it.
  lp.draw = function draw(reserve, callback) {
    const rec = legacy(this);
    if (typeof reserve === 'function') { callback = reserve; reserve = false; }
    send(rec, !!reserve, callback);
  };

  const pagesFn = global.getCurrentPages; // the framework's: captured before any app code
  function currentIds() {
    const pages = pagesFn();
    return pages.length > 0 ? fw.ownerIds(pages[pages.length - 1]) : null;
  }

  function ownerOrPage(owner) {
    const ids = owner !== undefined && owner !== null ? fw.ownerIds(owner) : null;
    return ids !== null ? ids : currentIds();
  }

  wx.createCanvasContext = function createCanvasContext(canvasId, component) {
    const ids = ownerOrPage(component);
    if (ids === null) throw new ErrorCtor('createCanvasContext: no page is open');
    const ctx = ObjectCreate(lp);
    legacyOf.set(ctx, { ids: ids, target: { canvasId: str(canvasId) }, kind: 'legacy', cmds: [], state: newState(), stack: [] });
    return ctx;
  };

  // ---- 2d: the Canvas object ---------------------------------------------------------

  const ctx2dOf = new WeakMapCtor(); // context → rec
  const canvasOf = new WeakMapCtor(); // Canvas → rec
  function CanvasRenderingContext2D() { throw new TypeErrorCtor('Illegal constructor'); }
  addMethods(CanvasRenderingContext2D.prototype, ctx2dOf);
  const cp = CanvasRenderingContext2D.prototype;
  function r2d(self) {
    const rec = ctx2dOf.get(self);
    if (rec === undefined) throw new TypeErrorCtor('Illegal invocation');
    return rec;
  }
  ObjectDefine(cp, 'canvas', { get: function () { return r2d(this).canvas; } });
  cp.createImageData = function createImageData(w, h) {
    if (w !== null && typeof w === 'object') { h = w.height; w = w.width; }
    const width = mathAbs(num(w) | 0), height = mathAbs(num(h) | 0);
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) throw new ErrorCtor('createImageData: the size must be 1 to ' + MAX_SIDE + ' px a side');
    return { width: width, height: height, data: new Uint8Clamped(width * height * 4) };
  };
  cp.putImageData = function putImageData(data, dx, dy, x, y, w, h) {
    if (data === null || typeof data !== 'object' || !(data.data instanceof Uint8Clamped)) throw new TypeErrorCtor('putImageData: the first argument must be an ImageData');
    const width = data.width | 0, height = data.height | 0;
    if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || data.data.length !== width * height * 4) throw new TypeErrorCtor('putImageData: malformed ImageData');
    const args = [[width, height, wx.arrayBufferToBase64(data.data)], num(dx), num(dy)];
    if (x !== undefined) args.push(num(x), num(y), num(w), num(h));
    record(r2d(this), 'putImageData', args);
  };
  cp.getImageData = function getImageData() {
    throw new ErrorCtor('getImageData is not supported: the pixels are in the page; use wx.canvasToTempFilePath');
  };
  cp.isPointInPath = function isPointInPath() { return false; };
  cp.isPointInStroke = function isPointInStroke() { return false; };
  cp.getTransform = function getTransform() { return { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }; };

  // schedule2d sends a 2d canvas's commands at the end of the turn (a wx.nextTick runs
  // just before the turn's render push is made).
  const dirty2d = [];
  function schedule2d(rec) {
    if (rec.scheduled) return;
    rec.scheduled = true;
    if (dirty2d.length === 0) host.nextTick(flush2d);
    dirty2d.push(rec);
  }
  function flush2d() {
    const list = dirty2d.splice(0, dirty2d.length);
    for (let i = 0; i < list.length; i++) {
      list[i].scheduled = false;
      if (list[i].cmds.length > 0) send(list[i], true);
    }
  }

  function Canvas() { throw new TypeErrorCtor('Illegal constructor'); }
  const kp = Canvas.prototype;
  function rc(self) {
    const rec = canvasOf.get(self);
    if (rec === undefined) throw new TypeErrorCtor('Illegal invocation');
    return rec;
  }
  function side(v) {
    const n = num(v);
    if (n === undefined || n < 0) return 0;
    return n > MAX_SIDE ? MAX_SIDE : n | 0;
  }
  ['width', 'height'].forEach(function (name) {
    ObjectDefine(kp, name, {
      get: function () { return rc(this)[name]; },
      set: function (v) {
        const rec = rc(this);
        rec[name] = side(v);
        // Setting either resets the bitmap and the context, as on the web.
        rec.cmds = [];
        rec.state = newState();
        rec.stack = [];
        record(rec, 'size', [rec.width, rec.height]);
      },
      enumerable: true,
    });
  });
  kp.getContext = function getContext(type) {
    const rec = rc(this);
    if (type !== '2d') return null;
    return rec.ctx;
  };
  kp.createImage = function createImage() { return new Image(rc(this).ids.path); };
  kp.createImageData = function createImageData(w, h) { return cp.createImageData.call(rc(this).ctx, w, h); };
  kp.createPath2D = function createPath2D() { throw new ErrorCtor('createPath2D is not supported'); };
  kp.toDataURL = function toDataURL() {
    throw new ErrorCtor('toDataURL is not supported: the pixels are in the page; use wx.canvasToTempFilePath({canvas})');
  };
  // requestAnimationFrame runs callbacks about every 16 ms, each frame's commands
  // going to the page in that turn's push.
  let frames = new MapCtor();
  let frameSeq = 0;
  let frameTimer = 0;
  function runFrames() {
    frameTimer = 0;
    const due = frames;
    frames = new MapCtor();
    const t = dateNow();
    due.forEach(function (fn) { try { fn(t); } catch (e) { host.note('error', 'requestAnimationFrame callback: ' + (e && e.stack || e)); } });
  }
  kp.requestAnimationFrame = function requestAnimationFrame(fn) {
    rc(this);
    if (typeof fn !== 'function') throw new TypeErrorCtor('requestAnimationFrame: the argument must be a function');
    const id = ++frameSeq;
    frames.set(id, fn);
    if (frameTimer === 0) frameTimer = setTimeoutFn(runFrames, 16);
    return id;
  };
  kp.cancelAnimationFrame = function cancelAnimationFrame(id) {
    frames.delete(id);
    if (frames.size === 0 && frameTimer !== 0) { clearTimeoutFn(frameTimer); frameTimer = 0; }
  };

  // __sfCanvasNode(owner, info) is the Canvas of a <canvas type="2d"> for SelectorQuery's
  // node(): owner is the page or component instance whose template holds it, info
  // {id, canvasId, nodeId, width, height} (width/height: its CSS size, the initial
  // bitmap size). The same element gives the same Canvas again.
  const nodes = new MapCtor(); // owner id + target → Canvas
  function canvasNode(owner, info) {
    const ids = fw.ownerIds(owner);
    if (ids === null) throw new TypeErrorCtor('__sfCanvasNode: the owner is not a live page or component');
    info = info !== null && typeof info === 'object' ? info : {};
    const target = { id: str(info.id), node: str(info.nodeId) };
    if (info.canvasId !== undefined && info.canvasId !== '') target.canvasId = str(info.canvasId);
    if (target.id === '' && target.node === '' && target.canvasId === undefined) throw new TypeErrorCtor('__sfCanvasNode: info names no element (id, canvasId or nodeId)');
    const key = ids.owner + '\u0000' + target.id + '\u0000' + target.node + '\u0000' + (target.canvasId || '');
    for (const k of nodes.keys()) { // forget the canvases of owners that ended
      if (fw.ownerIds(nodes.get(k).owner) === null) nodes.delete(k);
    }
    const known = nodes.get(key);
    if (known !== undefined) return known.canvas;
    const canvas = ObjectCreate(kp);
    const ctx = ObjectCreate(cp);
    const rec = { ids: ids, target: target, kind: '2d', cmds: [], state: newState(), stack: [],
      width: side(info.width) || 300, height: side(info.height) || 150, canvas: canvas, ctx: ctx, scheduled: false };
    canvasOf.set(canvas, rec);
    ctx2dOf.set(ctx, rec);
    record(rec, 'size', [rec.width, rec.height]);
    nodes.set(key, { owner: owner, canvas: canvas });
    return canvas;
  }
  ObjectDefine(global, '__sfCanvasNode', { value: canvasNode, writable: false, enumerable: false, configurable: false });

  // ---- wx.canvasToTempFilePath ---------------------------------------------------------

  // The registry's function takes plain fields; this wrapper adds which canvas (from
  // canvasId and the component, or a 2d Canvas in `canvas`) and sends the commands
  // not yet drawn first, so the export sees them.
  // wx.canvasGetImageData answers data as a Uint8ClampedArray (the host sends base64);
  // wx.canvasPutImageData draws pixels on a legacy canvas, on top of what it shows.
  const getImageData = wx.canvasGetImageData;
  if (typeof getImageData === 'function') {
    wx.canvasGetImageData = function canvasGetImageData(options, component) {
      const opts = options !== null && typeof options === 'object' ? options : {};
      const o = {};
      const ks = ObjectKeys(opts);
      for (let i = 0; i < ks.length; i++) if (ks[i] !== 'success' && ks[i] !== 'fail' && ks[i] !== 'complete') o[ks[i]] = opts[ks[i]];
      const ids = ownerOrPage(component);
      if (ids !== null) { o.owner = ids.owner; o.page = ids.page; }
      cv.flushNow();
      const toPixels = function (res) {
        if (res && typeof res.data === 'string') res.data = new Uint8Clamped(wx.base64ToArrayBuffer(res.data));
        return res;
      };
      const success = typeof opts.success === 'function' ? opts.success : undefined;
      const fail = typeof opts.fail === 'function' ? opts.fail : undefined;
      const complete = typeof opts.complete === 'function' ? opts.complete : undefined;
      if (success === undefined && fail === undefined && complete === undefined) return getImageData(o).then(toPixels);
      o.success = function (res) { res = toPixels(res); if (success) success(res); if (complete) complete(res); };
      o.fail = function (res) { if (fail) fail(res); if (complete) complete(res); };
      return getImageData(o);
    };
  }
  wx.canvasPutImageData = function canvasPutImageData(options, component) {
    const opts = options !== null && typeof options === 'object' ? options : {};
    const done = function (ok, msg) {
      const res = { errMsg: 'canvasPutImageData:' + (ok ? 'ok' : 'fail ' + msg) };
      const cb = ok ? opts.success : opts.fail;
      if (typeof cb === 'function') cb(res);
      if (typeof opts.complete === 'function') opts.complete(res);
      return res;
    };
    const hasCallbacks = typeof opts.success === 'function' || typeof opts.fail === 'function' || typeof opts.complete === 'function';
    try {
      const ids = ownerOrPage(component);
      if (ids === null) throw new ErrorCtor('no page is open');
      const w = opts.width | 0, h = opts.height | 0;
      if (!(opts.data instanceof Uint8Clamped) || w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE || opts.data.length !== w * h * 4) {
        throw new ErrorCtor('data must be a Uint8ClampedArray of width * height * 4 bytes');
      }
      const rec = { ids: ids, target: { canvasId: str(opts.canvasId) }, kind: 'legacy', cmds: [], state: newState(), stack: [] };
      if (!record(rec, 'putImageData', [[w, h, wx.arrayBufferToBase64(opts.data)], num(opts.x) || 0, num(opts.y) || 0])) throw new ErrorCtor('x and y must be numbers');
      if (hasCallbacks) { send(rec, true, function () { done(true); }); return undefined; }
      return new PromiseCtor(function (resolve) { send(rec, true, function () { resolve({ errMsg: 'canvasPutImageData:ok' }); }); });
    } catch (e) {
      if (hasCallbacks) { PromiseResolve().then(function () { done(false, e.message); }); return undefined; }
      return PromiseCtor.reject({ errMsg: 'canvasPutImageData:fail ' + e.message });
    }
  };

  const toTempFile = wx.canvasToTempFilePath;
  if (typeof toTempFile === 'function') {
    wx.canvasToTempFilePath = function canvasToTempFilePath(options, component) {
      const o = {};
      const opts = options !== null && typeof options === 'object' ? options : {};
      const ks = ObjectKeys(opts);
      for (let i = 0; i < ks.length; i++) o[ks[i]] = opts[ks[i]];
      let ids;
      const rec = o.canvas !== undefined ? canvasOf.get(o.canvas) : undefined;
      delete o.canvas;
      if (rec !== undefined) {
        ids = rec.ids;
        if (rec.target.id) o.id = rec.target.id;
        if (rec.target.node) o.node = rec.target.node;
        if (rec.target.canvasId !== undefined) o.canvasId = rec.target.canvasId;
        if (rec.cmds.length > 0) send(rec, true);
      } else {
        ids = ownerOrPage(component);
      }
      if (ids !== null) { o.owner = ids.owner; o.page = ids.page; }
      cv.flushNow(); // the drawing goes before the request that reads it
      return toTempFile(o);
    };
  }
})
