// dom.js — creating elements and writing attributes safely. WXML tags become elements
// of the same name (view, text, scroll-view…) so WXSS and automation selectors work on
// WXML names. Only a few harmless HTML elements are created as themselves; any other
// tag that HTML knows (a, script, iframe, video…) becomes "wx-TAG", inert.

// BUILTINS maps a WXML tag to its behaviour: {own: {attr: true} written by the
// behaviour itself, create(el, v), update(el, v, old) after children are patched,
// activate(el, domEvent) when a click reaches it}. The ctl-*.js files fill it.
var BUILTINS = {};

var REAL_TAGS = {
  button: true, input: true, textarea: true, label: true, form: true,
  div: true, span: true, p: true, h1: true, h2: true, h3: true, h4: true, h5: true, h6: true,
  ul: true, ol: true, li: true, section: true, article: true, header: true, footer: true, nav: true,
  main: true, aside: true, strong: true, em: true, b: true, i: true, u: true, s: true, small: true,
  sub: true, sup: true, br: true, hr: true, blockquote: true, pre: true, code: true,
  table: true, thead: true, tbody: true, tfoot: true, tr: true, td: true, th: true, caption: true
};

// SAFE_REAL_ATTRS are the attributes copied as given onto real HTML elements; their
// other attributes are the behaviour's business (an input's type is never "file").
var SAFE_REAL_ATTRS = { id: true, "class": true, style: true, hidden: true, title: true, role: true, lang: true, dir: true, name: true };

var tagNames = {};

// elementTag maps a WXML tag to the DOM element name the runtime creates.
function elementTag(tag) {
  tag = String(tag).toLowerCase();
  if (hasOwn(tagNames, tag)) return tagNames[tag];
  var name = tag;
  if (!/^[a-z][a-z0-9-]*$/.test(tag)) name = "wx-invalid";
  else if (!REAL_TAGS[tag] && tag.indexOf("-") < 0 && !(document.createElement(tag) instanceof HTMLUnknownElement)) name = "wx-" + tag;
  tagNames[tag] = name;
  return name;
}

function createElementFor(tag) { return document.createElement(elementTag(tag)); }

function isRealElement(el) { return hasOwn(REAL_TAGS, el.localName); }

function behaviourOf(tag) { return hasOwn(BUILTINS, tag) ? BUILTINS[tag] : null; }

// setAttr writes one rendered attribute value onto an element.
function setAttr(el, name, value) {
  if (name === "sf-s") return; // the runtime's own
  if (name === "animation") { applyAnimationAttr(el, value); return; } // motion.js
  if (/^on/i.test(name) || !/^[a-z_][a-z0-9_.:-]*$/i.test(name)) return; // never an inline handler
  if (isRealElement(el) && !SAFE_REAL_ATTRS[name] && !/^(data|aria)-/.test(name)) return;
  if (name === "style") { el.style.cssText = remoteStyleImages(attrText(value) || "", currentAppID()); return; }
  if (name === "hidden") { value ? el.setAttribute("hidden", "") : el.removeAttribute("hidden"); return; }
  var text = attrText(value);
  if (text === null) el.removeAttribute(name);
  else el.setAttribute(name, text);
}

// applyAttrs brings an element's attributes and data-* from old (or nothing) to v.
function applyAttrs(el, v, old, own) {
  // The same shared parts (a static element, memo.js staticParts): nothing to write.
  if (old && old.attrs === v.attrs && old.dataset === v.dataset && old.sfs === v.sfs) return;
  own = own || {};
  var prev = old ? old.attrs : {};
  Object.keys(v.attrs).forEach(function (name) {
    if (own[name]) return;
    if (old && hasOwn(prev, name) && prev[name] === v.attrs[name]) return;
    setAttr(el, name, v.attrs[name]);
  });
  Object.keys(prev).forEach(function (name) {
    if (!own[name] && !hasOwn(v.attrs, name)) setAttr(el, name, undefined);
  });
  // sf-s: the style scopes whose class rules may style the element (build.js
  // styleScopeOf); written by the runtime only, never from the template.
  if (v.sfs && (!old || old.sfs !== v.sfs)) el.setAttribute("sf-s", v.sfs);
  else if (!v.sfs && old && old.sfs) el.removeAttribute("sf-s");
  var prevData = old ? old.dataset : {};
  Object.keys(v.dataset || {}).forEach(function (name) {
    if (old && hasOwn(prevData, name) && prevData[name] === v.dataset[name]) return;
    if (/^sf/i.test(name)) return; // data-sf-* belongs to the runtime
    setAttr(el, "data-" + camelToKebab(name), v.dataset[name]);
  });
  Object.keys(prevData || {}).forEach(function (name) {
    if (!hasOwn(v.dataset, name) && !/^sf/i.test(name)) el.removeAttribute("data-" + camelToKebab(name));
  });
}

// svgEl creates an SVG element with attributes (icons, toast marks).
function svgEl(name, attrs) {
  var el = document.createElementNS("http://www.w3.org/2000/svg", name);
  Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
  return el;
}

// htmlEl creates a runtime-owned element (decorations, chrome) with a class and text.
function htmlEl(tag, cls, text) {
  var el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

// cssLength turns a size attribute (23, "23px", "40rpx") into a CSS length.
function cssLength(v, rpx, fallback) {
  if (typeof v === "number" && isFinite(v)) return v + "px";
  if (typeof v === "string") {
    var m = /^\s*(-?\d*\.?\d+)\s*(px|rpx)?\s*$/.exec(v);
    if (m) return (m[2] === "rpx" ? parseFloat(m[1]) * rpx : parseFloat(m[1])) + "px";
  }
  return fallback;
}
