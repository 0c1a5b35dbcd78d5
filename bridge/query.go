package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// Queries and motion (docs/queries.md): logic has no DOM, so wx.createSelectorQuery,
// IntersectionObserver, MediaQueryObserver and this.animate are questions logic asks the
// page. The host forwards a Query to the page after CheckQuery and Gate.ExpectQuery;
// the page answers with queryResult, which the gate accepts only for a question it
// forwarded: once for a one-shot question (select, animate, clear, scroll), any number
// of times, within a rate, for a subscription (observe, media) until it ends.
const (
	KindQuery       Kind = "query"       // logic → host → page
	KindQueryResult Kind = "queryResult" // page → host → logic; host → logic for refusals
)

// Query ops. One-shot ops get exactly one answer; subscriptions get notifications
// until "disconnect" names their id, or their owner goes.
var queryOps = map[string]bool{
	"select": true, "animate": true, "clear": true, "scroll": true, // one-shot
	"observe": true, "media": true, // subscriptions
	"disconnect": true, // ends a subscription; no answer
}

// QueryStream reports whether op opens a subscription.
func QueryStream(op string) bool { return op == "observe" || op == "media" }

// Bounds of the query traffic of one window.
const (
	MaxQuerySpec     = 64 << 10 // bytes of a query's spec
	MaxQueriesWaited = 256      // one-shot questions and subscriptions open at once
	// QueryNotifyRate and QueryNotifyBurst bound a window's observer notifications (all
	// subscriptions together); the page sends at most one per observer per frame and
	// only when a threshold is crossed, so only a forged page reaches it. Past it
	// notifications are dropped (logged), never counted as violations.
	QueryNotifyRate  = 200
	QueryNotifyBurst = 400
)

// Query is a question logic asks the page. Owner is the page ("p1") or component
// ("c3") instance the query was made in: selectors are scoped to its template.
type Query struct {
	ID    uint64          `json:"id"`
	Op    string          `json:"op"`
	Owner string          `json:"owner"`
	Spec  json.RawMessage `json:"spec,omitempty"` // op-specific object (docs/queries.md)
}

// QueryResult answers a Query (or notifies a subscription). Result is free-form JSON
// (≤ 200 KiB); Error, when set, says why there is no result.
type QueryResult struct {
	ID     uint64          `json:"id"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// CheckQuery checks a query logic sent: a known op, an instance id as owner, a spec
// that is a JSON object of at most MaxQuerySpec bytes.
func CheckQuery(q *Query) error {
	if q.ID == 0 {
		return errors.New("query: id must be ≥ 1")
	}
	if !queryOps[q.Op] {
		return fmt.Errorf("query: op %q is not one of select, animate, clear, scroll, observe, media, disconnect", truncate(q.Op, 32))
	}
	if !isInstanceID('p', q.Owner) && !isInstanceID('c', q.Owner) {
		return fmt.Errorf("query: owner %q is not a page or component instance id", truncate(q.Owner, 32))
	}
	if len(q.Spec) > MaxQuerySpec {
		return fmt.Errorf("query: spec of %d bytes is larger than %d", len(q.Spec), MaxQuerySpec)
	}
	if len(q.Spec) > 0 {
		t := bytes.TrimLeft(q.Spec, " \t\r\n")
		if len(t) == 0 || (t[0] != '{' && string(t) != "null") || !json.Valid(t) {
			return errors.New("query: spec must be a JSON object")
		}
	}
	return nil
}

func validateQueryResult(p *QueryResult) error {
	if p.ID == 0 {
		return refuse("payload.id", "must be ≥ 1")
	}
	if len(p.Error) > maxProbeError {
		return refuse("payload.error", "longer than %d bytes", maxProbeError)
	}
	return nil
}

// waited is a question forwarded to the page and not yet done with.
type waited struct {
	stream bool
	owner  string // page or component instance
	page   string // the page instance the owner lives in
}

// queries is the gate's table of forwarded questions.
type queries struct {
	open    map[uint64]waited
	maxID   uint64 // highest id forwarded: answers to ids up to it that are closed are late, not forged
	limiter *rate.Limiter
	dropped int
	lastLog time.Time
}

// ExpectQuery records a question about to be forwarded to the page, so that its
// answers are accepted. It refuses an owner that is not open in the window (a page
// of the stack or a live component of one), and more than MaxQueriesWaited questions
// at once. "disconnect" ends the subscription it names instead (Spec {"target": id}
// is read by the caller; pass it as target) and records nothing.
func (g *Gate) ExpectQuery(q Query) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	page := ""
	if isInstanceID('p', q.Owner) {
		if !g.livePage(q.Owner) {
			return fmt.Errorf("page %s is not open", q.Owner)
		}
		page = q.Owner
	} else {
		c, live := g.comps[q.Owner]
		if !live {
			return fmt.Errorf("component %s is not a live instance", q.Owner)
		}
		page = c.page
	}
	if g.queries.open == nil {
		g.queries.open = make(map[uint64]waited)
		g.queries.limiter = rate.NewLimiter(QueryNotifyRate, QueryNotifyBurst)
	}
	if q.Op == "disconnect" {
		return nil
	}
	if _, dup := g.queries.open[q.ID]; dup {
		return fmt.Errorf("query id %d is already waiting", q.ID)
	}
	if len(g.queries.open) >= MaxQueriesWaited {
		return fmt.Errorf("%d queries are already waiting for the page", MaxQueriesWaited)
	}
	g.queries.open[q.ID] = waited{stream: QueryStream(q.Op), owner: q.Owner, page: page}
	g.queries.maxID = max(g.queries.maxID, q.ID)
	return nil
}

// EndQuery forgets a question (a subscription logic disconnected, or a one-shot
// question that will get no answer).
func (g *Gate) EndQuery(id uint64) {
	g.mu.Lock()
	delete(g.queries.open, id)
	g.mu.Unlock()
}

// QueriesWaiting is how many questions wait for the page (tests, status).
func (g *Gate) QueriesWaiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queries.open)
}

// errDropped marks an answer that is not forwarded and not a violation: a
// notification over the rate, or a late answer (its question ended meanwhile: the
// owner's page closed, logic disconnected the observer).
var errDropped = errors.New("query answer dropped")

// IsDropped reports whether FromPage's error is a dropped answer rather than a
// refusal.
func IsDropped(err error) bool { return errors.Is(err, errDropped) }

// acceptQueryResult checks an answer against the table; g.mu is held.
func (g *Gate) acceptQueryResult(p *QueryResult) error {
	w, ok := g.queries.open[p.ID]
	if !ok {
		if p.ID <= g.queries.maxID {
			return errDropped // late: asked, and ended since
		}
		return refuse("payload.id", "query %d was never asked", p.ID)
	}
	if !w.stream {
		delete(g.queries.open, p.ID)
		return nil
	}
	if !g.queries.limiter.Allow() {
		g.queries.dropped++
		if now := time.Now(); now.Sub(g.queries.lastLog) > time.Second {
			g.queries.lastLog = now
			g.log.Warn("observer notifications over the rate; dropped", "dropped", g.queries.dropped)
		}
		return errDropped
	}
	return nil
}

// forgetQueries drops the questions whose owner is gone: pages no longer in the stack,
// components no longer live; g.mu is held.
func (g *Gate) forgetQueries() {
	for id, w := range g.queries.open {
		if !g.livePage(w.page) {
			delete(g.queries.open, id)
			continue
		}
		if w.owner != w.page {
			if _, live := g.comps[w.owner]; !live {
				delete(g.queries.open, id)
			}
		}
	}
}

// livePage reports whether the page instance id is alive: in the stack or a hidden tab
// page; g.mu is held.
func (g *Gate) livePage(id string) bool {
	_, ok := g.stack.Find(id)
	return ok
}
