// chrome-shell.js — the window's frame. Pages are light-DOM children of <sf-shell>
// (so the mini-app's CSS styles them) slotted into a closed shadow root that holds
// the chrome (navigation bar, tab bar, toast, modal) out of the mini-app CSS's reach.
// The page area contains paint and fixed positioning: nothing a page draws can cover
// the chrome. Mini-app CSS goes into <style> elements; a page's CSS is enabled only
// while that page is shown.

var shell = null; // {host, root, frame, navbar, body, tabbarTop, tabbarBottom, overlay}

// PROTECT keeps the frame's boxes in place whatever the mini-app's CSS says (inline
// !important declarations win over any stylesheet).
var PROTECT = "all: initial !important; display: block !important; margin: 0 !important; padding: 0 !important; " +
  "width: 100% !important; height: 100% !important; overflow: hidden !important; visibility: visible !important; " +
  "opacity: 1 !important; transform: none !important; filter: none !important;";

function buildShell() {
  document.documentElement.style.cssText = PROTECT;
  document.body.style.cssText = PROTECT;
  var host = document.createElement("sf-shell");
  host.style.cssText = PROTECT + " position: fixed !important; top: 0 !important; left: 0 !important; z-index: 0 !important;";
  document.body.appendChild(host);
  var root = host.attachShadow({ mode: "closed" });
  var style = htmlEl("style");
  style.textContent = CHROME_CSS;
  root.appendChild(style);
  var frame = htmlEl("div", "sf-frame");
  var s = {
    host: host, root: root, frame: frame,
    navbar: htmlEl("div", "sf-navbar"),
    tabbarTop: htmlEl("div", "sf-tabbar sf-top"),
    body: htmlEl("div", "sf-body"),
    tabbarBottom: htmlEl("div", "sf-tabbar sf-bottom"),
    overlay: htmlEl("div", "sf-overlay")
  };
  s.body.appendChild(document.createElement("slot"));
  [s.navbar, s.tabbarTop, s.body, s.tabbarBottom].forEach(function (el) { frame.appendChild(el); });
  root.appendChild(frame);
  root.appendChild(s.overlay);
  shell = s;
  buildNavbar(s.navbar);
  return s;
}

function shellPageArea() { return shell.host; }

// applyStyles puts the app's, components' and pages' CSS into <style> elements.
function applyStyles(init) {
  removeAppStyles();
  addStyle("app", "", init.css);
  var comps = init.components || {};
  Object.keys(comps).forEach(function (path) { addStyle("component", path, comps[path].css); });
  var pages = init.pages || {};
  Object.keys(pages).forEach(function (route) { addStyle("page", route, pages[route].css); });
  enablePageStyles();
}

// removeAppStyles takes out every style an init added (app, pages, components).
function removeAppStyles() {
  document.querySelectorAll("style[data-sf-css]").forEach(function (el) { el.parentNode.removeChild(el); });
}

function addStyle(kind, name, css) {
  if (typeof css !== "string" || css === "") return;
  var el = document.createElement("style");
  el.setAttribute("data-sf-css", kind);
  if (name) el.setAttribute("data-name", name);
  el.textContent = css;
  document.head.appendChild(el);
}

function enablePageStyles() {
  var route = state.shown && state.pages[state.shown] ? state.pages[state.shown].route : null;
  document.querySelectorAll('style[data-sf-css="page"]').forEach(function (el) {
    el.media = el.getAttribute("data-name") === route ? "all" : "not all";
  });
  enableAppStyle(route);
}

// updateRpx sets --sf-rpx (one rpx in px: window width / 750, the width capped at the
// shell's rpxMaxWidth so a kiosk's wide screen does not magnify everything) and reports
// whether it changed, in which case inline rpx styles need a re-render.
function updateRpx() {
  var width = window.innerWidth || (state.init && state.init.system && state.init.system.windowWidth) || 375;
  var max = state.init && state.init.app && state.init.app.rpxMaxWidth;
  if (max > 0 && width > max) width = max;
  var factor = width / 750;
  document.documentElement.style.setProperty("--sf-rpx", factor + "px");
  if (factor === state.rpx) return false;
  state.rpx = factor;
  return true;
}

// appWindow merges the app's window config with the page's own json window.
function appWindow(page) {
  var out = {}, app = (state.init && state.init.app && state.init.app.window) || {};
  Object.keys(app).forEach(function (k) { out[k] = app[k]; });
  var own = page && page.def && page.def.window || {};
  Object.keys(own).forEach(function (k) { out[k] = own[k]; });
  return out;
}

// showPage brings a page to the front; each page keeps its own scroll position.
function showPage(id) {
  var page = state.pages[id];
  if (!page) throw new Error("show of unknown page " + JSON.stringify(id));
  var prev = state.shown && state.pages[state.shown];
  if (prev && prev !== page) {
    prev.scrollTop = prev.root.scrollTop;
    prev.scrollLeft = prev.root.scrollLeft;
    prev.root.setAttribute("hidden", "");
    closePicker(); // a picker sheet belongs to the page it was opened on
  }
  state.shown = id;
  page.root.removeAttribute("hidden");
  // Setting a scroll position lays the document out there and then. A page shown for
  // the first time is at 0, 0 unless pageScrollTo moved it while hidden: it needs
  // nothing, and its first layout waits for the frame instead of running twice in the
  // launch's first push.
  var fresh = !page.shownBefore;
  page.shownBefore = true;
  if (!fresh || page.scrollTop || page.scrollLeft) {
    page.root.scrollTop = page.scrollTop;
    page.root.scrollLeft = page.scrollLeft;
    whenPatched(function () { page.root.scrollTop = page.scrollTop; page.root.scrollLeft = page.scrollLeft; });
  }
  enablePageStyles();
  updateChrome();
}

function updateChrome() {
  if (!shell) return;
  updateNavbar();
  updateTabbar();
  updatePageChrome(); // chrome-page.js
}
