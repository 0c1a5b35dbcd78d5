// chrome-navbar.js — the navigation bar: the shown page's title and colours (app
// window merged with the page's json window, then ui title/navbar ops), and a back
// arrow when there is a page to go back to, which asks the host for navigateBack.
// navigationStyle "custom" hides it, as in WeChat.

var navbar = null; // {el, back, title}

function buildNavbar(el) {
  var back = htmlEl("button", "sf-nav-back");
  back.type = "button";
  back.setAttribute("aria-label", "Back");
  back.appendChild(svgEl("svg", { viewBox: "0 0 24 24", width: "22", height: "22", "aria-hidden": "true" }))
    .appendChild(svgEl("path", { d: "M15 5l-7 7 7 7", fill: "none", stroke: "currentColor", "stroke-width": "2.2", "stroke-linecap": "round", "stroke-linejoin": "round" }));
  back.addEventListener("click", function () { if (!pageContainerBack()) goBack(); }); // a page-container closes first; chrome-page.js: enableAlertBeforeUnload asks
  var title = htmlEl("div", "sf-nav-title");
  el.appendChild(back);
  el.appendChild(title);
  navbar = { el: el, back: back, title: title };
}

// canGoBack: the page in front is not a tab page and another page is alive below it.
function canGoBack() {
  var page = state.pages[state.shown];
  return !!page && !isTabPage(page.route) && state.order.length > 1;
}

function updateNavbar() {
  var page = state.pages[state.shown], w = appWindow(page);
  var hidden = !page || w.navigationStyle === "custom";
  navbar.el.hidden = hidden;
  if (!page) return;
  var title = page.title !== null ? page.title : toText(w.navigationBarTitleText);
  // Written only when they change: every render push updates the chrome.
  if (navbar.title.textContent !== title) navbar.title.textContent = title;
  if (document.title !== (title || "Sandframe")) document.title = title || "Sandframe";
  var bg = page.navbar.backgroundColor || toText(w.navigationBarBackgroundColor) || "#000000";
  var front = page.navbar.frontColor || (w.navigationBarTextStyle === "black" ? "#000000" : "#ffffff");
  navbar.el.style.setProperty("background-color", bg);
  navbar.el.style.setProperty("color", front);
  navbar.back.hidden = !canGoBack();
  var meta = page.meta || {};
  shell.body.style.setProperty("background-color", meta.backgroundColor || toText(w.backgroundColor) || "#ffffff");
  // <page-meta root-font-size>: the rem base while this page is shown.
  if (meta.rootFontSize) document.documentElement.style.setProperty("font-size", meta.rootFontSize);
  else document.documentElement.style.removeProperty("font-size");
}

// uiTitle and uiNavbar apply the host's ui ops to a page (shown now or later).
function uiTitle(op) {
  var page = state.pages[op.page || state.shown];
  if (!page) throw new Error("title for unknown page " + JSON.stringify(op.page));
  page.title = toText(op.text);
  updateChrome();
}

function uiNavbar(op) {
  var page = state.pages[op.page || state.shown];
  if (!page) throw new Error("navbar for unknown page " + JSON.stringify(op.page));
  if (op.frontColor) page.navbar.frontColor = toText(op.frontColor);
  if (op.backgroundColor) page.navbar.backgroundColor = toText(op.backgroundColor);
  updateChrome();
}
