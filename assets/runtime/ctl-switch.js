// ctl-switch.js — <switch>: a track and knob (or a checkbox look with type="checkbox"),
// checked, disabled, color; a click toggles it and sends change {value: bool}.

BUILTINS["switch"] = {
  own: { checked: true, disabled: true, color: true, type: true },
  create: function (el) {
    el.setAttribute("role", "switch");
    el.insertBefore(htmlEl("span", "sf-switch-mark"), el.firstChild);
    keyboardActivation(el);
  },
  update: function (el, v, old) {
    var a = v.attrs, prev = old ? old.attrs : {};
    if (!old || v.fresh.checked || !!a.checked !== !!prev.checked) setChecked(el, !!a.checked);
    flagAttr(el, "disabled", a.disabled ? "" : null);
    flagAttr(el, "type", a.type === "checkbox" ? "checkbox" : "switch");
    if (a.color) el.firstChild.style.setProperty("--sf-choice-color", toText(a.color));
    else el.firstChild.style.removeProperty("--sf-choice-color");
  },
  activate: function (el) {
    if (el.hasAttribute("disabled")) return true;
    var on = !el.hasAttribute("checked");
    setChecked(el, on);
    modelWrite(el, "checked", on);
    emitComponentEvent(el, "change", { value: on });
    return true;
  }
};
