// catalog.js — the catalog view: what the configured catalog offers, with Install or
// Update on each row. Whether a row is installed comes from apps.list, which is fresher
// than the catalog's answer after every install.

var catalog = { open: false, loading: false, error: "", url: "", apps: [], busy: {} };

function catalogOpen() {
  return catalog.open;
}

function catalogEntry(id) {
  for (var i = 0; i < catalog.apps.length; i++) if (catalog.apps[i].id === id) return catalog.apps[i];
  return null;
}

function openCatalog() {
  catalog.open = true;
  $("home").hidden = true;
  $("catalog").hidden = false;
  $("open-catalog").setAttribute("aria-pressed", "true");
  loadCatalog();
  $("catalog-back").focus({ preventScroll: true });
}

function closeCatalog() {
  if (!catalog.open) return;
  catalog.open = false;
  $("catalog").hidden = true;
  $("home").hidden = false;
  $("open-catalog").setAttribute("aria-pressed", "false");
  $("open-catalog").focus({ preventScroll: true });
}

function loadCatalog() {
  catalog.loading = true;
  catalog.error = "";
  renderCatalog();
  call("catalog.list", {}).then(function (r) {
    catalog.url = r.url || "";
    catalog.apps = Array.isArray(r.apps) ? r.apps : [];
  }, function (err) {
    catalog.error = errorText(err);
    failed(err);
  }).then(function () {
    catalog.loading = false;
    renderCatalog();
  });
}

// catalogAction is what a row's button does: install, update, or nothing (installed).
function catalogAction(c) {
  var app = findApp(c.id);
  if (app) return app.update ? "update" : "installed";
  if (state.loaded) return "install";
  return c.update ? "update" : c.installed ? "installed" : "install";
}

function catalogRow(c) {
  var action = catalogAction(c);
  var app = findApp(c.id);
  var working = catalog.busy[c.id];
  var btn;
  if (working) btn = button(working, { class: "btn btn-sm", disabled: true, "aria-busy": "true", "data-action": action });
  else if (action === "install") btn = button("Install", { class: "btn btn-sm btn-primary", "data-action": "install", "aria-label": "Install " + (c.name || c.id) });
  else if (action === "update") btn = button("Update", { class: "btn btn-sm btn-primary", "data-action": "update", "aria-label": "Update " + (c.name || c.id) });
  else btn = button("Installed", { class: "btn btn-sm", disabled: true, "data-action": "installed" }, "check");
  var installedVersion = app ? app.version : c.installed;
  return h("div", { class: "catalog-app", "data-id": c.id },
    appIcon(app || c, "icon-md"),
    h("div", { class: "catalog-text" },
      h("div", { class: "catalog-name" }, h("span", { class: "name", text: c.name || c.id }), h("span", { class: "version", text: c.version ? "v" + c.version : "" })),
      h("div", { class: "catalog-meta" },
        c.publisher ? h("span", { class: "publisher", text: c.publisher }) : null,
        action === "update" && installedVersion ? h("span", { class: "muted", text: "installed " + installedVersion }) : null),
      c.description ? h("div", { class: "catalog-desc", text: c.description }) : null),
    h("div", { class: "catalog-side" }, btn));
}

function renderCatalog() {
  fill($("catalog-url"), catalog.url || state.catalogUrl || "");
  var list = $("catalog-list");
  if (catalog.loading && !catalog.apps.length) {
    fill(list, h("p", { class: "muted list-note", text: "Loading the catalog…" }));
  } else if (catalog.error && !catalog.apps.length) {
    fill(list, h("div", { class: "list-note" }, h("p", { text: "The catalog could not be loaded: " + catalog.error }), button("Try again", { class: "btn", onclick: loadCatalog })));
  } else if (!catalog.apps.length) {
    fill(list, h("p", { class: "muted list-note", text: "The catalog has no apps." }));
  } else {
    var a = document.activeElement, row = a && list.contains(a) ? a.closest(".catalog-app") : null;
    var focusedId = row ? row.getAttribute("data-id") : null;
    fill(list, catalog.apps.map(catalogRow));
    if (focusedId) {
      var again = list.querySelector('.catalog-app[data-id="' + cssEscape(focusedId) + '"] button');
      if (again) { if (again.disabled) again.setAttribute("tabindex", "-1"); again.focus({ preventScroll: true }); }
    }
  }
  filterCatalog();
}

function filterCatalog() {
  var rows = Array.prototype.slice.call($("catalog-list").querySelectorAll(".catalog-app"));
  var shown = 0;
  rows.forEach(function (r) {
    var ok = matchesQuery(catalogEntry(r.getAttribute("data-id")), state.query);
    r.hidden = !ok;
    if (ok) shown++;
  });
  var note = $("catalog-empty");
  note.hidden = !rows.length || shown > 0;
  if (!note.hidden) fill(note, "No catalog apps match “", h("strong", { text: state.query.trim() }), "”.");
}

function catalogInstall(id, action) {
  var name = displayName(id);
  catalog.busy[id] = action === "update" ? "Updating…" : "Installing…";
  renderCatalog();
  var req = action === "update" ? call("app.update", { id: id }) : call("catalog.install", { id: id });
  withProgress((action === "update" ? "Updating " : "Installing ") + name + "…", req).then(function (a) {
    showToast((a && a.name || name) + " " + (a && a.version || "") + (action === "update" ? " is updated" : " is installed"), "info");
    refreshApps();
  }, failed).then(function () {
    delete catalog.busy[id];
    if (catalog.open) renderCatalog();
  });
}

function bindCatalog() {
  $("open-catalog").addEventListener("click", function () { if (catalog.open) closeCatalog(); else openCatalog(); });
  $("catalog-back").addEventListener("click", closeCatalog);
  $("catalog-list").addEventListener("click", function (e) {
    var btn = e.target.closest("[data-action]");
    var row = e.target.closest(".catalog-app");
    if (!btn || !row || btn.disabled) return;
    var action = btn.getAttribute("data-action");
    if (action === "install" || action === "update") catalogInstall(row.getAttribute("data-id"), action);
  });
}
