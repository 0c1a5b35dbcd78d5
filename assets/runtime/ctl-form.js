// ctl-form.js — <form>: a real form element whose own submission never happens (the
// browser's submit and reset are cancelled). A button form-type="submit" sends submit
// {value: {name: value}} with the named controls of the form's own template (like
// WeChat, controls inside custom components are not collected, but a custom component
// using wx://form-field is, by its name and value data, and so are the controls of a
// wx://form-field-group component's template); form-type="reset" puts the
// controls back to their rendered values and sends reset.

BUILTINS.form = {
  create: function (el) {
    el.setAttribute("novalidate", "");
    el.addEventListener("submit", function (e) { e.preventDefault(); });
    el.addEventListener("reset", function (e) { e.preventDefault(); });
  }
};

// formControls lists the named controls a form collects: [element, name].
function formControls(form) {
  var owner = form.__sfNode.owner, out = [];
  form.querySelectorAll("input, textarea, switch, checkbox-group, radio-group").forEach(function (el) {
    var v = el.__sfNode;
    if (!v || !formOwned(v.owner, owner) || v.attrs.name === undefined || v.attrs.name === "") return;
    out.push([el, toText(v.attrs.name)]);
  });
  return out;
}

// formOwned reports whether what owner's template placed belongs to a form of
// formOwner's template: its own, or inside wx://form-field-group components placed
// there (and so on down).
function formOwned(owner, formOwner) {
  for (var depth = 0; depth < 64; depth++) {
    if (owner === formOwner) return true;
    var inst = hasOwn(state.comps, owner) ? state.comps[owner] : null;
    if (!inst || !inst.def || !inst.def.formFieldGroup) return false;
    owner = inst.owner;
  }
  return false;
}

function controlValue(el) {
  switch (el.localName) {
    case "input": case "textarea": return el.value;
    case "switch": return el.hasAttribute("checked");
    default: return groupValue(el);
  }
}

// formFields lists the wx://form-field components of the form's own template:
// [name, value] from each instance's data.
function formFields(form) {
  var owner = form.__sfNode.owner, out = [];
  form.querySelectorAll("[data-sf-comp]").forEach(function (el) {
    var v = el.__sfNode, inst = el.__sfInst;
    if (!v || !inst || !formOwned(v.owner, owner) || !inst.def || !inst.def.formField) return;
    var name = inst.data.name;
    if (name === undefined || name === null || name === "") return;
    out.push([toText(name), inst.data.value === undefined ? null : cloneJSON(inst.data.value)]);
  });
  return out;
}

function submitForm(form) {
  var value = {};
  formControls(form).forEach(function (c) { if (!isUnsafeKey(c[1])) value[c[1]] = controlValue(c[0]); });
  formFields(form).forEach(function (f) { if (!isUnsafeKey(f[0])) value[f[0]] = f[1]; });
  emitComponentEvent(form, "submit", { value: value });
}

function resetForm(form) {
  form.querySelectorAll("input, textarea").forEach(function (el) {
    if (el.__sfNode) setControlValue(el, el.__sfNode.attrs.value === undefined ? "" : toText(el.__sfNode.attrs.value));
  });
  form.querySelectorAll("checkbox, radio, switch").forEach(function (el) {
    if (el.__sfNode) setChecked(el, !!el.__sfNode.attrs.checked);
  });
  emitComponentEvent(form, "reset", undefined);
}
