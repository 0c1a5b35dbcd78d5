// appdata.js — the live data of each page, editable (applied as the page's setData).

var appdataPages = [];
var appdataShown = "";   // JSON text shown, to redraw only on change
var appdataEditing = false;

function appdataSelected() {
  var sel = $("appdata-page");
  return sel.value || (appdataPages.length ? appdataPages[appdataPages.length - 1].id : "");
}

function editLeaf(path, v, row) {
  row.title = "Click to edit " + path;
  row.setAttribute("data-leaf", "");
  row.addEventListener("click", function () {
    if (row.querySelector("input")) return;
    appdataEditing = true;
    var input = h("input", { class: "input mono", type: "text", value: JSON.stringify(v) });
    var leaf = row.lastChild;
    row.replaceChild(input, leaf);
    input.focus();
    input.select();
    var done = function (apply) {
      appdataEditing = false;
      if (apply) applyData(path, input.value);
      else row.replaceChild(leaf, input);
    };
    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") done(true);
      if (e.key === "Escape") done(false);
    });
    input.addEventListener("blur", function () { if (appdataEditing) done(false); });
  });
}

function applyData(path, text) {
  var status = $("appdata-status");
  var value;
  try { value = JSON.parse(text); } catch (err) { setStatus(status, "Not JSON: " + err.message, "error"); return; }
  call("appdata.set", { page: appdataSelected(), path: path, value: value }).then(function () {
    setStatus(status, "setData({" + JSON.stringify(path) + ": " + JSON.stringify(value) + "}) applied", "ok");
    appdataShown = "";
    return refreshAppData();
  }, function (err) { setStatus(status, err.message, "error"); });
}

function refreshAppData() {
  if (appdataEditing) return Promise.resolve();
  return call("appdata.get").then(function (r) {
    appdataPages = r.pages || [];
    var sel = $("appdata-page"), keep = sel.value;
    var opts = appdataPages.map(function (p) { return p.id + " · " + p.route; }).join("|");
    if (sel.getAttribute("data-opts") !== opts) {
      sel.setAttribute("data-opts", opts);
      fill(sel, appdataPages.map(function (p) { return h("option", { value: p.id }, p.id + " · " + p.route); }));
      if (keep && appdataPages.some(function (p) { return p.id === keep; })) sel.value = keep;
      else if (appdataPages.length) sel.value = appdataPages[appdataPages.length - 1].id;
    }
    var page = appdataPages.filter(function (p) { return p.id === appdataSelected(); })[0];
    var text = page ? JSON.stringify([page.data, page.components]) + (page.error || "") : "";
    if (text === appdataShown) return;
    appdataShown = text;
    var tree = $("appdata-tree");
    if (!page) { fill(tree, h("div", { class: "empty" }, "No page is open.")); return; }
    if (page.error) { fill(tree, h("div", { class: "empty" }, page.error)); return; }
    fill(tree, jsonTree(page.data, "data", "", true, function (path, v, row) { if (path) editLeaf(path, v, row); }),
      (page.components || []).map(function (c) {
        var body = c.error ? h("div", { class: "jt-row muted" }, c.error) : jsonTree(c.data, "data", "", false);
        return h("div", { class: "comp-data", "data-component": c.is },
          h("div", { class: "jt-row" }, h("span", { class: "comp-badge" }, "component " + c.is), h("span", { class: "muted" }, "  " + c.id)), body);
      }));
  }, function (err) { setStatus($("appdata-status"), err.message, "error"); });
}

function setupAppData() {
  $("appdata-refresh").addEventListener("click", function () { appdataShown = ""; refreshAppData(); });
  $("appdata-page").addEventListener("change", function () { appdataShown = ""; refreshAppData(); });
  $("appdata-apply").addEventListener("click", function () {
    var path = $("appdata-path").value.trim();
    if (!path) { setStatus($("appdata-status"), "Give a data path", "error"); return; }
    applyData(path, $("appdata-value").value);
  });
}
