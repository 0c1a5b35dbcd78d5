// path.js — WeChat data paths (setData keys): "a.b", "list[2].done", "a[0][1]".

// parsePath splits a path into keys: strings for names, numbers for [n] indexes.
function parsePath(path) {
  if (typeof path !== "string") throw new Error("data path is not a string");
  var keys = [], i = 0, name = "", s = path.trim();
  if (s === "") throw new Error("empty data path");
  while (i < s.length) {
    var c = s[i];
    if (c === "\\" && i + 1 < s.length) { name += s[i + 1]; i += 2; continue; }
    if (c === ".") {
      if (name === "" && (keys.length === 0 || s[i - 1] !== "]")) throw new Error("bad data path " + JSON.stringify(path));
      if (name !== "") keys.push(name);
      name = ""; i++; continue;
    }
    if (c === "[") {
      if (name !== "") { keys.push(name); name = ""; }
      if (keys.length === 0) throw new Error("bad data path " + JSON.stringify(path));
      var end = s.indexOf("]", i);
      var num = end < 0 ? "" : s.slice(i + 1, end).trim();
      if (!/^\d+$/.test(num)) throw new Error("bad index in data path " + JSON.stringify(path));
      keys.push(parseInt(num, 10));
      i = end + 1; continue;
    }
    name += c; i++;
  }
  if (name !== "") keys.push(name);
  else if (s[s.length - 1] === ".") throw new Error("bad data path " + JSON.stringify(path));
  keys.forEach(function (k) {
    if (typeof k === "string" && isUnsafeKey(k)) throw new Error("refused data path " + JSON.stringify(path));
  });
  return keys;
}

// setPath sets root[path] = value, creating missing containers on the way: an array
// where the next key is an index, an object otherwise. A primitive in the way is replaced.
function setPath(root, path, value) {
  var keys = parsePath(path), o = root;
  for (var i = 0; i < keys.length - 1; i++) {
    var next = o[keys[i]];
    if (!isObject(next)) next = assignKey(o, keys[i], typeof keys[i + 1] === "number" ? [] : {});
    o = next;
  }
  assignKey(o, keys[keys.length - 1], value);
  return keys;
}

// assignKey sets o[k] = v; an index past an array's end pads it with null, as JSON would.
function assignKey(o, k, v) {
  if (Array.isArray(o) && typeof k === "number") while (o.length < k) o.push(null);
  o[k] = v;
  return v;
}
