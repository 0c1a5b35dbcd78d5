// transport.js — DevTools' privileged bridge (docs/devtools.md): "devtools" requests
// out through window.__sf_post(text), "devtoolsResult" answers and automation probes in
// through window.__sf_recv(text).

var PROTOCOL_VERSION = 1;
var outbox = [];
var outboxTimer = 0;
var nextCallId = 1;
var pendingCalls = {};

function deliver(text) {
  try {
    var r = window.__sf_post(text);
    if (r && typeof r.then === "function") r.then(null, function (err) { console.error("[devtools] post failed", err); });
  } catch (err) {
    console.error("[devtools] post failed", err);
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
  if (!outboxTimer) outboxTimer = setInterval(flushOutbox, 20);
}

// call sends one request and resolves with its result, or rejects with the host's reason.
function call(op, args) {
  return new Promise(function (resolve, reject) {
    var id = nextCallId++;
    pendingCalls[id] = { op: op, resolve: resolve, reject: reject };
    postEnvelope("devtools", { id: id, op: op, args: args || {} });
  });
}

function receive(text) {
  var env = typeof text === "string" ? JSON.parse(text) : text;
  if (!env || env.v !== PROTOCOL_VERSION) throw new Error("envelope with unknown version");
  var p = env.payload && typeof env.payload === "object" ? env.payload : {};
  if (env.kind === "devtoolsResult") {
    var pending = pendingCalls[p.id];
    if (!pending) return;
    delete pendingCalls[p.id];
    if (p.ok) pending.resolve(p.result == null ? null : p.result);
    else pending.reject(new Error(p.error ? String(p.error) : pending.op + " failed"));
    return;
  }
  if (env.kind === "probe") { handleProbe(p); return; }
  throw new Error("unknown message kind " + JSON.stringify(env.kind));
}

Object.defineProperty(window, "__sf_recv", {
  configurable: false, writable: false, enumerable: false,
  value: function (text) {
    try { receive(text); } catch (err) { console.error("[devtools] message failed", err); }
  }
});

// Helpers the panels share.
function pad2(n) { return (n < 10 ? "0" : "") + n; }
function clock(iso) {
  var d = new Date(iso);
  if (isNaN(d.getTime())) return "";
  var ms = String(d.getMilliseconds()); while (ms.length < 3) ms = "0" + ms;
  return pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" + pad2(d.getSeconds()) + "." + ms;
}
function bytes(n) {
  n = Number(n) || 0;
  if (n < 1024) return n + " B";
  if (n < 1 << 20) return (n / 1024).toFixed(1) + " KB";
  return (n / (1 << 20)).toFixed(1) + " MB";
}
function setStatus(el, text, kind) {
  el.textContent = text || "";
  el.className = "status" + (kind ? " " + kind : "");
}
// stream keeps a panel's copy of a host ring: items after its last sequence number.
function newStream(op, cap) {
  return { op: op, cap: cap, last: 0, items: [], dropped: 0 };
}
function pollStream(s) {
  return call(s.op, { after: s.last }).then(function (r) {
    s.last = r.last;
    s.dropped += r.dropped || 0;
    if (r.items.length) {
      s.items = s.items.concat(r.items);
      if (s.items.length > s.cap) s.items = s.items.slice(s.items.length - s.cap);
    }
    return r.items;
  });
}
