// transport.js — the launcher's side of the privileged bridge (channel.js,
// docs/launcher.md): "launcher" requests out, "launcherResult" answers, "launcherEvent"
// notices and automation probes in.

var launcherChannel = newChannel("launcher", "launcher");
var eventHandlers = {}; // event name → function (data)

function postEnvelope(kind, payload) { launcherChannel.post(kind, payload); }

// call sends one launcher request and resolves with its result, or rejects with an
// Error whose message is the host's sentence for the user.
function call(op, args) { return launcherChannel.call(op, args); }

function onEvent(name, handler) {
  eventHandlers[name] = handler;
}

function receive(kind, p) {
  switch (kind) {
    case "launcherResult":
      if (!launcherChannel.settle(p, {})) console.warn("[launcher] answer to unknown request " + JSON.stringify(p.id));
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
  throw new Error("unknown message kind " + JSON.stringify(kind));
}

function installTransport() { launcherChannel.install(receive); }
