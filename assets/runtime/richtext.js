// richtext.js — <rich-text nodes>, with no DOM (the tests load it alone). nodes is an
// array of {name, attrs, children} / {type: "text", text} or an HTML string, which
var RICH_ATTR_RE = /^\s*([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|^\s*(\/?)>|^\s*(\/)/;

// richAttr matches the next attribute or the tag's end at j: in a short window first,
// so that a long document is not copied once per attribute.
function richAttr(s, j) {
  var w = s.slice(j, j + 512), m = RICH_ATTR_RE.exec(w);
  if (m && m[0].length < w.length && !/^\s*=/.test(w.slice(m[0].length))) return m;
  return RICH_ATTR_RE.exec(s.slice(j));
}

// parseRichHTML reads into the same shape with a small tokenizer (never the browser's
// HTML parser on the page). cleanRichNodes keeps only WeChat's rich-text tags and, per
// tag, the attributes WeChat lists (plus class and style); everything else (script,
// iframe, on* handlers, href) is dropped: an unknown element's children stay, the
// content of script/style/template-like tags does not. ctl-rich-text.js builds the DOM
// from the result with createElement only.

var RICH_MAX_NODES = 20000;
var RICH_MAX_DEPTH = 64;

var RICH_TAGS = {};
("a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del div dl dt " +
 "em fieldset font footer h1 h2 h3 h4 h5 h6 header hr i img ins label legend li mark nav ol p pre q rt ruby s " +
 "section small span strong sub sup table tbody td tfoot th thead tr tt u ul").split(" ").forEach(function (t) { RICH_TAGS[t] = true; });

// RICH_ATTRS: per tag, the attributes kept besides class and style (WeChat's list).
var RICH_ATTRS = {
  img: { alt: true, src: true, height: true, width: true },
  col: { span: true, width: true }, colgroup: { span: true, width: true },
  table: { width: true }, td: { colspan: true, height: true, rowspan: true, width: true },
  th: { colspan: true, height: true, rowspan: true, width: true },
  ol: { start: true, type: true }, font: { color: true, face: true, size: true },
  bdo: { dir: true }
};

// RICH_DROP: elements whose content is not text to show.
var RICH_DROP = { script: true, style: true, template: true, iframe: true, object: true, embed: true, noscript: true, textarea: true, title: true, head: true, svg: true, math: true, frameset: true };

var RICH_VOID = { br: true, hr: true, img: true, col: true, input: true, meta: true, link: true, area: true, base: true, wbr: true, source: true, embed: true, param: true, track: true };

var RICH_ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0", ensp: "\u2002", emsp: "\u2003", copy: "\u00a9", reg: "\u00ae", hellip: "\u2026", mdash: "\u2014", ndash: "\u2013", middot: "\u00b7", times: "\u00d7", yen: "\u00a5" };

function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, function (m, e) {
    if (e[0] === "#") {
      var n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n < 0x110000 && !(n >= 0xd800 && n < 0xe000) ? String.fromCodePoint(n) : "\ufffd";
    }
    var k = e.toLowerCase();
    return hasOwn(RICH_ENTITIES, k) ? RICH_ENTITIES[k] : m;
  });
}

var RICH_ATTR_RE = /^\s*([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|^\s*(\/?)>|^\s*(\/)/;

// richAttr matches the next attribute or the tag's end at j: in a short window first,
// so that a long document is not copied once per attribute.
function richAttr(s, j) {
  var w = s.slice(j, j + 512), m = RICH_ATTR_RE.exec(w);
  if (m && m[0].length < w.length && !/^\s*=/.test(w.slice(m[0].length))) return m;
  return RICH_ATTR_RE.exec(s.slice(j));
}

// parseRichHTML reads an HTML fragment into rich-text nodes. It is lenient as browsers
// are: unclosed tags close at their parent's end, stray end tags are ignored.
function parseRichHTML(html) {
  var root = { name: "#root", children: [] }, stack = [root], count = 0;
  var s = String(html), i = 0, n = s.length;
  function top() { return stack[stack.length - 1]; }
  function text(t) { if (t && count++ < RICH_MAX_NODES) top().children.push({ type: "text", text: decodeEntities(t) }); }
  while (i < n) {
    var lt = s.indexOf("<", i);
    if (lt < 0) { text(s.slice(i)); break; }
    text(s.slice(i, lt));
    if (s.startsWith("<!--", lt)) { var ce = s.indexOf("-->", lt + 4); i = ce < 0 ? n : ce + 3; continue; }
    if (s[lt + 1] === "!" || s[lt + 1] === "?") { var de = s.indexOf(">", lt); i = de < 0 ? n : de + 1; continue; }
    var end = /^<\/([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/.exec(s.slice(lt, lt + 200));
    if (end) {
      var name = end[1].toLowerCase();
      for (var k = stack.length - 1; k > 0; k--) {
        if (stack[k].name === name) { stack.length = k; break; }
      }
      i = lt + end[0].length;
      continue;
    }
    var open = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(s.slice(lt, lt + 100));
    if (!open) { text("<"); i = lt + 1; continue; }
    var tag = open[1].toLowerCase(), attrs = {}, j = lt + open[0].length, selfClose = false;
    for (;;) {
      var m = richAttr(s, j);
      if (!m) { j = n; break; }
      j += m[0].length;
      if (m[0].indexOf(">") >= 0 && m[1] === undefined) { selfClose = m[5] === "/"; break; }
      if (m[6]) continue;
      var an = m[1].toLowerCase();
      if (!hasOwn(attrs, an) && !isUnsafeKey(an)) attrs[an] = decodeEntities(m[2] !== undefined ? m[2] : m[3] !== undefined ? m[3] : m[4] !== undefined ? m[4] : "");
    }
    i = j;
    if (RICH_DROP[tag]) { // skip to its end tag: its content is never shown
      var close = s.toLowerCase().indexOf("</" + tag, i);
      if (close < 0) { i = n; break; }
      var gt = s.indexOf(">", close);
      i = gt < 0 ? n : gt + 1;
      continue;
    }
    if (count++ >= RICH_MAX_NODES) continue;
    var node = { name: tag, attrs: attrs, children: [] };
    top().children.push(node);
    if (!selfClose && !RICH_VOID[tag] && stack.length < RICH_MAX_DEPTH) stack.push(node);
  }
  return root.children;
}

// cleanRichNodes returns the nodes WeChat's rich-text would show, as
// {name, attrs, children} and {type: "text", text}, and nothing else.
function cleanRichNodes(nodes) {
  var budget = { n: 0 };
  if (typeof nodes === "string") nodes = parseRichHTML(nodes);
  return cleanRichList(nodes, 0, budget);
}

function cleanRichList(list, depth, budget) {
  var out = [];
  if (!Array.isArray(list) || depth > RICH_MAX_DEPTH) return out;
  for (var i = 0; i < list.length && budget.n < RICH_MAX_NODES; i++) {
    var node = list[i];
    if (!isObject(node)) continue;
    if (node.type === "text") {
      budget.n++;
      out.push({ type: "text", text: decodeEntities(toText(node.text)) });
      continue;
    }
    var name = toText(node.name).toLowerCase();
    if (RICH_DROP[name]) continue;
    var kids = cleanRichList(node.children, depth + 1, budget);
    if (!hasOwn(RICH_TAGS, name)) { pushAll(out, kids); continue; } // unknown: its content only
    budget.n++;
    var attrs = {}, src = isObject(node.attrs) ? node.attrs : {}, allowed = RICH_ATTRS[name] || {};
    Object.keys(src).forEach(function (k) {
      var key = k.toLowerCase();
      if (key !== "class" && key !== "style" && !hasOwn(allowed, key)) return;
      var v = toText(src[k]);
      if (key === "style" && /expression\s*\(|java\s*script\s*:|\x40import/i.test(v)) return;
      attrs[key] = v;
    });
    out.push({ name: name, attrs: attrs, children: RICH_VOID[name] ? [] : kids });
  }
  return out;
}
