// transport.js — the privileged bridge (docs/launcher.md). Envelopes go out through
// window.__sf_post(text), which the host binds and which may appear a moment after
// this script starts: until it does, sends wait in order. The host answers through
// window.__sf_recv(text) with a JSON string.

var PROTOCOL_VERSION = 1;
var POST_POLL_MS = 20;

var outbox = [];      // envelope texts waiting for __sf_post
var outboxTimer = 0;
var nextCallId = 1;
var pendingCalls = {}; // id → {op, resolve, reject}
var eventHandlers = {}; // event name → function (data)

function deliver(text) {
  try {
    var r = window.__sf_post(text);
    // webview's bindings return a promise; a failed post must not surface as an
    // unhandled rejection.
    if (r && typeof r.then === "function") r.then(null, function (err) { console.error("[launcher] post failed", err); });
  } catch (err) {
    console.error("[launcher] post failed", err);
  }
}

function flushOutbox() {
  if (typeof window.__sf_post !== "function") return;
  clearInterval(outboxTimer);
  outboxTimer = 0;
  var waiting = outbox;
  outbox = [];
  waiting.forEach(deliver);
}

function postEnvelope(kind, payload) {
  var text = JSON.stringify({ v: PROTOCOL_VERSION, kind: kind, payload: payload });
  if (!outbox.length && typeof window.__sf_post === "function") { deliver(text); return; }
  outbox.push(text);
  if (!outboxTimer) outboxTimer = setInterval(flushOutbox, POST_POLL_MS);
}

// call sends one launcher request and resolves with its result, or rejects with an
// Error whose message is the host's sentence for the user.
function call(op, args) {
  return new Promise(function (resolve, reject) {
    var id = nextCallId++;
    pendingCalls[id] = { op: op, resolve: resolve, reject: reject };
    postEnvelope("launcher", { id: id, op: op, args: args || {} });
  });
}

function settleCall(p) {
  var pending = pendingCalls[p.id];
  if (!pending) {
    console.warn("[launcher] answer to unknown request " + JSON.stringify(p.id));
    return;
  }
  delete pendingCalls[p.id];
  if (p.ok) pending.resolve(p.result == null ? {} : p.result);
  else pending.reject(new Error(p.error ? String(p.error) : pending.op + " failed"));
}

function onEvent(name, handler) {
  eventHandlers[name] = handler;
}

function receive(text) {
  var env = typeof text === "string" ? JSON.parse(text) : text;
  if (!env || typeof env !== "object" || env.v !== PROTOCOL_VERSION) throw new Error("envelope with unknown version " + JSON.stringify(env && env.v));
  var p = env.payload && typeof env.payload === "object" ? env.payload : {};
  switch (env.kind) {
    case "launcherResult":
      settleCall(p);
      return;
    case "launcherEvent": {
      var handler = eventHandlers[p.event];
      if (handler) handler(p.data == null ? {} : p.data);
      else console.warn("[launcher] unknown event " + JSON.stringify(p.event));
      return;
    }
    case "probe":
      handleProbe(p);
      return;
  }
  throw new Error("unknown message kind " + JSON.stringify(env.kind));
}

function installTransport() {
  Object.defineProperty(window, "__sf_recv", {
    configurable: false, writable: false, enumerable: false,
    value: function (text) {
      try { receive(text); } catch (err) { console.error("[launcher] message failed", err); }
    }
  });
}
