// paint.js — when the page was first painted: the first animation frame after the
// first render that showed a page (docs/performance.md, "Launch, cache and memory").
// The launch benchmarks read it through the automation probe "paint"; nothing else
// does. Times are wall-clock milliseconds since the Unix epoch (timeOrigin + now), so
// that a host that started the launch can subtract its own start.

var firstPaint = null;      // {rendered, painted, loaded}: epoch ms, once known
var paintRequested = false;

// notePaint runs after every render push: the first one that leaves a page shown asks
// for the next animation frame, when what it built is on screen.
function notePaint() {
  if (paintRequested || state.shown == null || !state.pages[state.shown]) return;
  paintRequested = true;
  var rendered = performance.timeOrigin + performance.now();
  requestAnimationFrame(function () {
    firstPaint = { rendered: rendered, painted: performance.timeOrigin + performance.now(), loaded: performance.timeOrigin };
  });
}
