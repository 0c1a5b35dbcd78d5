// build.js — interprets a compiled template (docs/template.md) with data into a
// virtual tree. Pure: no DOM. Every vnode has a key unique among its siblings that
// encodes where it came from, so the patcher can match old and new children:
//   {t:"text", key, text}
//   {t:"el", key, tag, owner, file, attrs, fresh, dataset, marks, events, slotName, children}
//   {t:"comp", key, tag, is, owner, file, attrs, props, events, dataset, marks, slotName, content}
// (content: the tag's children, built in the owner's scope, for the component's slots)
// A node that fails to build is logged with its file:line:col and left out; its
// siblings still render.

var MAX_FOR_ITEMS = 100000;   // a runaway wx:for="{{1e9}}" must not hang the page
var MAX_TEMPLATE_DEPTH = 32;  // <template is> recursion bound
// What the renders of one push may build, every owner together: nested wx:for over big
// numbers, or a long string repeated by wx:for, would otherwise turn a few bytes of data
// into a DOM of gigabytes. Past either bound the rest of the render is left out, and
// the first node refused is reported with its file:line:col.
var MAX_RENDER_NODES = 300000;     // elements, components and text nodes
var MAX_RENDER_TEXT = 32 << 20;    // characters of text and attribute values

function newRenderBudget() { return { nodes: 0, text: 0, over: false }; }

// spendRender charges one node with text characters to ctx.budget (none: unbounded).
function spendRender(ctx, text) {
  var b = ctx.budget;
  if (!b) return;
  b.nodes++;
  b.text += text;
  if (b.nodes > MAX_RENDER_NODES || b.text > MAX_RENDER_TEXT) {
    b.over = true;
    throw new Error("render budget: one render may build at most " + MAX_RENDER_NODES + " nodes and " +
      MAX_RENDER_TEXT + " characters of text; the rest of " + ctx.owner + " is left out");
  }
}

// textSize is how many characters a rendered attribute map holds.
function textSize(map) {
  var n = 0;
  for (var k in map) if (typeof map[k] === "string") n += map[k].length;
  return n;
}

// Attributes whose DOM state the user can change (typing, toggling, scrolling): the
// patcher rewrites them when their data was set, even to the same value.
var LIVE_ATTRS = { value: true, checked: true, focus: true, "scroll-top": true, "scroll-left": true, "scroll-into-view": true };

// HOST_ATTRS of a custom component tag stay on its host element, never become properties.
var HOST_ATTRS = { id: true, "class": true, style: true, hidden: true, slot: true };

// buildTree builds an owner's whole template. ctx: {owner, template, components,
// compDefs, rpx, dirty (Set of data roots set since the last render, null = all),
// content (the host tag's children, when the owner is a component), multipleSlots}.
function buildTree(ctx, data) {
  ctx.usedSlots = {};
  ctx.depth = 0;
  var tpl = ctx.template || {};
  var prev = wxsBeginRender(tpl.wxs);
  try {
    return buildNodes(tpl.root || [], rootScope(data), ctx, "");
  } finally {
    wxsEndRender(prev);
  }
}

function buildNodes(nodes, scope, ctx, prefix) {
  var out = [];
  if (!Array.isArray(nodes)) return out;
  for (var i = 0; i < nodes.length; i++) {
    var node = nodes[i];
    try {
      buildNode(node, scope, ctx, prefix + i, out);
    } catch (err) {
      ctx.errors = (ctx.errors || 0) + 1; // memo.js keeps no item whose build failed
      reportError("template " + nodePlace(ctx, node), err);
    }
  }
  return out;
}

function nodePlace(ctx, node) {
  var file = (node && node.f) || (ctx.template && ctx.template.file) || "?";
  return file + ":" + (node && node.ln || 0) + ":" + (node && node.col || 0);
}

function buildNode(node, scope, ctx, key, out) {
  if (ctx.budget && ctx.budget.over) return;
  if (!isObject(node)) throw new Error("node is not an object");
  var lookup = scopeLookup(scope);
  switch (node.t) {
    case "text":
      var text = toText(renderValue(node.v, lookup));
      spendRender(ctx, text.length);
      out.push({ t: "text", key: key, text: text });
      return;
    case "el":
      out.push(hasOwn(ctx.components || {}, node.tag) ? buildComponent(node, scope, ctx, key) : buildElement(node, scope, ctx, key));
      return;
    case "if":
      var branches = node.branches || [];
      for (var b = 0; b < branches.length; b++) {
        var br = branches[b];
        if (br.cond === null || br.cond === undefined || evalExpr(br.cond, lookup)) {
          pushAll(out, buildNodes(br.children, scope, ctx, key + "?" + b + "."));
          return;
        }
      }
      return;
    case "for": buildFor(node, scope, ctx, key, out); return;
    case "frag": pushAll(out, buildNodes(node.children, scope, ctx, key + "/")); return;
    case "tpl": buildTemplateUse(node, scope, ctx, key, out); return;
    case "slot": buildSlot(node, hasOwn(node, "nv") ? toText(renderValue(node.nv, lookup)).trim() : (node.name || ""), ctx, key, out); return;
  }
  throw new Error("unknown node type " + JSON.stringify(node.t));
}

function pushAll(out, items) { for (var i = 0; i < items.length; i++) out.push(items[i]); }

// renderAttrs evaluates an attrs/data/marks map.
function renderMap(map, lookup) {
  var out = {};
  if (!isObject(map)) return out;
  Object.keys(map).forEach(function (name) { if (!isUnsafeKey(name)) out[name] = renderValue(map[name], lookup); });
  return out;
}

function buildElement(node, scope, ctx, key) {
  var st = ctx.memo ? staticParts(node, ctx) : null; // memo.js
  if (st) {
    spendRender(ctx, st.size);
    return {
      t: "el", key: key, tag: String(node.tag || "view"), owner: ctx.owner,
      file: node.f || (ctx.template && ctx.template.file) || "",
      attrs: st.attrs, fresh: st.fresh, sfs: st.sfs, dataset: st.dataset, marks: st.marks,
      events: st.events, slotName: st.slotName, model: null,
      children: buildNodes(node.children, scope, ctx, key + ".")
    };
  }
  var lookup = scopeLookup(scope);
  var attrs = renderMap(node.attrs, lookup);
  if (hasOwn(attrs, "style")) attrs.style = convertRpx(toText(attrs.style), ctx.rpx || 1);
  var cls = { extra: "" };
  if (hasOwn(attrs, "class")) attrs["class"] = mapClasses(attrs["class"], ctx.externalClasses, cls, ctx);
  spendRender(ctx, textSize(attrs));
  var fresh = {};
  Object.keys(attrs).forEach(function (name) {
    if (LIVE_ATTRS[name]) fresh[name] = isFresh(node.attrs[name], scope, ctx);
  });
  return {
    t: "el", key: key, tag: String(node.tag || "view"), owner: ctx.owner,
    file: node.f || (ctx.template && ctx.template.file) || "",
    attrs: attrs, fresh: fresh, sfs: styleScopeOf(ctx, cls),
    dataset: renderMap(node.data, lookup), marks: renderMap(node.marks, lookup),
    events: renderEvents(node.events, lookup),
    slotName: node.slot === undefined ? "" : toText(renderValue(node.slot, lookup)),
    model: modelKeys(node.model, scope),
    children: buildNodes(node.children, scope, ctx, key + ".")
  };
}

// modelKeys keeps the model: bindings (attribute → data key) whose key is the owner's
// own data: inside wx:for or <template is> the name is a loop variable or template
// data, which a write could not reach, so the binding stays one way there.
function modelKeys(model, scope) {
  var out = null;
  if (!isObject(model)) return out;
  Object.keys(model).forEach(function (attr) {
    var k = model[attr];
    if (typeof k !== "string" || !METHOD_NAME.test(k) || isUnsafeKey(k) || scope.baseDeps || findVar(scope, k)) return;
    (out || (out = {}))[attr] = k;
  });
  return out;
}

// mapClasses renders a class list inside a component: an external class (a name in
// the component's externalClasses) becomes the classes its owner gave that property,
// and WeChat's "~name" (the page's class) and "^name" (the parent component's) lose
// their prefix. The element then also takes the style scope those classes come from
// (info.extra, see styleScopeOf), so the owner's or the page's rules reach it.
function mapClasses(value, external, info, ctx) {
  var text = toText(value);
  if (!external && text.indexOf("~") < 0 && text.indexOf("^") < 0) return value;
  var out = [], extra = {};
  var ownerScope = (ctx && ctx.ownerScope) || "p";
  var scopes = (ctx && ctx.externalScopes) || {};
  text.split(/\s+/).forEach(function (c) {
    if (!c) return;
    if (external && hasOwn(external, c)) {
      if (external[c]) {
        out.push(external[c]);
        (hasOwn(scopes, c) ? String(scopes[c]) : ownerScope).split(" ").forEach(function (t) { if (t) extra[t] = true; });
      }
      return;
    }
    if (c.charAt(0) === "~") extra.p = true;
    else if (c.charAt(0) === "^") extra[ownerScope] = true;
    out.push(c.replace(/^(~|\^+)/, ""));
  });
  if (info) info.extra = Object.keys(extra).join(" ");
  return out.join(" ");
}

// styleScopeOf is an element's sf-s attribute: the style scopes whose class rules
// may style it (render/wxss ClassScopeAttr): its owner's (ctx.styleScope) and those
// its external, "~" or "^" classes come from.
function styleScopeOf(ctx, cls) {
  var s = ctx.styleScope || "";
  if (!cls || !cls.extra) return s;
  cls.extra.split(" ").forEach(function (t) { if ((" " + s + " ").indexOf(" " + t + " ") < 0) s = s ? s + " " + t : t; });
  return s;
}

// FRAMEWORK_METHODS are names a handler named by data may not take: the bridge refuses
// them (bridge.frameworkNames; a test keeps the two lists equal), and a refused event
// counts as a forged message, so the page never sends one.
var FRAMEWORK_METHODS = wxsSet_("onLoad onShow onReady onHide onUnload onRouteDone onPullDownRefresh onReachBottom onShareAppMessage onShareTimeline onAddToFavorites onPageScroll onResize onTabItemTap onSaveExitState onLaunch onError onPageNotFound created attached ready moved detached error setData triggerEvent selectComponent selectAllComponents selectOwnerComponent createSelectorQuery createIntersectionObserver getRelationNodes hasBehavior groupSetData getTabBar getPageId animate clearAnimation getOpenerEventChannel setUpdatePerformanceListener constructor hasOwnProperty toString valueOf isPrototypeOf propertyIsEnumerable toLocaleString __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ __proto__");
var wxsHandlersReported = new WeakSet();
var METHOD_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/;

// renderEvents resolves handlers named by data (an "hv" VALUE): a string names the
// method, "" (or anything not a string) means no handler, as in WeChat. A name that
// cannot be a method of the owner is left out with a log line.
function renderEvents(events, lookup) {
  if (!Array.isArray(events)) return [];
  var out = [];
  for (var i = 0; i < events.length; i++) {
    var ev = events[i];
    if (!isObject(ev)) continue;
    if (!hasOwn(ev, "hv")) { out.push(ev); continue; }
    var name = renderValue(ev.hv, lookup);
    if (wxsIsFn(name)) {
      if (!wxsHandlersReported.has(ev)) reportError("event " + ev.type, new Error("a WXS function as an event handler (WXS event response) is not supported"));
      wxsHandlersReported.add(ev); // once per binding, not on every render
      continue;
    }
    if (typeof name !== "string" || !(name = name.trim())) continue;
    if (!METHOD_NAME.test(name) || FRAMEWORK_METHODS[name]) {
      reportError("event " + ev.type, new Error(JSON.stringify(name) + " cannot name an event handler"));
      continue;
    }
    out.push({ type: ev.type, handler: name, "catch": !!ev["catch"], capture: !!ev.capture, mut: !!ev.mut });
  }
  return out;
}

// isFresh reports whether a live attribute's value read data set since the last render.
function isFresh(value, scope, ctx) {
  if (!ctx.dirty) return true;
  return scopeRoots(scope, valueNames(value)).some(function (r) { return ctx.dirty.has(r); });
}

function buildComponent(node, scope, ctx, key) {
  var lookup = scopeLookup(scope);
  var path = ctx.components[node.tag];
  var def = (ctx.compDefs && ctx.compDefs[path]) || {};
  var declared = isObject(def.properties) ? def.properties : {};
  var all = renderMap(node.attrs, lookup), attrs = {}, props = {}, generics = {}, external = {}, externalScopes = {};
  var externalNames = Array.isArray(def.externalClasses) ? def.externalClasses : [];
  Object.keys(all).forEach(function (name) {
    var prop = kebabToCamel(name);
    if (name.indexOf("generic:") === 0) generics[name.slice(8)] = toText(all[name]).trim();
    else if (externalNames.indexOf(name) >= 0) {
      // The classes given are this owner's: they carry its own scope, and those of any
      // external class of its own they passed on.
      var given = { extra: "" };
      external[name] = mapClasses(toText(all[name]), ctx.externalClasses, given, ctx);
      externalScopes[name] = styleScopeOf({ styleScope: ctx.selfScope || "p" }, given);
    }
    else if (!HOST_ATTRS[name] && hasOwn(declared, prop)) props[prop] = coerceProp(declared[prop], all[name]);
    else attrs[name] = all[name];
  });
  if (hasOwn(attrs, "style")) attrs.style = convertRpx(toText(attrs.style), ctx.rpx || 1);
  var cls = { extra: "" };
  if (hasOwn(attrs, "class")) attrs["class"] = mapClasses(attrs["class"], ctx.externalClasses, cls, ctx);
  var model = null;
  Object.keys(modelKeys(node.model, scope) || {}).forEach(function (name) {
    var prop = kebabToCamel(name);
    if (hasOwn(declared, prop)) (model || (model = {}))[prop] = node.model[name];
  });
  spendRender(ctx, textSize(attrs));
  var content = buildNodes(node.children, scope, ctx, key + ".");
  return {
    t: "comp", key: key + "@" + path, tag: String(node.tag), is: path, owner: ctx.owner,
    file: node.f || (ctx.template && ctx.template.file) || "",
    attrs: attrs, props: props, model: model, external: external, externalScopes: externalScopes, sfs: styleScopeOf(ctx, cls),
    generics: resolveGenerics(def, generics, ctx.components),
    events: renderEvents(node.events, lookup),
    dataset: renderMap(node.data, lookup), marks: renderMap(node.marks, lookup),
    slotName: node.slot === undefined ? "" : toText(renderValue(node.slot, lookup)),
    content: content
  };
}

// resolveGenerics maps a component's abstract nodes (componentGenerics) to component
// paths: the caller's choice (generic:name="tag", a tag of the caller's
// usingComponents), else the declared default; a node with neither is left out of the
// map and renders as a plain container.
var genericsReported = new WeakMap(); // def → names already reported, once each

function resolveGenerics(def, chosen, using) {
  var out = {};
  var declared = isObject(def.generics) ? def.generics : {};
  Object.keys(declared).forEach(function (name) {
    if (isUnsafeKey(name)) return;
    var tag = hasOwn(chosen, name) ? chosen[name] : "";
    if (tag && using && hasOwn(using, tag)) out[name] = using[tag];
    else if (typeof declared[name] === "string" && declared[name]) out[name] = declared[name];
    else {
      var seen = genericsReported.get(def) || {};
      genericsReported.set(def, seen);
      if (!seen[name]) reportError("component", new Error("abstract node <" + name + "> has no component: write generic:" + name + "=\"tag\" on the component's tag"));
      seen[name] = true;
    }
  });
  return out;
}

// propType reads a property declaration: {type, value} or the short "String" form.
function propType(decl) { return typeof decl === "string" ? decl : (isObject(decl) ? decl.type : null); }

// propDefault is a property's value when the tag does not give one.
function propDefault(decl) {
  if (isObject(decl) && hasOwn(decl, "value")) return cloneJSON(decl.value);
  switch (propType(decl)) {
    case "String": return "";
    case "Number": return 0;
    case "Boolean": return false;
    case "Array": return [];
    default: return null;
  }
}

// coerceProp converts an attribute value to its declared type, as WeChat does; a value
// of one of the declared optionalTypes (null there: any) is kept as it is.
function coerceProp(decl, v) {
  if (v === undefined) return propDefault(decl);
  var optional = isObject(decl) && Array.isArray(decl.optionalTypes) ? decl.optionalTypes : [];
  if (optional.indexOf(null) >= 0 || optional.indexOf(valueType(v)) >= 0) return v;
  switch (propType(decl)) {
    case "String": return typeof v === "string" ? v : toText(v);
    case "Number": { var n = Number(v); return n === n ? n : 0; }
    case "Boolean": return !!v;
  }
  return v;
}

// valueType names a value's type as property declarations do.
function valueType(v) {
  if (Array.isArray(v)) return "Array";
  if (v === null) return "Null";
  return { string: "String", number: "Number", "boolean": "Boolean", object: "Object" }[typeof v] || "";
}

// forItems lists what wx:for iterates: arrays, object values (key as index),
// numbers 0..n-1, string characters; anything else is empty.
function forItems(list) {
  var out = [];
  if (Array.isArray(list)) {
    for (var i = 0; i < list.length && i < MAX_FOR_ITEMS; i++) out.push([list[i], i]);
  } else if (typeof list === "string") {
    Array.from(list).slice(0, MAX_FOR_ITEMS).forEach(function (c, i) { out.push([c, i]); });
  } else if (typeof list === "number") {
    for (var n = 0; n < Math.floor(list) && n < MAX_FOR_ITEMS; n++) out.push([n, n]);
  } else if (isObject(list)) {
    Object.keys(list).slice(0, MAX_FOR_ITEMS).forEach(function (k) { out.push([list[k], k]); });
  }
  return out;
}

// itemKey is the identity of one wx:for item: its wx:key value, or its position.
function itemKey(keyName, value, index) {
  var k;
  if (keyName === "*this") k = value;
  else if (keyName && isObject(value) && hasOwn(value, keyName)) k = value[keyName];
  else return "#" + index;
  if (isObject(k)) return "j" + toText(k);
  return (typeof k).charAt(0) + String(k);
}

function buildFor(node, scope, ctx, key, out) {
  var list = evalExpr(node.list, scopeLookup(scope));
  var deps = scopeRoots(scope, exprNames(node.list));
  var itemName = node.item || "item", indexName = node.index || "index";
  var seen = {};
  function buildItem(pair, k) {
    var vars = {};
    vars[indexName] = { value: pair[1], deps: deps };
    vars[itemName] = { value: pair[0], deps: deps };
    return buildNodes(node.children, withVars(scope, vars), ctx, key + "[" + k + "]");
  }
  // memo.js: keep the items no data path reached; with the same array and only a few
  // items reached, replay the last render's vnodes around the rebuilt ones.
  var memo = ctx.memo ? memoFor(node, scope, ctx, key) : null;
  if (memo && memoReplay(memo, list, out, ctx, function (i) { return itemKey(node.key, list[i], i); }, buildItem)) return;
  var start = out.length, whole = true;
  forItems(list).every(function (pair) {
    if (ctx.budget && ctx.budget.over) { whole = false; return false; } // the rest would build nothing
    var k = itemKey(node.key, pair[0], pair[1]);
    if (hasOwn(seen, k)) { k = "#" + pair[1] + "!"; whole = false; } // duplicate wx:key: fall back to position
    seen[k] = true;
    if (memo) memoMark(memo, k, out.length - start);
    var kept = memo ? memoTake(memo, k, pair) : null;
    if (kept) { pushAll(out, kept); return true; }
    var errors = ctx.errors;
    var built = buildItem(pair, k);
    pushAll(out, built);
    var ok = ctx.errors === errors && !(ctx.budget && ctx.budget.over);
    if (memo) memoKeep(memo, k, pair, built, ok);
    if (!ok) whole = false;
    return true;
  });
  if (memo) memoEnd(memo, list, out.slice(start), whole);
}

function buildTemplateUse(node, scope, ctx, key, out) {
  var lookup = scopeLookup(scope);
  var name = toText(renderValue(node.is, lookup));
  var tpl = ctx.template || {};
  var names = (tpl.scopes || {})[node.scope || tpl.file] || {};
  var defKey = hasOwn(names, name) ? names[name] : null;
  var body = defKey && tpl.defs && hasOwn(tpl.defs, defKey) ? tpl.defs[defKey] : null;
  if (!body) throw new Error("template " + JSON.stringify(name) + " is not defined or imported here");
  if (ctx.depth >= MAX_TEMPLATE_DEPTH) throw new Error("templates nest deeper than " + MAX_TEMPLATE_DEPTH);
  var data = node.data ? evalExpr(node.data, lookup) : {};
  var inner = templateScope(data, node.data ? scopeRoots(scope, exprNames(node.data)) : []);
  ctx.depth++;
  try {
    pushAll(out, buildNodes(body, inner, ctx, key + "<" + name + ">."));
  } finally {
    ctx.depth--;
  }
}

// buildSlot places the host's content for this slot (built in the owner's scope) here.
// Without options.multipleSlots every <slot> is the default slot; each slot renders once.
function buildSlot(node, slotName, ctx, key, out) {
  if (!ctx.content) return;
  var name = ctx.multipleSlots ? slotName : "";
  if (hasOwn(ctx.usedSlots, name)) return;
  ctx.usedSlots[name] = true;
  ctx.content.forEach(function (v) {
    if (ctx.multipleSlots && (v.t === "text" ? "" : v.slotName) !== name) return;
    out.push(cloneVnode(v, key + "|" + v.key));
  });
}

// cloneVnode copies a vnode tree under a new key, without any DOM state a previous
// patch left on it, so a component can re-render its slot content from the same input.
function cloneVnode(v, key) {
  var c = {};
  Object.keys(v).forEach(function (k) { if (k !== "dom" && k !== "inst") c[k] = v[k]; });
  c.key = key;
  if (v.children) c.children = v.children.map(function (ch) { return cloneVnode(ch, ch.key); });
  if (v.content) c.content = v.content.map(function (ch) { return cloneVnode(ch, ch.key); });
  return c;
}
