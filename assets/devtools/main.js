// main.js — tabs, polling, boot.

var activePanel = "";
var PANEL_REFRESH = { appdata: refreshAppData, wxml: refreshWxml, storage: refreshStorage, perms: refreshPerms, bridge: renderBridge, perf: renderPerf };

function showPanel(name) {
  activePanel = name;
  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (t) {
    t.setAttribute("aria-selected", t.getAttribute("data-panel") === name ? "true" : "false");
  });
  Array.prototype.forEach.call(document.querySelectorAll(".panel"), function (p) { p.hidden = p.id !== "panel-" + name; });
  if (PANEL_REFRESH[name]) PANEL_REFRESH[name]();
}

var polling = false;
function poll() {
  if (polling) return;
  polling = true;
  var jobs = [pollConsole(), pollNetwork(), pollBridge(), pollPerf()];
  if (activePanel === "appdata") jobs.push(refreshAppData());
  Promise.all(jobs.map(function (p) { return p.catch(function (err) { console.error("[devtools]", err); }); })).then(function () { polling = false; });
}

function boot() {
  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (t) {
    t.addEventListener("click", function () { showPanel(t.getAttribute("data-panel")); });
  });
  setupAppData(); setupWxml(); setupNetwork(); setupStorage(); setupBridge(); setupPerms();
  showPanel("console");
  call("info").then(function (info) {
    $("app-name").textContent = info.name ? info.name + " (" + info.id + ")" : info.id;
    document.title = "DevTools — " + info.id;
    setupConsole(info);
  }, function (err) { console.error("[devtools] info", err); });
  poll();
  setInterval(poll, 500);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
