package host

import (
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/miniapp"
)

// route is the one step that carries out a navigation, whoever asked for it (the app's
// navigation APIs, the page's chrome, automation, the launch): under routeMu the
// navigator decides and makes the new stack (Nav.Stack), the gate takes that stack, and
// logic gets the Nav, which it carries out and passes on to the page in the same render
// push. Nothing else sets the gate's stack, and logic and the page take theirs from
// the same Nav, so the three cannot disagree; navigations reach them in the order the
// navigator decided them. An API call's own answer follows its nav to logic, so its
// callback runs after the new page's onLoad and onShow.
func (s *Session) route(decide func() (*bridge.Nav, error)) (*bridge.Nav, error) {
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	nav, err := decide()
	if err != nil {
		return nil, err
	}
	s.gate.SetStack(nav.Stack)
	s.deliverLogic(bridge.KindNav, nav)
	s.afterRoute(nav) // preloadRule (subpackages.go)
	return nav, nil
}

// componentPages lists the pages that use custom components (their own or app-wide
// usingComponents): logic loads those once their first components are attached.
func componentPages(p *miniapp.Project) []string {
	var out []string
	for _, pg := range p.Pages {
		if len(pg.Using) > 0 {
			out = append(out, pg.Route)
		}
	}
	return out
}
