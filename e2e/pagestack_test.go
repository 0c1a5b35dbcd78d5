package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/automation"
)

// stackViews is the answer of the test hook test.stacks (host.StackViews).
type stackViews struct {
	Navigator struct {
		Pages  []struct{ ID, Route string } `json:"pages"`
		Hidden []struct{ ID, Route string } `json:"hidden"`
	} `json:"navigator"`
	Logic []string `json:"logic"`
	Page  struct {
		Shown   string   `json:"shown"`
		Mounted []string `json:"mounted"`
	} `json:"page"`
	Disagreement string `json:"disagreement"`
}

func (v stackViews) routes() string {
	var out []string
	for _, p := range v.Navigator.Pages {
		out = append(out, p.Route[strings.LastIndexByte(p.Route, '/')+1:])
	}
	return strings.Join(out, ",")
}

// agree waits until the navigator's stack is want (last parts of the routes, bottom
// first) and logic and the real page show its top, then wants the navigator, the gate,
// logic and the page to hold the same stack.
func agree(t *testing.T, ctx context.Context, c *automation.Client, step, want string) stackViews {
	t.Helper()
	var v stackViews
	err := automation.WaitFor(ctx, func() (bool, error) {
		v = stackViews{}
		if err := c.Call(ctx, "test.stacks", nil, &v); err != nil {
			return false, err
		}
		n := len(v.Navigator.Pages)
		return v.routes() == want && n > 0 && v.Page.Shown == v.Navigator.Pages[n-1].ID &&
			len(v.Logic) > 0 && v.Logic[len(v.Logic)-1] == v.Page.Shown, nil
	})
	if err != nil {
		t.Fatalf("%s: stack %s, want %s (%+v): %v", step, v.routes(), want, v, err)
	}
	if v.Disagreement != "" {
		t.Fatalf("%s: the stack views disagree: %s", step, v.Disagreement)
	}
	return v
}

// TestPageStackEndToEnd: every kind of navigation, by taps on the app's own buttons
// (its wx.navigateTo … calls) and by automation (the chrome's path), leaves the
// navigator, the gate, logic and the real page holding one stack; getCurrentPages()
// in onLoad already ends with the page; an event for a page just popped is refused.
func TestPageStackEndToEnd(t *testing.T) {
	r := launch(t, "e2e/testdata/pagestack")
	ctx := ctxT(t)
	c := r.client
	tap := func(sel string) {
		t.Helper()
		if err := c.Tap(ctx, sel); err != nil {
			t.Fatal(err)
		}
	}
	agree(t, ctx, c, "launch", "home")
	if err := c.WaitText(ctx, "#seen", "home"); err != nil {
		t.Fatal(err)
	}
	tap("#toA")
	agree(t, ctx, c, "navigateTo a", "home,a")
	if err := c.WaitText(ctx, "#seen", "home,a"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#self", "true"); err != nil {
		t.Fatal(err) // getCurrentPages() in onLoad ends with the page itself
	}
	tap("#toB")
	agree(t, ctx, c, "navigateTo b", "home,a,b")
	tap("#redirectA")
	v := agree(t, ctx, c, "redirectTo a", "home,a,a")
	popped := v.Navigator.Pages[2].ID
	tap("#back9")
	agree(t, ctx, c, "navigateBack beyond the stack", "home")

	// A script in the page posts a tap for the page just popped (home binds the same
	// handler): refused and counted, home's data unchanged.
	before, _ := c.Violations(ctx)
	forged, _ := json.Marshal(map[string]any{"v": 1, "kind": "event", "payload": map[string]any{"target": popped, "handler": "poke",
		"event": map[string]any{"type": "tap", "timeStamp": 1, "target": map[string]any{"id": "", "dataset": map[string]any{}},
			"currentTarget": map[string]any{"id": "", "dataset": map[string]any{}}}}})
	if err := c.Call(ctx, "test.inject", map[string]string{"script": "window.__sf_post(" + strconvQuote(string(forged)) + ")"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := automation.WaitFor(ctx, func() (bool, error) {
		n, err := c.Violations(ctx)
		return n == before+1, err
	}); err != nil {
		t.Fatalf("the event of a popped page was not refused: %v", err)
	}
	tap("#poke") // the page's own tap, after the forged one: home counts one
	if err := c.WaitText(ctx, "#n", "1"); err != nil {
		t.Fatal(err)
	}

	tap("#tabOther")
	v = agree(t, ctx, c, "switchTab other", "other")
	if len(v.Navigator.Hidden) != 1 || len(v.Page.Mounted) != 2 {
		t.Errorf("home is not alive and hidden: %+v", v)
	}
	if _, err := c.Navigate(ctx, "switchTab", "/pages/home/home", 0); err != nil {
		t.Fatal(err)
	}
	agree(t, ctx, c, "switchTab home (automation)", "home")
	want := "home"
	for i := 0; i < 9; i++ {
		tap("#toA")
		want += ",a"
		agree(t, ctx, c, "navigateTo a (to the limit)", want)
	}
	tap("#toB")
	if err := c.WaitText(ctx, "#err", "navigateTo:fail webview count limit exceed"); err != nil {
		t.Fatal(err)
	}
	agree(t, ctx, c, "the 11th page is refused", want)
	tap("#relaunchA")
	v = agree(t, ctx, c, "reLaunch a", "a")
	if len(v.Page.Mounted) != 1 {
		t.Errorf("reLaunch left pages mounted: %v", v.Page.Mounted)
	}
	if n, _ := c.Violations(ctx); n != before+1 {
		t.Errorf("violations = %d, want %d: the page sent something the gate refused", n, before+1)
	}
}

// TestLifecycleOrderEndToEnd: in the real window, a page's components are created and
// attached before its onLoad (where selectComponent finds them, with the properties
// the tag gave), then onShow, the components' ready, and onReady: WeChat's order.
func TestLifecycleOrderEndToEnd(t *testing.T) {
	r := launch(t, "e2e/testdata/lifeorder")
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#order", "comp.created > comp.attached > page.onLoad > page.onShow > comp.pageShow > comp.ready > page.onReady"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#found", "probe-1"); err != nil {
		t.Fatal(err) // selectComponent('#x') in onLoad, with its property set
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("violations = %d (%v)", n, err)
	}
}

// TestPageStyleIsolationEndToEnd: pages built with Component() choose their
// styleIsolation: page-isolated and page-shared turn app.wxss off on that page; the
// page's own rules reach an apply-shared component on page-shared (and on a plain
// page), not on page-isolated.
func TestPageStyleIsolationEndToEnd(t *testing.T) {
	r := launch(t, "e2e/testdata/pageiso")
	ctx := ctxT(t)
	c := r.client
	const red, blue, plain = "rgb(255, 0, 0)", "rgb(0, 0, 255)", "neither" // plain: the base text colour
	color := func(sel string) string {
		t.Helper()
		st, err := c.Style(ctx, sel, "", "color")
		if err != nil {
			t.Fatal(err)
		}
		return st["color"]
	}
	for _, tt := range []struct {
		route             string
		app, page, inComp string
	}{
		{"", red, blue, blue},
		{"/pages/iso/iso", plain, blue, plain},
		{"/pages/shared/shared", plain, blue, blue},
	} {
		if tt.route != "" {
			if _, err := c.Navigate(ctx, "redirectTo", tt.route, 0); err != nil {
				t.Fatal(err)
			}
		}
		// The page itself shows the new page (the route alone is the host's: the page
		// may still show the one redirected from, whose rules are red).
		route := cmpRoute(tt.route)
		agree(t, ctx, c, "redirectTo "+route, route[strings.LastIndexByte(route, '/')+1:])
		if err := automation.WaitFor(ctx, func() (bool, error) {
			els, err := c.Query(ctx, ".inner")
			return len(els) == 1, err
		}); err != nil {
			t.Fatal(err)
		}
		is := func(got, want string) bool {
			if want == plain {
				return got != red && got != blue
			}
			return got == want
		}
		if got := color("#app-rule"); !is(got, tt.app) {
			t.Errorf("%s: app.wxss rule gives %s, want %s", tt.route, got, tt.app)
		}
		if got := color("#page-rule"); !is(got, tt.page) {
			t.Errorf("%s: page rule gives %s, want %s", tt.route, got, tt.page)
		}
		if got := color(".inner"); !is(got, tt.inComp) {
			t.Errorf("%s: page rule in an apply-shared component gives %s, want %s", tt.route, got, tt.inComp)
		}
	}
	// redirectTo unmounts a page with a component: its detach report is accepted.
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("violations = %d (%v)", n, err)
	}
}

func cmpRoute(r string) string {
	if r == "" {
		return "pages/plain/plain"
	}
	return r
}

// TestFormFieldGroupEndToEnd: a <form> collects the controls of a
// wx://form-field-group component's template as its own, and still not those of a
// plain component, as in WeChat.
func TestFormFieldGroupEndToEnd(t *testing.T) {
	r := launch(t, "e2e/testdata/formgroup")
	ctx := ctxT(t)
	c := r.client
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, "#go")
		return len(els) == 1, err
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#go"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#got", `{"own":"a","inner":"b","on":true}`); err != nil {
		t.Fatal(err)
	}
}

// TestMovedEndToEnd: reversing a keyed list of components moves their nodes; the
// moved ones hear their moved lifetime (the gate accepts the page's report of them).
func TestMovedEndToEnd(t *testing.T) {
	r := launch(t, "e2e/testdata/moved")
	ctx := ctxT(t)
	c := r.client
	if err := automation.WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, ".mover")
		return len(els) == 3, err
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#reverse"); err != nil {
		t.Fatal(err)
	}
	// a,b,c → c,b,a: one of them keeps its place, the other two move.
	var got string
	if err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		got, err = c.Text(ctx, "#moved")
		return len(strings.Fields(got)) == 2, err
	}); err != nil {
		t.Fatalf("moved = %q: %v", got, err)
	}
	if txt, _ := c.Text(ctx, ".mover"); txt != "c" {
		t.Errorf("first item after reverse = %q", txt)
	}
	if n, err := c.Violations(ctx); err != nil || n != 0 {
		t.Errorf("violations = %d (%v)", n, err)
	}
}
