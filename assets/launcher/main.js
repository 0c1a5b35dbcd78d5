// main.js — boot: wire the page, listen to the host, ask for the apps.

function onGlobalKey(e) {
  if (e.defaultPrevented) return;
  if (e.key === "Escape") {
    // the top sheet or dialog first; with none open, the catalog goes back to the apps
    if (escapeTop()) e.preventDefault();
    else if (catalogOpen()) { closeCatalog(); e.preventDefault(); }
    return;
  }
  var typing = e.target && (e.target.localName === "input" || e.target.localName === "textarea");
  var findKey = (e.key === "f" || e.key === "F") && (e.ctrlKey || e.metaKey) && !e.altKey;
  if (!topOverlay() && (findKey || (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey))) {
    e.preventDefault();
    $("search").focus();
    $("search").select();
  }
}

function boot() {
  installTransport();
  bindHome();
  bindDetails();
  bindInstall();
  bindCatalog();
  bindProfile();
  $("confirm-ok").addEventListener("click", function () { if (confirmAnswer) confirmAnswer(true); });
  $("confirm-cancel").addEventListener("click", function () { if (confirmAnswer) confirmAnswer(false); });
  $("toast-close").addEventListener("click", hideToast);
  document.querySelectorAll("[data-action='install-file']").forEach(function (b) {
    b.addEventListener("click", function () { pickAndOffer(b); });
  });
  document.querySelectorAll("[data-action='open-catalog']").forEach(function (b) {
    b.addEventListener("click", openCatalog);
  });
  document.addEventListener("keydown", onGlobalKey);
  // Nothing may end as an unhandled rejection: show it like any failed call.
  window.addEventListener("unhandledrejection", function (e) { e.preventDefault(); failed(e.reason); });
  onEvent("apps.changed", refreshAfterLaunch); // home.js
  // An app that stopped on its own (its logic failed, or it broke a rule and was
  // terminated): say so, since its window is gone.
  onEvent("app.failed", function (data) {
    data = data || {};
    showToast((data.id || "An app") + " stopped: " + (data.reason || "it failed"), "error");
  });
  refreshApps();
}

// The script ends the body: every element it wires is already parsed.
boot();
