// memo.js — reuse of wx:for items between renders of one owner (path-level dirty
// tracking). An owner records the data paths set since its last render (owners.js
// dirtyPaths: ["list", 500, "title"] for setData({'list[500].title': …})). When it
// re-renders, a wx:for whose list is a plain data path (list, a.b, groups[0].items)
// keeps the vnodes it built last time for every item no recorded path reached: they
// are neither rebuilt nor patched (patchNode returns at once for the same vnode), so
// their DOM nodes are untouched. Whenever it cannot tell what an item depends on, it
// builds as before (docs/render-runtime.md "Reusing list items"):
//   - the owner's dirty paths are not known (first render, or a render without data);
//   - the render context changed (rpx, external classes, style scopes, components);
//   - the list expression is not a plain path, its root is a loop variable or template
//     data, or it reads `length`;
//   - the loop body calls WXS, reads a WXS module, holds a <slot>, or uses a template
//     whose definitions do (templates are scanned once);
//   - the body reads a name other than the loop's item and index whose data root was
//     set (e.g. {{list.length}}, {{selected}}): then every item is rebuilt;
//   - an item's build reported an error or ran out of render budget (not kept).
// A recorded path below the list's rebuilds only the item it names. One that is the
// list's path or a prefix of it (the list set anew) keeps the items equal, keys in
// order, to the item they replace at the same index with the same wx:key (memoSame),
// when no path reached below the old list in that push; it rebuilds the others.

var memoInfo = new WeakMap();      // for node → {ok, names, path}
var memoPureDefs = new WeakMap();  // template → true when its defs hold no WXS or slot

// memoContext is what besides data a render's output depends on; a change drops the
// owner's kept items.
function memoContext(ctx) {
  return JSON.stringify([ctx.rpx, ctx.externalClasses || null, ctx.externalScopes || null, ctx.selfScope || "",
    ctx.styleScope || "", ctx.ownerScope || "", ctx.components || null, !!ctx.multipleSlots]);
}

// memoBegin prepares an owner's render: kept (the owner's memo from its last render,
// or null) and dirtyPaths (null: unknown). Returns the ctx.memo for buildTree.
function memoBegin(kept, ctx, dirtyPaths) {
  var sig = memoContext(ctx);
  var usable = !!(kept && kept.sig === sig && kept.template === ctx.template && ctx.dirty && Array.isArray(dirtyPaths));
  return {
    sig: sig, template: ctx.template,
    prev: usable ? kept.lists : null,
    lists: new Map(),
    paths: usable ? dirtyPaths.map(function (keys) { return keys.map(String); }) : null
  };
}

// exprKeepable reports whether an expression reads nothing but data and loop variables.
function exprKeepable(e) {
  if (!isObject(e)) return true;
  switch (e.k) {
    case "call": case "wxs": return false;
    case "mem": return exprKeepable(e.o) && exprKeepable(e.p);
    case "un": case "spread": return exprKeepable(e.a);
    case "bin": return exprKeepable(e.a) && exprKeepable(e.b);
    case "cond": return exprKeepable(e.c) && exprKeepable(e.a) && exprKeepable(e.b);
    case "arr": return (e.items || []).every(exprKeepable);
    case "obj": return (e.props || []).every(function (p) { return exprKeepable(p.spread || p.v); });
  }
  return true;
}

// exprPath is the data path a plain path expression reads (["a", "b", "0"]), or null.
function exprPath(e) {
  var keys = [];
  while (isObject(e) && e.k === "mem") {
    if (!isObject(e.p) || e.p.k !== "lit" || (typeof e.p.v !== "string" && typeof e.p.v !== "number")) return null;
    keys.unshift(String(e.p.v));
    e = e.o;
  }
  if (!isObject(e) || e.k !== "id" || typeof e.n !== "string") return null;
  keys.unshift(e.n);
  return keys.indexOf("length") >= 0 ? null : keys;
}

// memoScan walks template nodes, adding the names they read to names; false when
// something in them rules reuse out.
function memoScan(nodes, tpl, names) {
  if (!Array.isArray(nodes)) return nodes === undefined;
  var ok = true;
  function expr(e) {
    if (!exprKeepable(e)) ok = false;
    else exprNames(e, names);
  }
  function value(v) {
    if (!isObject(v)) return;
    if (hasOwn(v, "x")) expr(v.x);
    else (Array.isArray(v.cat) ? v.cat : []).forEach(function (p) { if (typeof p !== "string") expr(p); });
  }
  function map(m) { if (isObject(m)) Object.keys(m).forEach(function (k) { value(m[k]); }); }
  function walk(n) {
    if (!ok) return;
    if (!isObject(n)) { ok = false; return; }
    switch (n.t) {
      case "text": value(n.v); return;
      case "el":
        map(n.attrs); map(n.data); map(n.marks);
        (Array.isArray(n.events) ? n.events : []).forEach(function (ev) { if (isObject(ev) && hasOwn(ev, "hv")) value(ev.hv); });
        if (n.slot !== undefined) value(n.slot);
        if (isObject(n.model)) Object.keys(n.model).forEach(function (a) { names.push(String(n.model[a])); });
        if (!memoScan(n.children, tpl, names)) ok = false;
        return;
      case "if":
        (Array.isArray(n.branches) ? n.branches : []).forEach(function (b) {
          if (!isObject(b)) { ok = false; return; }
          if (b.cond !== null && b.cond !== undefined) expr(b.cond);
          if (!memoScan(b.children, tpl, names)) ok = false;
        });
        return;
      case "for": expr(n.list); if (!memoScan(n.children, tpl, names)) ok = false; return;
      case "frag": if (!memoScan(n.children, tpl, names)) ok = false; return;
      case "tpl":
        value(n.is);
        if (n.data) expr(n.data);
        if (!memoDefsPure(tpl)) ok = false;
        return;
    }
    ok = false; // <slot>, or a node this file does not know
  }
  nodes.forEach(walk);
  return ok;
}

// memoDefsPure: a template's <template name> bodies read only their own data (their
// scope is isolated), so they may be kept unless they call WXS or hold a <slot>.
function memoDefsPure(tpl) {
  if (!isObject(tpl)) return false;
  if (memoPureDefs.has(tpl)) return memoPureDefs.get(tpl);
  // While the definitions are scanned, a <template is> inside one counts as pure:
  // every definition it could name is among those scanned.
  memoPureDefs.set(tpl, true);
  var defs = isObject(tpl.defs) ? tpl.defs : {};
  var pure = Object.keys(defs).every(function (k) { return memoScan(defs[k], tpl, []); });
  memoPureDefs.set(tpl, pure);
  return pure;
}

function memoNodeInfo(node, tpl) {
  var info = memoInfo.get(node);
  if (info) return info;
  var names = [];
  var path = exprKeepable(node.list) ? exprPath(node.list) : null;
  var ok = !!path && memoScan(node.children, tpl, names);
  var item = node.item || "item", index = node.index || "index";
  info = { ok: ok, path: path, names: names.filter(function (n, i) { return n !== item && n !== index && names.indexOf(n) === i; }) };
  memoInfo.set(node, info);
  return info;
}

// memoFor starts one wx:for's build at key: null when its items cannot be kept, else
// {prev (the items kept last render, or null), items (this render's), all (every item
// rebuilt), dirty (the item indexes or object keys a path reached)}.
function memoFor(node, scope, ctx, key) {
  var memo = ctx.memo;
  if (!memo) return null;
  var info = memoNodeInfo(node, ctx.template);
  if (!info.ok || scope.baseDeps || findVar(scope, info.path[0])) return null;
  var entry = {
    node: node, path: info.path.join("\u0000"), items: new Map(), prev: null, old: null, all: true, dirty: new Set(), equal: false,
    keys: [], starts: [], list: undefined, flat: null, replayable: false
  };
  var old = memo.prev && memo.prev.get(key);
  if (old && old.node === node && old.path === entry.path && memo.paths) {
    entry.prev = old.items;
    entry.old = old;
    var others = scopeRoots(scope, info.names).some(function (r) { return ctx.dirty.has(r); });
    var p = info.path, replaced = false;
    for (var i = 0; i < memo.paths.length && !others; i++) {
      var d = memo.paths[i], n = Math.min(d.length, p.length), same = true;
      for (var j = 0; j < n && same; j++) same = d[j] === p[j];
      if (!same) continue;
      if (d.length <= p.length) replaced = true; // the list itself (or a container of it) was set
      else entry.dirty.add(d[p.length]);
    }
    entry.all = others || replaced;
    // A list set anew (setData({list: list.concat(more)})) keeps the items equal to
    // those they replace, when nothing else was set below the old list: the kept
    // items' vnodes then still show their old values (see memoSame).
    entry.equal = replaced && !others && entry.dirty.size === 0;
  }
  memo.lists.set(key, entry);
  return entry;
}

// memoTake returns the vnodes kept for an item (k its wx:key identity, pair [value,
// index]) when nothing it reads was set, else null.
function memoTake(entry, k, pair) {
  if (!entry.prev || (entry.all && !entry.equal)) return null;
  var old = entry.prev.get(k);
  if (!old || old.index !== pair[1]) return null;
  if (entry.all) {
    if (!entry.equal || !memoSame(old.value, pair[0])) return null;
    old = { value: pair[0], index: pair[1], vnodes: old.vnodes };
  } else if (entry.dirty.has(String(pair[1])) || old.value !== pair[0]) {
    return null;
  }
  entry.items.set(k, old);
  return old.vnodes;
}

// memoSame: a and b are the same JSON value, keys in the same order (a template may
// show an object's keys in order: wx:for over it, or its JSON text). A kept item's
// value is never changed in place without the item being rebuilt (any path below the
// list reaches the item), so the value kept still describes its vnodes.
function memoSame(a, b) {
  if (a === b) return typeof a !== "number" || 1 / a === 1 / b; // 0 and -0 differ
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  // Values first, without allocating (a changed field usually ends it here), then the
  // keys and their order.
  for (var k in a) if (hasOwn(a, k) && (!hasOwn(b, k) || !memoSame(a[k], b[k]))) return false;
  var ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (var i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  return true;
}

// memoKeep records what an item built, when the build was whole.
function memoKeep(entry, k, pair, vnodes, whole) {
  if (whole) entry.items.set(k, { value: pair[0], index: pair[1], vnodes: vnodes });
}

// memoMark records where item k starts among the wx:for's vnodes (slow path).
function memoMark(entry, k, offset) {
  entry.keys.push(k);
  entry.starts.push(offset);
}

// memoEnd records the wx:for's whole output; replayable when every item was built
// whole, keys were unique, and list is an array (memoReplay's conditions).
function memoEnd(entry, list, flat, whole) {
  entry.list = list;
  entry.flat = flat;
  entry.replayable = whole && Array.isArray(list) && entry.keys.length === list.length;
}

// memoReplay is the fast path of a wx:for whose list is the same array as last time,
// of the same length, with only some of its items reached by a data path (list[500],
// list[500].title): the last render's vnodes are copied around those items, which
// alone are rebuilt, without walking the others. keyOf(i) is item i's wx:key identity,
// build(pair, k) builds one item. False (nothing done) when the conditions do not
// hold; buildFor then takes the item-by-item path.
function memoReplay(entry, list, out, ctx, keyOf, build) {
  var old = entry.old;
  if (!old || entry.all || !old.replayable || old.list !== list || !Array.isArray(list) || old.keys.length !== list.length) return false;
  var n = list.length, idx = [], bad = false;
  entry.dirty.forEach(function (d) {
    var i = Number(d);
    if (String(i) !== d || i < 0 || i >= n) bad = true;
    else idx.push(i);
  });
  if (bad || idx.length > 1024) return false; // many items reached: item by item
  idx.sort(function (a, b) { return a - b; });
  for (var x = 0; x < idx.length; x++) if (keyOf(idx[x]) !== old.keys[idx[x]]) return false; // its wx:key changed
  var start = out.length, from = 0, shifts = null, replayable = true, items = old.items, prev = old.flat, c;
  for (x = 0; x < idx.length; x++) {
    var i = idx[x], k = old.keys[i];
    var s = old.starts[i], e = i + 1 < n ? old.starts[i + 1] : prev.length;
    for (c = from; c < s; c++) out.push(prev[c]);
    from = e;
    var errors = ctx.errors;
    var built = build([list[i], i], k);
    for (c = 0; c < built.length; c++) out.push(built[c]);
    if (ctx.errors === errors && !(ctx.budget && ctx.budget.over)) items.set(k, { value: list[i], index: i, vnodes: built });
    else { items["delete"](k); replayable = false; }
    if (built.length !== e - s) (shifts || (shifts = [])).push([i, built.length - (e - s)]);
  }
  for (c = from; c < prev.length; c++) out.push(prev[c]);
  var flat = out.slice(start);
  var starts = old.starts;
  if (shifts) {
    starts = old.starts.slice();
    var delta = 0, at = 0;
    for (i = 0; i < n; i++) {
      starts[i] += delta;
      while (at < shifts.length && shifts[at][0] === i) { delta += shifts[at][1]; at++; }
    }
  }
  entry.items = items;
  entry.keys = old.keys;
  entry.starts = starts;
  entry.list = list;
  entry.flat = flat;
  entry.replayable = replayable;
  return true;
}

// staticParts: an element whose attributes, data-*, marks, events and slot name hold
// no {{…}} (and no live attribute or model: binding) renders them the same way every
// time in one render context. They are rendered once per context and shared, never
// written to, by all its vnodes, so applyAttrs sees the same objects and writes
// nothing. Null for any other element (buildElement renders it as usual).
var memoStatic = new WeakMap(); // template node → parts, or false when not static

function staticParts(node, ctx) {
  var sig = ctx.memo && ctx.memo.sig;
  if (!sig) return null;
  var got = memoStatic.get(node);
  if (got === false) return null;
  if (got && got.sig === sig) return got;
  if (!got && !isStaticElement(node)) { memoStatic.set(node, false); return null; }
  var none = function () { return undefined; };
  var attrs = renderMap(node.attrs, none);
  if (hasOwn(attrs, "style")) attrs.style = convertRpx(toText(attrs.style), ctx.rpx || 1);
  var cls = { extra: "" };
  if (hasOwn(attrs, "class")) attrs["class"] = mapClasses(attrs["class"], ctx.externalClasses, cls, ctx);
  got = {
    sig: sig, attrs: attrs, size: textSize(attrs), fresh: {}, sfs: styleScopeOf(ctx, cls),
    dataset: renderMap(node.data, none), marks: renderMap(node.marks, none),
    events: renderEvents(node.events, none),
    slotName: node.slot === undefined ? "" : toText(node.slot)
  };
  memoStatic.set(node, got);
  return got;
}

function isStaticElement(node) {
  function fixed(m) {
    if (m === undefined) return true;
    if (!isObject(m)) return false;
    return Object.keys(m).every(function (k) { return typeof m[k] === "string" || typeof m[k] === "boolean"; });
  }
  if (!fixed(node.attrs) || !fixed(node.data) || !fixed(node.marks)) return false;
  if (isObject(node.attrs) && Object.keys(node.attrs).some(function (k) { return LIVE_ATTRS[k]; })) return false;
  if (node.events !== undefined && !(Array.isArray(node.events) && node.events.every(function (ev) { return isObject(ev) && !hasOwn(ev, "hv"); }))) return false;
  if (node.slot !== undefined && typeof node.slot !== "string") return false;
  return node.model === undefined || (isObject(node.model) && Object.keys(node.model).length === 0);
}
