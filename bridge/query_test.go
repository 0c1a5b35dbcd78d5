package bridge

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/time/rate"
)

func queryAnswer(id, result string) []byte {
	return []byte(`{"v":1,"kind":"queryResult","payload":{"id":` + id + `,"result":` + result + `}}`)
}

func TestCheckQuery(t *testing.T) {
	big := `{"k":"` + strings.Repeat("x", MaxQuerySpec) + `"}`
	tests := []struct {
		q    Query
		want string // "" = accepted
	}{
		{Query{ID: 1, Op: "select", Owner: "p1", Spec: json.RawMessage(`{"items":[]}`)}, ""},
		{Query{ID: 2, Op: "observe", Owner: "c12", Spec: json.RawMessage(`{}`)}, ""},
		{Query{ID: 3, Op: "disconnect", Owner: "p1"}, ""},
		{Query{ID: 0, Op: "select", Owner: "p1"}, "id must be ≥ 1"},
		{Query{ID: 1, Op: "eval", Owner: "p1"}, `op "eval" is not one of`},
		{Query{ID: 1, Op: "select", Owner: "page"}, `owner "page" is not a page or component instance id`},
		{Query{ID: 1, Op: "select", Owner: ""}, `owner "" is not`},
		{Query{ID: 1, Op: "select", Owner: "p1", Spec: json.RawMessage(`[1]`)}, "spec must be a JSON object"},
		{Query{ID: 1, Op: "select", Owner: "p1", Spec: json.RawMessage(big)}, "is larger than 65536"},
	}
	for _, tc := range tests {
		err := CheckQuery(&tc.q)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v refused: %v", tc.q, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: error %v, want %q", tc.q, err, tc.want)
		}
	}
}

// The page may answer only a question the host forwarded: a one-shot question once,
// a subscription until it ends. An id never asked is a forgery (a violation); an
// answer to a question that ended (late) is dropped quietly.
func TestGateAcceptsOnlyAskedQueries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	audit, err := OpenAudit(path)
	if err != nil {
		t.Fatal(err)
	}
	defer audit.Close()
	g := newTestGate(t, audit)
	if _, err := g.FromPage(queryAnswer("1", `[]`)); err == nil || IsDropped(err) || !strings.Contains(err.Error(), "query 1 was never asked") {
		t.Fatalf("unasked answer: %v", err)
	}
	if err = g.ExpectQuery(Query{ID: 1, Op: "select", Owner: "p1"}); err != nil {
		t.Fatal(err)
	}
	if err := g.ExpectQuery(Query{ID: 2, Op: "observe", Owner: "c2"}); err != nil {
		t.Fatal(err)
	}
	if err := g.ExpectQuery(Query{ID: 1, Op: "select", Owner: "p1"}); err == nil {
		t.Error("an id already waiting was accepted twice")
	}
	env, err := g.FromPage(queryAnswer("1", `[{"id":"a","left":1}]`))
	if err != nil || env.Kind != KindQueryResult || env.Sender == nil || env.Sender.App != "todo" {
		t.Fatalf("answer: %+v %v", env, err)
	}
	if _, err := g.FromPage(queryAnswer("1", `[]`)); !IsDropped(err) {
		t.Errorf("a second answer to a one-shot question: %v, want dropped", err)
	}
	for i := 0; i < 3; i++ {
		if _, err := g.FromPage(queryAnswer("2", `[{"intersectionRatio":1}]`)); err != nil {
			t.Fatalf("notification %d: %v", i, err)
		}
	}
	g.EndQuery(2)
	if _, err := g.FromPage(queryAnswer("2", `[]`)); !IsDropped(err) {
		t.Errorf("a notification after disconnect: %v, want dropped", err)
	}
	if _, err := g.FromPage(queryAnswer("9", `[]`)); err == nil || IsDropped(err) {
		t.Errorf("an id above every question asked: %v, want refused", err)
	}
	if _, err := g.FromPage([]byte(`{"v":1,"kind":"queryResult","payload":{"id":1,"result":[],"seq":2}}`)); err == nil {
		t.Error("a queryResult with a field of another kind was accepted")
	}
	if g.Violations() != 3 {
		t.Errorf("violations %d, want 3 (never asked, above every id, foreign field)", g.Violations())
	}
	entries, err := ReadAudit(path, Filter{DeniedOnly: true})
	if err != nil || len(entries) != 3 {
		t.Errorf("audit: %d refusals, %v", len(entries), err)
	}
}

// Owners are checked when a question is asked and followed afterwards: a question of a
// page that closes, or of a component that detaches, ends with it.
func TestGateQueryOwners(t *testing.T) {
	g := newTestGate(t, nil)
	if err := g.ExpectQuery(Query{ID: 1, Op: "select", Owner: "p7"}); err == nil {
		t.Error("a page not in the stack was accepted as owner")
	}
	if err := g.ExpectQuery(Query{ID: 1, Op: "select", Owner: "c9"}); err == nil {
		t.Error("a component not live was accepted as owner")
	}
	for i, q := range []Query{{ID: 1, Op: "observe", Owner: "p2"}, {ID: 2, Op: "media", Owner: "c2"}, {ID: 3, Op: "observe", Owner: "c1"}} {
		if err := g.ExpectQuery(q); err != nil {
			t.Fatalf("%d: %v", i, err)
		}
	}
	if _, err := g.FromPage([]byte(`{"v":1,"kind":"ready","payload":{"seq":2,"detached":["c1"]}}`)); err != nil {
		t.Fatal(err)
	}
	if n := g.QueriesWaiting(); n != 2 {
		t.Errorf("after c1 detached: %d questions wait, want 2", n)
	}
	g.SetStack(Stack{Pages: []PageRef{{ID: "p1", Route: "pages/index/index"}}})
	if n := g.QueriesWaiting(); n != 0 {
		t.Errorf("after p2 closed: %d questions wait, want 0", n)
	}
}

// At most MaxQueriesWaited questions wait at once; notifications past the rate are
// dropped, never violations.
func TestGateQueryBounds(t *testing.T) {
	g := newTestGate(t, nil)
	for i := 1; i <= MaxQueriesWaited; i++ {
		if err := g.ExpectQuery(Query{ID: uint64(i), Op: "observe", Owner: "p2"}); err != nil {
			t.Fatalf("question %d: %v", i, err)
		}
	}
	if err := g.ExpectQuery(Query{ID: MaxQueriesWaited + 1, Op: "select", Owner: "p2"}); err == nil {
		t.Fatal("question past the bound accepted")
	}
	// The real bucket refills at QueryNotifyRate; one that never refills makes the count
	// exact on a slow machine.
	g.mu.Lock()
	g.queries.limiter = rate.NewLimiter(0, 10)
	g.mu.Unlock()
	dropped := 0
	for i := 0; i < 60; i++ {
		_, err := g.FromPage(queryAnswer("1", `[]`))
		if IsDropped(err) {
			dropped++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if dropped != 50 {
		t.Errorf("%d of 60 notifications dropped, want the 50 past the burst of 10", dropped)
	}
	if g.Violations() != 0 {
		t.Errorf("violations %d: a dropped notification is not one", g.Violations())
	}
}
