package bridge

// Stack is a window's live pages after a navigation. The navigator makes it once per
// navigation and puts it in the Nav; the router hands that one value to the gate
// (Gate.SetStack), and logic takes it from the Nav and passes it on to the page in the
// same render push (the show op's pages). No part keeps a stack of its own making.
type Stack struct {
	// Pages is the page stack, bottom first: the last is the page in front, and
	// getCurrentPages() answers these.
	Pages []PageRef `json:"pages"`
	// Hidden are tab pages switched away from: alive (their components too), out of
	// the stack, as in WeChat.
	Hidden []PageRef `json:"hidden,omitempty"`
}

// Top is the page in front.
func (s Stack) Top() (PageRef, bool) {
	if len(s.Pages) == 0 {
		return PageRef{}, false
	}
	return s.Pages[len(s.Pages)-1], true
}

// Find returns the live page (in the stack or hidden) with that instance id.
func (s Stack) Find(id string) (PageRef, bool) {
	for _, p := range s.Pages {
		if p.ID == id {
			return p, true
		}
	}
	for _, p := range s.Hidden {
		if p.ID == id {
			return p, true
		}
	}
	return PageRef{}, false
}

// Live lists the ids of every live page: hidden tab pages first, then the stack bottom
// first (so the page in front is last).
func (s Stack) Live() []string {
	ids := make([]string, 0, len(s.Hidden)+len(s.Pages))
	for _, p := range s.Hidden {
		ids = append(ids, p.ID)
	}
	for _, p := range s.Pages {
		ids = append(ids, p.ID)
	}
	return ids
}

// Clone copies s, so that holders never share its slices.
func (s Stack) Clone() Stack {
	return Stack{Pages: append([]PageRef(nil), s.Pages...), Hidden: append([]PageRef(nil), s.Hidden...)}
}
