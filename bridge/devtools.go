package bridge

import (
	"slices"
	"strings"
)

// DevTools' privileged kinds (docs/devtools.md). Only the DevTools window of `shell dev`
// speaks them; a mini-app page that sends one is refused at its gate and audited, as
// for the launcher's kinds.
const (
	KindDevTools       Kind = "devtools"       // DevTools page → host: {"id", "op", "args"}
	KindDevToolsResult Kind = "devtoolsResult" // host → DevTools page: {"id", "ok", "result"|"error"}
)

var devtoolsKinds = map[Kind]bool{KindDevTools: true, KindDevToolsResult: true}

// LiveComponent is a component instance the gate holds, for DevTools' AppData panel.
type LiveComponent struct {
	ID    string `json:"id"`
	Page  string `json:"page"`
	Owner string `json:"owner"`
	Is    string `json:"is"`
}

// Components lists the live component instances the page reported, by id.
func (g *Gate) Components() []LiveComponent {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]LiveComponent, 0, len(g.comps))
	for id, c := range g.comps {
		out = append(out, LiveComponent{ID: id, Page: c.page, Owner: c.owner, Is: c.is})
	}
	slices.SortFunc(out, func(a, b LiveComponent) int { return cmpID(a.ID, b.ID) })
	return out
}

// cmpID orders "c2" before "c10".
func cmpID(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
