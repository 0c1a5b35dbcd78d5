// subpackages.js — pages and components that arrive after init: a subpackage the
// shell fetched on demand, or the main package after an app started in an independent
// subpackage (docs/subpackages.md). The host sends them as ui op "units"
// ({units: {pages, components, css?}}, each entry in init's shape); they join
// state.init, so the next page that opens, or the next render of a tag that showed
// its componentPlaceholder, uses them.
function applyUnits(op) {
  var u = isObject(op.units) ? op.units : {};
  if (!state.init) return;
  if (typeof u.css === "string") state.init.css = u.css;
  var pages = isObject(u.pages) ? u.pages : {}, comps = isObject(u.components) ? u.components : {};
  Object.keys(comps).forEach(function (k) { state.init.components[k] = comps[k]; });
  Object.keys(pages).forEach(function (k) { state.init.pages[k] = pages[k]; });
  applyStyles(state.init);
}
