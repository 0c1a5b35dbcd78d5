// motion.js — animations that arrive as data (docs/queries.md): the `animation`
// attribute of any element (wx.createAnimation().export(): {actions: [{animates,
// option}]}) played as CSS transitions step by step, and this.animate /
// this.clearAnimation (query ops "animate", "clear") played with the Web Animations
// API. Nothing of the app runs here as code: the values are read into CSS.

var ANIM_TRANSFORMS = {
  matrix: "", matrix3d: "", rotate: "deg", rotate3d: "rot3d", rotateX: "deg", rotateY: "deg", rotateZ: "deg",
  scale: "", scale3d: "", scaleX: "", scaleY: "", scaleZ: "", skew: "deg", skewX: "deg", skewY: "deg",
  translate: "px", translate3d: "px", translateX: "px", translateY: "px", translateZ: "px"
};
var ANIM_STYLES = { opacity: "", "background-color": "", width: "px", height: "px", top: "px", left: "px", bottom: "px", right: "px" };
var ANIM_MAX_STEPS = 100;

// animLength turns a number into unit, an "Nrpx" string into px, and keeps other
// strings that look like a CSS length or number.
function animLength(v, unit) {
  if (typeof v === "number" && isFinite(v)) return v + unit;
  if (typeof v !== "string") return null;
  var m = /^\s*(-?\d*\.?\d+)rpx\s*$/.exec(v);
  if (m) return parseFloat(m[1]) * state.rpx + "px";
  return /^\s*-?\d*\.?\d+(px|%|deg|rad|turn|em|rem|vw|vh)?\s*$/.test(v) ? v.trim() : null;
}

function animColor(v) {
  if (typeof v !== "string" || v.length > 64 || /[;{}()\\]/.test(v.replace(/^(rgba?|hsla?)\(([^()]*)\)$/, ""))) return null;
  return v;
}

// transformText builds a transform function from one animate entry; null if invalid.
function transformText(type, args) {
  if (!hasOwn(ANIM_TRANSFORMS, type) || !Array.isArray(args)) return null;
  var unit = ANIM_TRANSFORMS[type], vals = [];
  for (var i = 0; i < args.length && i < 16; i++) {
    var u = unit;
    if (unit === "rot3d") u = i === 3 ? "deg" : "";
    if (unit === "px" && type === "translate3d" && i > 2) break;
    var s = animLength(args[i], u);
    if (s === null) return null;
    vals.push(s);
  }
  if (!vals.length) return null;
  return type + "(" + vals.join(", ") + ")";
}

// ---- the animation attribute -------------------------------------------------------

function applyAnimationAttr(el, value) {
  if (el.__sfAnimTimer) { clearTimeout(el.__sfAnimTimer); el.__sfAnimTimer = null; }
  if (!isObject(value) || !Array.isArray(value.actions) || !value.actions.length) return;
  var steps = value.actions.slice(0, ANIM_MAX_STEPS);
  var gen = (el.__sfAnimGen || 0) + 1;
  el.__sfAnimGen = gen;
  var run = function (i) {
    if (i >= steps.length || el.__sfAnimGen !== gen || !el.isConnected) return;
    var wait = playStep(el, steps[i]);
    el.__sfAnimTimer = setTimeout(function () { run(i + 1); }, wait);
  };
  // After the patch, so a new element starts from its laid-out state.
  whenPatched(function () { void el.offsetWidth; run(0); });
}

// playStep sets one step's transition and target values; returns its length in ms.
function playStep(el, step) {
  var opt = isObject(step) && isObject(step.option) ? step.option : {};
  var tr = isObject(opt.transition) ? opt.transition : {};
  var duration = clampMs(tr.duration, 400), delay = clampMs(tr.delay, 0);
  var timing = typeof tr.timingFunction === "string" && /^[a-z-]+(\([0-9.,\s-]*\))?$/.test(tr.timingFunction) ? tr.timingFunction : "linear";
  var transforms = [], props = ["transform"], styles = {};
  (isObject(step) && Array.isArray(step.animates) ? step.animates : []).slice(0, 64).forEach(function (a) {
    if (!isObject(a)) return;
    if (a.type === "style" && Array.isArray(a.args)) {
      var name = String(a.args[0]);
      if (!hasOwn(ANIM_STYLES, name)) return;
      var v = name === "background-color" ? animColor(a.args[1]) : animLength(a.args[1], ANIM_STYLES[name]);
      if (v === null) return;
      styles[name] = v;
      if (props.indexOf(name) < 0) props.push(name);
      return;
    }
    var t = transformText(String(a.type), a.args);
    if (t !== null) transforms.push(t);
  });
  el.style.transitionProperty = props.join(", ");
  el.style.transitionDuration = duration + "ms";
  el.style.transitionTimingFunction = timing;
  el.style.transitionDelay = delay + "ms";
  if (typeof opt.transformOrigin === "string" && opt.transformOrigin.length < 64 && !/[;{}]/.test(opt.transformOrigin)) el.style.transformOrigin = opt.transformOrigin;
  if (transforms.length) el.style.transform = transforms.join(" ");
  Object.keys(styles).forEach(function (k) { el.style.setProperty(k, styles[k]); });
  return duration + delay;
}

function clampMs(v, d) {
  v = typeof v === "number" && isFinite(v) ? v : d;
  return Math.max(0, Math.min(v, 60000));
}

// ---- this.animate / this.clearAnimation --------------------------------------------

var KEYFRAME_STYLES = { opacity: "", backgroundColor: "", width: "px", height: "px", top: "px", left: "px", bottom: "px", right: "px" };
var KEYFRAME_TRANSFORMS = {
  matrix: "matrix", matrix3d: "matrix3d", rotate: "rotate", rotate3d: "rotate3d", rotateX: "rotateX", rotateY: "rotateY",
  rotateZ: "rotateZ", scale: "scale", scale3d: "scale3d", scaleX: "scaleX", scaleY: "scaleY", scaleZ: "scaleZ",
  skew: "skew", skewX: "skewX", skewY: "skewY", translate: "translate", translate3d: "translate3d",
  translateX: "translateX", translateY: "translateY", translateZ: "translateZ"
};

// keyframeOf turns one of WeChat's keyframes ({offset, ease, opacity, rotate: 45,
// translate: [10, 0], ...}) into a Web Animations keyframe.
function keyframeOf(k) {
  var out = {}, transforms = [];
  if (!isObject(k)) return out;
  if (typeof k.offset === "number" && k.offset >= 0 && k.offset <= 1) out.offset = k.offset;
  if (typeof k.ease === "string" && /^[a-z-]+(\([0-9.,\s-]*\))?$/.test(k.ease)) out.easing = k.ease;
  if (typeof k.transformOrigin === "string" && k.transformOrigin.length < 64 && !/[;{}]/.test(k.transformOrigin)) out.transformOrigin = k.transformOrigin;
  Object.keys(KEYFRAME_STYLES).forEach(function (name) {
    if (!hasOwn(k, name)) return;
    var v = name === "backgroundColor" ? animColor(k[name]) : animLength(k[name], KEYFRAME_STYLES[name]);
    if (v !== null) out[name] = v;
  });
  Object.keys(KEYFRAME_TRANSFORMS).forEach(function (name) {
    if (!hasOwn(k, name)) return;
    var t = transformText(KEYFRAME_TRANSFORMS[name], Array.isArray(k[name]) ? k[name] : [k[name]]);
    if (t !== null) transforms.push(t);
  });
  if (transforms.length) out.transform = transforms.join(" ");
  return out;
}

function animateKeyframes(id, ownerId, spec) {
  var scope = queryScope(ownerId);
  var els = queryAll(scope, spec.selector).slice(0, QUERY_MAX_NODES);
  var frames = (Array.isArray(spec.keyframes) ? spec.keyframes : []).slice(0, 100).map(keyframeOf);
  var duration = clampMs(spec.duration, 0);
  if (!els.length || frames.length < 1) { queryAnswer(id, {}); return; }
  if (frames.length === 1) frames.unshift({}); // one keyframe: from the current state
  var runs = [];
  els.forEach(function (el) {
    try {
      var a = el.animate(frames, { duration: duration, fill: "forwards" });
      (el.__sfKeyframes || (el.__sfKeyframes = [])).push(a);
      runs.push(a.finished.catch(function () {}));
    } catch (err) {
      reportError("animate", err);
    }
  });
  Promise.all(runs).then(function () { queryAnswer(id, {}); });
}

function clearKeyframes(id, ownerId, spec) {
  var scope = queryScope(ownerId);
  queryAll(scope, spec.selector).forEach(function (el) {
    (el.__sfKeyframes || []).forEach(function (a) { a.cancel(); });
    el.__sfKeyframes = [];
  });
  queryAnswer(id, {});
}
