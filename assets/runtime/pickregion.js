// pickregion.js — <picker mode="region"> over REGION_TABLE (regions.js), with no DOM:
// three columns (province, city, district; level="province" or "city" keeps fewer),
// value is an array of names (WeChat's), custom-item puts an entry at the top of every
// column (choosing it empties the columns after it, as WeChat). The detail of change is
// {value: [names], code: [six-digit codes], postcode: ""}: the table has no postcodes.

var regionCache = null;

// regionTable parses REGION_TABLE once: [{name, code, children: [...]}], codes padded
// to six digits as WeChat sends them ("440000", "440100", "440105").
function regionTable() {
  if (regionCache) return regionCache;
  regionCache = REGION_TABLE.split("\n").map(function (line) {
    var parts = line.split(";"), head = parts.shift(), pc = head.slice(0, 2);
    var province = { name: head.slice(2), code: pc + "0000", children: [] };
    parts.forEach(function (c) {
      var bar = c.indexOf("|"), cc = c.slice(0, 2);
      var city = { name: c.slice(2, bar), code: pc + cc + "00", children: [] };
      c.slice(bar + 1).split(",").forEach(function (d) {
        var m = /^(\d+)(.*)$/.exec(d);
        if (!m) return;
        var code = m[1] === "00" ? city.code : m[1].length === 4 ? pc + m[1] : pc + cc + m[1];
        city.children.push({ name: m[2], code: code });
      });
      province.children.push(city);
    });
    return province;
  });
  return regionCache;
}

function regionLevels(attrs) {
  var l = toText(attrs.level);
  return l === "province" ? 1 : l === "city" ? 2 : 3;
}

// regionColumns lists the nodes of each column for the chosen indexes (sel), custom-item
// first when given; a custom choice leaves only the custom item in the columns after it.
function regionColumns(attrs, sel) {
  var custom = toText(attrs["custom-item"]), n = regionLevels(attrs), cols = [], list = regionTable();
  for (var i = 0; i < n; i++) {
    var col = custom ? [{ name: custom, code: "", custom: true, children: [] }].concat(list) : list;
    var at = Math.min(Math.max(0, sel[i] || 0), col.length - 1);
    sel[i] = at;
    cols.push(col);
    list = col[at].custom ? [] : col[at].children || [];
  }
  return cols;
}

// regionModel chooses the entries named by value (names; a missing or unknown name
// picks the first entry of its column).
function regionModel(attrs) {
  var want = Array.isArray(attrs.value) ? attrs.value.map(toText) : [];
  var sel = [];
  var n = regionLevels(attrs);
  for (var i = 0; i < n; i++) {
    var cols = regionColumns(attrs, sel);
    var at = cols[i].findIndex(function (x) { return x.name === want[i]; });
    sel[i] = at < 0 ? 0 : at;
  }
  return regionRefit(attrs, { selected: sel });
}

function regionRefit(attrs, model) {
  var sel = model.selected.slice(), cols = regionColumns(attrs, sel);
  return { columns: cols.map(function (c) { return c.map(function (x) { return x.name; }); }), selected: sel, nodes: cols };
}

function regionDetail(attrs, model) {
  var sel = model.selected.slice(), cols = regionColumns(attrs, sel);
  var chosen = cols.map(function (c, i) { return c[sel[i]]; });
  return {
    value: chosen.map(function (x) { return x.name; }),
    code: chosen.map(function (x) { return x.code; }),
    postcode: ""
  };
}
