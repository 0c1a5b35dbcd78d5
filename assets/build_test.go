package assets

import "testing"

// Node builders: the NODE JSON of docs/template.md.
type node = map[string]any

func text(v any) node { return node{"t": "text", "v": v, "ln": 1, "col": 1} }
func el(tag string, attrs map[string]any, children ...node) node {
	if attrs == nil {
		attrs = map[string]any{}
	}
	return node{"t": "el", "tag": tag, "attrs": attrs, "children": children, "ln": 1, "col": 1}
}
func x(e expr) map[string]any         { return map[string]any{"x": e} }
func cat(parts ...any) map[string]any { return map[string]any{"cat": parts} }
func branch(c any, children ...node) map[string]any {
	return map[string]any{"cond": c, "children": children}
}
func ifNode(branches ...map[string]any) node { return node{"t": "if", "branches": branches} }
func forNode(list expr, item, index, key string, children ...node) node {
	return node{"t": "for", "list": list, "item": item, "index": index, "key": key, "children": children}
}
func frag(children ...node) node { return node{"t": "frag", "children": children} }
func tplUse(is any, data any, scope string) node {
	return node{"t": "tpl", "is": is, "data": data, "scope": scope}
}
func slotNode(name string) node { return node{"t": "slot", "name": name} }

func page(root ...node) map[string]any {
	return map[string]any{"file": "pages/a/a.wxml", "root": root, "defs": map[string]any{}, "scopes": map[string]any{}}
}

func TestBuildTree(t *testing.T) {
	itemText := text(cat(id("index"), ":", dot(id("item"), "t")))
	withDefs := page(tplUse("row", obj(prop("label", id("title"))), ""), tplUse(cat("ro", "w"), nil, ""))
	withDefs["defs"] = map[string]any{"pages/a/row.wxml#row": []node{el("text", nil, text(cat("[", id("label"), "]")))}}
	withDefs["scopes"] = map[string]any{"pages/a/a.wxml": map[string]any{"row": "pages/a/row.wxml#row"}}

	tests := []struct {
		name string
		tpl  map[string]any
		data map[string]any
		want string
	}{
		{"static element", page(el("view", map[string]any{"class": "box"}, text("hi"))), nil, `view{"class":"box"}("hi")`},
		{"attribute keeps type", page(el("view", map[string]any{"hidden": x(id("h"))})), map[string]any{"h": false}, `view{"hidden":false}()`},
		{"text undefined is empty", page(text(cat("a", id("nope"), "b"))), nil, `"ab"`},
		{"text x object is JSON", page(text(x(id("o")))), map[string]any{"o": map[string]any{"a": 1}}, `"{\"a\":1}"`},
		{"style rpx to px", page(el("view", map[string]any{"style": "width: 100rpx; height: 3px"})), nil, `view{"style":"width: 50px; height: 3px"}()`},
		{"if picks first true", page(ifNode(branch(id("a"), text("A")), branch(id("b"), text("B")), branch(nil, text("C")))), map[string]any{"b": 1}, `"B"`},
		{"if else", page(ifNode(branch(id("a"), text("A")), branch(nil, text("C")))), nil, `"C"`},
		{"if none", page(ifNode(branch(id("a"), text("A")))), nil, ``},
		{"for array", page(forNode(id("list"), "item", "index", "", itemText)), map[string]any{"list": []any{map[string]any{"t": "x"}, map[string]any{"t": "y"}}}, `"0:x","1:y"`},
		{"for custom names", page(forNode(id("list"), "it", "i", "", text(cat(id("i"), id("it"))))), map[string]any{"list": []any{"a", "b"}}, `"0a","1b"`},
		{"for object uses key as index", page(forNode(id("o"), "item", "index", "", text(cat(id("index"), "=", id("item"))))), map[string]any{"o": map[string]any{"a": 1, "b": 2}}, `"a=1","b=2"`},
		{"for number", page(forNode(lit(3), "item", "index", "", text(cat(id("item"))))), nil, `"0","1","2"`},
		{"for string", page(forNode(lit("ab"), "item", "index", "", text(cat(id("item"))))), nil, `"a","b"`},
		{"for missing list", page(forNode(id("nope"), "item", "index", "", text("x"))), nil, ``},
		{"nested for scopes", page(forNode(id("rows"), "row", "r", "", forNode(id("row"), "item", "c", "", text(cat(id("r"), id("c"), id("item")))))),
			map[string]any{"rows": []any{[]any{"a", "b"}, []any{"c"}}}, `"00a","01b","10c"`},
		{"loop var shadows data", page(forNode(lit(1), "item", "index", "", text(cat(id("item"))))), map[string]any{"item": "data"}, `"0"`},
		{"frag flattens", page(frag(text("a"), text("b"))), nil, `"a","b"`},
		{"template with data is isolated", withDefs, map[string]any{"title": "T"}, `text("[T]"),text("[]")`},
		{"bad node is skipped", page(text("a"), node{"t": "bogus"}, text("b")), nil, `"a","b"`},
		{"bad expression skips only its node", page(el("view", nil, text(x(expr{"k": "call"}))), text("b")), nil, `view(),"b"`},
		{"unknown template is skipped", page(tplUse("nope", nil, ""), text("b")), nil, `"b"`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := env.call("build", tc.tpl, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeString(t, got); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestBuildLogsBadNodeWithPlace(t *testing.T) {
	env := newJSEnv(t)
	bad := node{"t": "bogus", "ln": 7, "col": 3, "f": "pages/a/inc.wxml"}
	if _, err := env.call("build", page(bad), nil); err != nil {
		t.Fatal(err)
	}
	got, _ := env.run("logged[0]")
	if !contains(got, "pages/a/inc.wxml:7:3") || !contains(got, "unknown node type") {
		t.Errorf("log = %s, want file:line:col and the reason", got)
	}
}

func TestBuildKeys(t *testing.T) {
	list := []any{map[string]any{"id": 1}, map[string]any{"id": 2}}
	tests := []struct {
		name string
		key  string
		list []any
		want string
	}{
		{"by position", "", list, `["0[#0]0","0[#1]0"]`},
		{"by property", "id", list, `["0[n1]0","0[n2]0"]`},
		{"by this", "*this", []any{"a", 2}, `["0[sa]0","0[n2]0"]`},
		{"missing property falls back to position", "id", []any{map[string]any{}, map[string]any{"id": "x"}}, `["0[#0]0","0[sx]0"]`},
		{"duplicate key falls back to position", "id", []any{map[string]any{"id": 1}, map[string]any{"id": 1}}, `["0[n1]0","0[#1!]0"]`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl := page(forNode(id("list"), "item", "index", tc.key, el("view", nil)))
			if _, err := env.call("build", tpl, map[string]any{"list": tc.list}); err != nil {
				t.Fatal(err)
			}
			got, _ := env.run("flatKeys(lastTree)")
			if got != tc.want {
				t.Errorf("keys = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBuildIfBranchesHaveDistinctKeys(t *testing.T) {
	env := newJSEnv(t)
	tpl := page(ifNode(branch(id("a"), el("view", nil)), branch(nil, el("view", nil))))
	keys := map[bool]string{}
	for _, a := range []bool{true, false} {
		if _, err := env.call("build", tpl, map[string]any{"a": a}); err != nil {
			t.Fatal(err)
		}
		keys[a], _ = env.run("flatKeys(lastTree)")
	}
	if keys[true] == keys[false] {
		t.Errorf("both branches keyed %s: switching branch would reuse the element", keys[true])
	}
}

func TestBuildFreshLiveAttributes(t *testing.T) {
	input := el("input", map[string]any{"value": x(id("text")), "placeholder": x(id("text"))})
	inLoop := forNode(id("todos"), "item", "index", "", el("input", map[string]any{"value": x(dot(id("item"), "t"))}))
	tests := []struct {
		name  string
		tpl   map[string]any
		dirty any
		want  string
	}{
		{"first render is fresh", page(input), nil, `{"value":true}`},
		{"bound root set", page(input), []string{"text"}, `{"value":true}`},
		{"other root set", page(input), []string{"count"}, `{"value":false}`},
		{"loop item follows its list", page(inLoop), []string{"todos"}, `{"value":true}`},
		{"loop item not set", page(inLoop), []string{"text"}, `{"value":false}`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := map[string]any{}
			if tc.dirty != nil {
				opts["dirty"] = tc.dirty
			}
			data := map[string]any{"text": "", "todos": []any{map[string]any{"t": "a"}}}
			if _, err := env.call("build", tc.tpl, data, opts); err != nil {
				t.Fatal(err)
			}
			got, _ := env.run("lastTree[0].fresh")
			if got != tc.want {
				t.Errorf("fresh = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestBuildComponents(t *testing.T) {
	defs := map[string]any{"comps/card/card": map[string]any{
		"properties": map[string]any{"title": map[string]any{"type": "String", "value": ""}, "count": "Number", "itemId": map[string]any{"type": "Number"}},
	}}
	tpl := page(el("my-card", map[string]any{"title": x(id("t")), "count": "3", "item-id": "7", "class": "c", "other": "o"},
		text("body"), node{"t": "el", "tag": "view", "attrs": map[string]any{}, "slot": "footer", "children": []node{}}))
	env := newJSEnv(t)
	opts := map[string]any{"components": map[string]any{"my-card": "comps/card/card"}, "compDefs": defs}
	got, err := env.call("build", tpl, map[string]any{"t": "Hi"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	want := `<my-card comps/card/card {"count":3,"itemId":7,"title":"Hi"}{"class":"c","other":"o"}>("body",view())`
	if got := decodeString(t, got); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	slotName, _ := env.run("lastTree[0].content[1].slotName")
	if slotName != `"footer"` {
		t.Errorf("slot name = %s", slotName)
	}
}

func TestBuildSlots(t *testing.T) {
	content := `[{"t":"text","key":"a","text":"main"},{"t":"el","key":"b","tag":"view","attrs":{},"slotName":"foot","children":[]}]`
	tpl := page(el("view", map[string]any{"class": "head"}, slotNode("head")), slotNode(""), el("view", nil, slotNode("foot")), slotNode(""))
	tests := []struct {
		name     string
		multiple bool
		want     string
	}{
		{"single slot takes everything once", false, `view{"class":"head"}("main",view()),view()`},
		{"named slots", true, `view{"class":"head"}(),"main",view(view())`},
	}
	env := newJSEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := env.vm.RunString("var content = " + content); err != nil {
				t.Fatal(err)
			}
			got, err := env.run("build(" + mustJSON(t, tpl) + ", {}, {content: content, multipleSlots: " + mustJSON(t, tc.multiple) + "})")
			if err != nil {
				t.Fatal(err)
			}
			if got := decodeString(t, got); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// <slot name="{{item}}"> renders its name from data (weui's actionsheet does this).
func TestBuildDynamicSlotName(t *testing.T) {
	content := `[{"t":"el","key":"a","tag":"text","attrs":{},"slotName":"x","children":[]},{"t":"el","key":"b","tag":"view","attrs":{},"slotName":"y","children":[]}]`
	tpl := page(forNode(id("names"), "item", "index", "", node{"t": "slot", "name": "", "nv": x(id("item"))}))
	env := newJSEnv(t)
	if _, err := env.vm.RunString("var content = " + content); err != nil {
		t.Fatal(err)
	}
	got, err := env.run("build(" + mustJSON(t, tpl) + `, {names: ["y", "x"]}, {content: content, multipleSlots: true})`)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeString(t, got); got != `view(),text()` {
		t.Errorf("got %s, want the y slot's view, then the x slot's text", got)
	}
}
