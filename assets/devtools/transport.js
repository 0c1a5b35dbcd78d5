// transport.js — DevTools' side of the privileged bridge (launcher/channel.js,
// docs/devtools.md): "devtools" requests out, "devtoolsResult" answers and automation
// probes in.

var devtoolsChannel = newChannel("devtools", "devtools");

function postEnvelope(kind, payload) { devtoolsChannel.post(kind, payload); }

// call sends one request and resolves with its result, or rejects with the host's reason.
function call(op, args) { return devtoolsChannel.call(op, args); }

devtoolsChannel.install(function (kind, p) {
  if (kind === "devtoolsResult") { devtoolsChannel.settle(p, null); return; }
  if (kind === "probe") { handleProbe(p); return; }
  throw new Error("unknown message kind " + JSON.stringify(kind));
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
