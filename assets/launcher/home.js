// home.js — the home view: header, the running strip and the grid of installed apps.

var state = {
  loaded: false,      // apps.list answered at least once
  loadError: "",      // why the last apps.list failed, when nothing is shown
  apps: [],
  profile: { nickName: "", avatarUrl: "" },
  catalogUrl: "",
  query: ""
};

function findApp(id) {
  for (var i = 0; i < state.apps.length; i++) if (state.apps[i].id === id) return state.apps[i];
  return null;
}

function displayName(id) {
  var app = findApp(id);
  if (app && app.name) return app.name;
  var c = catalogEntry(id);
  if (c && c.name) return c.name;
  return offer.data && offer.data.id === id && offer.data.name ? offer.data.name : id;
}

// ---- apps.list ----

var listInFlight = false, listAgain = false;

// refreshApps asks apps.list again; calls that come while one is on its way fold into
// one more.
function refreshApps() {
  if (listInFlight) { listAgain = true; return; }
  listInFlight = true;
  call("apps.list", {}).then(function (r) {
    state.loaded = true;
    state.loadError = "";
    state.apps = Array.isArray(r.apps) ? r.apps : [];
    state.profile = r.profile && typeof r.profile === "object" ? r.profile : { nickName: "", avatarUrl: "" };
    state.catalogUrl = typeof r.catalog === "string" ? r.catalog : "";
    renderHome();
    appsChanged();
  }, function (err) {
    if (!state.loaded) { state.loadError = errorText(err); renderGrid(); }
    failed(err);
  }).then(function () {
    listInFlight = false;
    if (listAgain) { listAgain = false; refreshApps(); }
  });
}

function renderHome() {
  renderHeader();
  renderRunning();
  renderGrid();
  if (catalogOpen()) renderCatalog();
}

function renderHeader() {
  $("open-catalog").hidden = !state.catalogUrl;
  var p = state.profile || {};
  sync($("profile"), avatar(p, "avatar-sm"), h("span", { class: "chip-name", text: p.nickName || "Set up profile" }));
  $("profile").setAttribute("aria-label", "Profile: " + (p.nickName || "not set"));
}

// ---- running strip ----

function renderRunning() {
  var active = state.apps.filter(isActive);
  var section = $("running");
  section.hidden = !active.length;
  sync($("running-list"), active.map(function (app) {
    var hidden = app.state === "hidden";
    return h("div", { class: "run-item", "data-id": app.id, "data-state": app.state },
      appIcon(app, "icon-xs"),
      h("span", { class: "run-name", text: app.name || app.id }),
      hidden ? h("span", { class: "tag tag-hidden", title: "Its window is closed; the app keeps running for a while", text: "hidden" }) : null,
      button("Switch", { class: "btn btn-sm", "data-action": "switch", "aria-label": "Switch to " + (app.name || app.id) }),
      button("Close", { class: "btn btn-sm btn-ghost", "data-action": "close", "aria-label": "Close " + (app.name || app.id) }));
  }));
  sync($("running-count"), String(active.length));
}

// ---- grid ----

function tile(app) {
  var name = app.name || app.id;
  var dot = isActive(app) ? h("span", { class: "dot dot-" + app.state, title: app.state === "running" ? "Running" : "Running, window hidden" }) : null;
  return h("div", {
    class: "tile" + (isActive(app) ? " is-active" : ""), "data-id": app.id, "data-state": app.state || "stopped",
    tabindex: "0", role: "button", "aria-label": "Open " + name + (app.version ? ", version " + app.version : "")
  },
  h("div", { class: "tile-icon" }, appIcon(app, "icon-lg"), dot),
  h("div", { class: "tile-name", title: name, text: name }),
  h("div", { class: "tile-version", text: app.version ? "v" + app.version : "" }),
  h("div", { class: "tile-publisher" },
    app.verified ? h("span", { class: "publisher", title: "Signed by " + app.publisher, text: app.publisher })
      : h("span", { class: "badge unverified", title: "This bundle is not signed by a trusted publisher", text: "Unverified" })),
  app.update ? h("span", { class: "badge update", title: "Version " + app.update + " is in the catalog", text: "Update available" }) : null,
  h("button", { type: "button", class: "tile-more", "data-action": "details", "aria-label": "Details for " + name, title: "Details" }, icon("more")));
}

function renderGrid() {
  var grid = $("apps");
  var focusedId = document.activeElement && document.activeElement.closest && document.activeElement.closest(".tile") ? document.activeElement.closest(".tile").getAttribute("data-id") : null;
  var moreFocused = focusedId && document.activeElement.classList.contains("tile-more");
  var sorted = state.apps.slice().sort(function (a, b) {
    return String(a.name || a.id).localeCompare(String(b.name || b.id));
  });
  sync(grid, sorted.map(tile));
  grid.setAttribute("aria-busy", state.loaded ? "false" : "true");
  applyFilter();
  if (focusedId) {
    var again = grid.querySelector('.tile[data-id="' + cssEscape(focusedId) + '"]');
    if (again) (moreFocused ? again.querySelector(".tile-more") : again).focus({ preventScroll: true });
  }
}

function cssEscape(s) {
  return window.CSS && CSS.escape ? CSS.escape(s) : String(s).replace(/["\\]/g, "\\$&");
}

// applyFilter shows the tiles (and catalog rows) that match the search box.
function applyFilter() {
  var q = state.query;
  var shown = 0;
  allTiles().forEach(function (t) {
    var ok = matchesQuery(findApp(t.getAttribute("data-id")), q);
    t.hidden = !ok;
    if (ok) shown++;
  });
  var status = $("apps-status");
  var empty = $("empty");
  if (!state.loaded) {
    empty.hidden = true;
    status.hidden = false;
    fill(status, state.loadError ? [h("p", { text: "Your apps could not be listed: " + state.loadError }), button("Try again", { class: "btn", onclick: refreshApps })] : h("p", { class: "muted", text: "Loading apps…" }));
  } else if (!state.apps.length) {
    status.hidden = true;
    empty.hidden = false;
    $("empty-catalog").hidden = !state.catalogUrl;
  } else if (!shown) {
    empty.hidden = true;
    status.hidden = false;
    fill(status, h("p", { class: "muted" }, "No apps match “", h("strong", { text: q.trim() }), "”."));
  } else {
    empty.hidden = true;
    status.hidden = true;
  }
  fill($("apps-count"), state.loaded ? (q.trim() ? shown + " of " + state.apps.length : String(state.apps.length)) : "");
  if (catalogOpen()) filterCatalog();
}

// tileInNextRow is the tile in the nearest row below (or above) from, in the column
// nearest to from's.
function tileInNextRow(tiles, from, down) {
  var r = from.getBoundingClientRect(), cx = r.left + r.width / 2;
  var candidates = tiles.filter(function (t) {
    var top = t.getBoundingClientRect().top;
    return down ? top > r.top + 1 : top < r.top - 1;
  });
  if (!candidates.length) return null;
  var rowTop = candidates.reduce(function (best, t) {
    var top = t.getBoundingClientRect().top;
    return Math.abs(top - r.top) < Math.abs(best - r.top) ? top : best;
  }, candidates[0].getBoundingClientRect().top);
  var best = null, bestDx = Infinity;
  candidates.forEach(function (t) {
    var tr = t.getBoundingClientRect();
    if (Math.abs(tr.top - rowTop) > 1) return;
    var dx = Math.abs(tr.left + tr.width / 2 - cx);
    if (dx < bestDx) { best = t; bestDx = dx; }
  });
  return best;
}

function allTiles() {
  return Array.prototype.slice.call($("apps").querySelectorAll(".tile"));
}

function visibleTiles() {
  return allTiles().filter(function (t) { return !t.hidden; });
}

// moveTileFocus moves focus by arrow key, by rows as the grid lays them out.
function moveTileFocus(from, key) {
  var tiles = visibleTiles();
  var i = tiles.indexOf(from);
  if (i < 0 || !tiles.length) return;
  var target = null;
  if (key === "ArrowLeft") target = tiles[i - 1];
  else if (key === "ArrowRight") target = tiles[i + 1];
  else if (key === "Home") target = tiles[0];
  else if (key === "End") target = tiles[tiles.length - 1];
  else target = tileInNextRow(tiles, from, key === "ArrowDown");
  if (target) { target.focus(); target.scrollIntoView({ block: "nearest" }); }
}

// ---- actions ----

// While an app launches the launcher keeps still: every frame it paints then is made on
// the UI thread the new app's window needs for its first one (docs/launcher.md, "A
// launch"). So the tile shows that it is launching only when the launch is slow
// (LAUNCH_FEEDBACK_MS: a window made on demand, not the pre-warmed one), transitions
// are off while the launch runs and for LAUNCH_QUIET_MS after (body.app-launching), and
// the refresh the launch asks for waits until then (refreshAfterLaunch).
var LAUNCH_FEEDBACK_MS = 150, LAUNCH_QUIET_MS = 1000;
var launchesInFlight = 0, quietUntil = 0, quietTimer = 0;

function launchApp(id, from) {
  var el = from && from.classList && from.classList.contains("tile") ? from : null;
  launchesInFlight++;
  document.body.classList.add("app-launching");
  var slow = el ? setTimeout(function () { el.classList.add("launching"); }, LAUNCH_FEEDBACK_MS) : 0;
  call("app.launch", { id: id }).then(function () {}, failed).then(function () {
    clearTimeout(slow);
    if (el && el.classList.contains("launching")) setTimeout(function () { el.classList.remove("launching"); }, 400);
    launchesInFlight--;
    quietUntil = Date.now() + LAUNCH_QUIET_MS;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(endLaunchQuiet, LAUNCH_QUIET_MS);
  });
}

// launchQuiet reports whether a launch runs, or ended less than LAUNCH_QUIET_MS ago.
function launchQuiet() { return launchesInFlight > 0 || Date.now() < quietUntil; }

var refreshWaiting = false;

function endLaunchQuiet() {
  if (launchQuiet()) return; // another launch began meanwhile: its own end comes
  document.body.classList.remove("app-launching");
  if (refreshWaiting) { refreshWaiting = false; refreshApps(); }
}

// refreshAfterLaunch is apps.changed's handler: the list is asked for at once, or, while
// the launcher keeps still for a launch, once it is over.
function refreshAfterLaunch() {
  if (launchQuiet()) { refreshWaiting = true; return; }
  refreshApps();
}

function closeApp(id, btn) {
  var done = busy(btn);
  call("app.close", { id: id }).then(function () { refreshApps(); }, failed).then(done);
}

function bindHome() {
  var search = $("search");
  search.addEventListener("input", function () {
    state.query = search.value;
    applyFilter();
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Enter") {
      e.preventDefault();
      if (catalogOpen()) return;
      var first = visibleTiles()[0];
      if (first) launchApp(first.getAttribute("data-id"), first);
    } else if (e.key === "ArrowDown") {
      var t = visibleTiles()[0];
      if (t && !catalogOpen()) { e.preventDefault(); t.focus(); }
    } else if (e.key === "Escape" && search.value) {
      e.preventDefault();
      e.stopPropagation();
      search.value = "";
      state.query = "";
      applyFilter();
    }
  });

  var grid = $("apps");
  grid.addEventListener("click", function (e) {
    var t = e.target.closest(".tile");
    if (!t) return;
    var id = t.getAttribute("data-id");
    if (e.target.closest('[data-action="details"]')) openDetails(id);
    else launchApp(id, t);
  });
  grid.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains("tile")) return; // the details button handles its own keys
    switch (e.key) {
      case "Enter": case " ":
        e.preventDefault();
        launchApp(t.getAttribute("data-id"), t);
        return;
      case "ArrowLeft": case "ArrowRight": case "ArrowUp": case "ArrowDown": case "Home": case "End":
        e.preventDefault();
        moveTileFocus(t, e.key);
        return;
      case "i": case "ContextMenu":
        e.preventDefault();
        openDetails(t.getAttribute("data-id"));
        return;
    }
  });

  $("running-list").addEventListener("click", function (e) {
    var btn = e.target.closest("[data-action]");
    var item = e.target.closest(".run-item");
    if (!btn || !item) return;
    var id = item.getAttribute("data-id");
    if (btn.getAttribute("data-action") === "switch") launchApp(id);
    else if (btn.getAttribute("data-action") === "close") closeApp(id, btn);
  });
}
