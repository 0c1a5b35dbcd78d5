package logic

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// sync waits until every job queued so far has run.
func (a *testApp) sync(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	if !a.rt.loop.Enqueue(func() { close(done) }) {
		t.Fatal("loop stopped")
	}
	<-done
}

// since returns the console messages after the first n.
func (a *testApp) since(n int) []string {
	all := a.logs.console()
	if n > len(all) {
		return nil
	}
	return all[n:]
}

func opsOf(r bridge.Render) []string {
	var out []string
	for _, op := range r.Ops {
		s := op.Op + " " + op.Page + op.Target
		if op.Op == "show" { // the live pages it hands the page
			s += " [" + strings.Join(op.Pages, " ") + "]"
		} else {
			for _, p := range op.Pages {
				s += p + " "
			}
		}
		out = append(out, s)
	}
	return out
}

// nav is a Nav as the host's navigator makes it; stack is the page stack after it
// (bottom first) and hidden the tab pages kept alive out of it. Without a stack, the
// stack is [show].
func nav(action string, close []string, open, route, show string, tab bool, stack ...string) bridge.Nav {
	n := bridge.Nav{Action: action, Close: close, Show: show, Tab: tab}
	if len(stack) == 0 {
		stack = []string{show}
	}
	for _, id := range stack {
		if id, hidden := strings.CutPrefix(id, "hidden:"); hidden {
			n.Stack.Hidden = append(n.Stack.Hidden, bridge.PageRef{ID: id})
			continue
		}
		n.Stack.Pages = append(n.Stack.Pages, bridge.PageRef{ID: id})
	}
	if open != "" {
		n.Open = &bridge.NavOpen{Page: open, Route: route, Query: map[string]string{"k": open}}
	}
	return n
}

func TestLifecycleOrder(t *testing.T) {
	a := startApp(t, projectApp(t, "testdata/lifecycle"))
	a.sync(t)
	mark := 0
	type step struct {
		name     string
		do       func()
		wantLogs []string
		wantOps  []string // ops of the push the step makes; nil: no push expected
		afterAck []string // logs once that push is acknowledged
		stack    []string
	}
	steps := []step{
		{"launch", nil, []string{"app.onLaunch pages/a/a scene=1001", "app.onShow pages/a/a"}, nil, nil, nil},
		{"open first page", func() { a.deliver(t, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false)) },
			[]string{`a.onLoad {"k":"p1"}`, "a.onShow"}, []string{"mount p1", "show p1 [p1]"}, []string{"a.onReady"}, []string{"p1"}},
		{"components attach: created, attached, ready; parents first", func() {
			a.deliver(t, bridge.KindReady, bridge.Ready{Seq: 1, Attached: []bridge.ComponentReport{
				{ID: "c1", Page: "p1", Owner: "p1", Is: "components/parent/parent"},
				{ID: "c2", Page: "p1", Owner: "c1", Is: "components/child/child"},
			}})
		}, []string{"parent.created", "child.created", "parent.attached", "child.attached", "parent.ready", "child.ready"}, nil, nil, nil},
		{"navigateTo hides the page and its components", func() {
			a.deliver(t, bridge.KindNav, nav("navigateTo", nil, "p2", "pages/b/b", "p2", false, "p1", "p2"))
		}, []string{"a.onHide", "parent.pageHide", "child.pageHide", `b.onLoad {"k":"p2"}`, "b.onShow"},
			[]string{"mount p2", "show p2 [p1 p2]"}, []string{"b.onReady"}, []string{"p1", "p2"}},
		{"navigateBack unloads and re-shows", func() {
			a.deliver(t, bridge.KindNav, nav("navigateBack", []string{"p2"}, "", "", "p1", false))
		}, []string{"b.onUnload", "a.onShow", "parent.pageShow", "child.pageShow"},
			[]string{"unmount p2 ", "show p1 [p1]"}, nil, []string{"p1"}},
		{"redirectTo unloads the page, then its components detach (children first)", func() {
			a.deliver(t, bridge.KindNav, nav("redirectTo", []string{"p1"}, "p3", "pages/b/b", "p3", false))
		}, []string{"a.onUnload", "child.detached", "parent.detached", `b.onLoad {"k":"p3"}`, "b.onShow"},
			[]string{"unmount p1 ", "mount p3", "show p3 [p3]"}, []string{"b.onReady"}, []string{"p3"}},
		{"reLaunch to a tab page", func() {
			a.deliver(t, bridge.KindNav, nav("reLaunch", []string{"p3"}, "p4", "pages/tab1/tab1", "p4", true))
		}, []string{"b.onUnload", `tab1.onLoad {"k":"p4"}`, "tab1.onShow"},
			[]string{"unmount p3 ", "mount p4", "show p4 [p4]"}, []string{"tab1.onReady"}, []string{"p4"}},
		{"switchTab away keeps the tab page alive, hidden", func() {
			a.deliver(t, bridge.KindNav, nav("switchTab", nil, "p5", "pages/tab2/tab2", "p5", true, "hidden:p4", "p5"))
		}, []string{"tab1.onHide", `tab2.onLoad {"k":"p5"}`, "tab2.onShow"}, []string{"mount p5", "show p5 [p4 p5]"}, []string{"tab2.onReady"}, []string{"p5"}},
		{"switchTab back shows without loading", func() {
			a.deliver(t, bridge.KindNav, nav("switchTab", nil, "", "", "p4", true, "hidden:p5", "p4"))
		}, []string{"tab2.onHide", "tab1.onShow"}, []string{"show p4 [p5 p4]"}, nil, []string{"p4"}},
		{"the window closes into the background: page, its components, then the app hide", func() {
			a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "hide"})
		}, []string{"tab1.onHide", "app.onHide"}, nil, nil, []string{"p4"}},
		{"shown again: the app (with its launch options), then the page", func() {
			a.deliver(t, bridge.KindLifecycle, bridge.Lifecycle{Event: "show"})
		}, []string{"app.onShow pages/a/a", "tab1.onShow"}, nil, nil, []string{"p4"}},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		a.sync(t)
		if got := a.since(mark); !reflect.DeepEqual(got, s.wantLogs) {
			t.Fatalf("%s: logs = %q, want %q", s.name, got, s.wantLogs)
		}
		mark += len(s.wantLogs)
		if s.wantOps != nil {
			r := a.host.nextRender(t)
			if got := opsOf(r); !reflect.DeepEqual(got, s.wantOps) {
				t.Fatalf("%s: ops = %q, want %q", s.name, got, s.wantOps)
			}
			a.ack(t, r.Seq)
			a.sync(t)
			if got := a.since(mark); !reflect.DeepEqual(got, s.afterAck) && len(got)+len(s.afterAck) > 0 {
				t.Fatalf("%s: after ack logs = %q, want %q", s.name, got, s.afterAck)
			}
			mark += len(s.afterAck)
		}
		if s.stack != nil {
			var ids []string
			for _, p := range a.rt.Stack() {
				ids = append(ids, p.ID)
			}
			if !reflect.DeepEqual(ids, s.stack) {
				t.Fatalf("%s: stack = %v, want %v", s.name, ids, s.stack)
			}
		}
	}
	// The hidden tab page p5 is alive, not in the stack; getCurrentPages agrees.
	if d := a.pageData(t, "p5"); d["name"] != "tab2" {
		t.Errorf("hidden tab page data = %v", d)
	}
	if _, err := a.rt.PageData("p1"); err == nil {
		t.Error("PageData of an unloaded page succeeded")
	}
}

func TestOnReadyWaitsForAckOfItsMount(t *testing.T) {
	a := startApp(t, projectApp(t, "testdata/lifecycle"))
	a.deliver(t, bridge.KindNav, nav("launch", nil, "p1", "pages/a/a", "p1", false))
	r := a.host.nextRender(t)
	a.sync(t)
	for _, m := range a.logs.console() {
		if m == "a.onReady" {
			t.Fatal("onReady before the ack")
		}
	}
	a.ack(t, r.Seq)
	a.logs.waitConsole(t, "a.onReady")
}
