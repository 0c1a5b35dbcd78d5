// ctl-rich-text.js — <rich-text nodes space user-select>: richtext.js cleans the nodes
// through the allow-list; this builds them with createElement and textContent only.
// Images load from the bundle or, for remote ones, through the shell's image scheme as
// <image> does; style url()s too. Links are inert (no href is ever kept).

var RICH_SPACES = { ensp: "\u2002", emsp: "\u2003", nbsp: "\u00a0" };

function buildRich(parent, nodes, file, space) {
  nodes.forEach(function (node) {
    if (node.type === "text") {
      var t = node.text;
      if (space) t = t.replace(/ /g, space);
      parent.appendChild(document.createTextNode(t));
      return;
    }
    var el = document.createElement(node.name);
    Object.keys(node.attrs).forEach(function (k) {
      var v = node.attrs[k];
      if (k === "style") { el.style.cssText = remoteStyleImages(convertRpx(v, state.rpx || 1), currentAppID()); return; }
      if (k === "src") {
        var url = resolveImage(state.init && state.init.images, file, v) || remoteImage(currentAppID(), v);
        if (url) el.setAttribute("src", url);
        return;
      }
      el.setAttribute(k, v);
    });
    if (node.name === "img") { el.draggable = false; el.setAttribute("referrerpolicy", "no-referrer"); }
    buildRich(el, node.children, file, space);
    parent.appendChild(el);
  });
}

BUILTINS["rich-text"] = {
  own: { nodes: true },
  update: function (el, v, old) {
    // Compared as text: data is updated in place, so an array may be the same object.
    var a = v.attrs, key = toText(a.space) + "\n" + toText(a.nodes);
    if (old && el.__sfRichKey === key) return;
    el.__sfRichKey = key;
    var box = el.__sfRich;
    if (!box) { box = el.__sfRich = htmlEl("span", "sf-rich-text"); el.appendChild(box); }
    while (box.firstChild) box.removeChild(box.firstChild);
    buildRich(box, cleanRichNodes(a.nodes), v.file, RICH_SPACES[toText(a.space)] || "");
  }
};
