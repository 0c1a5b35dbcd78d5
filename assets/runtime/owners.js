// owners.js — the owners of data and templates: mounted pages and the custom
// component instances inside them. Each keeps its data, applies `data` ops by path,
// and re-renders (build + patch) when its data changed. Component instances created,
// removed or given new properties are recorded for the next ready{seq}.

var state = newState();

// newState is the runtime's state as the page boots (warm.js puts it back so).
function newState() {
  return {
    init: null,      // the init payload
    pages: {},       // page id → page owner
    order: [],       // page ids in mount order
    shown: null,     // id of the page in front
    comps: {},       // component id → instance
    nextComp: 1,
    pending: [],     // owners to re-render at the end of this message
    pushPad: { used: 0 },      // null entries data paths added in this render push (path.js)
    budget: newRenderBudget(), // what the renders of this push built (build.js)
    report: newReport(),
    rpx: 1
  };
}

function newReport() { return { attached: [], detached: [], props: [], moved: [] }; }

function pageDef(route) {
  var pages = (state.init && state.init.pages) || {};
  return hasOwn(pages, route) ? pages[route] : null;
}

function componentDef(path) {
  var comps = (state.init && state.init.components) || {};
  return hasOwn(comps, path) ? comps[path] : null;
}

function ownerOf(id) {
  if (hasOwn(state.pages, id)) return state.pages[id];
  if (hasOwn(state.comps, id)) return state.comps[id];
  return null;
}

function schedule(owner) { if (state.pending.indexOf(owner) < 0) state.pending.push(owner); }

// mountPage creates a page element for op {page, route, data}; it renders at flush.
function mountPage(op) {
  if (!/^p\d+$/.test(String(op.page))) throw new Error("bad page id " + JSON.stringify(op.page));
  if (hasOwn(state.pages, op.page)) unmountPages([op.page]);
  var def = pageDef(op.route);
  if (!def) reportError("mount", new Error("page " + JSON.stringify(op.route) + " is not in init.pages"));
  var el = document.createElement("page");
  el.setAttribute("data-route", String(op.route || ""));
  el.setAttribute("data-page", op.page);
  el.setAttribute("hidden", "");
  el.setAttribute("sf-s", "p"); // page.x in WXSS is the page element's class
  shellPageArea().appendChild(el);
  var page = {
    kind: "page", id: op.page, page: op.page, route: String(op.route || ""), def: def || {},
    template: def ? def.template : null, components: (def && def.components) || {},
    data: isObject(op.data) ? op.data : {}, tree: [], root: el, dirty: null,
    title: null, navbar: {}, meta: {}, scrollTop: 0, scrollLeft: 0, pad: { used: 0 },
    pageScroll: op.pageScroll === true // the page defines onPageScroll (chrome-page.js)
  };
  state.pages[op.page] = page;
  state.order.push(op.page);
  schedule(page);
}

function unmountPages(ids) {
  (ids || []).forEach(function (id) {
    var page = state.pages[id];
    if (!page) return;
    page.tree.forEach(function (v) { forEachComponent(v, destroyComponent); });
    if (page.root.parentNode) page.root.parentNode.removeChild(page.root);
    delete state.pages[id];
    state.order = state.order.filter(function (p) { return p !== id; });
    if (state.shown === id) state.shown = null;
  });
  updateChrome();
}

// applyData sets each path of diff in the target's data and schedules its re-render.
function applyData(op) {
  var owner = ownerOf(op.target);
  if (!owner) throw new Error("data for unknown target " + JSON.stringify(op.target));
  var diff = isObject(op.diff) ? op.diff : {};
  var page = hasOwn(state.pages, owner.page) ? state.pages[owner.page] : owner;
  var pad = { push: state.pushPad, page: page.pad || (page.pad = { used: 0 }) };
  Object.keys(diff).forEach(function (path) {
    try {
      var keys = setPath(owner.data, path, diff[path], pad);
      if (owner.dirty) owner.dirty.add(String(keys[0]));
      if (owner.dirtyPaths) owner.dirtyPaths.push(keys); // memo.js
      if (owner.kind === "comp") modelUpward(owner, String(keys[0]));
    } catch (err) {
      reportError("data " + op.target, err);
    }
  });
  schedule(owner);
}

// modelUpward passes a component's property change to its owner when the owner bound
// that property two ways (model:my-value="{{pageValue}}"), as WeChat does. Values the
// owner already holds are not sent again, so the owner's re-render ends the exchange.
function modelUpward(inst, prop) {
  var host = inst.root && inst.root.__sfNode;
  if (!host || !host.model || !hasOwn(host.model, prop)) return;
  var key = host.model[prop], owner = ownerOf(inst.owner);
  if (!owner || deepEqual(owner.data[key], inst.data[prop])) return;
  postModel(inst.owner, key, inst.data[prop]);
}

// flushRenders re-renders every owner whose data changed, pages before components
// and parents before children (instances are numbered in creation order).
function flushRenders() {
  state.budget = newRenderBudget();
  keepFocus(function () {
    while (state.pending.length) {
      state.pending.sort(function (a, b) { return ownerRank(a) - ownerRank(b); });
      renderOwner(state.pending.shift());
    }
  });
  runAfterPatch();
}

function ownerRank(o) { return (o.kind === "page" ? 0 : 1e9) + parseInt(o.id.slice(1), 10); }

function renderOwner(owner) {
  var at = state.pending.indexOf(owner);
  if (at >= 0) state.pending.splice(at, 1);
  if (owner.kind === "comp" && !hasOwn(state.comps, owner.id)) return; // removed meanwhile
  if (owner.kind === "page" && !hasOwn(state.pages, owner.id)) return;
  try {
    var ctx = {
      owner: owner.id, template: owner.template, components: owner.components,
      compDefs: (state.init && state.init.components) || {}, rpx: state.rpx, dirty: owner.dirty,
      budget: state.budget,
      content: owner.kind === "comp" ? owner.content : null,
      externalClasses: owner.kind === "comp" ? owner.external : null,
      externalScopes: owner.kind === "comp" ? owner.externalScopes : null,
      selfScope: baseStyleScope(owner),
      styleScope: owner.kind === "comp" ? owner.styleScope : "p",
      ownerScope: owner.kind === "comp" ? owner.ownerScope : "p",
      multipleSlots: owner.kind === "comp" && !!(owner.def.options && owner.def.options.multipleSlots)
    };
    // memo.js: wx:for items no data path reached are kept from the last render.
    var memo = ctx.memo = memoBegin(owner.memo, ctx, owner.dirtyPaths);
    owner.memo = null; // until this render has finished
    var tree = buildTree(ctx, owner.data);
    // comp: the component whose render this is, the composed-tree parent of every
    // component it mounts (its own template's and its slot content's alike).
    patchChildren(owner.root, owner.tree, tree, { page: state.pages[owner.page], comp: owner.kind === "comp" ? owner.id : "" });
    owner.tree = tree;
    owner.memo = { sig: memo.sig, template: memo.template, lists: memo.lists };
  } catch (err) {
    reportError("render " + owner.id, err);
  }
  owner.dirty = new Set();
  owner.dirtyPaths = [];
}

// initialData is a new instance's data: the definition's data, every property's
// default, then the properties the tag gave.
function initialData(def, props) {
  var data = isObject(def.data) ? cloneJSON(def.data) : {};
  var declared = isObject(def.properties) ? def.properties : {};
  Object.keys(declared).forEach(function (name) { if (!isUnsafeKey(name)) data[name] = propDefault(declared[name]); });
  Object.keys(props).forEach(function (name) { data[name] = cloneJSON(props[name]); });
  return data;
}

function eventMap(events) {
  var out = {};
  events.forEach(function (e) { out[e.type] = e.handler; });
  return out;
}

// mountComponent creates a custom component instance for a comp vnode.
function mountComponent(v, rc) {
  var host = createElementFor(v.tag);
  host.setAttribute("data-sf-comp", v.is);
  v.dom = host;
  host.__sfNode = v;
  applyAttrs(host, v, null, null);
  var def = componentDef(v.is);
  if (!def) {
    reportError("component", new Error("component " + JSON.stringify(v.is) + " is not in init.components"));
    return host;
  }
  var pageId = rc.page ? rc.page.id : "";
  var inst = {
    kind: "comp", id: "c" + state.nextComp++, page: pageId, owner: v.owner, is: v.is, def: def,
    template: def.template, components: withGenerics(def.components, v.generics), data: initialData(def, v.props),
    props: cloneJSON(v.props), content: v.content, tree: [], root: host, dirty: null,
    external: externalMap(def, v.external), externalScopes: v.externalScopes || {},
    styleScope: pageScoped(instanceStyleScope(def), rc.page), ownerScope: baseStyleScope(ownerOf(v.owner))
  };
  // options.virtualHost: the tag's element takes no box of its own, as if absent.
  if (def.options && def.options.virtualHost) host.setAttribute("data-sf-virtual", "");
  state.comps[inst.id] = inst;
  v.inst = inst;
  host.__sfInst = inst;
  var entry = { id: inst.id, page: pageId, owner: v.owner, is: v.is };
  if (Object.keys(v.props).length) entry.props = cloneJSON(v.props);
  if (v.events.length) entry.events = eventMap(v.events);
  if (v.attrs.id) entry.nodeId = toText(v.attrs.id);
  if (Object.keys(v.dataset).length) entry.dataset = cloneJSON(v.dataset);
  if (rc.comp) entry.parent = rc.comp;
  if (v.attrs["class"]) entry["class"] = toText(v.attrs["class"]);
  state.report.attached.push(entry);
  renderOwner(inst);
  return host;
}

// updateComponent carries an instance over to a new vnode of its owner's render: new
// property values go into its data (and the report), new slot content is re-rendered.
function updateComponent(old, v, rc) {
  var host = old.dom, inst = old.inst;
  v.dom = host;
  host.__sfNode = v;
  applyAttrs(host, v, old, null);
  if (!inst) return;
  v.inst = inst;
  var declared = isObject(inst.def.properties) ? inst.def.properties : {};
  var changed = {}, any = false;
  Object.keys(declared).forEach(function (name) {
    var was = hasOwn(inst.props, name), is = hasOwn(v.props, name);
    if (!was && !is) return;
    var value = is ? v.props[name] : propDefault(declared[name]);
    if (was && deepEqual(inst.props[name], value)) return;
    changed[name] = value;
    inst.data[name] = cloneJSON(value);
    if (inst.dirty) inst.dirty.add(name);
    if (inst.dirtyPaths) inst.dirtyPaths.push([name]); // memo.js
    any = true;
  });
  inst.props = cloneJSON(v.props);
  var external = externalMap(inst.def, v.external);
  var restyled = !deepEqual(external, inst.external);
  inst.external = external;
  inst.externalScopes = v.externalScopes || {};
  var hadContent = inst.content && inst.content.length;
  inst.content = v.content;
  if (any) state.report.props.push({ id: inst.id, props: cloneJSON(changed) });
  if (any || restyled || hadContent || v.content.length) renderOwner(inst);
}

// instanceStyleScope is what a component's elements carry in sf-s: its own scope,
// plus the page's when its styleIsolation ("options" in its JS, else its .json) is
// apply-shared or shared, or options.addGlobalClass is set. The default, isolated,
// keeps page and app class rules out, as in WeChat. (A shared component's own rules
// are compiled into the page's scope by the host, so they reach whatever carries "p".)
function instanceStyleScope(def) {
  var token = typeof def.styleScope === "string" && /^[a-z0-9]+$/.test(def.styleScope) ? def.styleScope : "";
  if (!token) return "p";
  var opts = isObject(def.options) ? def.options : {};
  var mode = String(opts.styleIsolation || def.styleIsolation || (opts.addGlobalClass ? "apply-shared" : "isolated"));
  return /(^|-)(apply-shared|shared)$/.test(mode) ? token + " p" : token;
}

// baseStyleScope is an owner's own style scope: "p" for a page, the token for a
// component (what an external or "^" class given by that owner needs).
function baseStyleScope(owner) {
  if (!owner || owner.kind !== "comp") return "p";
  return owner.styleScope.split(" ")[0];
}

// withGenerics adds a component's abstract nodes (tag → chosen path) to the
// components its template may use.
function withGenerics(components, generics) {
  var out = {};
  [components || {}, generics || {}].forEach(function (m) {
    Object.keys(m).forEach(function (k) { if (!isUnsafeKey(k)) out[k] = m[k]; });
  });
  return out;
}

// externalMap is an instance's external classes: each declared name → the classes its
// owner gave ("" when it gave none, so the name alone styles nothing).
function externalMap(def, given) {
  var names = Array.isArray(def.externalClasses) ? def.externalClasses : [];
  if (!names.length) return null;
  var out = {};
  names.forEach(function (n) { if (typeof n === "string" && !isUnsafeKey(n)) out[n] = given && hasOwn(given, n) ? given[n] : ""; });
  return out;
}

// destroyComponent ends an instance and those inside it. One created and removed
// within the same push is never reported at all: logic never heard of it.
function destroyComponent(inst) {
  if (!hasOwn(state.comps, inst.id)) return;
  delete state.comps[inst.id];
  inst.tree.forEach(function (v) { forEachComponent(v, destroyComponent); });
  var r = state.report;
  var attachedAt = r.attached.findIndex(function (a) { return a.id === inst.id; });
  if (attachedAt >= 0) {
    r.attached.splice(attachedAt, 1);
    r.props = r.props.filter(function (p) { return p.id !== inst.id; });
  } else {
    r.detached.push(inst.id);
  }
  r.moved = r.moved.filter(function (id) { return id !== inst.id; });
}

// takeReport returns what changed since the last ready and starts a new record.
function takeReport() {
  var r = state.report;
  state.report = newReport();
  return r;
}

// rerenderAll re-renders every owner with no data change (inline rpx after a resize).
function rerenderAll() {
  state.order.forEach(function (id) { schedule(state.pages[id]); });
  Object.keys(state.comps).forEach(function (id) { schedule(state.comps[id]); });
  flushRenders();
}
