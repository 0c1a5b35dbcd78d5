// ctl-label.js — <label>: a click on it (outside its controls) triggers the control
// named by `for` (an id in the same page), else the first control inside it:
// checkbox, radio and switch toggle, button is clicked, input and textarea focus.

var LABEL_TARGETS = "button, checkbox, radio, switch, input, textarea";

BUILTINS.label = {
  own: { "for": true },
  activate: function (el, e) {
    var v = el.__sfNode, control = null;
    if (v.attrs["for"]) {
      var page = el.closest("page"), id = toText(v.attrs["for"]);
      control = page ? Array.prototype.find.call(page.querySelectorAll("[id]"), function (n) { return n.id === id && n.__sfNode; }) : null;
    }
    if (!control) control = el.querySelector(LABEL_TARGETS);
    if (!control || (e && e.target && control.contains(e.target))) return false;
    if (control.localName === "input" || control.localName === "textarea") control.focus();
    else if (control.localName === "button") control.click();
    else if (behaviourOf(control.localName)) behaviourOf(control.localName).activate(control, e);
    return true;
  }
};
