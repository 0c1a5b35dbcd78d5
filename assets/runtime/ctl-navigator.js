// ctl-navigator.js — <navigator url open-type delta>: a click asks the host to
// navigate (event target "host"); a relative url is resolved against the page's route.

var NAV_HANDLERS = { navigate: "navigateTo", redirect: "redirectTo", switchTab: "switchTab", reLaunch: "reLaunch" };

BUILTINS.navigator = {
  activate: function (el) {
    var a = el.__sfNode.attrs, type = a["open-type"] === undefined ? "navigate" : toText(a["open-type"]);
    if (type === "navigateBack") {
      var delta = Number(a.delta);
      sendHostEvent("navigateBack", { delta: delta >= 1 ? Math.floor(delta) : 1 }, el);
      return true;
    }
    if (!hasOwn(NAV_HANDLERS, type)) return true; // exit and others: nothing to do in a window
    var pageEl = el.closest("page"), page = pageEl ? state.pages[pageEl.getAttribute("data-page")] : null;
    var url = resolvePageURL(page ? page.route : "", toText(a.url));
    if (url) sendHostEvent(NAV_HANDLERS[type], { url: url }, el);
    return true;
  }
};
