// transport.js — the bridge endpoints: post() sends one envelope through the host's
// binding window.__sf_post(string); window.__sf_recv(msg) takes what the host sends: a
// batch (a JSON array of envelopes, as text: one JSON.parse for every message of a
// push; an element ["kind", payload] is the short form of {v: 1, kind, payload}, see
// expandEnvelope), or one envelope (an object, or its JSON text). Each envelope of a
// batch is handled in order, on its own: one that fails is logged and the others still
// run.
// Messages that arrive before the document is ready wait for it.

var PROTOCOL_VERSION = 1;
var inbox = null; // messages waiting for the document (null once it is ready)

function post(kind, payload) {
  // warm.js: the stub page says nothing, and nothing it left (a timer, a frame) speaks
  // before an app's init has come.
  if (warming || (warmed && !state.init)) return;
  var text = JSON.stringify({ v: PROTOCOL_VERSION, kind: kind, payload: payload });
  try {
    if (typeof window.__sf_post === "function") window.__sf_post(text);
    else console.log("[sandframe] no __sf_post: " + text);
  } catch (err) {
    reportError("post " + kind, err);
  }
}

function receive(env, t0) {
  if (!isObject(env) || env.v !== PROTOCOL_VERSION) throw new Error("envelope with unknown version " + JSON.stringify(env && env.v));
  var p = isObject(env.payload) ? env.payload : {};
  switch (env.kind) {
    case "init": applyInit(p); return;
    case "render": if (t0 < 0) t0 = perfNow(); applyRender(p); measureApply(t0); return;
    case "ui": applyUI(p); return;
    case "probe": handleProbe(p); return;
    case "query": handleQuery(p); return; // query.js
    case "canvasRead": canvasRead(p); return;
  }
  throw new Error("unknown message kind " + JSON.stringify(env.kind));
}

function installTransport() {
  inbox = [];
  Object.defineProperty(window, "__sf_recv", {
    configurable: false, writable: false, enumerable: false,
    value: function (msg) {
      var t0 = perfNow(); // a push's page time includes its parse (measureApply)
      if (typeof msg === "string") {
        try { msg = JSON.parse(msg); } catch (err) { reportError("message", err); return; }
      }
      if (!Array.isArray(msg)) { handleEnvelope(msg, t0); return; }
      // Only a render push's time is measured: the others do not read the clock.
      for (var i = 0; i < msg.length; i++) handleEnvelope(expandEnvelope(msg[i]), i ? -1 : t0);
    }
  });
}

// expandEnvelope reads a batch element in the short form the host writes for an
// envelope of this version without a sender, ["kind", payload] (render/encode.go,
// docs/protocol.md "Batches"), as that envelope; anything else is left as it is, for
// receive to check.
function expandEnvelope(e) {
  return Array.isArray(e) && e.length === 2 && typeof e[0] === "string" ? { v: PROTOCOL_VERSION, kind: e[0], payload: e[1] } : e;
}

// handleEnvelope handles one envelope, or keeps it until the document is ready.
function handleEnvelope(env, t0) {
  if (inbox) { inbox.push(env); return; }
  try { receive(env, t0); } catch (err) { reportError("message", err); }
}

// openInbox handles the messages that waited for the document.
function openInbox() {
  var waiting = inbox || [];
  inbox = null;
  waiting.forEach(function (env) { handleEnvelope(env, perfNow()); });
}

function applyInit(p) {
  unmountPages(state.order.slice());
  state.report = newReport();
  state.init = {
    app: isObject(p.app) ? p.app : {}, css: p.css, pages: isObject(p.pages) ? p.pages : {},
    components: isObject(p.components) ? p.components : {}, images: isObject(p.images) ? p.images : {},
    system: isObject(p.system) ? p.system : {}
  };
  applyStyles(state.init);
  buildTabbar();
  updateRpx();
  updateChrome();
}

// applyRender applies a render push's ops in order, re-renders what changed, and
// answers ready{seq} with the component instances attached, detached and re-propertied.
function applyRender(p) {
  state.pushPad = { used: 0 };
  (Array.isArray(p.ops) ? p.ops : []).forEach(function (op) {
    try {
      switch (op.op) {
        case "mount": mountPage(op); break;
        case "show": showPage(op.page); syncPages(op.pages); break;
        case "unmount": unmountPages(op.pages); break;
        case "data": applyData(op); break;
        case "canvas": queueCanvasOp(op); break;
        case "media": queueMediaOp(op); break;
        default: throw new Error("unknown render op " + JSON.stringify(op.op));
      }
    } catch (err) {
      reportError("render op " + (op && op.op), err);
    }
  });
  try { flushRenders(); } catch (err) { reportError("render", err); }
  notePaint(); // paint.js
  runCanvasOps();
  runMediaOps(); // after the renders: a <video> this push creates is in the document
  updateChrome();
  var r = takeReport(), ready = { seq: p.seq || 0 };
  if (r.attached.length) ready.attached = r.attached;
  if (r.detached.length) ready.detached = r.detached;
  if (r.props.length) ready.props = r.props;
  if (r.moved.length) ready.moved = r.moved;
  post("ready", ready);
}

function applyUI(op) {
  switch (op.op) {
    case "title": uiTitle(op); return;
    case "navbar": uiNavbar(op); return;
    case "toast": showToast(op); return;
    case "hideToast": hideToast(); return;
    case "modal": showModal(op); return;
    case "media": answerMediaSource(op); return;
    case "units": applyUnits(op); return; // subpackages.js
    case "devStyles": devStyles(op); return; // dev.js
    case "devOverlay": devOverlay(op); return;
  }
  if (applyUIGroup(op)) return; // chrome-page.js
  throw new Error("unknown ui op " + JSON.stringify(op.op));
}

// The page's own time for the last render push (parse, apply, DOM patched), as the
// User Timing measure "sf-apply": the bridge benchmarks read it (docs/performance.md).
// Only the last is kept.
function perfNow() {
  return typeof performance !== "undefined" && performance.now ? performance.now() : 0;
}

function measureApply(t0) {
  if (typeof performance === "undefined" || !performance.measure) return;
  try {
    performance.clearMeasures("sf-apply");
    performance.measure("sf-apply", { start: t0, end: performance.now() });
  } catch (err) { /* older engines: no measure */ }
}
