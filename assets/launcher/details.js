// details.js — an app's page: what it is, what it may do, what it stores, where it may
// connect, what it did lately; and the actions on it.

var details = { id: null, data: null, seq: 0 };

function detailsOpen() {
  return isOpen($("details"));
}

function openDetails(id) {
  details.id = id;
  details.data = null;
  var app = findApp(id) || { id: id, name: id };
  fill($("details-body"), detailsHero(app), h("p", { class: "muted loading-line", text: "Loading…" }));
  openOverlay($("details"), { focus: $("details-back"), onClose: function () { details.id = null; details.data = null; } });
  loadDetails();
}

function closeDetails() {
  closeOverlay($("details"));
}

// loadDetails asks app.details for the open page; an older answer never overwrites a
// newer one.
function loadDetails() {
  var id = details.id, seq = ++details.seq;
  if (!id) return Promise.resolve();
  return call("app.details", { id: id }).then(function (d) {
    if (details.id === id && seq === details.seq) showDetails(d);
  }, function (err) {
    if (details.id !== id) return;
    failed(err);
    if (!details.data) closeDetails();
  });
}

// appsChanged follows apps.list: the open page is refreshed, or closed when its app is gone.
function appsChanged() {
  if (!detailsOpen() || !details.id) return;
  if (!findApp(details.id)) { closeDetails(); return; }
  loadDetails();
}

function showDetails(d) {
  details.data = d;
  details.seq++; // anything still on its way is older than this
  var app = d.app || findApp(details.id) || { id: details.id };
  var body = $("details-body");
  var scroll = body.parentNode.scrollTop;
  var focusKey = focusedActionKey(body);
  fill(body,
    detailsHero(app),
    detailsActions(app),
    app.description ? h("p", { class: "description", text: app.description }) : null,
    permissionsSection(d.capabilities || []),
    storageSection(d.storage || {}),
    networkSection(d.domains || {}),
    activitySection(d.audit || []),
    aboutSection(app));
  body.parentNode.scrollTop = scroll;
  restoreActionFocus(body, focusKey);
}

// A re-render replaces the buttons: the focus goes back to the same action on the same row.
function focusedActionKey(root) {
  var a = document.activeElement;
  if (!a || !root.contains(a) || !a.getAttribute("data-action")) return null;
  var row = a.closest("[data-cap]");
  return { action: a.getAttribute("data-action"), cap: row ? row.getAttribute("data-cap") : null };
}

function restoreActionFocus(root, key) {
  if (!key) return;
  var sel = (key.cap ? '[data-cap="' + cssEscape(key.cap) + '"] ' : "") + '[data-action="' + key.action + '"]';
  var el = root.querySelector(sel);
  if (el && !el.disabled) el.focus({ preventScroll: true });
  else focusInside($("details"));
}

function detailsHero(app) {
  var name = app.name || app.id;
  var stateTag = null;
  if (app.state === "running") stateTag = h("span", { class: "tag tag-running" }, h("span", { class: "dot dot-running" }), "Running");
  else if (app.state === "hidden") stateTag = h("span", { class: "tag tag-hidden" }, h("span", { class: "dot dot-hidden" }), "Hidden");
  return h("div", { class: "hero" },
    appIcon(app, "icon-xl"),
    h("div", { class: "hero-text" },
      h("h2", { id: "details-name", text: name }),
      h("div", { class: "hero-meta" },
        app.version ? h("span", { class: "version", text: "Version " + app.version }) : null,
        app.verified === false ? h("span", { class: "badge unverified", title: "This bundle is not signed by a trusted publisher", text: "Unverified" })
          : app.publisher ? h("span", { class: "publisher verified", title: "Signed by a trusted publisher" }, icon("shield"), app.publisher) : null,
        stateTag),
      h("div", { class: "app-id", text: app.id })));
}

function detailsActions(app) {
  var active = isActive(app);
  return h("div", { class: "actions" },
    button(app.state === "running" ? "Switch to" : app.state === "hidden" ? "Show" : "Open", { class: "btn btn-primary", "data-action": "open" }, "play"),
    app.update ? button("Update to " + app.update, { class: "btn", "data-action": "update" }, "update") : null,
    app.previous ? button("Roll back to " + app.previous, { class: "btn", "data-action": "rollback" }, "rollback") : null,
    active ? button("Stop", { class: "btn", "data-action": "stop", title: "Stop the app and close its window" }, "power") : null,
    h("span", { class: "spacer" }),
    button("Uninstall", { class: "btn btn-danger-ghost", "data-action": "uninstall" }, "trash"));
}

function section(title, extra, body, cls) {
  return h("section", { class: "section" + (cls ? " " + cls : "") },
    h("div", { class: "section-head" }, h("h3", { text: title }), extra),
    body);
}

function permissionsSection(caps) {
  var decided = caps.some(function (c) { return c.decision; });
  var rows = caps.map(function (c) {
    var d = c.decision || "";
    return h("div", { class: "cap", "data-cap": c.name, "data-decision": d },
      h("div", { class: "cap-text" },
        h("div", { class: "cap-title" }, h("span", { text: c.title || c.name }), h("code", { text: c.name })),
        c.description ? h("div", { class: "cap-desc", text: c.description }) : null,
        c.reason ? h("div", { class: "cap-reason" }, h("span", { class: "muted", text: "App's reason: " }), c.reason) : null),
      h("div", { class: "cap-side" },
        h("span", { class: "decision decision-" + (d || "none"), text: decisionLabel(d) }),
        h("div", { class: "cap-buttons" },
          isGranted(d) ? button("Revoke", { class: "btn btn-sm", "data-action": "revoke", "aria-label": "Revoke " + (c.title || c.name) }) : null,
          d ? button("Reset", { class: "btn btn-sm btn-ghost", "data-action": "reset", title: "Forget the decision: the app is asked again", "aria-label": "Reset " + (c.title || c.name) }) : null)));
  });
  return section("Permissions",
    decided ? button("Reset all", { class: "btn btn-sm btn-ghost", "data-action": "reset-all", title: "Forget every decision: the app is asked again" }) : null,
    rows.length ? h("div", { class: "cap-list" }, rows) : h("p", { class: "muted", text: "This app asks for no permissions." }));
}

function storageSection(s) {
  var bytes = Number(s.bytes) || 0, limit = Number(s.limit) || 0, keys = Number(s.keys) || 0;
  var pct = storagePercent(bytes, limit);
  var fillEl = h("div", { class: "meter-fill" + (pct >= 90 ? " high" : "") });
  fillEl.style.width = pct + "%";
  return section("Storage",
    button("Clear", { class: "btn btn-sm", "data-action": "clear-storage", disabled: !bytes && !keys }),
    h("div", { class: "storage" },
      h("div", { class: "meter", role: "meter", "aria-label": "Storage used", "aria-valuemin": "0", "aria-valuemax": String(limit || bytes), "aria-valuenow": String(bytes) }, fillEl),
      h("div", { class: "storage-line" },
        h("span", { class: "storage-used", text: formatBytes(bytes) + (limit ? " of " + formatBytes(limit) : "") + " used" }),
        h("span", { class: "muted", text: plural(keys, "key", "keys") }))));
}

function networkSection(domains) {
  var rows = domainRows(domains);
  return section("Network", null,
    rows.length ? h("dl", { class: "domains" }, rows.map(function (r) {
      return [h("dt", { text: r.label }), h("dd", { "data-kind": r.kind }, r.domains.map(function (d) { return h("span", { class: "chip-domain", text: d }); }))];
    })) : h("p", { class: "muted", text: "None declared" }));
}

function activitySection(lines) {
  if (!lines.length) return section("Activity", null, h("p", { class: "muted", text: "No activity yet." }));
  return section("Activity", h("span", { class: "muted small", text: "last " + lines.length }),
    h("div", { class: "table-wrap" }, h("table", { class: "audit" },
      h("thead", null, h("tr", null, h("th", { text: "Time" }), h("th", { text: "Call" }), h("th", { text: "Decision" }), h("th", { text: "Detail" }))),
      h("tbody", null, lines.map(function (l) {
        var what = l.api || l.kind || "";
        var detail = l.reason || l.capability || "";
        return h("tr", null,
          h("td", { class: "time", title: String(l.time || ""), text: formatClock(l.time) }),
          h("td", { class: "call", title: what + (l.capability ? " (" + l.capability + ")" : ""), text: what }),
          h("td", null, h("span", { class: "outcome tone-" + (auditTone(l.decision) || "none"), text: l.decision || "" })),
          h("td", { class: "detail", title: detail, text: detail }));
      })))));
}

function aboutSection(app) {
  var installed = formatDate(app.installed);
  if (!installed) return null;
  return h("p", { class: "about muted small", text: "Installed " + installed });
}

// ---- actions ----

// detailsCall runs an action that answers with Details and shows them.
function detailsCall(op, args, btn) {
  var id = details.id, done = busy(btn);
  return call(op, args).then(function (d) {
    if (details.id === id) showDetails(d);
  }, failed).then(done);
}

function onDetailsAction(e) {
  var btn = e.target.closest("[data-action]");
  if (!btn || btn.disabled || !details.id) return;
  var id = details.id;
  var app = (details.data && details.data.app) || findApp(id) || { id: id };
  var name = app.name || id;
  var row = btn.closest("[data-cap]");
  var cap = row ? row.getAttribute("data-cap") : "";
  switch (btn.getAttribute("data-action")) {
    case "open":
      launchApp(id);
      return;
    case "stop":
      closeApp(id, btn);
      return;
    case "revoke":
      detailsCall("perm.revoke", { id: id, capability: cap }, btn);
      return;
    case "reset":
      detailsCall("perm.reset", { id: id, capability: cap }, btn);
      return;
    case "reset-all":
      detailsCall("perm.reset", { id: id }, btn);
      return;
    case "clear-storage":
      askConfirm({ title: "Clear " + name + "'s storage?", body: "Everything the app saved on this computer is deleted. This cannot be undone.", ok: "Clear storage", danger: true }).then(function (yes) {
        if (yes) detailsCall("storage.clear", { id: id }, btn);
      });
      return;
    case "update":
      appUpdate(id, btn).then(function (ok) { if (ok && details.id === id) loadDetails(); });
      return;
    case "rollback": {
      var done = busy(btn);
      call("app.rollback", { id: id }).then(function (a) {
        showToast(name + " rolled back to " + (a && a.version || app.previous), "info");
        refreshApps();
        if (details.id === id) loadDetails();
      }, failed).then(done);
      return;
    }
    case "uninstall":
      askConfirm({ title: "Uninstall " + name + "?", body: "The app is stopped and removed with its storage, shared files and permissions. This cannot be undone.", ok: "Uninstall", danger: true }).then(function (yes) {
        if (!yes) return;
        var finish = busy(btn);
        call("app.uninstall", { id: id }).then(function () {
          if (details.id === id) closeDetails();
          showToast(name + " was uninstalled", "info");
          refreshApps();
        }, failed).then(finish);
      });
      return;
  }
}

// appUpdate installs the catalog's newer release; it resolves true when it did.
function appUpdate(id, btn) {
  var done = busy(btn);
  return withProgress("Updating " + displayName(id) + "…", call("app.update", { id: id })).then(function (a) {
    showToast(displayName(id) + " updated to " + (a && a.version || "the new version"), "info");
    refreshApps();
    return true;
  }, function (err) { failed(err); return false; }).then(function (ok) { done(); return ok; });
}

function bindDetails() {
  $("details-back").addEventListener("click", closeDetails);
  $("details-scrim").addEventListener("click", closeDetails);
  $("details-body").addEventListener("click", onDetailsAction);
}
