// ctl-choice.js — <checkbox>/<checkbox-group> and <radio>/<radio-group>. The checked
// state lives in the `checked` attribute (so CSS and automation see it); data sets it
// when it changed or was set. A click toggles a checkbox or selects a radio, and the
// group reports change {value: [checked values]} or {value}.

function choiceControl(kind) {
  return {
    own: { checked: true, disabled: true, color: true },
    create: function (el) {
      el.setAttribute("role", kind);
      el.insertBefore(htmlEl("span", "sf-" + kind + "-mark"), el.firstChild);
      keyboardActivation(el);
    },
    update: function (el, v, old) {
      var a = v.attrs, prev = old ? old.attrs : {};
      if (!old || v.fresh.checked || !!a.checked !== !!prev.checked) setChecked(el, !!a.checked);
      flagAttr(el, "disabled", a.disabled ? "" : null);
      if (a.color) el.firstChild.style.setProperty("--sf-choice-color", toText(a.color));
      else el.firstChild.style.removeProperty("--sf-choice-color");
    },
    activate: function (el) {
      if (el.hasAttribute("disabled")) return true;
      if (kind === "checkbox") {
        setChecked(el, !el.hasAttribute("checked"));
        var group = el.closest("checkbox-group");
        if (group) emitComponentEvent(group, "change", { value: checkedValues(group, "checkbox") });
        return true;
      }
      if (el.hasAttribute("checked")) return true;
      var rgroup = el.closest("radio-group");
      if (rgroup) rgroup.querySelectorAll("radio").forEach(function (r) { if (r !== el) setChecked(r, false); });
      setChecked(el, true);
      if (rgroup) emitComponentEvent(rgroup, "change", { value: choiceValue(el) });
      return true;
    }
  };
}

BUILTINS.checkbox = choiceControl("checkbox");
BUILTINS.radio = choiceControl("radio");

// keyboardActivation makes a custom control reachable with Tab and toggled with
// Space or Enter, through the same click path as the mouse.
function keyboardActivation(el) {
  el.tabIndex = 0;
  el.addEventListener("keydown", function (e) {
    if (e.target !== el || (e.key !== " " && e.key !== "Enter")) return;
    e.preventDefault();
    el.click();
  });
}

function setChecked(el, on) {
  flagAttr(el, "checked", on ? "" : null);
  el.setAttribute("aria-checked", on ? "true" : "false");
}

function choiceValue(el) { return el.__sfNode && el.__sfNode.attrs.value !== undefined ? toText(el.__sfNode.attrs.value) : ""; }

function checkedValues(group, tag) {
  var out = [];
  group.querySelectorAll(tag).forEach(function (c) { if (c.hasAttribute("checked")) out.push(choiceValue(c)); });
  return out;
}

// groupValue is what a form collects for a named checkbox-group or radio-group.
function groupValue(group) {
  if (group.localName === "checkbox-group") return checkedValues(group, "checkbox");
  var on = checkedValues(group, "radio");
  return on.length ? on[0] : "";
}
