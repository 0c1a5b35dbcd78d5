// stack.js — the page's side of the one page stack (docs/host.md, "One page stack").
// The host's navigator makes the stack once per navigation; logic's show op carries its
// live pages (the stack and the hidden tab pages). Mounts and unmounts of the same push
// must already have made the mounted pages exactly those: a page mounted here that is
// not live would send events nobody accepts, so it is unmounted, and any difference is
// reported as an error.

function syncPages(live) {
  if (!Array.isArray(live)) return;
  var want = {};
  live.forEach(function (id) { want[String(id)] = true; });
  var stray = state.order.filter(function (id) { return !hasOwn(want, id); });
  if (stray.length) {
    reportError("show", new Error("pages " + JSON.stringify(stray) + " are mounted but not live; unmounted"));
    unmountPages(stray);
  }
  var missing = live.filter(function (id) { return !hasOwn(state.pages, String(id)); });
  if (missing.length) reportError("show", new Error("live pages " + JSON.stringify(missing) + " are not mounted"));
}

// pageStack is the page's own view, for the automation probe "stack": the page in
// front and every mounted page, in mount order.
function pageStack() {
  return { shown: state.shown || "", mounted: state.order.slice() };
}

// ---- a page's styleIsolation (pages built with Component(), or the page's .json) ----
// page-isolated, page-apply-shared and page-shared turn app.wxss off while that page
// is shown; on page-isolated and page-apply-shared pages the page's own class rules do
// not reach apply-shared components either (they keep only their own), while on
// page-shared they do, as in WeChat.

function pageIsolation(route) {
  var def = route ? pageDef(route) : null;
  var mode = def && typeof def.styleIsolation === "string" ? def.styleIsolation : "";
  return /^page-(isolated|apply-shared|shared)$/.test(mode) ? mode : "";
}

function enableAppStyle(route) {
  var off = pageIsolation(route) !== "";
  document.querySelectorAll('style[data-sf-css="app"]').forEach(function (el) { el.media = off ? "not all" : "all"; });
}

// pageScoped is a component's style scope on page: without the page's scope "p" where
// the page keeps its rules to itself.
function pageScoped(scope, page) {
  var mode = page ? pageIsolation(page.route) : "";
  if (mode !== "page-isolated" && mode !== "page-apply-shared") return scope;
  var parts = scope.split(" ").filter(function (t) { return t !== "p"; });
  return parts.length ? parts.join(" ") : scope;
}

// ---- components a keyed list moved (logic runs moved and linkChanged) ----

// reportMoved records, for the next ready, the component instances at the top of each
// reused child a keyed patch moved (plan.moved); a component created in this render
// or already reported attached is not "moved".
function reportMoved(plan, newList) {
  plan.moved.forEach(function (i) {
    if (plan.stay[i]) return;
    forEachComponent(newList[i], function (inst) {
      var r = state.report;
      if (r.moved.indexOf(inst.id) >= 0 || r.attached.some(function (a) { return a.id === inst.id; })) return;
      r.moved.push(inst.id);
    });
  });
}
