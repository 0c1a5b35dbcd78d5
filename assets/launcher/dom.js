// dom.js — building elements. Everything an app supplies (names, reasons, domains)
// goes in as textContent or an attribute value, never as markup.

function $(id) {
  return document.getElementById(id);
}

// h builds an element: h("button", {class: "btn", "data-action": "open", onclick: fn}, "Open").
// An attribute that is false, null or undefined is left out; true sets it empty.
function h(tag, attrs) {
  var el = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (key) {
      var v = attrs[key];
      if (v === false || v == null) return;
      if (key.slice(0, 2) === "on") {
        // handlers are listeners, never attribute text
        if (typeof v !== "function") throw new Error("h: " + key + " must be a function");
        el.addEventListener(key.slice(2), v);
      } else if (key === "text") el.textContent = String(v);
      else el.setAttribute(key, v === true ? "" : String(v));
    });
  }
  for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

function append(el, child) {
  if (child == null || child === false) return;
  if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
  el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
}

// fill replaces el's children.
function fill(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  for (var i = 1; i < arguments.length; i++) append(el, arguments[i]);
  return el;
}

// sync is fill that keeps each child already equal to its replacement (same tag,
// attributes and subtree): refreshing a list that did not change, or changed in one
// row, leaves the rest of the DOM alone, so the page restyles and repaints only what
// changed. A launch refreshes the apps two or three times while the new app's page
// renders, on the same cores. Only for nodes with no listeners of their own (a kept
// node keeps its old ones): the grid and the running strip delegate theirs.
function sync(el) {
  var frag = document.createDocumentFragment();
  for (var i = 1; i < arguments.length; i++) append(frag, arguments[i]);
  var next = Array.prototype.slice.call(frag.childNodes);
  for (var j = 0; j < next.length; j++) {
    var old = el.childNodes[j];
    if (!old) el.appendChild(next[j]);
    else if (!old.isEqualNode(next[j])) el.replaceChild(next[j], old);
  }
  while (el.childNodes.length > next.length) el.removeChild(el.lastChild);
  return el;
}

var SVG_NS = "http://www.w3.org/2000/svg";

// Line icons on a 24×24 grid, drawn with the current text colour.
var ICONS = {
  search: ["M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14z", "M20 20l-4-4"],
  file: ["M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z", "M14 3v6h6", "M12 18v-6", "M9 15l3 3l3-3"],
  store: ["M4 9l1.5-5h13L20 9", "M4 9h16v2a3 3 0 0 1-5.3 1.9A3 3 0 0 1 12 14a3 3 0 0 1-2.7-1.1A3 3 0 0 1 4 11z", "M5 13.5V20h14v-6.5", "M10 20v-4h4v4"],
  back: ["M15 18l-6-6l6-6"],
  more: ["M5 12h.01", "M12 12h.01", "M19 12h.01"],
  close: ["M18 6L6 18", "M6 6l12 12"],
  play: ["M7 4.5v15l12-7.5z"],
  update: ["M12 3v12", "M7 10l5 5l5-5", "M5 20h14"],
  rollback: ["M3 12a9 9 0 1 0 3-6.7", "M3 4v5h5"],
  trash: ["M4 7h16", "M10 11v6", "M14 11v6", "M6 7l1 13h10l1-13", "M9 7V4h6v3"],
  shield: ["M12 3l8 3v6c0 5-3.5 8-8 9c-4.5-1-8-4-8-9V6z", "M9 12l2 2l4-4"],
  warning: ["M12 3l10 18H2z", "M12 10v4", "M12 17.5h.01"],
  check: ["M5 12.5l4.5 4.5L19 7"],
  power: ["M12 3v9", "M6.3 6.3a8 8 0 1 0 11.4 0"],
  swap: ["M7 17L17 7", "M8 7h9v9"],
  apps: ["M4 4h6v6H4z", "M14 4h6v6h-6z", "M4 14h6v6H4z", "M14 14h6v6h-6z"],
  user: ["M12 12a4 4 0 1 0 0-8a4 4 0 1 0 0 8z", "M4 21a8 8 0 0 1 16 0"],
  info: ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M12 11v5", "M12 7.5h.01"]
};

function icon(name, cls) {
  var svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon" + (cls ? " " + cls : ""));
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  (ICONS[name] || []).forEach(function (d) {
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
  });
  return svg;
}

// appIcon is the app's own icon, or a coloured letter when it has none.
function appIcon(app, cls) {
  var c = "app-icon" + (cls ? " " + cls : "");
  if (app && isDataImage(app.icon)) return h("img", { class: c, src: app.icon, alt: "", draggable: "false" });
  var letter = h("span", { class: c + " letter", "aria-hidden": "true", text: initial(app && app.name, app && app.id) });
  letter.style.backgroundColor = avatarColour(app && app.id || app && app.name);
  return letter;
}

// avatar is the profile picture, or the nickname's letter.
function avatar(profile, cls) {
  var c = "avatar" + (cls ? " " + cls : "");
  if (profile && isDataImage(profile.avatarUrl)) return h("img", { class: c, src: profile.avatarUrl, alt: "" });
  var letter = h("span", { class: c + " letter", "aria-hidden": "true", text: profile && profile.nickName ? initial(profile.nickName) : "" });
  if (!(profile && profile.nickName)) letter.appendChild(icon("user"));
  letter.style.backgroundColor = profile && profile.nickName ? avatarColour(profile.nickName) : "";
  return letter;
}

// button builds a button with an optional leading icon.
function button(label, attrs, iconName) {
  var a = attrs || {};
  if (!a.type) a.type = "button";
  return h("button", a, iconName ? icon(iconName) : null, h("span", { class: "label", text: label }));
}

// busy marks a button as working (disabled, spinner) until done() is called.
function busy(btn) {
  if (!btn) return function () {};
  var was = btn.disabled;
  btn.disabled = true;
  btn.setAttribute("aria-busy", "true");
  return function () {
    if (!btn.isConnected) return;
    btn.disabled = was;
    btn.removeAttribute("aria-busy");
  };
}
