// wxml.js — the rendered tree of the page in front, with component boundaries;
// selecting a node highlights it in the app and shows its classes and computed style.

var wxmlSelected = "";

function wxmlLine(n, depth) {
  var attrs = [];
  if (n.id) attrs.push(h("span", { class: "attr" }, " id=\"" + n.id + "\""));
  if (n["class"]) attrs.push(h("span", { class: "attr" }, " class=\"" + n["class"] + "\""));
  if (n.page) attrs.push(h("span", { class: "attr" }, " page=\"" + n.route + "\""));
  var kids = n.children || [];
  var line = h("div", { class: "wxml-node", "data-path": n.path, style: "padding-left:" + (10 + depth * 14) + "px" },
    h("span", { class: "tag" }, "<" + n.tag), attrs, h("span", { class: "tag" }, kids.length || !n.text ? ">" : ">"),
    n.text ? h("span", { class: "txt" }, n.text) : null,
    n.component ? h("span", { class: "comp-badge", title: "component instance " + (n.instance || "") }, "component " + n.component) : null);
  line.addEventListener("click", function (e) { e.stopPropagation(); selectWxml(n.path); });
  var out = [line];
  kids.forEach(function (k) { out = out.concat(wxmlLine(k, depth + 1)); });
  if (n.component && kids.length) return [h("div", { class: "comp-box", "data-component": n.component }, out)];
  return out;
}

function refreshWxml() {
  setStatus($("wxml-status"), "Reading the page…");
  return call("wxml.tree").then(function (tree) {
    fill($("wxml-tree"), wxmlLine(tree, 0));
    setStatus($("wxml-status"), "");
    if (wxmlSelected) markWxml(wxmlSelected);
  }, function (err) { setStatus($("wxml-status"), err.message, "error"); });
}

function markWxml(path) {
  Array.prototype.forEach.call(document.querySelectorAll(".wxml-node.sel"), function (el) { el.classList.remove("sel"); });
  var el = document.querySelector(".wxml-node[data-path=\"" + path + "\"]");
  if (el) el.classList.add("sel");
}

function selectWxml(path) {
  wxmlSelected = path;
  markWxml(path);
  call("wxml.highlight", { path: path }).then(function (box) {
    if (box) setStatus($("wxml-status"), "Highlighted in the app: " + box.width + " × " + box.height + " at " + box.x + ", " + box.y, "ok");
  }, function (err) { setStatus($("wxml-status"), err.message, "error"); });
  call("wxml.inspect", { path: path }).then(function (r) {
    var style = h("div", { class: "kv" });
    Object.keys(r.style).forEach(function (k) { style.appendChild(h("span", { class: "k" }, k)); style.appendChild(h("span", null, r.style[k])); });
    fill($("wxml-inspect"),
      h("h4", null, "<" + r.tag + ">" + (r.component ? "  component " + r.component : "")),
      h("div", { class: "muted" }, r.box.width + " × " + r.box.height + " at " + r.box.x + ", " + r.box.y),
      h("h4", null, "Classes"), h("div", { id: "wxml-classes" }, r.classes.length ? r.classes.join(" ") : "(none)"),
      h("h4", null, "Computed style"), style);
  }, function (err) { setStatus($("wxml-status"), err.message, "error"); });
}

function setupWxml() {
  $("wxml-refresh").addEventListener("click", refreshWxml);
  $("wxml-unhighlight").addEventListener("click", function () { call("wxml.highlight", { path: "-" }); wxmlSelected = ""; markWxml("-"); });
}
