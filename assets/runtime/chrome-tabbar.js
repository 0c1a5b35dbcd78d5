// chrome-tabbar.js — the tab bar of app.tabBar, shown while a tab page is in front:
// text, icons (data: URLs, or bundle paths found in init.images), selected icon,
// color, selectedColor, backgroundColor, borderStyle, position bottom or top. A click
// on another tab asks the host for switchTab {url: "/" + pagePath}.

var tabbar = null; // {config, items: [{pagePath, el, icon, text}], el}

function tabConfig() { return (state.init && state.init.app && state.init.app.tabBar) || null; }

function isTabPage(route) {
  var cfg = tabConfig();
  return !!cfg && Array.isArray(cfg.list) && cfg.list.some(function (t) { return t.pagePath === route; });
}

function buildTabbar() {
  shell.tabbarTop.textContent = "";
  shell.tabbarBottom.textContent = "";
  tabbar = null;
  var cfg = tabConfig();
  if (!cfg || !Array.isArray(cfg.list) || !cfg.list.length) return;
  var top = cfg.position === "top";
  var el = top ? shell.tabbarTop : shell.tabbarBottom;
  el.style.setProperty("background-color", toText(cfg.backgroundColor) || "#f7f7f7");
  var border = cfg.borderStyle === "white" ? "rgba(255,255,255,0.35)" : cfg.borderStyle && cfg.borderStyle !== "black" ? toText(cfg.borderStyle) : "rgba(0,0,0,0.12)";
  el.style.setProperty("--sf-tab-border", border);
  var items = cfg.list.map(function (t) {
    var item = htmlEl("button", "sf-tab");
    item.type = "button";
    item.setAttribute("data-page-path", toText(t.pagePath));
    var icon = null;
    if (!top && (t.iconPath || t.selectedIconPath)) {
      icon = htmlEl("img", "sf-tab-icon");
      icon.alt = "";
      item.appendChild(icon);
    }
    var text = htmlEl("span", "sf-tab-text", toText(t.text));
    item.appendChild(text);
    item.addEventListener("click", function () {
      var page = state.pages[state.shown];
      if (page && page.route === t.pagePath) return; // already in front
      sendHostEvent("switchTab", { url: "/" + toText(t.pagePath) });
    });
    el.appendChild(item);
    return { tab: t, el: item, icon: icon, text: text };
  });
  tabbar = { config: cfg, el: el, items: items };
}

function updateTabbar() {
  if (!tabbar) return;
  var page = state.pages[state.shown];
  var route = page ? page.route : null;
  tabbar.el.hidden = !page || !isTabPage(route);
  var images = state.init.images;
  tabbar.items.forEach(function (it) {
    var on = it.tab.pagePath === route;
    it.el.setAttribute("aria-selected", on ? "true" : "false");
    it.el.style.setProperty("color", toText(on ? tabbar.config.selectedColor || "#07c160" : tabbar.config.color || "#7a7e83"));
    if (it.icon) {
      var src = resolveImage(images, "", toText(on && it.tab.selectedIconPath ? it.tab.selectedIconPath : it.tab.iconPath));
      if (src) { if (it.icon.getAttribute("src") !== src) it.icon.src = src; } // not reloaded on every push
      else it.icon.removeAttribute("src");
    }
  });
}
