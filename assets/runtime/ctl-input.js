// ctl-input.js — <input> and <textarea>: real controls. The value is written only
// when its data changed (or was set), so typing is never undone by an unrelated
// render, and the caret is kept. Events: input {value, cursor, keyCode}, focus
// {value, height}, blur {value, cursor}, confirm {value} on Enter (Ctrl+Enter in a
// textarea). type number/digit/idcard filter what can be typed; maxlength defaults
// to 140 as in WeChat (-1: no limit).

var INPUT_FILTERS = { number: /[^0-9]/g, digit: /[^0-9.]/g, idcard: /[^0-9xX]/g };
var INPUT_MODES = { number: "numeric", digit: "decimal" };
var ENTER_HINTS = { send: "send", search: "search", next: "next", go: "go", done: "done" };

var textControl = {
  own: {
    value: true, type: true, password: true, placeholder: true, maxlength: true, disabled: true,
    focus: true, "auto-focus": true, "confirm-type": true, "auto-height": true, "placeholder-class": true,
    "placeholder-style": true, "confirm-hold": true, cursor: true
  },
  create: function (el, v) {
    var lastKey = { code: undefined };
    el.setAttribute("autocomplete", "off");
    el.addEventListener("keydown", function (e) {
      lastKey.code = e.keyCode;
      var isArea = el.localName === "textarea";
      if (e.key === "Enter" && !e.isComposing && (!isArea || e.ctrlKey || e.metaKey)) {
        e.preventDefault(); // no implicit form submission, no newline for a confirm
        emitComponentEvent(el, "confirm", { value: el.value });
      }
    });
    el.addEventListener("input", function () {
      filterTyped(el);
      if (el.localName === "textarea") autoHeight(el);
      var detail = { value: el.value, cursor: caretOf(el) };
      if (lastKey.code !== undefined) detail.keyCode = lastKey.code;
      lastKey.code = undefined;
      modelWrite(el, "value", el.value);
      emitComponentEvent(el, "input", detail);
    });
    el.addEventListener("focus", function () {
      if (!restoringFocus) emitComponentEvent(el, "focus", { value: el.value, height: 0 });
    });
    el.addEventListener("blur", function () {
      if (!restoringFocus) emitComponentEvent(el, "blur", { value: el.value, cursor: caretOf(el) });
    });
    if (v.attrs["auto-focus"] || v.attrs.focus) whenPatched(function () { el.focus(); });
  },
  update: function (el, v, old) {
    var a = v.attrs, prev = old ? old.attrs : {};
    if (el.localName === "input") {
      el.type = a.password ? "password" : "text";
      flagAttr(el, "inputmode", INPUT_MODES[a.type] || null);
      flagAttr(el, "data-type", INPUT_FILTERS[a.type] ? String(a.type) : null);
    }
    el.placeholder = a.placeholder === undefined ? "" : toText(a.placeholder);
    var max = a.maxlength === undefined ? 140 : Number(a.maxlength);
    if (max >= 0 && max === max) el.maxLength = max; else el.removeAttribute("maxlength");
    el.disabled = !!a.disabled;
    flagAttr(el, "enterkeyhint", ENTER_HINTS[a["confirm-type"]] || null);
    flagAttr(el, "auto-height", a["auto-height"] ? "" : null);
    var value = a.value === undefined ? "" : toText(a.value);
    if ((!old || v.fresh.value || value !== toText(prev.value === undefined ? "" : prev.value)) && !modelEcho(el, value)) setControlValue(el, value);
    if (el.localName === "textarea") whenPatched(function () { autoHeight(el); });
    if (old && a.focus && (!prev.focus || v.fresh.focus)) whenPatched(function () { el.focus(); });
    if (old && !a.focus && prev.focus && document.activeElement === el) el.blur();
  }
};

BUILTINS.input = textControl;
BUILTINS.textarea = textControl;

// setControlValue writes a value unless it is already there, keeping the caret of a
// control being typed in (clamped to the new length).
function setControlValue(el, value) {
  if (el.value === value) return;
  var focused = document.activeElement === el, caret = focused ? caretOf(el) : null;
  el.value = value;
  if (focused && caret !== null) {
    try { el.setSelectionRange(Math.min(caret, value.length), Math.min(caret, value.length)); } catch (e) { /* no caret */ }
  }
}

function caretOf(el) {
  try { return el.selectionStart === null ? el.value.length : el.selectionStart; } catch (e) { return el.value.length; }
}

// filterTyped drops characters an input's type does not accept, keeping the caret.
function filterTyped(el) {
  var re = INPUT_FILTERS[el.getAttribute("data-type")];
  if (!re) return;
  var clean = el.value.replace(re, "");
  if (clean === el.value) return;
  var caret = caretOf(el) - (el.value.length - clean.length);
  el.value = clean;
  try { el.setSelectionRange(Math.max(caret, 0), Math.max(caret, 0)); } catch (e) { /* no caret */ }
}

function autoHeight(el) {
  if (!el.hasAttribute("auto-height")) return;
  el.style.height = "auto";
  el.style.height = el.scrollHeight + "px";
}
