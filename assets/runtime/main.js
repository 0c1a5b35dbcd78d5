// main.js — boot: the transport exists at once (the host may call it early); the
// shell is built when the document is parsed (this script runs at document start,
// before <body>), then the page says ready{seq:0} to ask for init.

function boot() {
  buildShell();
  installPointer(document);
  window.addEventListener("resize", onResize);
  updateRpx();
  post("ready", { seq: 0 });
  openInbox();
}

var resizeQueued = false;
function onResize() {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(function () {
    resizeQueued = false;
    try { if (updateRpx()) rerenderAll(); } catch (err) { reportError("resize", err); }
  });
}

installTransport();
installWarm();
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
else boot();
