// network.js — every request, download, upload and socket, refusals shown as such.

var netStream = newStream("network.since", 500);
var netSelected = -1;

function netStatus(x) {
  if (x.refused) return "refused";
  if (x.error) return "failed";
  if (x.api === "socket") return "closed " + x.status;
  return String(x.status || "");
}

function netRow(x, i) {
  var cls = "net-row" + (x.refused ? " refused" : x.error ? " failed" : "") + (i === netSelected ? " sel" : "");
  var row = h("tr", { class: cls, "data-index": i, "data-url": x.url },
    h("td", null, netStatus(x)), h("td", null, x.api), h("td", null, x.method), h("td", { title: x.url }, x.url),
    h("td", null, (x.duration / 1e6).toFixed(1) + " ms"), h("td", null, x.refused || x.error ? "" : bytes(x.respBytes)));
  row.addEventListener("click", function () { netSelected = i; renderNetwork(); netDetail(x); });
  return row;
}

function headerList(hs) {
  var kv = h("div", { class: "kv" });
  Object.keys(hs || {}).sort().forEach(function (k) { kv.appendChild(h("span", { class: "k" }, k)); kv.appendChild(h("span", null, String(hs[k]))); });
  return kv;
}

function netDetail(x) {
  var parts = [h("h4", null, x.method + " " + x.url),
    h("div", null, x.api + " · started " + clock(x.start) + " · " + (x.duration / 1e6).toFixed(1) + " ms")];
  if (x.refused) parts.push(h("h4", null, "Refused by the shell"), h("pre", { class: "refusal" }, x.refused));
  else if (x.error) parts.push(h("h4", null, "Failed"), h("pre", null, x.error));
  else parts.push(h("div", null, "status " + x.status + " · sent " + bytes(x.reqBytes) + " · received " + bytes(x.respBytes)));
  parts.push(h("h4", null, "Request headers"), headerList(x.reqHeader));
  if (x.respHeader) parts.push(h("h4", null, "Response headers"), headerList(x.respHeader));
  if (x.preview) {
    var body;
    try { body = jsonTree(JSON.parse(x.preview), "body", "", true); } catch (_) { body = h("pre", null, x.preview); }
    parts.push(h("h4", null, "Response body"), body);
  }
  fill($("network-detail"), parts);
}

function renderNetwork() {
  fill($("network-rows"), netStream.items.map(netRow));
  $("network-count").textContent = netStream.items.length + " requests";
}

function pollNetwork() {
  return pollStream(netStream).then(function (items) { if (items.length) renderNetwork(); });
}

function setupNetwork() {
  $("network-clear").addEventListener("click", function () {
    call("network.clear").then(function () { netStream.items = []; netSelected = -1; renderNetwork(); fill($("network-detail")); });
  });
}
