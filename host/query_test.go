package host

import (
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// A selector query goes logic → host → page and its answer page → host → logic; an
// answer nobody asked for is a violation; past MaxQueriesWaited questions the host
// answers logic itself, and the app's callbacks still run (with null results).
func TestQueryRoundTrip(t *testing.T) {
	s, page := startHeadless(t, "testdata/queries", nil)
	asked := make(chan bridge.Query, 512)
	page.mu.Lock()
	page.onQuery = func(q bridge.Query) { asked <- q }
	page.mu.Unlock()
	waitData(t, s, func(d map[string]any) bool { return d["refused"] == float64(0) })

	page.tap("ask")
	q := <-asked
	var spec struct {
		Items []struct {
			Selector string          `json:"selector"`
			Fields   map[string]bool `json:"fields"`
		} `json:"items"`
	}
	if err := json.Unmarshal(q.Spec, &spec); err != nil || q.Op != "select" || q.Owner != "p1" ||
		len(spec.Items) != 1 || spec.Items[0].Selector != "#a" || !spec.Items[0].Fields["rect"] {
		t.Fatalf("forwarded query %+v (%s): %v", q, q.Spec, err)
	}
	page.post(bridge.KindQueryResult, bridge.QueryResult{ID: q.ID, Result: json.RawMessage(`[{"id":"a","dataset":{},"left":3,"right":13,"top":4,"bottom":24,"width":10,"height":20}]`)})
	d := waitData(t, s, func(d map[string]any) bool { return d["got"] != nil })
	if got, _ := d["got"].(map[string]any); got["left"] != float64(3) || got["id"] != "a" {
		t.Errorf("exec received %v", d["got"])
	}
	if n := s.Violations(); n != 0 {
		t.Fatalf("violations %d after a real answer", n)
	}

	page.post(bridge.KindQueryResult, bridge.QueryResult{ID: q.ID + 1000, Result: json.RawMessage(`[]`)})
	page.tap("flood")
	waitData(t, s, func(d map[string]any) bool {
		return d["refused"] == float64(300-bridge.MaxQueriesWaited)
	})
	if n := s.gate.QueriesWaiting(); n != bridge.MaxQueriesWaited {
		t.Errorf("%d questions wait, want %d", n, bridge.MaxQueriesWaited)
	}
	// The page answers what it was asked: every waiting callback runs.
	for i := 0; i < bridge.MaxQueriesWaited; i++ {
		q := <-asked
		page.post(bridge.KindQueryResult, bridge.QueryResult{ID: q.ID, Result: json.RawMessage(`[{"id":"a"}]`)})
	}
	waitData(t, s, func(d map[string]any) bool { return d["answered"] == float64(bridge.MaxQueriesWaited) })
	if n := s.Violations(); n != 1 {
		t.Errorf("violations %d, want 1 (the answer nobody asked for)", n)
	}
}
