// keyed.js — plans how a list of children changes from old keys to new keys, without
// a DOM: which old child each new one reuses, which old ones go, and which reused
// ones must move (those outside the longest run already in order, so moves are few).

// planChildren returns {source, removed, moved, stay}:
//   source[i]  index of the old child new child i reuses, or -1 to create it;
//   removed    old indexes no new child reuses;
//   moved      new indexes of reused children whose DOM node must be moved;
//   stay[i]    true when new child i keeps its DOM position.
function planChildren(oldKeys, newKeys) {
  var byKey = new Map();
  oldKeys.forEach(function (k, i) { if (!byKey.has(k)) byKey.set(k, i); });
  var used = new Array(oldKeys.length).fill(false);
  var source = newKeys.map(function (k) {
    var j = byKey.has(k) ? byKey.get(k) : -1;
    if (j >= 0 && used[j]) j = -1; // a duplicate key gets a fresh node
    if (j >= 0) used[j] = true;
    return j;
  });
  var removed = [];
  used.forEach(function (u, j) { if (!u) removed.push(j); });

  var stay = new Array(newKeys.length).fill(false);
  longestIncreasing(source).forEach(function (i) { stay[i] = true; });
  var moved = [];
  source.forEach(function (j, i) { if (j >= 0 && !stay[i]) moved.push(i); });
  return { source: source, removed: removed, moved: moved, stay: stay };
}

// placeChildren puts nodes (the new children, in order) into place after a plan:
// walking from the end, each child that does not stay goes before its successor.
// insert(node, ref) inserts node before ref (null: at the end).
function placeChildren(plan, nodes, insert) {
  var ref = null, count = 0;
  for (var i = nodes.length - 1; i >= 0; i--) {
    if (!plan.stay[i]) { insert(nodes[i], ref); count++; }
    ref = nodes[i];
  }
  return count;
}

// longestIncreasing returns the indexes of a longest strictly increasing subsequence
// of seq, ignoring -1 entries (O(n log n) patience sorting).
function longestIncreasing(seq) {
  var tails = [], prev = new Array(seq.length).fill(-1);
  for (var i = 0; i < seq.length; i++) {
    var v = seq[i];
    if (v < 0) continue;
    var lo = 0, hi = tails.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (seq[tails[mid]] < v) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1];
    tails[lo] = i;
  }
  var out = [], k = tails.length ? tails[tails.length - 1] : -1;
  while (k >= 0) { out.push(k); k = prev[k]; }
  return out.reverse();
}
