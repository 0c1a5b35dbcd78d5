package host

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/miniapp"
)

func navProject(t *testing.T) *miniapp.Project {
	t.Helper()
	m := fstest.MapFS{
		"app.json": {Data: []byte(`{"pages":["pages/home/home","pages/a/a","pages/b/b","pages/me/me"],
			"tabBar":{"list":[{"pagePath":"pages/home/home","text":"Home"},{"pagePath":"pages/me/me","text":"Me"}]}}`)},
		"app.js": {Data: []byte(`App({})`)},
	}
	for _, r := range []string{"pages/home/home", "pages/a/a", "pages/b/b", "pages/me/me"} {
		m[r+".js"] = &fstest.MapFile{Data: []byte(`Page({})`)}
		m[r+".wxml"] = &fstest.MapFile{Data: []byte(`<view/>`)}
	}
	p, err := miniapp.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNavigatorSequence(t *testing.T) {
	type step struct {
		action, url string
		delta       int
		want        string // JSON of the Nav without its stack, or "error: text"
		stack       string
		hidden      string // tab pages alive out of the stack
	}
	steps := []step{
		{"launch", "", 0, `{"action":"launch","open":{"page":"p1","route":"pages/home/home","query":{}},"show":"p1","tab":true}`, "p1", ""},
		{"navigateTo", "/pages/a/a?x=1&y=a%20b", 0, `{"action":"navigateTo","open":{"page":"p2","route":"pages/a/a","query":{"x":"1","y":"a%20b"}},"show":"p2"}`, "p1,p2", ""},
		{"navigateTo", "../b/b", 0, `{"action":"navigateTo","open":{"page":"p3","route":"pages/b/b","query":{}},"show":"p3"}`, "p1,p2,p3", ""},
		{"navigateTo", "/pages/me/me", 0, "error: can not navigateTo a tabbar page", "p1,p2,p3", ""},
		{"navigateTo", "/pages/zz/zz", 0, `error: page "pages/zz/zz" is not found`, "p1,p2,p3", ""},
		{"navigateTo", "../../../etc/passwd", 0, `error: page "../../../etc/passwd" is not found`, "p1,p2,p3", ""},
		{"redirectTo", "/pages/a/a", 0, `{"action":"redirectTo","close":["p3"],"open":{"page":"p4","route":"pages/a/a","query":{}},"show":"p4"}`, "p1,p2,p4", ""},
		{"navigateBack", "", 5, `{"action":"navigateBack","close":["p4","p2"],"show":"p1"}`, "p1", ""},
		{"navigateBack", "", 1, "error: cannot navigate back at first page.", "p1", ""},
		{"navigateTo", "/pages/a/a", 0, `{"action":"navigateTo","open":{"page":"p5","route":"pages/a/a","query":{}},"show":"p5"}`, "p1,p5", ""},
		{"switchTab", "/pages/a/a", 0, "error: can not switch to no-tabBar page", "p1,p5", ""},
		{"switchTab", "/pages/me/me?x=1", 0, "error: url of switchTab can not have query: /pages/me/me?x=1", "p1,p5", ""},
		{"switchTab", "/pages/me/me", 0, `{"action":"switchTab","close":["p5"],"open":{"page":"p6","route":"pages/me/me","query":{}},"show":"p6","tab":true}`, "p6", "p1"},
		{"switchTab", "/pages/home/home", 0, `{"action":"switchTab","show":"p1","tab":true}`, "p1", "p6"},
		{"reLaunch", "/pages/b/b?k=v", 0, `{"action":"reLaunch","close":["p1","p6"],"open":{"page":"p7","route":"pages/b/b","query":{"k":"v"}},"show":"p7"}`, "p7", ""},
	}
	n := newNavigator(navProject(t))
	for i, s := range steps {
		var got string
		var err error
		var nav *bridge.Nav
		if s.action == "launch" {
			nav, err = n.Launch(s.url)
		} else {
			nav, err = n.Navigate(s.action, s.url, s.delta)
		}
		if err != nil {
			got = "error: " + err.Error()
		} else {
			// The stack the nav carries is the navigator's own, checked below.
			if cur := n.Current(); !reflect.DeepEqual(nav.Stack, cur) {
				t.Fatalf("step %d: nav.Stack %+v, navigator %+v", i, nav.Stack, cur)
			}
			if h := strings.Join(ids(nav.Stack.Hidden), ","); h != s.hidden {
				t.Fatalf("step %d: hidden tab pages %s, want %s", i, h, s.hidden)
			}
			raw, _ := json.Marshal(nav)
			got, _, _ = strings.Cut(string(raw), `,"stack":`)
			got += "}"
		}
		if got != s.want {
			t.Fatalf("step %d %s %s:\n got %s\nwant %s", i, s.action, s.url, got, s.want)
		}
		var ids []string
		for _, p := range n.Stack() {
			ids = append(ids, p.Page)
		}
		if strings.Join(ids, ",") != s.stack {
			t.Fatalf("step %d: stack %v, want %s", i, ids, s.stack)
		}
	}
}

func TestNavigatorStackLimit(t *testing.T) {
	n := newNavigator(navProject(t))
	if _, err := n.Launch("/pages/a/a"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < maxStack; i++ {
		if _, err := n.Navigate("navigateTo", "/pages/b/b", 0); err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	if _, err := n.Navigate("navigateTo", "/pages/b/b", 0); err == nil || err.Error() != "webview count limit exceed" {
		t.Fatalf("11th page: err = %v", err)
	}
}

func TestIsScriptURL(t *testing.T) {
	for url, want := range map[string]bool{
		"/pages/index/javascript:;":    true,
		"javascript:void(0)":           true,
		"/pages/a/JavaScript:;":        true,
		"/pages/a/ vbscript:x":         true,
		"/pages/a/a?next=javascript:;": false,
		"/pages/javascript/javascript": false,
		"/pages/a/a":                   false,
	} {
		if got := IsScriptURL(url); got != want {
			t.Errorf("IsScriptURL(%q) = %v, want %v", url, got, want)
		}
	}
}
