// automator.js — element handles for WeChat's automator protocol (package automator,
// docs/automator.md). Probes whose op starts with "auto." carry their arguments as JSON
// in value; elements are named by handles ("e1", "e2"...) given out by auto.query and
// held weakly, so a test can keep an element across calls as it does in WeChat. The
// actions go through the same real DOM events as probe.js's.

var autoIds = new WeakMap(), autoByID = new Map(), autoNext = 0;

function autoHandle(el) {
  var id = autoIds.get(el);
  if (!id) {
    id = "e" + (++autoNext);
    autoIds.set(el, id);
    autoByID.set(id, typeof WeakRef === "function" ? new WeakRef(el) : { deref: function () { return el; } });
    if (autoNext % 1024 === 0) autoPrune();
  }
  return id;
}

// autoPrune forgets the handles of elements that left the page, so a long test run
// does not grow the table without bound.
function autoPrune() {
  autoByID.forEach(function (ref, id) {
    var el = ref.deref();
    if (el && el.isConnected) return;
    autoByID.delete(id);
    if (el) autoIds.delete(el); // queried again, it gets a new handle
  });
}

function autoElement(id) {
  var ref = autoByID.get(String(id));
  var el = ref && ref.deref();
  if (!el || !el.isConnected) {
    autoByID.delete(String(id));
    if (el) autoIds.delete(el);
    throw new Error("element " + id + " is no longer in the page");
  }
  return el;
}

function autoDescribe(el) {
  var v = el.__sfNode, out = { elementId: autoHandle(el), tagName: v && v.tag ? v.tag : el.localName };
  if (el.__sfInst && el.__sfInst.id) out.nodeId = el.__sfInst.id; // a custom component: its instance
  return out;
}

// autoRoot is the page the request names (its element), else the page in front.
function autoRoot(pageId) {
  var page = (pageId && hasOwn(state.pages, pageId) ? state.pages[pageId] : null) || state.pages[state.shown];
  if (!page) throw new Error("no page is shown");
  return page.root;
}

// autoSelector names template tags the way the page's DOM does: a tag that is also an
// HTML element's (button, form, label, progress...) is "wx-button" there, so that
// `page.$('button')` finds the template's buttons, as in WeChat. Words inside quotes,
// classes (.button) and pseudo-classes are left alone.
function autoSelector(sel, xpath) {
  var re = xpath ? /(\/|::)([a-z][a-z0-9-]*)(?=$|[\[\/\s)|])/gi : /(^|[\s>+~,(])([a-z][a-z0-9-]*)(?=$|[\s>+~,.#\[:)])/gi;
  return sel.split(/("[^"]*"|'[^']*')/).map(function (part, i) {
    return i % 2 ? part : part.replace(re, function (all, before, name) { return before + elementTag(name); });
  }).join("");
}

function autoQuery(a) {
  var root = a.parent ? autoElement(a.parent) : autoRoot(a.page), sel = autoSelector(toText(a.selector), a.xpath), out = [];
  if (a.xpath) {
    var found = document.evaluate(sel, root, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
    for (var i = 0; i < found.snapshotLength; i++) if (found.snapshotItem(i).nodeType === 1) out.push(found.snapshotItem(i));
  } else {
    if (!a.parent && root.matches(sel)) out.push(root);
    out.push.apply(out, root.querySelectorAll(sel));
  }
  return out.map(autoDescribe);
}

// autoAttr is an attribute as the template set it (the rendered value), else the DOM's.
function autoAttr(el, name) {
  var v = el.__sfNode;
  if (v && v.attrs && hasOwn(v.attrs, name)) {
    var t = attrText(v.attrs[name]);
    return t === null ? null : t;
  }
  return el.getAttribute(name);
}

// autoProperty is a component's property: a custom component's data, a control's live
// state (value, checked), else the attribute the template gave.
function autoProperty(el, name) {
  if (name === "__propPublic") {
    var pub = {}, v = el.__sfNode;
    if (v && v.attrs) Object.keys(v.attrs).forEach(function (k) { pub[k] = true; });
    if (v && v.props) Object.keys(v.props).forEach(function (k) { pub[k] = true; });
    if (el.__sfInst && el.__sfInst.data) Object.keys(el.__sfInst.data).forEach(function (k) { pub[k] = true; });
    ["value", "checked", "disabled"].forEach(function (k) { if (k in el) pub[k] = true; });
    return pub;
  }
  if (el.__sfInst && el.__sfInst.data && hasOwn(el.__sfInst.data, name)) return el.__sfInst.data[name];
  if ((name === "value" || name === "checked") && name in el) return el[name];
  if (name === "checked") return el.hasAttribute("checked");
  var a = autoAttr(el, name);
  return a === null ? undefined : a;
}

// autoPath reads a dotted path of plain property names from start (no calls).
function autoPath(start, path) {
  var at = start, parts = toText(path).split(".");
  for (var i = 0; i < parts.length; i++) {
    if (!/^[A-Za-z_$][\w$]*$/.test(parts[i])) throw new Error("not a property path: " + path);
    if (at === null || at === undefined) return null;
    at = at[parts[i]];
  }
  return typeof at === "function" ? null : at;
}

function autoSerializable(v) {
  if (v === undefined) return null;
  if (v !== null && typeof v === "object") {
    try { return JSON.parse(JSON.stringify(v)); } catch (e) { return String(v); }
  }
  return v;
}

function autoGet(el, a) {
  var names = Array.isArray(a.names) ? a.names : [];
  return names.map(function (n) {
    n = toText(n);
    switch (a.kind) {
      case "attributes": return autoAttr(el, n);
      case "styles": return getComputedStyle(el).getPropertyValue(n).trim();
      case "dom": return autoSerializable(autoPath(el, n));
      case "properties": return autoSerializable(autoProperty(el, n));
    }
    throw new Error("unknown getter " + a.kind);
  });
}

function autoTap(el) {
  if (!isVisible(el)) throw new Error("the element is not visible");
  var c = centre(el);
  moveFocus(el);
  firePointer(el, "pointerdown", c.x, c.y);
  firePointer(el, "pointerup", c.x, c.y);
  fireClick(el, c.x, c.y);
}

function autoInput(el, value) {
  if (el.localName !== "input" && el.localName !== "textarea") {
    var inner = el.querySelector("input, textarea");
    if (!inner) throw new Error("a <" + autoDescribe(el).tagName + "> takes no input");
    el = inner;
  }
  if (el.disabled) throw new Error("the input is disabled");
  el.focus();
  el.value = toText(value);
  el.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText", data: toText(value) }));
}

var AUTO_TOUCH = { touchstart: "pointerdown", touchmove: "pointermove", touchend: "pointerup" };

// autoTouch presses, moves or lets go at the element's centre, or at the first
// touch's clientX/clientY when the test gives one.
function autoTouch(el, a) {
  var c = centre(el), t = Array.isArray(a.touches) && a.touches[0] || Array.isArray(a.changedTouches) && a.changedTouches[0];
  var x = t && typeof t.clientX === "number" ? t.clientX : c.x, y = t && typeof t.clientY === "number" ? t.clientY : c.y;
  firePointer(el, AUTO_TOUCH[a.type], x, y);
}

// autoTrigger delivers an event of type with detail to the handlers the template bound
// on el, as WeChat's Element.trigger does: tap and touch* bubble, others do not.
function autoTrigger(el, type, detail) {
  if (!el.__sfNode) throw new Error("the element is not part of the page's template");
  if (TOUCH_TYPES[type]) return dispatchBubbling(type, el, detail, now());
  return emitComponentEvent(el, type, detail === undefined ? {} : detail);
}

function autoEscape(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"); }

// autoWXML writes the element as the template made it: template tags and attributes,
// text; the built-in components' own inner elements are left out.
function autoWXML(el, outer) {
  function children(n) {
    var out = "";
    Array.prototype.forEach.call(n.childNodes, function (c) {
      if (c.nodeType === 3) out += autoEscape(c.data);
      else if (c.nodeType === 1) out += c.__sfNode ? node(c) : "";
    });
    return out;
  }
  function node(n) {
    var v = n.__sfNode, tag = v && v.tag ? v.tag : n.localName, attrs = "";
    if (v && v.attrs) Object.keys(v.attrs).forEach(function (k) {
      var t = attrText(v.attrs[k]);
      if (t !== null && k !== "sf-s") attrs += " " + k + "=\"" + autoEscape(t) + "\"";
    });
    return "<" + tag + attrs + ">" + children(n) + "</" + tag + ">";
  }
  return outer ? node(el) : children(el);
}

var AUTO_FUNCTIONS = {
  "input.input": function (el, args) { autoInput(el, args[0]); },
  "textarea.input": function (el, args) { autoInput(el, args[0]); },
  "switch.tap": function (el) { autoTap(el); },
  "scroll-view.scrollTo": function (el, args) { el.scrollTo(Number(args[0]) || 0, Number(args[1]) || 0); },
  "scroll-view.scrollTop": function (el) { return el.scrollTop; },
  "scroll-view.scrollLeft": function (el) { return el.scrollLeft; },
  "scroll-view.scrollWidth": function (el) { return el.scrollWidth; },
  "scroll-view.scrollHeight": function (el) { return el.scrollHeight; }
};

// automatorProbe answers the "auto." probes; false for any other op.
function automatorProbe(p, done) {
  if (typeof p.op !== "string" || p.op.indexOf("auto.") !== 0) return false;
  var a = JSON.parse(toText(p.value) || "{}"), el = a.id ? autoElement(a.id) : null;
  switch (p.op) {
    case "auto.query": done(autoQuery(a)); return true;
    case "auto.get": done(autoGet(el, a)); return true;
    case "auto.tap": autoTap(el); done({}); return true;
    case "auto.input": autoInput(el, a.value); done({}); return true;
    case "auto.touch": autoTouch(el, a); done({}); return true;
    case "auto.trigger": autoTrigger(el, toText(a.type), a.detail); done({}); return true;
    case "auto.offset": {
      var r = el.getBoundingClientRect();
      done({ left: r.left + window.scrollX, top: r.top + window.scrollY });
      return true;
    }
    case "auto.wxml": done({ wxml: autoWXML(el, a.outer === true) }); return true;
    case "auto.call": {
      var fn = AUTO_FUNCTIONS[toText(a.fn)];
      if (!fn) throw new Error(toText(a.fn) + " is not supported");
      var out = fn(el, Array.isArray(a.args) ? a.args : []);
      done({ result: out === undefined ? null : out });
      return true;
    }
    case "auto.window": {
      var names = Array.isArray(a.names) ? a.names : [];
      done({ properties: names.map(function (n) { return autoSerializable(autoPath(window, n)); }) });
      return true;
    }
  }
  throw new Error("unknown probe op " + JSON.stringify(p.op));
}
