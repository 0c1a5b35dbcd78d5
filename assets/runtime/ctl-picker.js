// ctl-picker.js — <picker mode="selector|multiSelector|time|date|region">: its children are
// what the page shows; a click (or Enter/Space) opens a sheet drawn by the runtime in
// the shell's overlay, one list per column (pickers.js builds them). Choosing an option
// moves the selection (multiSelector sends columnchange {column, value}); Confirm sends
// change {value} and Cancel, Escape or a click on the mask sends cancel. disabled keeps
// it shut. mode="region" has three columns from the built-in region table (pickregion.js)
// and sends change {value, code, postcode}. The range may change while the sheet is open
// (apps fill the next column from columnchange): the sheet follows it and keeps the
// choice.

var openPicker = null; // {el, mode, model, layer, cols}

function pickerMode(a) {
  var m = toText(a.mode);
  return m === "multiSelector" || m === "time" || m === "date" || m === "region" ? m : "selector";
}

function todayDate() { var d = new Date(); return { y: d.getFullYear(), m: d.getMonth() + 1, d: d.getDate() }; }

// closePicker answers true (change), false (cancel) or, undefined, nothing: the page
// behind it is no longer in front, and an event now would reach the page that is.
function closePicker(answer) {
  var p = openPicker;
  if (!p) return;
  openPicker = null;
  if (p.layer.parentNode) p.layer.parentNode.removeChild(p.layer);
  if (!p.el.isConnected || answer === undefined) return; // silent: its page went away
  if (answer) {
    var detail = p.mode === "region" ? regionDetail(p.el.__sfNode.attrs, p.model) : { value: pickerValue(p.mode, p.el.__sfNode.attrs, p.model) };
    modelWrite(p.el, "value", detail.value);
    emitComponentEvent(p.el, "change", detail);
  } else {
    emitComponentEvent(p.el, "cancel", {});
  }
  try { p.el.focus({ preventScroll: true }); } catch (e) { /* not focusable */ }
}

function drawPickerColumns(p) {
  var box = p.cols;
  while (box.firstChild) box.removeChild(box.firstChild);
  p.model.columns.forEach(function (labels, ci) {
    var col = htmlEl("div", "sf-picker-column");
    col.setAttribute("role", "listbox");
    col.setAttribute("data-column", String(ci));
    col.tabIndex = 0;
    labels.forEach(function (label, i) {
      var opt = htmlEl("div", "sf-picker-option", label === "" ? "\u00a0" : label);
      opt.setAttribute("role", "option");
      opt.setAttribute("data-index", String(i));
      if (i === p.model.selected[ci]) { opt.setAttribute("aria-selected", "true"); opt.setAttribute("selected", ""); }
      opt.addEventListener("click", function () { choosePicker(p, ci, i); });
      col.appendChild(opt);
    });
    col.addEventListener("keydown", function (e) {
      var d = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
      if (!d) return;
      e.preventDefault();
      var i = Math.min(labels.length - 1, Math.max(0, p.model.selected[ci] + d));
      choosePicker(p, ci, i);
      var again = p.cols.querySelector('[data-column="' + ci + '"]');
      if (again) again.focus();
    });
    box.appendChild(col);
  });
  requestAnimationFrame(function () {
    box.querySelectorAll(".sf-picker-option[selected]").forEach(function (o) {
      var col = o.parentNode;
      col.scrollTop = o.offsetTop - col.clientHeight / 2 + o.offsetHeight / 2;
    });
  });
}

function choosePicker(p, column, index) {
  if (openPicker !== p || p.model.selected[column] === index) return;
  p.model.selected[column] = index;
  p.model = pickerRefit(p.mode, p.el.__sfNode.attrs, p.model);
  drawPickerColumns(p);
  if (p.mode === "multiSelector") emitComponentEvent(p.el, "columnchange", { column: column, value: index });
}

function showPicker(el) {
  if (openPicker) closePicker(false);
  var a = el.__sfNode.attrs, mode = pickerMode(a);
  var layer = htmlEl("div", "sf-picker-layer"), sheet = htmlEl("div", "sf-picker-sheet");
  sheet.setAttribute("role", "dialog");
  sheet.setAttribute("aria-modal", "true");
  var head = htmlEl("div", "sf-picker-head");
  var cancel = htmlEl("button", "sf-picker-cancel", "Cancel"), confirm = htmlEl("button", "sf-picker-confirm", "Confirm");
  cancel.type = confirm.type = "button";
  head.appendChild(cancel);
  if (a["header-text"]) head.appendChild(htmlEl("div", "sf-picker-title", toText(a["header-text"])));
  head.appendChild(confirm);
  sheet.appendChild(head);
  var cols = htmlEl("div", "sf-picker-columns");
  sheet.appendChild(cols);
  layer.appendChild(sheet);
  var p = { el: el, mode: mode, model: null, layer: layer, cols: cols };
  openPicker = p;
  p.model = pickerModel(mode, a, todayDate());
  p.inputs = toText([a.range, a["range-key"], a.start, a.end, a.fields]);
  drawPickerColumns(p);
  cancel.addEventListener("click", function () { closePicker(false); });
  confirm.addEventListener("click", function () { closePicker(true); });
  layer.addEventListener("click", function (e) { if (e.target === layer) closePicker(false); });
  layer.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); closePicker(false); }
    else if (e.key === "Enter") { e.preventDefault(); closePicker(true); }
  });
  shell.overlay.appendChild(layer);
  var first = cols.querySelector(".sf-picker-column") || cancel;
  first.focus();
}

BUILTINS.picker = {
  own: { value: true, range: true },
  create: function (el) { keyboardActivation(el); },
  update: function (el, v, old) {
    flagAttr(el, "disabled", v.attrs.disabled ? "" : null);
    var p = openPicker;
    if (!p || p.el !== el || !old || p.mode === "region") return; // the region table does not change
    // Data is updated in place (a setData of "range[1]" keeps the array), so the
    // columns' inputs are compared as text.
    var a = v.attrs, inputs = toText([a.range, a["range-key"], a.start, a.end, a.fields]);
    if (inputs === p.inputs) return;
    p.inputs = inputs;
    // Keep the choice being made; take only the new columns from the data.
    var fresh = pickerModel(p.mode, a, todayDate());
    fresh.selected = fresh.columns.map(function (c, i) { return Math.min(p.model.selected[i] || 0, Math.max(0, c.length - 1)); });
    p.model = pickerRefit(p.mode, a, fresh);
    drawPickerColumns(p);
  },
  activate: function (el) {
    if (!el.hasAttribute("disabled")) showPicker(el);
    return true;
  }
};
