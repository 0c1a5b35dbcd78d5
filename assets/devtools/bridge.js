// bridge.js — every bridge message both ways, with kind, size and time; refusals with
// their reason.

var bridgeStream = newStream("bridge.since", 2000);

function bridgeVisible(m) {
  if ($("bridge-refused").checked && !m.refused) return false;
  var f = $("bridge-filter").value.toLowerCase();
  return !f || m.kind.toLowerCase().indexOf(f) >= 0 || (m.api || "").toLowerCase().indexOf(f) >= 0;
}

function bridgeRow(m) {
  var detail = m.refused ? "refused: " + m.refused : m.api ? m.api : m.seq ? "seq " + m.seq : "";
  return h("tr", { class: "bridge-row" + (m.refused ? " refused" : ""), "data-kind": m.kind },
    h("td", null, clock(m.time)), h("td", null, m.dir), h("td", null, m.kind), h("td", null, String(m.bytes)), h("td", { title: detail }, detail));
}

function renderBridge() {
  var shown = bridgeStream.items.filter(bridgeVisible);
  fill($("bridge-rows"), shown.slice(-500).map(bridgeRow));
  var list = $("bridge-rows").closest(".list");
  list.scrollTop = list.scrollHeight; // newest at the bottom, in view
  $("bridge-count").textContent = shown.length + " messages" + (bridgeStream.dropped ? " (" + bridgeStream.dropped + " older dropped)" : "");
}

function pollBridge() {
  return pollStream(bridgeStream).then(function (items) { if (items.length && activePanel === "bridge") renderBridge(); });
}

function setupBridge() {
  $("bridge-clear").addEventListener("click", function () { call("bridge.clear").then(function () { bridgeStream.items = []; renderBridge(); }); });
  $("bridge-refused").addEventListener("change", renderBridge);
  $("bridge-filter").addEventListener("input", renderBridge);
}
