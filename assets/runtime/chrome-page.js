// chrome-page.js — the UI group's page-side half (docs/ui-apis.md): ui ops navLoading,
// tabBar, background, pageScrollTo, pullDown and alertBeforeUnload, and the page's own
// events: onPullDownRefresh (a pull gesture, or a wheel overscroll at the top, when the
// window config has enablePullDownRefresh), onReachBottom (onReachBottomDistance,
// default 50), onPageScroll (only for a page that defines it: its mount op says
// pageScroll) and onResize. Page events go to logic as event {target: "page",
// handler: the page method, event.type: pulldownrefresh | reachbottom | pagescroll |
// resize}; the bridge checks the pair.

var PULL_HOLD = 48;        // px the page rests at while refreshing (WeChat's indicator height)
var PULL_MAX = 96;         // px a pull can drag the page
var WHEEL_PULL = 140;      // px of upward wheel overscroll at the top that start a refresh
var SCROLL_EVERY = 80;     // ms between onPageScroll reports (the last position is always sent)

var pageUI = { refresh: null, dots: null, loading: null, tabHidden: false, pull: null, wheel: { sum: 0, at: 0 } };

// postPageEvent sends one of the page's own events for the page in front.
function postPageEvent(type, handler, detail) {
  var none = { id: "", dataset: {} };
  post("event", { target: "page", handler: handler, event: { type: type, timeStamp: now(), detail: detail || {}, target: none, currentTarget: none } });
}

function uiPage(op) {
  var page = state.pages[op.page || state.shown];
  if (!page) throw new Error(op.op + " for unknown page " + JSON.stringify(op.page));
  return page;
}

// applyUIGroup carries out the UI group's ops; false for an op it does not know.
function applyUIGroup(op) {
  switch (op.op) {
    case "actionSheet": showActionSheet(op); return true;
    case "previewImage": showPreview(op); return true;
    case "navLoading": uiPage(op).navLoading = op.action === "show"; updateChrome(); return true;
    case "tabBar": uiTabBar(op); return true;
    case "background": uiBackground(op); return true;
    case "pageScrollTo": uiPageScrollTo(op); return true;
    case "pullDown": if (op.action === "start") startRefresh(uiPage(op)); else stopRefresh(uiPage(op)); return true;
    case "alertBeforeUnload": uiPage(op).alertUnload = op.action === "enable" ? toText(op.content) : null; return true;
  }
  return false;
}

// ---- chrome state of the shown page (called by updateChrome) ----

function updatePageChrome() {
  if (!shell) return;
  ensurePageChrome();
  var page = state.pages[state.shown], w = appWindow(page), bg = (page && page.bg) || {};
  if (page && bg.color) shell.body.style.setProperty("background-color", bg.color);
  var top = bg.top || bg.color || toText(w.backgroundColorTop) || toText(w.backgroundColor) || "";
  if (top) pageUI.refresh.style.setProperty("background-color", top); else pageUI.refresh.style.removeProperty("background-color");
  var style = bg.textStyle || toText(w.backgroundTextStyle) || "dark";
  pageUI.refresh.setAttribute("data-style", style === "light" ? "light" : "dark");
  pageUI.refresh.hidden = !page || !page.refreshing && !(pageUI.pull && pageUI.pull.page === page);
  pageUI.loading.hidden = !page || !page.navLoading;
  if (tabbar && pageUI.tabHidden) tabbar.el.hidden = true;
}

function ensurePageChrome() {
  if (pageUI.refresh) return;
  var r = htmlEl("div", "sf-refresh");
  r.setAttribute("aria-hidden", "true");
  for (var i = 0; i < 3; i++) r.appendChild(htmlEl("span", "sf-refresh-dot"));
  r.hidden = true;
  shell.body.insertBefore(r, shell.body.firstChild);
  pageUI.refresh = r;
  var l = htmlEl("div", "sf-nav-loading");
  l.setAttribute("role", "progressbar");
  l.hidden = true;
  navbar.el.insertBefore(l, navbar.title);
  pageUI.loading = l;
}

// ---- tab bar ----

function uiTabBar(op) {
  if (!tabbar) throw new Error("tabBar op without a tab bar");
  var it = typeof op.index === "number" ? tabbar.items[op.index] : null, rebuilt = false;
  if (typeof op.index === "number" && !it) throw new Error("no tab " + op.index);
  switch (op.action) {
    case "badge": tabMark(it, "sf-tab-badge", toText(op.text)); tabMark(it, "sf-tab-dot", null); break;
    case "removeBadge": tabMark(it, "sf-tab-badge", null); break;
    case "redDot": tabMark(it, "sf-tab-dot", ""); tabMark(it, "sf-tab-badge", null); break;
    case "hideRedDot": tabMark(it, "sf-tab-dot", null); break;
    case "item":
      if (op.text) { it.tab.text = op.text === " " ? "" : toText(op.text); it.text.textContent = it.tab.text; }
      if (op.iconPath) it.tab.iconPath = toText(op.iconPath);
      if (op.selectedIconPath) it.tab.selectedIconPath = toText(op.selectedIconPath);
      if ((op.iconPath || op.selectedIconPath) && !it.icon && tabbar.config.position !== "top") {
        buildTabbar(); // the bar had no icons: build it again with them
        rebuilt = true;
      }
      break;
    case "style":
      ["color", "selectedColor", "backgroundColor", "borderStyle"].forEach(function (k) { if (op[k]) tabbar.config[k] = toText(op[k]); });
      buildTabbar(); // the bar's colours are set when it is built; the marks are put back below
      rebuilt = true;
      break;
    case "show": pageUI.tabHidden = false; break;
    case "hide": pageUI.tabHidden = true; break;
  }
  updateChrome();
  if (rebuilt) restoreTabMarks();
}

// tabMark puts (text: a string) or removes (null) a badge or red dot on a tab.
function tabMark(it, cls, text) {
  it.marks = it.marks || {};
  var el = it.el.querySelector("." + cls);
  if (text === null) {
    if (el) el.parentNode.removeChild(el);
    delete it.marks[cls];
    return;
  }
  if (!el) {
    el = htmlEl("span", cls);
    it.el.appendChild(el);
  }
  el.textContent = text;
  it.marks[cls] = text;
  tabbarMarks[it.tab.pagePath] = it.marks;
}

var tabbarMarks = {}; // pagePath → marks, to survive a rebuild of the bar

function restoreTabMarks() {
  if (!tabbar) return;
  tabbar.items.forEach(function (it) {
    var marks = tabbarMarks[it.tab.pagePath];
    if (!marks) return;
    Object.keys(marks).forEach(function (cls) { tabMark(it, cls, marks[cls]); });
  });
}

// ---- background ----

function uiBackground(op) {
  var page = uiPage(op);
  page.bg = page.bg || {};
  if (op.backgroundColor) page.bg.color = toText(op.backgroundColor);
  if (op.backgroundColorTop) page.bg.top = toText(op.backgroundColorTop);
  if (op.backgroundColorBottom) page.bg.bottom = toText(op.backgroundColorBottom);
  if (op.textStyle) page.bg.textStyle = toText(op.textStyle);
  updateChrome();
}

// ---- pageScrollTo ----

function uiPageScrollTo(op) {
  var page = uiPage(op), root = page.root, target;
  if (op.selector) {
    var el = null;
    try { el = root.querySelector(toText(op.selector)); } catch (err) { throw new Error("pageScrollTo: bad selector " + JSON.stringify(op.selector)); }
    if (!el) throw new Error("pageScrollTo: no element matches " + JSON.stringify(op.selector));
    target = el.getBoundingClientRect().top - root.getBoundingClientRect().top + root.scrollTop + (Number(op.offsetTop) || 0);
  } else {
    target = Number(op.scrollTop) || 0;
  }
  // Not clamped to today's height: content a setData of the same turn adds may arrive
  // while the scroll runs, and the browser clamps each step itself.
  target = Math.max(0, target);
  if (page.id !== state.shown) { page.scrollTop = target; return; } // shown later at that position
  if (page.scrollAnim) cancelAnimationFrame(page.scrollAnim);
  var from = root.scrollTop, duration = Math.max(0, Number(op.duration) || 0), start = performance.now();
  if (duration === 0 || from === target) { root.scrollTop = target; return; }
  var step = function (t) {
    var k = Math.min(1, (t - start) / duration), ease = k < 0.5 ? 2 * k * k : 1 - Math.pow(-2 * k + 2, 2) / 2;
    root.scrollTop = from + (target - from) * ease;
    page.scrollAnim = k < 1 ? requestAnimationFrame(step) : 0;
  };
  page.scrollAnim = requestAnimationFrame(step);
}

// ---- pull-down refresh ----

function pullEnabled(page) { return !!page && appWindow(page).enablePullDownRefresh === true; }

function setPull(page, px, animate) {
  page.root.style.setProperty("transition", animate ? "transform 0.25s ease" : "none");
  if (px > 0) page.root.style.setProperty("transform", "translateY(" + px + "px)");
  else page.root.style.removeProperty("transform");
  pageUI.refresh.style.setProperty("height", Math.max(px, 0) + "px");
}

function startRefresh(page) {
  if (!shell || page.refreshing) return;
  ensurePageChrome();
  page.refreshing = true;
  if (page.id === state.shown) {
    page.root.scrollTop = 0;
    setPull(page, PULL_HOLD, true);
    updateChrome();
  }
  postPageEvent("pulldownrefresh", "onPullDownRefresh");
}

function stopRefresh(page) {
  if (!page.refreshing) return;
  page.refreshing = false;
  if (page.id !== state.shown) { setPull(page, 0, false); return; }
  setPull(page, 0, true);
  afterSlide(page);
}

// afterSlide hides the indicator once the page has slid back (or soon after, should no
// transition run).
function afterSlide(page) {
  var finished = false, done = function () {
    if (finished) return;
    finished = true;
    page.root.removeEventListener("transitionend", done);
    if (!page.refreshing) updateChrome();
  };
  page.root.addEventListener("transitionend", done);
  setTimeout(done, 600);
}

function shownPageOf(target) {
  var page = state.pages[state.shown];
  return page && target && target.nodeType === 1 && (target === page.root || page.root.contains(target)) ? page : null;
}

function onPullDown(e) {
  if (e.button !== 0) return;
  var page = shownPageOf(e.target);
  if (!pullEnabled(page) || page.refreshing || page.root.scrollTop > 0) return;
  pageUI.pull = { page: page, y: e.clientY, dy: 0, id: e.pointerId };
}

function onPullMove(e) {
  var p = pageUI.pull;
  if (!p || e.pointerId !== p.id) return;
  p.dy = Math.min(Math.max(e.clientY - p.y, 0) * 0.6, PULL_MAX);
  if (p.dy > 0) {
    ensurePageChrome();
    pageUI.refresh.hidden = false;
    setPull(p.page, p.dy, false);
  }
}

function onPullUp(e) {
  var p = pageUI.pull;
  if (!p || e.pointerId !== p.id) return;
  pageUI.pull = null;
  if (p.dy >= PULL_HOLD && !p.page.refreshing) startRefresh(p.page);
  else if (!p.page.refreshing) { setPull(p.page, 0, true); afterSlide(p.page); }
}

// onPullWheel: on a desktop the pull is a wheel (or touchpad) overscroll at the top.
function onPullWheel(e) {
  var page = shownPageOf(e.target);
  if (!pullEnabled(page) || page.refreshing || page.root.scrollTop > 0 || e.deltaY >= 0) { pageUI.wheel.sum = 0; return; }
  var t = performance.now(), w = pageUI.wheel;
  if (t - w.at > 400) w.sum = 0;
  w.at = t;
  w.sum += -e.deltaY * (e.deltaMode === 1 ? 16 : 1);
  if (w.sum >= WHEEL_PULL) { w.sum = 0; startRefresh(page); }
}

// ---- scroll: onReachBottom, onPageScroll ----

function onPageScrolled(e) {
  var page = state.pages[state.shown];
  if (!page || e.target !== page.root) return;
  var root = page.root, w = appWindow(page);
  var distance = typeof w.onReachBottomDistance === "number" ? w.onReachBottomDistance : 50;
  var near = root.scrollHeight - root.scrollTop - root.clientHeight <= distance;
  if (!near || page.bottomAt !== root.scrollHeight) page.bottomFired = false;
  if (near && !page.bottomFired && root.scrollHeight > root.clientHeight) {
    page.bottomFired = true;
    page.bottomAt = root.scrollHeight;
    postPageEvent("reachbottom", "onReachBottom");
  }
  if (page.pageScroll) reportScroll(page);
}

function reportScroll(page) {
  var t = performance.now();
  if (page.scrollTimer) return; // the trailing report will carry the latest position
  var wait = page.scrollSent ? Math.max(0, SCROLL_EVERY - (t - page.scrollSent)) : 0;
  page.scrollTimer = setTimeout(function () {
    page.scrollTimer = 0;
    page.scrollSent = performance.now();
    if (state.pages[page.id] === page) postPageEvent("pagescroll", "onPageScroll", { scrollTop: Math.max(0, Math.round(page.root.scrollTop * 100) / 100) });
  }, wait);
}

// ---- onResize ----

var resizeTimer = 0;
function onWindowResized() {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(function () {
    if (!state.shown || !shell) return;
    postPageEvent("resize", "onResize", { size: { windowWidth: window.innerWidth, windowHeight: shell.body.clientHeight } });
  }, 150);
}

// ---- enableAlertBeforeUnload: the back arrow asks first ----

function goBack() {
  var page = state.pages[state.shown];
  if (!page || page.alertUnload === null || page.alertUnload === undefined) {
    sendHostEvent("navigateBack", { delta: 1 });
    return;
  }
  showModal({ id: "unload", content: page.alertUnload, showCancel: true, cancelText: "Cancel", confirmText: "Leave",
    onAnswer: function (confirm) { if (confirm && state.shown === page.id) sendHostEvent("navigateBack", { delta: 1 }); } });
}

function installPageEvents() {
  document.addEventListener("pointerdown", onPullDown, true);
  document.addEventListener("pointermove", onPullMove, true);
  document.addEventListener("pointerup", onPullUp, true);
  document.addEventListener("pointercancel", onPullUp, true);
  document.addEventListener("wheel", onPullWheel, { capture: true, passive: true });
  document.addEventListener("scroll", onPageScrolled, { capture: true, passive: true });
  window.addEventListener("resize", onWindowResized);
}
installPageEvents();
