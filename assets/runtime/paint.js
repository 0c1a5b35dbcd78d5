// paint.js — when the page was first painted: the first animation frame after the
// first render that showed a page (docs/performance.md, "Launch, cache and memory").
// The launch benchmarks read it through the automation probe "paint"; nothing else
// does. Times are wall-clock milliseconds since the Unix epoch (timeOrigin + now), so
// that a host that started the launch can subtract its own start.

var firstPaint = null;      // {rendered, painted, loaded}: epoch ms, once known; warmed: the page ran warm.js before its app
var paintRequested = false;
var paintGen = 0;           // resetPaint's count: a frame asked for before it notes nothing

// resetPaint forgets the first paint, and the frame asked for, if any.
function resetPaint() {
  paintGen++;
  paintRequested = false;
  firstPaint = null;
}

// notePaint runs after every render push: the first one that leaves a page shown asks
// for the next animation frame, when what it built is on screen.
function notePaint() {
  if (paintRequested || state.shown == null || !state.pages[state.shown]) return;
  paintRequested = true;
  var rendered = performance.timeOrigin + performance.now(), gen = paintGen;
  requestAnimationFrame(function () {
    if (gen !== paintGen) return; // asked before resetPaint (warm.js)
    firstPaint = { rendered: rendered, painted: performance.timeOrigin + performance.now(), loaded: performance.timeOrigin, warmed: warmed };
  });
}
