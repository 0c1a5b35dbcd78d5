// console.js — the app's console.* lines and the evaluation input.

var consoleStream = newStream("console.since", 2000);
var LEVEL_RANK = { debug: 0, log: 1, info: 1, warn: 2, error: 3 };

function consoleRow(line) {
  var lvl = line.level || "log";
  var msg = h("span", { class: "msg" });
  var args = line.args || [];
  if (args.some(function (a) { return a !== null && typeof a === "object"; })) {
    args.forEach(function (a, i) {
      if (i) msg.appendChild(document.createTextNode(" "));
      if (a !== null && typeof a === "object") msg.appendChild(jsonTree(a, null, "", false));
      else msg.appendChild(document.createTextNode(typeof a === "string" ? a : JSON.stringify(a)));
    });
  } else {
    msg.textContent = line.text;
  }
  var loc = line.file ? line.file + ":" + line.line + (line.column ? ":" + line.column : "") : "";
  return h("div", { class: "console-line " + lvl, "data-level": lvl },
    h("span", { class: "time" }, clock(line.time)), h("span", { class: "lvl" }, lvl), msg, h("span", { class: "loc" }, loc));
}

function consoleVisible(line) {
  var min = $("console-level").value, f = $("console-filter").value.toLowerCase();
  if (min && (LEVEL_RANK[line.level] || 0) < LEVEL_RANK[min]) return false;
  return !f || String(line.text).toLowerCase().indexOf(f) >= 0;
}

function renderConsole() {
  var list = $("console-list");
  fill(list, consoleStream.items.filter(consoleVisible).map(function (l) { return l.eval ? l.eval : consoleRow(l); }));
  list.scrollTop = list.scrollHeight;
}

function pollConsole() {
  return pollStream(consoleStream).then(function (items) {
    if (!items.length) return;
    var list = $("console-list"), atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    items.filter(consoleVisible).forEach(function (l) { list.appendChild(consoleRow(l)); });
    while (list.childNodes.length > consoleStream.cap) list.removeChild(list.firstChild);
    if (atEnd) list.scrollTop = list.scrollHeight;
  });
}

function evalLine(cls, label, content) {
  var row = h("div", { class: "console-line eval " + cls }, h("span", { class: "time" }, clock(new Date().toISOString())), h("span", { class: "lvl" }, label), content, h("span", { class: "loc" }));
  consoleStream.items.push({ level: "info", text: "", eval: row });
  $("console-list").appendChild(row);
  $("console-list").scrollTop = $("console-list").scrollHeight;
}

function setupConsole(info) {
  $("console-clear").addEventListener("click", function () {
    call("console.clear").then(function () { consoleStream.items = []; renderConsole(); });
  });
  $("console-level").addEventListener("change", renderConsole);
  $("console-filter").addEventListener("input", renderConsole);
  var input = $("console-input");
  if (!info.canEval) {
    input.disabled = true;
    input.placeholder = "Evaluation is only for `shell dev` on a project folder";
    return;
  }
  input.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !input.value.trim()) return;
    var expr = input.value;
    input.value = "";
    evalLine("", "›", h("span", { class: "msg" }, expr));
    call("console.eval", { expr: expr }).then(function (r) {
      var v = r.value;
      evalLine("result", "‹", h("span", { class: "msg", "data-eval-result": "" }, v !== null && typeof v === "object" ? jsonTree(v, null, "", true) : (typeof v === "string" ? JSON.stringify(v) : String(v))));
    }, function (err) {
      evalLine("error", "‹", h("span", { class: "msg", "data-eval-error": "" }, err.message));
    });
  });
}
