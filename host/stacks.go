package host

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/sandframe/sandframe/bridge"
)

// StackViews is what each holder of the page stack says it is: the navigator that
// makes it, the gate that checks the page's messages against it, logic
// (getCurrentPages()) and the page (the render runtime's mounted pages and the one
// shown). After every navigation they agree (docs/host.md, "One page stack").
type StackViews struct {
	Navigator bridge.Stack `json:"navigator"`
	Gate      bridge.Stack `json:"gate"`
	Logic     []string     `json:"logic"`          // page ids of getCurrentPages(), bottom first
	Page      *PageStack   `json:"page,omitempty"` // nil when the page was not asked
}

// PageStack is the render runtime's view (probe op "stack").
type PageStack struct {
	Shown   string   `json:"shown"`
	Mounted []string `json:"mounted"` // in mount order
}

// Disagreement says how the views differ from the navigator's, or "" when they agree.
func (v StackViews) Disagreement() string {
	var out []string
	want := ids(v.Navigator.Pages)
	if g := ids(v.Gate.Pages); !slices.Equal(g, want) || !slices.Equal(ids(v.Gate.Hidden), ids(v.Navigator.Hidden)) {
		out = append(out, fmt.Sprintf("gate %v hidden %v", g, ids(v.Gate.Hidden)))
	}
	if !slices.Equal(v.Logic, want) {
		out = append(out, fmt.Sprintf("logic %v", v.Logic))
	}
	if v.Page != nil {
		top, _ := v.Navigator.Top()
		live := v.Navigator.Live()
		mounted := slices.Clone(v.Page.Mounted)
		slices.Sort(live)
		slices.Sort(mounted)
		if v.Page.Shown != top.ID || !slices.Equal(mounted, live) {
			out = append(out, fmt.Sprintf("page shows %q, mounts %v", v.Page.Shown, v.Page.Mounted))
		}
	}
	if len(out) == 0 {
		return ""
	}
	return fmt.Sprintf("navigator %v hidden %v; ", want, ids(v.Navigator.Hidden)) + strings.Join(out, "; ")
}

func ids(refs []bridge.PageRef) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, r.ID)
	}
	return out
}

// StackViews collects every view; with page set it asks the page too (automation must
// be on).
func (s *Session) StackViews(ctx context.Context, page bool) (StackViews, error) {
	v := StackViews{Navigator: s.nav.Current(), Gate: s.gate.Stack()}
	for _, p := range s.rt.Stack() {
		v.Logic = append(v.Logic, p.ID)
	}
	if page {
		raw, err := s.Probe(ctx, "stack", "", "")
		if err != nil {
			return v, err
		}
		v.Page = &PageStack{}
		if err := json.Unmarshal(raw, v.Page); err != nil {
			return v, fmt.Errorf("the page's stack: %w", err)
		}
	}
	return v, nil
}

// StackViewsJSON answers automation's test hook "test.stacks": every view, the page's
// included, and their disagreement ("" when they agree).
func (s *Session) StackViewsJSON(ctx context.Context) (json.RawMessage, error) {
	v, err := s.StackViews(ctx, true)
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		StackViews
		Disagreement string `json:"disagreement"`
	}{v, v.Disagreement()})
}
