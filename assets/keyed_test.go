package assets

import "testing"

// simulatePlacement applies planChildren and placeChildren to a list of names the way
// the patcher applies them to DOM nodes: removed children leave, reused ones keep
// their node, new ones are created, and then the nodes are put in order.
const simulatePlacement = `
function simulate(oldKeys, newKeys) {
  var plan = planChildren(oldKeys, newKeys);
  var dom = oldKeys.map(function (k) { return { key: k }; });
  plan.removed.forEach(function (j) { dom.splice(dom.indexOf(dom.filter(function (n) { return n.key === oldKeys[j]; })[0]), 1); });
  var nodes = newKeys.map(function (k, i) {
    return plan.source[i] >= 0 ? dom.filter(function (n) { return n.key === oldKeys[plan.source[i]] && !n.taken && (n.taken = true); })[0] : { key: k, created: true };
  });
  var moves = 0;
  placeChildren(plan, nodes, function (node, ref) {
    var at = dom.indexOf(node);
    if (at >= 0) { dom.splice(at, 1); if (!node.created) moves++; }
    dom.splice(ref ? dom.indexOf(ref) : dom.length, 0, node);
  });
  return { order: dom.map(function (n) { return n.key; }), moves: moves, source: plan.source, removed: plan.removed };
}
`

func TestPlanChildren(t *testing.T) {
	tests := []struct {
		name     string
		old, new []string
		source   string
		removed  string
		moves    int
	}{
		{"unchanged", []string{"a", "b", "c"}, []string{"a", "b", "c"}, `[0,1,2]`, `[]`, 0},
		{"append", []string{"a"}, []string{"a", "b"}, `[0,-1]`, `[]`, 0},
		{"prepend", []string{"b"}, []string{"a", "b"}, `[-1,0]`, `[]`, 0},
		{"remove middle", []string{"a", "b", "c"}, []string{"a", "c"}, `[0,2]`, `[1]`, 0},
		{"last to front is one move", []string{"a", "b", "c", "d"}, []string{"d", "a", "b", "c"}, `[3,0,1,2]`, `[]`, 1},
		{"first to end is one move", []string{"a", "b", "c", "d"}, []string{"b", "c", "d", "a"}, `[1,2,3,0]`, `[]`, 1},
		{"swap ends moves two", []string{"a", "b", "c"}, []string{"c", "b", "a"}, `[2,1,0]`, `[]`, 2},
		{"reverse of four moves three", []string{"a", "b", "c", "d"}, []string{"d", "c", "b", "a"}, `[3,2,1,0]`, `[]`, 3},
		{"mixed insert remove move", []string{"a", "b", "c", "d"}, []string{"d", "a", "x", "c"}, `[3,0,-1,2]`, `[1]`, 1},
		{"replace all", []string{"a", "b"}, []string{"x", "y"}, `[-1,-1]`, `[0,1]`, 0},
		{"to empty", []string{"a", "b"}, []string{}, `[]`, `[0,1]`, 0},
		{"from empty", []string{}, []string{"a"}, `[-1]`, `[]`, 0},
		{"duplicate new key gets a fresh node", []string{"a"}, []string{"a", "a"}, `[0,-1]`, `[]`, 0},
	}
	env := newJSEnv(t)
	if _, err := env.vm.RunString(simulatePlacement); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for field, want := range map[string]string{"source": tc.source, "removed": tc.removed, "order": mustJSON(t, tc.new), "moves": mustJSON(t, tc.moves)} {
				got, err := env.run("simulate(" + mustJSON(t, tc.old) + "," + mustJSON(t, tc.new) + ")." + field)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s = %s, want %s", field, got, want)
				}
			}
		})
	}
}
