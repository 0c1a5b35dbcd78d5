// path.js — WeChat data paths (setData keys): "a.b", "list[2].done", "a[0][1]".

// Bounds on what a data path may make the page allocate (docs/render-runtime.md). The
// first three are bridge.MaxPathIndex, MaxPathDepth and MaxIndexGap: logic refuses such
// a setData already, so these are the second line, against a push logic did not check.
var MAX_PATH_INDEX = 1048575;
var MAX_PATH_DEPTH = 64;
var MAX_INDEX_GAP = 1024;        // how far past an array's end a path may write
var MAX_PAD_PER_PUSH = 65536;    // null entries one render push may add, all paths together
var MAX_PAD_PER_PAGE = 1048576;  // null entries a page (with its components) may add in its life

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
      if (parseInt(num, 10) > MAX_PATH_INDEX) throw new Error("array index over " + MAX_PATH_INDEX + " in data path " + JSON.stringify(path));
      keys.push(parseInt(num, 10));
      i = end + 1; continue;
    }
    name += c; i++;
  }
  if (name !== "") keys.push(name);
  else if (s[s.length - 1] === ".") throw new Error("bad data path " + JSON.stringify(path));
  if (keys.length > MAX_PATH_DEPTH) throw new Error("data path " + JSON.stringify(path).slice(0, 80) + " has more than " + MAX_PATH_DEPTH + " parts");
  keys.forEach(function (k) {
    if (typeof k === "string" && isUnsafeKey(k)) throw new Error("refused data path " + JSON.stringify(path));
  });
  return keys;
}

// setPath sets root[path] = value, creating missing containers on the way: an array
// where the next key is an index, an object otherwise. A primitive in the way is replaced.
// pad ({push: {used}, page: {used}}, optional) counts the null entries that padding
// arrays adds; a path that would pass a bound is refused before anything changes.
function setPath(root, path, value, pad) {
  var keys = parsePath(path), o = root;
  var need = paddingOf(root, keys, path);
  if (need > 0 && pad) spendPadding(pad, need, path);
  for (var i = 0; i < keys.length - 1; i++) {
    var next = o[keys[i]];
    if (!isObject(next)) next = assignKey(o, keys[i], typeof keys[i + 1] === "number" ? [] : {});
    o = next;
  }
  assignKey(o, keys[keys.length - 1], value);
  return keys;
}

// paddingOf is how many null entries setting keys in root adds (assignKey pads an index
// past an array's end); an index more than MAX_INDEX_GAP past the end is refused.
function paddingOf(root, keys, path) {
  var o = root, need = 0;
  for (var i = 0; i < keys.length; i++) {
    var k = keys[i];
    if (typeof k === "number" && (Array.isArray(o) || !isObject(o))) {
      var len = Array.isArray(o) ? o.length : 0; // a missing array or a primitive becomes []
      if (k - len > MAX_INDEX_GAP) {
        throw new Error("refused data path " + JSON.stringify(path) + ": index " + k + " is more than " +
          MAX_INDEX_GAP + " past the end of the array (length " + len + ")");
      }
      if (k > len) need += k - len;
    }
    o = isObject(o) ? o[k] : undefined;
  }
  return need;
}

// spendPadding records n null entries for path, or refuses it when the push or the page
// would pass its bound.
function spendPadding(pad, n, path) {
  if (pad.push.used + n > MAX_PAD_PER_PUSH) {
    throw new Error("refused data path " + JSON.stringify(path) + ": it pads arrays with " + n +
      " null entries, over the " + MAX_PAD_PER_PUSH + " one render push may add");
  }
  if (pad.page.used + n > MAX_PAD_PER_PAGE) {
    throw new Error("refused data path " + JSON.stringify(path) + ": it pads arrays with " + n +
      " null entries, over the " + MAX_PAD_PER_PAGE + " a page may add");
  }
  pad.push.used += n;
  pad.page.used += n;
}

// assignKey sets o[k] = v; an index past an array's end pads it with null, as JSON would.
function assignKey(o, k, v) {
  if (Array.isArray(o) && typeof k === "number") while (o.length < k) o.push(null);
  o[k] = v;
  return v;
}
