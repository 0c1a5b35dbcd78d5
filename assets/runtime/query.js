// query.js — answers logic's questions about the page (docs/queries.md): selector
// queries (rects, scroll offsets, fields, node descriptions), IntersectionObserver and
// MediaQueryObserver subscriptions, scroll-view scrollTo. A question arrives as a
// `query` message {id, op, owner, spec}; the answer leaves as queryResult {id, result}
// or {id, error}. Selectors are scoped as in WeChat: an element belongs to the owner
// (page or component instance) whose template built it; `>>>` crosses into components.

var QUERY_MAX_NODES = 1000;         // elements one selectAll item describes
var QUERY_MAX_RESULT = 190 * 1024;  // characters of one answer (the bridge takes 200 KiB)
var QUERY_MAX_SELECTOR = 1024;

var queryNodes = { next: 1, byId: {} }; // node ids given to elements (node(), scrollTo)
var queryObservers = {};                // subscription id → observer

function handleQuery(p) {
  var id = p && p.id;
  var spec = isObject(p.spec) ? p.spec : {};
  try {
    switch (p.op) {
      case "select": queryAnswer(id, selectQuery(p.owner, spec)); return;
      case "scroll": queryScroll(id, p.owner, spec); return;
      case "observe": observeIntersections(id, p.owner, spec); return;
      case "media": observeMedia(id, p.owner, spec); return;
      case "disconnect": endObserver(id); return;
      case "animate": animateKeyframes(id, p.owner, spec); return;
      case "clear": clearKeyframes(id, p.owner, spec); return;
    }
    throw new Error("unknown query op " + JSON.stringify(p.op));
  } catch (err) {
    reportError("query " + p.op, err);
    queryFail(id, String(err && err.message || err));
  }
}

function queryAnswer(id, result) {
  var text = JSON.stringify(result === undefined ? null : result);
  if (text.length > QUERY_MAX_RESULT) { queryFail(id, "the result is larger than " + QUERY_MAX_RESULT + " bytes"); return; }
  post("queryResult", { id: id, result: result === undefined ? null : result });
}

function queryFail(id, msg) { post("queryResult", { id: id, error: String(msg).slice(0, 4000) }); }

// ---- scopes and selectors ----------------------------------------------------------

// queryScope is the owner's root element and its page element.
function queryScope(ownerId) {
  var owner = ownerOf(String(ownerId));
  if (!owner) throw new Error("owner " + ownerId + " is not on this page");
  var page = owner.kind === "page" ? owner : state.pages[owner.page];
  return { id: owner.id, root: owner.root, page: page ? page.root : owner.root };
}

// queryAll finds the elements selector matches in the owner's scope, in document
// order. "a >>> b" finds b anywhere inside the components under a.
function queryAll(scope, selector) {
  selector = String(selector || "");
  if (!selector || selector.length > QUERY_MAX_SELECTOR) return [];
  var out = [];
  selector.split(",").forEach(function (one) {
    var parts = one.split(">>>").map(function (s) { return s.trim(); });
    if (parts.some(function (s) { return !s; })) return;
    var found = queryIn(scope.root, parts[0], function (el) { return el.__sfNode && el.__sfNode.owner === scope.id; });
    for (var i = 1; i < parts.length; i++) {
      var next = [];
      found.forEach(function (base) {
        queryIn(base, parts[i], function (el) { return !!el.__sfNode; }).forEach(function (el) { if (next.indexOf(el) < 0) next.push(el); });
      });
      found = next;
    }
    found.forEach(function (el) { if (out.indexOf(el) < 0) out.push(el); });
  });
  if (out.length > 1) out.sort(function (a, b) { return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1; });
  return out;
}

function queryIn(root, selector, keep) {
  var list;
  try { list = root.querySelectorAll(selector); } catch (err) { return []; } // not a selector: no match
  return Array.prototype.filter.call(list, keep);
}

// ---- selector queries --------------------------------------------------------------

function selectQuery(ownerId, spec) {
  var scope = queryScope(ownerId);
  var items = Array.isArray(spec.items) ? spec.items.slice(0, 100) : [];
  return items.map(function (it) {
    it = isObject(it) ? it : {};
    var f = isObject(it.fields) ? it.fields : {};
    if (it.viewport) return describeViewport(scope, f);
    var els = queryAll(scope, it.selector);
    if (it.all) return els.slice(0, QUERY_MAX_NODES).map(function (el) { return describeNode(scope, el, f); });
    return els.length ? describeNode(scope, els[0], f) : null;
  });
}

// pageOrigin is where the page's viewport starts: rects are in its CSS px, as WeChat's
// are in the web view's.
function pageOrigin(scope) {
  var r = scope.page.getBoundingClientRect();
  return { left: r.left, top: r.top };
}

function rectOf(r, o) {
  return { left: r.left - o.left, right: r.right - o.left, top: r.top - o.top, bottom: r.bottom - o.top, width: r.width, height: r.height };
}

function describeNode(scope, el, f) {
  var out = {};
  var info = targetInfo(el);
  if (f.id) out.id = info.id;
  if (f.dataset) out.dataset = info.dataset;
  if (f.mark) out.mark = mergedMarks([el]);
  if (f.rect || f.size) {
    var r = rectOf(el.getBoundingClientRect(), pageOrigin(scope));
    if (f.rect) { out.left = r.left; out.right = r.right; out.top = r.top; out.bottom = r.bottom; }
    if (f.size) { out.width = r.width; out.height = r.height; }
  }
  if (f.scrollOffset) {
    out.scrollLeft = el.scrollLeft; out.scrollTop = el.scrollTop;
    out.scrollWidth = el.scrollWidth; out.scrollHeight = el.scrollHeight;
  }
  if (Array.isArray(f.properties)) {
    var attrs = el.__sfNode.attrs || {};
    f.properties.forEach(function (name) {
      name = String(name);
      if (isUnsafeKey(name) || /^(id|class|style)$/.test(name) || /^(bind|catch|capture-)/.test(name)) return;
      var kebab = camelToKebab(name);
      var v = hasOwn(attrs, name) ? attrs[name] : hasOwn(attrs, kebab) ? attrs[kebab] : undefined;
      if (v === undefined && (name === "value" || name === "checked") && name in el) v = el[name];
      out[name] = v === undefined ? null : cloneJSON(v);
    });
  }
  if (Array.isArray(f.computedStyle)) {
    var cs = getComputedStyle(el);
    f.computedStyle.forEach(function (name) {
      name = String(name);
      if (isUnsafeKey(name)) return;
      out[name] = cs.getPropertyValue(name.indexOf("-") >= 0 ? name : camelToKebab(name));
    });
  }
  if (f.node) out.node = nodeInfo(el);
  if (f.context) out.context = nodeInfo(el);
  return out;
}

function describeViewport(scope, f) {
  var page = scope.page, out = {};
  if (f.id) out.id = "";
  if (f.dataset) out.dataset = {};
  if (f.rect) { out.left = 0; out.top = 0; out.right = page.clientWidth; out.bottom = page.clientHeight; }
  if (f.size) { out.width = page.clientWidth; out.height = page.clientHeight; }
  if (f.scrollOffset) {
    out.scrollLeft = page.scrollLeft; out.scrollTop = page.scrollTop;
    out.scrollWidth = page.scrollWidth; out.scrollHeight = page.scrollHeight;
  }
  return out;
}

// nodeInfo describes an element for node()/context(): logic builds the object (a
// canvas through the canvas helper, a scroll-view's ScrollViewContext).
function nodeInfo(el) {
  var v = el.__sfNode, a = v.attrs || {};
  if (!el.__sfQid) {
    var ids = Object.keys(queryNodes.byId);
    if (ids.length >= 10000) ids.forEach(function (k) { if (!queryNodes.byId[k].isConnected) delete queryNodes.byId[k]; });
    el.__sfQid = "n" + queryNodes.next++;
    queryNodes.byId[el.__sfQid] = el;
  }
  var r = el.getBoundingClientRect();
  var out = { tag: String(v.tag || ""), id: a.id === undefined ? "" : toText(a.id), nodeId: el.__sfQid, width: r.width, height: r.height };
  if (v.tag === "canvas") {
    out.canvasId = a["canvas-id"] === undefined ? "" : toText(a["canvas-id"]);
    out.type = a.type === undefined ? "" : toText(a.type);
  }
  return out;
}

function queryNode(nodeId) {
  var el = hasOwn(queryNodes.byId, String(nodeId)) ? queryNodes.byId[String(nodeId)] : null;
  return el && el.isConnected ? el : null;
}

// queryScroll: ScrollViewContext.scrollTo / scrollIntoView of a scroll-view node.
function queryScroll(id, ownerId, spec) {
  queryScope(ownerId);
  var el = queryNode(spec.nodeId);
  if (!el) { queryFail(id, "the node is gone"); return; }
  var behavior = spec.animated === false ? "auto" : "smooth";
  if (typeof spec.into === "string") {
    var target = queryAll({ id: el.__sfNode.owner, root: el }, spec.into)[0];
    if (target) {
      var r = target.getBoundingClientRect(), box = el.getBoundingClientRect();
      el.scrollTo({ top: el.scrollTop + r.top - box.top, left: el.scrollLeft + r.left - box.left, behavior: behavior });
    }
  } else {
    var to = { behavior: behavior };
    if (typeof spec.top === "number") to.top = spec.top;
    if (typeof spec.left === "number") to.left = spec.left;
    el.scrollTo(to);
  }
  queryAnswer(id, {});
}

// ---- IntersectionObserver ----------------------------------------------------------

// An observer compares rects itself (no native IntersectionObserver: WeChat's
// reference may be any element, not only an ancestor): on scroll anywhere in the
// document, on resize, and every 200 ms while any observer lives (data changes move
// things too). It notifies when an element's ratio crosses a threshold, once per
// check, all its entries in one message; only while its page is in front.
function observeIntersections(id, ownerId, spec) {
  var scope = queryScope(ownerId);
  var thresholds = (Array.isArray(spec.thresholds) ? spec.thresholds : [0]).filter(function (t) { return typeof t === "number" && t >= 0 && t <= 1; }).slice(0, 100);
  if (!thresholds.length) thresholds = [0];
  var rel = isObject(spec.relative) ? spec.relative : { viewport: true };
  var m = isObject(rel.margins) ? rel.margins : {};
  queryObservers[id] = {
    kind: "intersection", id: id, owner: String(ownerId), scope: scope, selector: String(spec.selector || ""), all: !!spec.all,
    thresholds: thresholds, initial: typeof spec.initialRatio === "number" ? spec.initialRatio : 0,
    relative: rel.viewport ? null : String(rel.selector || ""),
    margins: { left: num0(m.left), right: num0(m.right), top: num0(m.top), bottom: num0(m.bottom) },
    ratios: new WeakMap(), start: performance.now()
  };
  startObserving();
  checkObservers();
}

function num0(v) { return typeof v === "number" && isFinite(v) ? v : 0; }

var observing = null;
function startObserving() {
  if (observing) return;
  var queued = false;
  var onScroll = function () {
    if (queued) return;
    queued = true;
    requestAnimationFrame(function () { queued = false; checkObservers(); });
  };
  document.addEventListener("scroll", onScroll, true);
  window.addEventListener("resize", onScroll);
  observing = { onScroll: onScroll, timer: setInterval(checkObservers, 200) };
}

function stopObservingIfIdle() {
  if (!observing || Object.keys(queryObservers).some(function (k) { return queryObservers[k].kind === "intersection"; })) return;
  document.removeEventListener("scroll", observing.onScroll, true);
  window.removeEventListener("resize", observing.onScroll);
  clearInterval(observing.timer);
  observing = null;
}

function endObserver(id) {
  var o = queryObservers[id];
  if (!o) return;
  delete queryObservers[id];
  if (o.kind === "media" && o.mql) o.mql.removeEventListener("change", o.listener);
  stopObservingIfIdle();
}

function checkObservers() {
  Object.keys(queryObservers).forEach(function (k) {
    var o = queryObservers[k];
    if (o.kind !== "intersection") return;
    var owner = ownerOf(o.owner);
    if (!owner) { endObserver(o.id); return; } // its page or component is gone
    if ((owner.kind === "page" ? owner.id : owner.page) !== state.shown) return;
    try { checkIntersections(o); } catch (err) { reportError("intersection observer", err); }
  });
}

function checkIntersections(o) {
  var origin = pageOrigin(o.scope), ref;
  if (o.relative === null) {
    var pr = o.scope.page.getBoundingClientRect();
    ref = { left: pr.left, top: pr.top, right: pr.left + o.scope.page.clientWidth, bottom: pr.top + o.scope.page.clientHeight };
  } else {
    var relEl = queryAll(o.scope, o.relative)[0];
    if (!relEl) return;
    var rr = relEl.getBoundingClientRect();
    ref = { left: rr.left, top: rr.top, right: rr.right, bottom: rr.bottom };
  }
  ref = { left: ref.left - o.margins.left, top: ref.top - o.margins.top, right: ref.right + o.margins.right, bottom: ref.bottom + o.margins.bottom };
  var els = queryAll(o.scope, o.selector);
  if (!o.all) els = els.slice(0, 1);
  var entries = [], time = Math.round(performance.now());
  els.slice(0, QUERY_MAX_NODES).forEach(function (el) {
    var b = el.getBoundingClientRect();
    var ix = { left: Math.max(b.left, ref.left), top: Math.max(b.top, ref.top), right: Math.min(b.right, ref.right), bottom: Math.min(b.bottom, ref.bottom) };
    var w = ix.right - ix.left, h = ix.bottom - ix.top;
    var hit = w >= 0 && h >= 0 && (w > 0 || h > 0 || b.width === 0 || b.height === 0);
    if (!hit) w = h = 0;
    var area = b.width * b.height;
    var ratio = hit ? (area > 0 ? (w * h) / area : 1) : 0;
    var prev = o.ratios.has(el) ? o.ratios.get(el) : o.initial;
    o.ratios.set(el, ratio);
    if (!crossed(o.thresholds, prev, ratio)) return;
    var info = targetInfo(el);
    entries.push({
      id: info.id, dataset: info.dataset, time: time, intersectionRatio: ratio,
      intersectionRect: hit ? rectOf({ left: ix.left, right: ix.right, top: ix.top, bottom: ix.bottom, width: w, height: h }, origin) : rectOf({ left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0 }, { left: 0, top: 0 }),
      boundingClientRect: rectOf(b, origin),
      relativeRect: rectOf({ left: ref.left, right: ref.right, top: ref.top, bottom: ref.bottom, width: ref.right - ref.left, height: ref.bottom - ref.top }, origin)
    });
  });
  if (entries.length) queryAnswer(o.id, entries);
}

// crossed: a threshold lies between the old and new ratio (reaching it counts; so
// does entering or leaving with threshold 0).
function crossed(thresholds, prev, ratio) {
  if (prev === ratio) return false;
  return thresholds.some(function (t) {
    if (t === 0) return (prev > 0) !== (ratio > 0);
    return (prev < t) !== (ratio < t);
  });
}

// ---- MediaQueryObserver ------------------------------------------------------------

function observeMedia(id, ownerId, spec) {
  queryScope(ownerId);
  var parts = [];
  var px = function (k, feature) { if (typeof spec[k] === "number" && isFinite(spec[k])) parts.push("(" + feature + ": " + spec[k] + "px)"); };
  px("minWidth", "min-width"); px("maxWidth", "max-width"); px("width", "width");
  px("minHeight", "min-height"); px("maxHeight", "max-height"); px("height", "height");
  if (spec.orientation === "landscape" || spec.orientation === "portrait") parts.push("(orientation: " + spec.orientation + ")");
  var mql = window.matchMedia(parts.length ? parts.join(" and ") : "all");
  var o = { kind: "media", id: id, owner: String(ownerId), mql: mql, last: null };
  o.listener = function () {
    if (!ownerOf(o.owner)) { endObserver(o.id); return; }
    if (mql.matches === o.last) return;
    o.last = mql.matches;
    queryAnswer(o.id, { matches: mql.matches });
  };
  mql.addEventListener("change", o.listener);
  queryObservers[id] = o;
  o.listener();
}
