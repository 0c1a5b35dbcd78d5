package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEventFromAPoppedPageIsRefused: the page names itself in an event; once a
// navigation took it off the stack (navigateBack) or hid it (switchTab), its events
// are refused instead of reaching the page now in front, even when that page binds a
// handler of the same name. Its components go with it; a hidden tab page keeps them.
func TestEventFromAPoppedPageIsRefused(t *testing.T) {
	g := newTestGate(t, nil)
	env, err := g.FromPage([]byte(event("p2", "onBack", `{}`)))
	if err != nil {
		t.Fatalf("event of the page in front: %v", err)
	}
	var e Event
	if err := json.Unmarshal(env.Payload, &e); err != nil || e.Target != "p2" {
		t.Fatalf("target resolved to %q (%v)", e.Target, err)
	}

	// navigateBack: p2 leaves the stack.
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}}})
	before := g.Violations()
	for _, raw := range []string{event("p2", "onBack", `{}`), event("p2", "onAdd", `{}`), event("c2", "onTap", `{}`)} {
		if _, err := g.FromPage([]byte(raw)); err == nil {
			t.Errorf("an event of the popped page was accepted: %s", raw)
		}
	}
	if got := g.Violations() - before; got != 3 {
		t.Errorf("violations = %d, want 3", got)
	}
	if _, err := g.FromPage([]byte(event("p1", "onAdd", `{}`))); err != nil {
		t.Errorf("event of the page now in front: %v", err)
	}

	// switchTab: p1 is hidden, alive; its component stays known but may not send.
	g.SetStack(Stack{Pages: []PageRef{{ID: "p3", Route: "pages/detail/detail"}}, Hidden: []PageRef{{ID: "p1", Route: "pages/index/index"}}})
	if _, err := g.FromPage([]byte(event("p1", "onAdd", `{}`))); err == nil || !strings.Contains(err.Error(), "not the page in front") {
		t.Errorf("event of a hidden tab page: %v", err)
	}
	if _, err := g.FromPage([]byte(event("c1", "onTap", `{}`))); err == nil || !strings.Contains(err.Error(), "belongs to page p1") {
		t.Errorf("event of a hidden page's component: %v", err)
	}
	if got := g.Stack(); len(got.Pages) != 1 || got.Pages[0].ID != "p3" || len(got.Hidden) != 1 {
		t.Errorf("Stack() = %+v", got)
	}
	// Back to the tab: c1 is still live (hidden pages keep their components).
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}}})
	if _, err := g.FromPage([]byte(event("c1", "onTap", `{}`))); err != nil {
		t.Errorf("component of the tab page shown again: %v", err)
	}
}

// TestDetachAfterThePageLeft: the gate forgets a closed page's components when it takes
// the new stack; the page reports them detached when it applies the unmount, in the
// same ready as the new page's components. That report is accepted (once), else the
// new page's components would be refused with it.
func TestDetachAfterThePageLeft(t *testing.T) {
	g := newTestGate(t, nil)
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}, {ID: "p3", Route: "pages/detail/detail"}}}) // redirectTo
	ready := `{"v":1,"kind":"ready","payload":{"seq":2,"detached":["c2"],"attached":[{"id":"c9","page":"p3","owner":"p3","is":"components/item/item"}]}}`
	if _, err := g.FromPage([]byte(ready)); err != nil {
		t.Fatalf("the unmount's report was refused: %v", err)
	}
	if _, err := g.FromPage([]byte(event("c9", "onTap", `{}`))); err != nil {
		t.Errorf("the new page's component: %v", err)
	}
	again := `{"v":1,"kind":"ready","payload":{"seq":3,"detached":["c2"]}}`
	if _, err := g.FromPage([]byte(again)); err == nil {
		t.Error("a second detach of a dropped component was accepted")
	}
}

func TestStackHelpers(t *testing.T) {
	s := Stack{Pages: []PageRef{{ID: "p1"}, {ID: "p3"}}, Hidden: []PageRef{{ID: "p2"}}}
	if top, ok := s.Top(); !ok || top.ID != "p3" {
		t.Errorf("Top = %v %v", top, ok)
	}
	if _, ok := (Stack{}).Top(); ok {
		t.Error("empty stack has a top")
	}
	if got := strings.Join(s.Live(), ","); got != "p2,p1,p3" {
		t.Errorf("Live = %s", got)
	}
	if _, ok := s.Find("p2"); !ok {
		t.Error("Find misses a hidden page")
	}
	c := s.Clone()
	c.Pages[0].ID = "x"
	if s.Pages[0].ID != "p1" {
		t.Error("Clone shares the slice")
	}
}

func TestMovedMustBeLive(t *testing.T) {
	g := newTestGate(t, nil)
	if _, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":2,"moved":["c2"]}}`)); err != nil {
		t.Errorf("a live component moved: %v", err)
	}
	for raw, want := range map[string]string{
		`{"v":1,"kind":"ready","payload":{"seq":2,"moved":["c77"]}}`:                  "payload.moved[0]: component c77 is not a live instance",
		`{"v":1,"kind":"ready","payload":{"seq":2,"moved":["c2"],"detached":["c2"]}}`: "payload.moved[0]: component c2 is not a live instance",
		`{"v":1,"kind":"ready","payload":{"seq":2,"moved":["p1"]}}`:                   `payload.moved[0]: "p1" is not a component id`,
	} {
		if _, err := g.FromPage([]byte(raw)); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", raw, err, want)
		}
	}
}
