// owners.js — the owners of data and templates: mounted pages and the custom
// component instances inside them. Each keeps its data, applies `data` ops by path,
// and re-renders (build + patch) when its data changed. Component instances created,
// removed or given new properties are recorded for the next ready{seq}.

var state = {
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

function newReport() { return { attached: [], detached: [], props: [] }; }

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
  shellPageArea().appendChild(el);
  var page = {
    kind: "page", id: op.page, page: op.page, route: String(op.route || ""), def: def || {},
    template: def ? def.template : null, components: (def && def.components) || {},
    data: isObject(op.data) ? op.data : {}, tree: [], root: el, dirty: null,
    title: null, navbar: {}, scrollTop: 0, scrollLeft: 0, pad: { used: 0 }
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
    } catch (err) {
      reportError("data " + op.target, err);
    }
  });
  schedule(owner);
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
      multipleSlots: owner.kind === "comp" && !!(owner.def.options && owner.def.options.multipleSlots)
    };
    var tree = buildTree(ctx, owner.data);
    // comp: the component whose render this is, the composed-tree parent of every
    // component it mounts (its own template's and its slot content's alike).
    patchChildren(owner.root, owner.tree, tree, { page: state.pages[owner.page], comp: owner.kind === "comp" ? owner.id : "" });
    owner.tree = tree;
  } catch (err) {
    reportError("render " + owner.id, err);
  }
  owner.dirty = new Set();
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
    template: def.template, components: def.components || {}, data: initialData(def, v.props),
    props: cloneJSON(v.props), content: v.content, tree: [], root: host, dirty: null
  };
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
    any = true;
  });
  inst.props = cloneJSON(v.props);
  var hadContent = inst.content && inst.content.length;
  inst.content = v.content;
  if (any) state.report.props.push({ id: inst.id, props: cloneJSON(changed) });
  if (any || hadContent || v.content.length) renderOwner(inst);
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
