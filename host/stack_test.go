package host

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// pageView is the fake page's own state, as the render runtime would hold it.
func (f *fakePage) pageView() *PageStack {
	f.mu.Lock()
	defer f.mu.Unlock()
	return &PageStack{Shown: f.shown, Mounted: slices.Clone(f.mounted)}
}

// waitAgree waits until the navigator's stack is want (routes' last parts, bottom
// first) and logic and the page have applied it (both show its top), then wants every
// view to agree with the navigator's.
func waitAgree(t *testing.T, s *Session, page *fakePage, step, want string) StackViews {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // a hang limit, not the assertion
	var v StackViews
	var got string
	for {
		var err error
		v, err = s.StackViews(context.Background(), false)
		if err != nil {
			t.Fatal(err)
		}
		v.Page = page.pageView()
		var routes []string
		for _, p := range v.Navigator.Pages {
			routes = append(routes, p.Route[strings.LastIndexByte(p.Route, '/')+1:])
		}
		got = strings.Join(routes, ",")
		top, _ := v.Navigator.Top()
		applied := v.Page.Shown == top.ID && len(v.Logic) > 0 && v.Logic[len(v.Logic)-1] == top.ID
		if got == want && applied || time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	if got != want {
		t.Fatalf("%s: stack %s, want %s", step, got, want)
	}
	if d := v.Disagreement(); d != "" {
		t.Fatalf("%s: the stack views disagree: %s", step, d)
	}
	return v
}

// TestOneStackAfterEveryNavigation drives every kind of navigation, from the app's
// own API calls and from outside (the chrome, automation), and after each compares
// what the navigator, the gate, logic (getCurrentPages) and the page hold.
func TestOneStackAfterEveryNavigation(t *testing.T) {
	s, page := startHeadless(t, "../e2e/testdata/pagestack", nil)
	api := func(name, url string, delta int) {
		page.tapDetail("go", map[string]any{"api": name, "url": url, "delta": delta})
	}
	waitAgree(t, s, page, "launch", "home")
	d := waitData(t, s, func(d map[string]any) bool { return d["seen"] == "home" })
	if d["self"] != true {
		t.Errorf("getCurrentPages() in onLoad does not end with the page itself: %v", d)
	}

	api("navigateTo", "/pages/a/a", 0)
	waitAgree(t, s, page, "navigateTo a", "home,a")
	d = waitData(t, s, func(d map[string]any) bool { return d["name"] == "a" && d["seen"] != "" })
	if d["seen"] != "home,a" || d["self"] != true {
		t.Errorf("a's onLoad saw %v", d)
	}
	api("navigateTo", "/pages/b/b", 0)
	waitAgree(t, s, page, "navigateTo b", "home,a,b")
	api("redirectTo", "/pages/a/a", 0)
	v := waitAgree(t, s, page, "redirectTo a", "home,a,a")
	d = waitData(t, s, func(d map[string]any) bool { return d["seen"] != "" })
	if d["seen"] != "home,a,a" {
		t.Errorf("redirected page's onLoad saw %v", d["seen"])
	}
	top, _ := v.Navigator.Top()

	api("navigateBack", "", 9) // beyond the stack: back to the first page
	waitAgree(t, s, page, "navigateBack 9", "home")

	// A tap the page sent for the page just popped is refused, not given to home
	// (which binds the same handler).
	before := s.Violations()
	page.post("event", map[string]any{"target": top.ID, "handler": "poke", "event": map[string]any{
		"type": "tap", "timeStamp": 1, "target": map[string]any{"id": "", "dataset": map[string]any{}},
		"currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}}})
	page.tap("poke") // the page in front: accepted, and after the refused one
	waitData(t, s, func(d map[string]any) bool { return d["n"] == float64(1) })
	if got := s.Violations() - before; got != 1 {
		t.Errorf("violations after an event of the popped page = %d, want 1", got)
	}

	api("switchTab", "/pages/other/other", 0)
	v = waitAgree(t, s, page, "switchTab other", "other")
	if len(v.Navigator.Hidden) != 1 || v.Navigator.Hidden[0].Route != "pages/home/home" {
		t.Errorf("home is not kept alive, hidden: %+v", v.Navigator.Hidden)
	}
	// From outside the app's code: the tab bar (chrome) and automation take the same route.
	if _, err := s.Navigate(context.Background(), "switchTab", "/pages/home/home", 0); err != nil {
		t.Fatal(err)
	}
	waitAgree(t, s, page, "switchTab home (chrome)", "home")

	// The 10-page limit: nine more pages, then the eleventh fails and nothing changes.
	want := "home"
	for i := 0; i < 9; i++ {
		api("navigateTo", "/pages/a/a", 0)
		want += ",a"
		waitAgree(t, s, page, "navigateTo a (limit)", want)
	}
	api("navigateTo", "/pages/b/b", 0)
	waitData(t, s, func(d map[string]any) bool { return d["err"] == "navigateTo:fail webview count limit exceed" })
	waitAgree(t, s, page, "11th page refused", want)

	api("reLaunch", "/pages/a/a", 0)
	v = waitAgree(t, s, page, "reLaunch a", "a")
	if len(v.Navigator.Hidden) != 0 || len(v.Page.Mounted) != 1 {
		t.Errorf("reLaunch left pages alive: %+v, page mounts %v", v.Navigator.Hidden, v.Page.Mounted)
	}
	if s.Violations() != before+1 {
		t.Errorf("violations = %d, want %d", s.Violations(), before+1)
	}
}
