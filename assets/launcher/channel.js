// channel.js — the privileged pages' bridge, one piece for the launcher's and DevTools'
// pages (docs/launcher.md). Envelopes go out through window.__sf_post(text), which the
// host binds and which may appear a moment after the page's script starts: until it
// does, sends wait in order. The host answers through window.__sf_recv(text): one push
// is a JSON array of envelopes, parsed once, an element ["kind", payload] standing for
// {v: 1, kind, payload} (docs/protocol.md, "Batches"); one envelope alone, as text or
// an object, is taken too. Each envelope is checked and handled on its own, in order: one that
// fails is logged and the others still run.

var PROTOCOL_VERSION = 1;
var POST_POLL_MS = 20;

// newChannel makes a page's bridge. name prefixes its log lines; requestKind is the
// envelope kind of its requests ("launcher", "devtools").
function newChannel(name, requestKind) {
  var outbox = []; // envelope texts waiting for __sf_post
  var outboxTimer = 0;
  var nextCallId = 1;
  var pendingCalls = {}; // id → {op, resolve, reject}

  function deliver(text) {
    try {
      var r = window.__sf_post(text);
      // webview's bindings return a promise; a failed post must not surface as an
      // unhandled rejection.
      if (r && typeof r.then === "function") r.then(null, function (err) { console.error("[" + name + "] post failed", err); });
    } catch (err) {
      console.error("[" + name + "] post failed", err);
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

  function post(kind, payload) {
    var text = JSON.stringify({ v: PROTOCOL_VERSION, kind: kind, payload: payload });
    if (!outbox.length && typeof window.__sf_post === "function") { deliver(text); return; }
    outbox.push(text);
    if (!outboxTimer) outboxTimer = setInterval(flushOutbox, POST_POLL_MS);
  }

  // call sends one request and resolves with its result, or rejects with an Error whose
  // message is the host's sentence for the user.
  function call(op, args) {
    return new Promise(function (resolve, reject) {
      var id = nextCallId++;
      pendingCalls[id] = { op: op, resolve: resolve, reject: reject };
      post(requestKind, { id: id, op: op, args: args || {} });
    });
  }

  // settle settles the request an answer names with its result (empty when it has
  // none); false when no request waits for it.
  function settle(p, empty) {
    var pending = pendingCalls[p.id];
    if (!pending) return false;
    delete pendingCalls[p.id];
    if (p.ok) pending.resolve(p.result == null ? empty : p.result);
    else pending.reject(new Error(p.error ? String(p.error) : pending.op + " failed"));
    return true;
  }

  // handle checks one envelope and hands its kind and payload to receive.
  function handle(env, receive) {
    if (!env || typeof env !== "object" || Array.isArray(env) || env.v !== PROTOCOL_VERSION) throw new Error("envelope with unknown version " + JSON.stringify(env && env.v));
    receive(env.kind, env.payload && typeof env.payload === "object" ? env.payload : {});
  }

  // install defines window.__sf_recv, for good: every envelope the host sends goes to
  // receive(kind, payload), which throws on a kind it does not know.
  function install(receive) {
    Object.defineProperty(window, "__sf_recv", {
      configurable: false, writable: false, enumerable: false,
      value: function (msg) {
        if (typeof msg === "string") {
          try { msg = JSON.parse(msg); } catch (err) { console.error("[" + name + "] message failed", err); return; }
        }
        var list = Array.isArray(msg) ? msg : [msg];
        for (var i = 0; i < list.length; i++) {
          var env = list[i];
          // ["kind", payload]: the short form of an envelope of this version without a sender.
          if (Array.isArray(env) && env.length === 2 && typeof env[0] === "string") env = { v: PROTOCOL_VERSION, kind: env[0], payload: env[1] };
          try { handle(env, receive); } catch (err) { console.error("[" + name + "] message failed", err); }
        }
      }
    });
  }

  return { post: post, call: call, settle: settle, install: install };
}
