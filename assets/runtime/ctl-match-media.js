// ctl-match-media.js — <match-media>: its children show only while the window matches
// min-width, max-width, width, min-height, max-height, height (px) and orientation
// (landscape, portrait), as WeChat's; every one is re-evaluated when the window is
// resized. Unmatched, the element carries sf-unmatched (display: none in base.css) and
// its children stay built, so their state survives a resize back.

var matchMediaEls = new Set();
var matchMediaListening = false;

function matchMediaApply(el) {
  var ok = mediaMatches(el.__sfNode.attrs, window.innerWidth, window.innerHeight);
  flagAttr(el, "sf-unmatched", ok ? null : "");
}

BUILTINS["match-media"] = {
  update: function (el) {
    matchMediaEls.add(el);
    matchMediaApply(el);
    if (matchMediaListening) return;
    matchMediaListening = true;
    window.addEventListener("resize", function () {
      matchMediaEls.forEach(function (m) {
        if (!m.isConnected) { matchMediaEls.delete(m); return; }
        matchMediaApply(m);
      });
    });
  }
};
