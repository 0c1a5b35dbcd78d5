// overlay.js — sheets and dialogs over the home view, the toast and the progress card.
// Open overlays form a stack: only the top one takes input (everything under it is
// inert), Escape closes it, and closing gives focus back to what opened it.

var overlayStack = []; // {el, opener, onClose}

function topOverlay() {
  return overlayStack.length ? overlayStack[overlayStack.length - 1] : null;
}

function updateInert() {
  var top = topOverlay();
  $("app").inert = !!top;
  overlayStack.forEach(function (o) { o.el.inert = o !== top; });
  document.body.classList.toggle("modal-open", overlayStack.some(function (o) { return o.el.classList.contains("overlay-modal"); }));
}

// openOverlay shows el on top; focusEl (or el's first control) takes the focus.
function openOverlay(el, options) {
  var o = options || {};
  if (isOpen(el)) closeOverlay(el, true);
  var active = document.activeElement;
  var entry = { el: el, opener: active && active !== document.body ? active : null, onClose: o.onClose || null, canClose: o.canClose || null };
  overlayStack.push(entry);
  // A dialog now has the user's attention: an old notice goes; an error stays.
  if (el.classList.contains("overlay-modal") && $("toast").getAttribute("data-kind") !== "error") hideToast();
  el.hidden = false;
  el.classList.remove("leaving");
  updateInert();
  focusInside(el, o.focus);
}

function focusInside(el, preferred) {
  var target = preferred || el.querySelector("[autofocus]:not([disabled])") ||
    el.querySelector("button:not([disabled]), input:not([disabled]), [tabindex]:not([tabindex='-1'])");
  if (target) target.focus({ preventScroll: true });
}

function isOpen(el) {
  return overlayStack.some(function (o) { return o.el === el; });
}

// closeOverlay hides el; quiet skips its onClose (it is being reopened).
function closeOverlay(el, quiet) {
  var i = -1;
  overlayStack.forEach(function (o, j) { if (o.el === el) i = j; });
  if (i < 0) return;
  var entry = overlayStack.splice(i, 1)[0];
  el.hidden = true;
  el.inert = false;
  updateInert();
  if (!quiet && entry.onClose) entry.onClose();
  var back = entry.opener;
  var top = topOverlay();
  if (back && back.isConnected && (!top || top.el.contains(back))) back.focus({ preventScroll: true });
  else if (top) focusInside(top.el);
}

// escapeTop closes the top overlay unless it is busy (canClose); true when there was one.
function escapeTop() {
  var top = topOverlay();
  if (!top) return false;
  if (!top.canClose || top.canClose()) closeOverlay(top.el);
  return true;
}

// ---- confirmation ----

var confirmAnswer = null; // resolves the open confirmation

// askConfirm asks in the page and resolves true (OK) or false (cancel, Escape).
function askConfirm(o) {
  if (confirmAnswer) confirmAnswer(false);
  fill($("confirm-title"), o.title);
  fill($("confirm-body"), o.body || "");
  var ok = $("confirm-ok");
  fill(ok, o.ok || "OK");
  ok.className = "btn " + (o.danger ? "btn-danger" : "btn-primary");
  return new Promise(function (resolve) {
    confirmAnswer = function (yes) {
      confirmAnswer = null;
      closeOverlay($("confirm"), true);
      resolve(yes);
    };
    openOverlay($("confirm"), { focus: $("confirm-cancel"), onClose: function () { var a = confirmAnswer; if (a) { confirmAnswer = null; resolve(false); } } });
  });
}

// ---- toast ----

var toastTimer = 0;
var TOAST_INFO_MS = 4000, TOAST_ERROR_MS = 12000;

function showToast(text, kind) {
  var t = $("toast");
  var error = kind === "error";
  t.setAttribute("data-kind", error ? "error" : "info");
  t.setAttribute("role", error ? "alert" : "status");
  fill($("toast-icon"), icon(error ? "warning" : "check"));
  fill($("toast-text"), text);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, error ? TOAST_ERROR_MS : TOAST_INFO_MS);
}

function hideToast() {
  clearTimeout(toastTimer);
  $("toast").hidden = true;
}

// failed shows why a call failed: every rejected call ends here, never unhandled.
function failed(err) {
  console.warn("[launcher]", err);
  showToast(errorText(err), "error");
}

// ---- install progress ----

var progressJobs = 0;   // installs, updates waiting for their answer
var progressIdle = 0;   // hides a bar that events opened without a call of ours

function progressStart(title) {
  progressJobs++;
  clearTimeout(progressIdle);
  setProgress({ stage: "", done: 0, total: 0 }, title);
}

function progressEnd() {
  progressJobs = Math.max(0, progressJobs - 1);
  if (!progressJobs) $("progress").hidden = true;
}

// setProgress shows one install.progress event.
function setProgress(p, title) {
  var el = $("progress");
  var pct = progressPercent(p.done, p.total);
  el.hidden = false;
  el.setAttribute("data-stage", p.stage || "");
  el.setAttribute("data-done", String(Number(p.done) || 0));
  el.setAttribute("data-total", String(Number(p.total) || 0));
  el.classList.toggle("indeterminate", pct < 0);
  var label = title || (stageLabel(p.stage) + (p.id ? " " + displayName(p.id) : "") + "…");
  fill($("progress-label"), label);
  var amount = "";
  if (pct >= 0) amount = p.stage === "download" ? formatBytes(p.done) + " of " + formatBytes(p.total) : pct + "%";
  fill($("progress-value"), amount);
  var bar = $("progress-bar");
  if (pct < 0) {
    bar.removeAttribute("aria-valuenow");
  } else {
    bar.setAttribute("aria-valuenow", String(pct));
  }
  $("progress-fill").style.width = pct < 0 ? "" : pct + "%";
  clearTimeout(progressIdle);
  if (!progressJobs) progressIdle = setTimeout(function () { if (!progressJobs) el.hidden = true; }, 3000);
}

// withProgress runs an install-like call with the progress card shown.
function withProgress(title, promise) {
  progressStart(title);
  return promise.then(function (r) { progressEnd(); return r; }, function (err) { progressEnd(); throw err; });
}
