package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

// pageEvent builds the message the render runtime sends for one of the page's own
// events (docs/ui-apis.md).
func pageEvent(target, handler, typ, detail string) string {
	return `{"v":1,"kind":"event","payload":{"target":"` + target + `","handler":"` + handler +
		`","event":{"type":"` + typ + `","timeStamp":5,"detail":` + detail +
		`,"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`
}

// The page's own events reach the page in front without a template binding, each
// only with its own type and detail.
func TestGatePageEvents(t *testing.T) {
	g := newTestGate(t, nil)
	for _, raw := range []string{
		pageEvent("page", "onPullDownRefresh", "pulldownrefresh", `{}`),
		pageEvent("page", "onReachBottom", "reachbottom", `{}`),
		pageEvent("page", "onPageScroll", "pagescroll", `{"scrollTop":120.5}`),
		pageEvent("page", "onResize", "resize", `{"size":{"windowWidth":800,"windowHeight":600}}`),
	} {
		env, err := g.FromPage([]byte(raw))
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var ev Event
		if err := json.Unmarshal(env.Payload, &ev); err != nil || ev.Target != "p2" {
			t.Errorf("%s: target %q, %v", raw, ev.Target, err)
		}
	}
	for _, tt := range []struct{ raw, field string }{
		// A type calls its own method only.
		{pageEvent("page", "onReachBottom", "pulldownrefresh", `{}`), "payload.handler"},
		{pageEvent("page", "onBack", "pagescroll", `{"scrollTop":1}`), "payload.handler"},
		// The lifecycle names stay out of reach of ordinary events.
		{pageEvent("page", "onPullDownRefresh", "tap", `{}`), "payload.handler"},
		{pageEvent("page", "onLoad", "reachbottom", `{}`), "payload.handler"},
		// A component is not a page.
		{pageEvent("c2", "onReachBottom", "reachbottom", `{}`), "payload.handler"},
		// Details are checked.
		{pageEvent("page", "onPageScroll", "pagescroll", `{}`), "payload.event.detail.scrollTop"},
		{pageEvent("page", "onPageScroll", "pagescroll", `{"scrollTop":-1}`), "payload.event.detail.scrollTop"},
		{pageEvent("page", "onPageScroll", "pagescroll", `{"scrollTop":"9"}`), "payload.event.detail.scrollTop"},
		{pageEvent("page", "onResize", "resize", `{"size":{"windowWidth":800}}`), "payload.event.detail.size"},
	} {
		_, err := g.FromPage([]byte(tt.raw))
		if err == nil || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("%s: err %v, want a refusal at %s", tt.raw, err, tt.field)
		}
	}
	empty := NewGate(GateConfig{App: "todo", Window: "w1", Index: fakeIndex{}, Logger: quiet})
	if _, err := empty.FromPage([]byte(pageEvent("page", "onReachBottom", "reachbottom", `{}`))); err == nil {
		t.Error("a page event with no page open was accepted")
	}
}

// The modal answer carries an editable modal's text and an action sheet's choice,
// within bounds.
func TestGateModalAnswerDetail(t *testing.T) {
	g := newTestGate(t, nil)
	answer := func(detail string) string {
		return strings.Replace(event("host", "modal", `{}`), `"detail":{"x":1}`, `"detail":`+detail, 1)
	}
	for _, ok := range []string{`{"id":"m1","confirm":true,"content":"Ada"}`, `{"id":"m2","confirm":true,"tapIndex":5}`} {
		if _, err := g.FromPage([]byte(answer(ok))); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{`{"id":"m1","confirm":true,"tapIndex":6}`, `{"id":"m1","confirm":true,"tapIndex":1.5}`,
		`{"id":"m1","confirm":true,"content":"` + strings.Repeat("x", maxModalContent+1) + `"}`} {
		if _, err := g.FromPage([]byte(answer(bad))); err == nil {
			t.Errorf("%.80s: accepted", bad)
		}
	}
}
