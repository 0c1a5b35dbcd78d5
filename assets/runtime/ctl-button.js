// ctl-button.js — <button>: a real button (keyboard focus and activation for free)
// with WeChat's type primary/default/warn, size mini, plain, disabled, loading, and
// form-type submit/reset. Any submit the browser would do on its own is cancelled
// in ctl-form.js; submission is ours.

var BUTTON_TYPES = { primary: true, "default": true, warn: true };

BUILTINS.button = {
  own: { type: true, size: true, plain: true, disabled: true, loading: true, "form-type": true, "open-type": true },
  create: function (el) { el.setAttribute("type", "default"); },
  update: function (el, v) {
    var a = v.attrs;
    el.setAttribute("type", BUTTON_TYPES[a.type] ? a.type : "default");
    flagAttr(el, "size", a.size === "mini" ? "mini" : null);
    flagAttr(el, "plain", a.plain ? "" : null);
    flagAttr(el, "loading", a.loading ? "" : null);
    el.disabled = !!a.disabled;
    flagAttr(el, "form-type", a["form-type"] === "submit" || a["form-type"] === "reset" ? a["form-type"] : null);
    var spinner = el.firstChild && el.firstChild.className === "sf-button-spinner" ? el.firstChild : null;
    if (a.loading && !spinner) el.insertBefore(htmlEl("i", "sf-button-spinner"), el.firstChild);
    if (!a.loading && spinner) el.removeChild(spinner);
  },
  activate: function (el) {
    var v = el.__sfNode, type = v.attrs["form-type"];
    if (v.attrs.disabled) return true;
    var form = el.closest("form");
    if (!form || !form.__sfNode || (type !== "submit" && type !== "reset")) return false;
    if (type === "submit") submitForm(form); else resetForm(form);
    return true;
  }
};

// flagAttr sets an attribute to text, or removes it for null.
function flagAttr(el, name, text) {
  if (text === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== text) el.setAttribute(name, text);
}
