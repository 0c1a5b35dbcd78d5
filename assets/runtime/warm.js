// warm.js — the launcher's pre-warmed window runs the runtime once over a stub page of
// the shell's own before any app has it (host/warm.go, docs/performance.md "Where a
// launch goes"): each function of the runtime is compiled on its first call, and
// WebKit loads fonts and styles the built-in controls on its first layout; done here,
// neither is on the launch's path. Nothing is posted while it runs, and afterwards the
// page is put back as it booted: no page, no style, no chrome of the stub's, the paint
// not yet noted. Only a page that booted and was told nothing runs it, once.

var warming = false; // post() is silent meanwhile
var warmed = false;

function installWarm() {
  Object.defineProperty(window, "__sf_warm", {
    configurable: false, writable: false, enumerable: false,
    value: function (w) {
      if (warmed || inbox || state.init || !isObject(w)) return false;
      warmed = true;
      warming = true;
      var title = document.title;
      try {
        applyInit(isObject(w.init) ? w.init : {});
        (Array.isArray(w.pushes) ? w.pushes : []).forEach(function (p) { applyRender(isObject(p) ? p : {}); });
        void document.body.offsetHeight; // style and layout now: fonts, the controls' CSS
      } catch (err) {
        // A stub: nothing to report, and nothing of it stays (below).
      } finally {
        unwarm(title);
        warming = false;
      }
      return true;
    }
  });
}

// unwarm puts the page back as it booted.
function unwarm(title) {
  unmountPages(state.order.slice());
  removeAppStyles();
  state = newState();
  afterPatch = [];
  resetPaint();
  if (performance.clearMeasures) performance.clearMeasures();
  if (performance.clearMarks) performance.clearMarks();
  buildTabbar();
  updateChrome();
  document.title = title;
  updateRpx();
}
