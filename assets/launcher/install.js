// install.js — installing a bundle from a file: pick, inspect, the offer sheet that
// says what installing would do, then install with progress.

var offer = { path: "", data: null, installing: false };

function pickAndOffer(btn) {
  var done = busy(btn);
  call("install.pick", {}).then(function (r) {
    done();
    if (r && !r.cancelled && r.path) return inspectAndOffer(r.path);
  }).then(null, function (err) { done(); failed(err); });
}

// inspectAndOffer asks what installing path would do and shows it (install.offer too).
function inspectAndOffer(path) {
  return call("install.inspect", { path: path }).then(function (o) {
    offer.path = path;
    offer.data = o || {};
    offer.installing = false;
    renderOffer();
    openOverlay($("offer"), { focus: $("offer-cancel"), canClose: function () { return !offer.installing; } });
  }, failed);
}

// offerBlocker says why Install is disabled, or "".
function offerBlocker() {
  var o = offer.data || {};
  if (o.problem) return o.problem;
  if (Number(o.blocking) > 0) return "The bundle check found " + plural(Number(o.blocking), "blocking problem", "blocking problems") + ".";
  if (!o.verified && !($("offer-sideload") && $("offer-sideload").checked)) return "unverified";
  return "";
}

function renderOffer() {
  var o = offer.data || {};
  var name = o.name || o.id || "this app";
  fill($("offer-title"), "Install " + name + "?");
  var caps = Array.isArray(o.capabilities) ? o.capabilities : [];
  var problem = o.problem || (Number(o.blocking) > 0 ? "The bundle check found " + plural(Number(o.blocking), "blocking problem", "blocking problems") + "." : "");
  fill($("offer-body"),
    h("div", { class: "hero hero-sm" },
      appIcon({ id: o.id, name: o.name }, "icon-lg"),
      h("div", { class: "hero-text" },
        h("div", { class: "offer-name", text: name }),
        h("div", { class: "hero-meta" },
          o.version ? h("span", { class: "version", text: "Version " + o.version }) : null,
          o.verified ? h("span", { class: "publisher verified", title: "Signed by a trusted publisher" }, icon("shield"), o.publisher) : h("span", { class: "badge unverified", text: "Unverified" })),
        o.id ? h("div", { class: "app-id", text: o.id }) : null,
        o.installed ? h("div", { class: "replaces", text: "Replaces version " + o.installed }) : null)),
    problem ? h("div", { class: "notice notice-error", id: "offer-problem", role: "alert" }, icon("warning"), h("div", null, h("strong", { text: "Cannot install. " }), problem)) : null,
    !o.verified && !problem ? h("div", { class: "notice notice-warn", id: "offer-warning" }, icon("warning"),
      h("div", null,
        h("strong", { text: "Unverified bundle. " }),
        "It is not signed by a publisher this computer trusts, so nobody vouches for its contents. Install it only if you know where it came from.",
        h("label", { class: "check" }, h("input", { type: "checkbox", id: "offer-sideload" }), h("span", { text: "Install anyway (unverified)" })))) : null,
    h("h3", { class: "offer-caps-title", text: caps.length ? "It will be able to ask for" : "Permissions" }),
    caps.length ? h("ul", { class: "offer-caps" }, caps.map(function (c) {
      return h("li", { class: "offer-cap", "data-cap": c.name },
        h("div", { class: "cap-title" }, h("span", { text: c.title || c.name }), h("code", { text: c.name })),
        c.reason ? h("div", { class: "cap-reason", text: c.reason }) : null);
    })) : h("p", { class: "muted", text: "It declares no permissions." }),
    caps.length ? h("p", { class: "muted small", text: "You decide each one the first time the app asks." }) : null);
  updateOfferButtons();
}

function updateOfferButtons() {
  var blocker = offerBlocker();
  var btn = $("offer-install");
  btn.disabled = !!blocker || offer.installing;
  fill(btn, offer.installing ? "Installing…" : "Install");
  btn.setAttribute("aria-busy", offer.installing ? "true" : "false");
  $("offer-cancel").disabled = offer.installing;
  var sideload = $("offer-sideload");
  if (sideload) sideload.disabled = offer.installing;
}

function installOffered() {
  if (offerBlocker() || offer.installing) return;
  var o = offer.data || {};
  var args = { path: offer.path };
  if (!o.verified) args.sideload = true;
  offer.installing = true;
  updateOfferButtons();
  var name = o.name || o.id || "the app";
  $("offer-progress-slot").appendChild($("progress"));
  withProgress("Installing " + name + "…", call("install.file", args)).then(function (a) {
    offer.installing = false;
    closeOverlay($("offer"));
    showToast((a && a.name || name) + " " + (a && a.version || o.version || "") + " is installed", "info");
    refreshApps();
  }, function (err) {
    offer.installing = false;
    if (isOpen($("offer"))) updateOfferButtons();
    failed(err);
  }).then(function () {
    document.body.insertBefore($("progress"), $("toast"));
  });
}

function bindInstall() {
  $("install-file").addEventListener("click", function () { pickAndOffer($("install-file")); });
  $("offer-install").addEventListener("click", installOffered);
  $("offer-cancel").addEventListener("click", function () { if (!offer.installing) closeOverlay($("offer")); });
  $("offer").addEventListener("change", function (e) { if (e.target.id === "offer-sideload") updateOfferButtons(); });
  onEvent("install.offer", function (data) {
    if (data && typeof data.path === "string" && data.path) inspectAndOffer(data.path);
  });
  onEvent("install.progress", function (data) { setProgress(data || {}); });
}
