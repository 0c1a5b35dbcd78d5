// ctl-text.js — <text>: inline text, selectable only with `selectable`/`user-select`
// (base.css), `space` (ensp/emsp/nbsp) widening spaces and `decode` resolving the
// entities WeChat decodes. Both only rewrite the displayed text nodes.

var SPACES = { ensp: "\u2002", emsp: "\u2003", nbsp: "\u00a0" };
var ENTITIES = { "&nbsp;": "\u00a0", "&lt;": "<", "&gt;": ">", "&amp;": "&", "&apos;": "'", "&ensp;": "\u2002", "&emsp;": "\u2003" };

function displayText(s, space, decode) {
  if (decode) s = s.replace(/&(nbsp|lt|gt|amp|apos|ensp|emsp);/g, function (m) { return ENTITIES[m]; });
  if (space && hasOwn(SPACES, space)) s = s.replace(/ /g, SPACES[space]);
  return s;
}

BUILTINS.text = {
  update: function (el, v) {
    var space = toText(v.attrs.space), decode = !!v.attrs.decode;
    v.children.forEach(function (c) {
      if (c.t !== "text") return;
      var shown = displayText(c.text, space, decode);
      if (c.dom.data !== shown) c.dom.data = shown;
    });
  }
};
