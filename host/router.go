package host

import "github.com/sandframe/sandframe/bridge"

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
	return nav, nil
}
