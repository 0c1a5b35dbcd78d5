package assets

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// buildJSON builds tpl with data in a pure env and returns the JS expression's repr.
func buildJSON(t *testing.T, env *jsEnv, tpl map[string]any, data map[string]any, opts map[string]any, expr string) string {
	t.Helper()
	args, _ := json.Marshal([]any{tpl, data, opts})
	if _, err := env.vm.RunString("build.apply(null, " + string(args) + ")"); err != nil {
		t.Fatalf("build: %v", err)
	}
	got, err := env.run(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return got
}

// model: bindings reach the vnode only where the key is the owner's own data: inside
// wx:for or <template is> the name is a loop variable or template data.
func TestModelBindingsInTheTree(t *testing.T) {
	input := func() node {
		n := el("input", map[string]any{"value": x(id("text"))})
		n["model"] = map[string]any{"value": "text"}
		return n
	}
	itemInput := el("input", map[string]any{"value": x(id("item"))})
	itemInput["model"] = map[string]any{"value": "item"}
	shadowed := el("input", map[string]any{"value": x(id("text"))})
	shadowed["model"] = map[string]any{"value": "text"}
	hostile := el("input", map[string]any{"value": x(id("text"))})
	hostile["model"] = map[string]any{"value": "__proto__", "checked": "a.b"}
	tpl := page(input(), forNode(id("list"), "item", "index", "", itemInput), forNode(id("list"), "text", "index", "", shadowed), hostile)
	tpl["defs"] = map[string]any{"pages/a/a.wxml#t": []node{input()}}
	tpl["scopes"] = map[string]any{"pages/a/a.wxml": map[string]any{"t": "pages/a/a.wxml#t"}}
	tpl["root"] = append(tpl["root"].([]node), tplUse("t", obj(prop("text", id("text"))), ""))
	env := newJSEnv(t)
	got := buildJSON(t, env, tpl, map[string]any{"text": "hi", "list": []any{"a"}}, nil,
		"lastTree.map(function (v) { return v.model; })")
	want := `[{"value":"text"},null,null,null,null]`
	if got != want {
		t.Errorf("models = %s, want %s", got, want)
	}
}

// External classes map to the owner's classes; ~ and ^ prefixes are dropped.
func TestClassMapping(t *testing.T) {
	env := newJSEnv(t)
	for _, tc := range []struct {
		class    string
		external map[string]any
		want     string
	}{
		{"plain", nil, `"plain"`},
		{"~page-cls ^parent ^^grand x", nil, `"page-cls parent grand x"`},
		{"box my-class", map[string]any{"my-class": "red big"}, `"box red big"`},
		{"my-class other-class", map[string]any{"my-class": "", "other-class": "o"}, `"o"`},
	} {
		got, err := env.call("mapClasses", tc.class, tc.external)
		if err != nil || got != tc.want {
			t.Errorf("mapClasses(%q, %v) = %s %v, want %s", tc.class, tc.external, got, err, tc.want)
		}
	}
}

// A component tag: generic:NAME picks a component of the caller's usingComponents (or
// the declared default), external class attributes become the instance's classes (not
// properties), and model:PROP binds a declared property two ways.
func TestComponentTagGenericsAndExternalClasses(t *testing.T) {
	tag := el("my-list", map[string]any{
		"generic:cell": "fancy-cell", "generic:footer": "nope", "item-class": cat("a ", id("cls")),
		"my-value": x(id("text")), "class": "~outer",
	})
	tag["model"] = map[string]any{"my-value": "text", "undeclared": "text"}
	defs := map[string]any{"components/list/list": map[string]any{
		"properties":      map[string]any{"myValue": "String"},
		"externalClasses": []any{"item-class"},
		"generics":        map[string]any{"cell": "", "footer": "components/foot/foot", "empty": ""},
	}}
	opts := map[string]any{
		"components": map[string]any{"my-list": "components/list/list", "fancy-cell": "components/fancy/fancy"},
		"compDefs":   defs,
		"styleScope": "p",
	}
	env := newJSEnv(t)
	got := buildJSON(t, env, page(tag), map[string]any{"text": "t", "cls": "b"}, opts,
		"[lastTree[0].generics, lastTree[0].external, lastTree[0].externalScopes, lastTree[0].model, lastTree[0].props, lastTree[0].attrs, lastTree[0].sfs]")
	want := `[{"cell":"components/fancy/fancy","footer":"components/foot/foot"},{"item-class":"a b"},{"item-class":"p"},{"myValue":"text"},{"myValue":"t"},{"class":"outer"},"p"]`
	if got != want {
		t.Errorf("comp vnode = %s\nwant          %s", got, want)
	}
	logged, _ := env.run("logged")
	if !strings.Contains(logged, `abstract node <empty> has no component`) {
		t.Errorf("a generic with no choice and no default is not reported: %s", logged)
	}
}

// Inside a component, an element's sf-s is the component's scope plus the scopes its
// external and "~"/"^" classes come from; external classes passed down two levels keep
// the scope of the one who first gave them.
func TestStyleScopes(t *testing.T) {
	inner := el("view", map[string]any{"class": "x-cls own"})
	tilde := el("view", map[string]any{"class": "~pg"})
	caret := el("view", map[string]any{"class": "^par"})
	plain := el("view", map[string]any{"class": "mine"})
	passDown := el("leaf", map[string]any{"leaf-class": "x-cls z"})
	opts := map[string]any{
		"styleScope": "cB", "selfScope": "cB", "ownerScope": "cA",
		"externalClasses": map[string]any{"x-cls": "a b"},
		"externalScopes":  map[string]any{"x-cls": "p"},
		"components":      map[string]any{"leaf": "components/leaf/leaf"},
		"compDefs":        map[string]any{"components/leaf/leaf": map[string]any{"externalClasses": []any{"leaf-class"}}},
	}
	env := newJSEnv(t)
	got := buildJSON(t, env, page(inner, tilde, caret, plain, passDown), nil, opts,
		"lastTree.map(function (v) { return [v.attrs['class'], v.sfs]; }).concat([[lastTree[4].external, lastTree[4].externalScopes]])")
	want := `[["a b own","cB p"],["pg","cB p"],["par","cB cA"],["mine","cB"],["<undefined>","cB"],[{"leaf-class":"a b z"},{"leaf-class":"cB p"}]]`
	if got != want {
		t.Errorf("style scopes = %s\nwant           %s", got, want)
	}
}

// A component's elements carry the page's scope ("p") beside their own when its
// styleIsolation (JS options first, then its .json) is apply-shared or shared, or
// addGlobalClass is set and styleIsolation is not; a shared component's rules take
// the page's scope (host componentStyleOptions), so they reach it and every
// component that carries "p".
func TestInstanceStyleScope(t *testing.T) {
	env := newJSEnv(t)
	owners, err := fs.ReadFile(Files(), "owners.js")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.vm.RunScript("owners.js", string(owners)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		def  map[string]any
		want string
	}{
		{map[string]any{"styleScope": "c1"}, `"c1"`},
		{map[string]any{"styleScope": "c1", "styleIsolation": "apply-shared"}, `"c1 p"`},
		{map[string]any{"styleScope": "c1", "styleIsolation": "shared"}, `"c1 p"`},
		{map[string]any{"styleScope": "c1", "options": map[string]any{"styleIsolation": "shared"}}, `"c1 p"`},
		{map[string]any{"styleScope": "c1", "styleIsolation": "shared", "options": map[string]any{"styleIsolation": "isolated"}}, `"c1"`},
		{map[string]any{"styleScope": "c1", "options": map[string]any{"addGlobalClass": true}}, `"c1 p"`},
		{map[string]any{"styleScope": "c1", "options": map[string]any{"addGlobalClass": true, "styleIsolation": "isolated"}}, `"c1"`},
		{map[string]any{"styleScope": "C 1", "styleIsolation": "shared"}, `"p"`},
	} {
		got, err := env.call("instanceStyleScope", tc.def)
		if err != nil || got != tc.want {
			t.Errorf("instanceStyleScope(%v) = %s %v, want %s", tc.def, got, err, tc.want)
		}
	}
}

// events.js's two-way binding helpers, with the owners and transport stubbed: a write
// posts model for the element's owner (as "page" for a page), nothing for an element
// without the binding or an owner on a hidden page, and the echo of a sent value is
// recognised once, in order, so a stale echo never rewrites what the user typed since.
func TestModelWritesAndEchoes(t *testing.T) {
	env := newJSEnv(t)
	events, err := fs.ReadFile(Files(), "events.js")
	if err != nil {
		t.Fatal(err)
	}
	stubs := `
var posted = [];
function post(kind, payload) { posted.push([kind, payload]); }
var state = { shown: "p1", pages: { p1: { kind: "page", id: "p1" }, p2: { kind: "page", id: "p2" } },
  comps: { c1: { kind: "comp", id: "c1", page: "p1" }, c2: { kind: "comp", id: "c2", page: "p2" } } };
function ownerOf(id) { return state.pages[id] || state.comps[id] || null; }
var input = { __sfNode: { owner: "p1", model: { value: "text" } } };
var inComp = { __sfNode: { owner: "c1", model: { value: "label" } } };
var hidden = { __sfNode: { owner: "c2", model: { value: "label" } } };
var plain = { __sfNode: { owner: "p1" } };
`
	if _, err := env.vm.RunString(stubs + string(events)); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ expr, want string }{
		{`modelWrite(input, "value", "a"), modelWrite(input, "value", "ab"), posted`,
			`[["model",{"target":"p1","key":"text","value":"a"}],["model",{"target":"p1","key":"text","value":"ab"}]]`},
		{`modelEcho(input, "a")`, `true`},   // stale echo: the control already moved on
		{`modelEcho(input, "a")`, `false`},  // a second "a" is logic's own value
		{`modelEcho(input, "ab")`, `true`},  // the last write's echo
		{`modelEcho(input, "zz")`, `false`}, // logic changed it: write it
		{`posted = [], modelWrite(plain, "value", "x"), modelWrite(input, "checked", true), posted`, `[]`},
		{`modelWrite(inComp, "value", "y"), posted`, `[["model",{"target":"c1","key":"label","value":"y"}]]`},
		{`posted = [], modelWrite(hidden, "value", "y"), posted.length`, `0`},
		{`postModel("p2", "text", 1), posted.length`, `0`},
		{`postModel("p1", "text", undefined), posted`, `[["model",{"target":"p1","key":"text","value":null}]]`},
	}
	for _, s := range steps {
		got, err := env.run("(" + s.expr + ")")
		if err != nil || got != s.want {
			t.Errorf("%s = %s %v, want %s", s.expr, got, err, s.want)
		}
	}
}
