package host

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/miniapp"
)

// maxStack is WeChat's page stack limit.
const maxStack = 10

// navigator owns the window's page stack: it decides whether a navigation is allowed,
// names new page instances, and tells logic what to do as a bridge.Nav. Logic owns the
// Page objects; the navigator owns which ones exist.
type navigator struct {
	proj *miniapp.Project

	mu     sync.Mutex
	stack  []bridge.NavOpen          // bottom first
	tabs   map[string]bridge.NavOpen // tab pages kept alive after switchTab away, by route
	nextID int
	broken map[string]bool // pages whose file failed to load: not found, as in WeChat
}

func newNavigator(p *miniapp.Project) *navigator {
	return &navigator{proj: p, tabs: map[string]bridge.NavOpen{}}
}

// leaveOut marks pages whose logic failed to load: navigating to them fails as to a
// page that is not there, and the rest of the app runs.
func (n *navigator) leaveOut(routes []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, r := range routes {
		if n.broken == nil {
			n.broken = map[string]bool{}
		}
		n.broken[r] = true
	}
}

// navError is a refusal whose text follows WeChat's errMsg ("navigateTo:fail …" is
// added by the gateway around it).
type navError struct{ msg string }

func (e *navError) Error() string { return e.msg }

func failf(format string, a ...any) error { return &navError{fmt.Sprintf(format, a...)} }

// Stack returns a copy of the stack, bottom first.
func (n *navigator) Stack() []bridge.NavOpen {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]bridge.NavOpen(nil), n.stack...)
}

// Top is the page in front.
func (n *navigator) Top() (bridge.NavOpen, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.stack) == 0 {
		return bridge.NavOpen{}, false
	}
	return n.stack[len(n.stack)-1], true
}

// Current is the stack as the last navigation left it.
func (n *navigator) Current() bridge.Stack {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.snapshot()
}

// snapshot is the stack a navigation leaves, for its Nav: the one value the gate,
// logic and the page all take (docs/host.md, "One page stack"); n.mu is held. Hidden
// tab pages come in the order of their routes, so the same state gives the same value.
func (n *navigator) snapshot() bridge.Stack {
	var st bridge.Stack
	inStack := map[string]bool{}
	for _, p := range n.stack {
		inStack[p.Page] = true
		st.Pages = append(st.Pages, bridge.PageRef{ID: p.Page, Route: p.Route})
	}
	routes := make([]string, 0, len(n.tabs))
	for r, p := range n.tabs {
		if !inStack[p.Page] {
			routes = append(routes, r)
		}
	}
	sort.Strings(routes)
	for _, r := range routes {
		st.Hidden = append(st.Hidden, bridge.PageRef{ID: n.tabs[r].Page, Route: r})
	}
	return st
}

// Launch opens the entry page (or route, when given).
func (n *navigator) Launch(target string) (*bridge.Nav, error) {
	if target == "" {
		target = "/" + n.proj.EntryRoute()
	}
	route, query, err := n.resolve(target)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.stack) > 0 {
		return nil, failf("already launched")
	}
	open := n.newPage(route, query)
	n.stack = []bridge.NavOpen{open}
	tab := n.proj.IsTab(route)
	if tab {
		n.tabs[route] = open
	}
	return &bridge.Nav{Action: "launch", Open: &open, Show: open.Page, Tab: tab, Stack: n.snapshot()}, nil
}

// Navigate carries out one of WeChat's navigation APIs. args is {url} or {delta}.
func (n *navigator) Navigate(action, target string, delta int) (*bridge.Nav, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.stack) == 0 {
		return nil, failf("the app has not launched")
	}
	nav, err := n.navigate(action, target, delta)
	if err != nil {
		return nil, err
	}
	nav.Stack = n.snapshot()
	return nav, nil
}

// navigate decides one navigation and changes the stack; n.mu is held.
func (n *navigator) navigate(action, target string, delta int) (*bridge.Nav, error) {
	if action == "navigateBack" {
		return n.back(delta)
	}
	if target == "" {
		return nil, failf("parameter.url should be String instead of Undefined;")
	}
	route, query, err := n.resolveFrom(n.stack[len(n.stack)-1].Route, target)
	if err != nil {
		return nil, err
	}
	tab := n.proj.IsTab(route)
	switch action {
	case "navigateTo":
		if tab {
			return nil, failf("can not navigateTo a tabbar page")
		}
		if len(n.stack) >= maxStack {
			return nil, failf("webview count limit exceed")
		}
		open := n.newPage(route, query)
		n.stack = append(n.stack, open)
		return &bridge.Nav{Action: action, Open: &open, Show: open.Page}, nil
	case "redirectTo":
		if tab {
			return nil, failf("can not redirectTo a tabbar page")
		}
		top := n.stack[len(n.stack)-1]
		open := n.newPage(route, query)
		n.stack[len(n.stack)-1] = open
		return &bridge.Nav{Action: action, Close: n.closing(top), Open: &open, Show: open.Page}, nil
	case "reLaunch":
		var closeIDs []string
		for i := len(n.stack) - 1; i >= 0; i-- {
			closeIDs = append(closeIDs, n.stack[i].Page)
		}
		for r, p := range n.tabs {
			if !contains(closeIDs, p.Page) {
				closeIDs = append(closeIDs, p.Page)
			}
			delete(n.tabs, r)
		}
		open := n.newPage(route, query)
		n.stack = []bridge.NavOpen{open}
		if tab {
			n.tabs[route] = open
		}
		return &bridge.Nav{Action: action, Close: closeIDs, Open: &open, Show: open.Page, Tab: tab}, nil
	case "switchTab":
		if !tab {
			return nil, failf("can not switch to no-tabBar page")
		}
		if len(query) > 0 {
			return nil, failf("url of switchTab can not have query: %s", target)
		}
		// Non-tab pages close; tab pages stay alive, hidden.
		var closeIDs []string
		for i := len(n.stack) - 1; i >= 0; i-- {
			if !n.proj.IsTab(n.stack[i].Route) {
				closeIDs = append(closeIDs, n.stack[i].Page)
			}
		}
		nav := &bridge.Nav{Action: action, Close: closeIDs, Tab: true}
		if alive, ok := n.tabs[route]; ok {
			n.stack = []bridge.NavOpen{alive}
			nav.Show = alive.Page
		} else {
			open := n.newPage(route, nil)
			n.tabs[route] = open
			n.stack = []bridge.NavOpen{open}
			nav.Open, nav.Show = &open, open.Page
		}
		return nav, nil
	}
	return nil, failf("unknown navigation %q", action)
}

func (n *navigator) back(delta int) (*bridge.Nav, error) {
	if delta < 1 {
		delta = 1
	}
	if len(n.stack) <= 1 {
		return nil, failf("cannot navigate back at first page.")
	}
	if delta > len(n.stack)-1 {
		delta = len(n.stack) - 1
	}
	var closeIDs []string
	for i := 0; i < delta; i++ {
		top := n.stack[len(n.stack)-1]
		n.stack = n.stack[:len(n.stack)-1]
		closeIDs = append(closeIDs, n.closing(top)...)
	}
	return &bridge.Nav{Action: "navigateBack", Close: closeIDs, Show: n.stack[len(n.stack)-1].Page}, nil
}

// closing is the instances to unload when p leaves the stack: none for a tab page,
// which stays alive.
func (n *navigator) closing(p bridge.NavOpen) []string {
	if alive, ok := n.tabs[p.Route]; ok && alive.Page == p.Page {
		return nil
	}
	return []string{p.Page}
}

func (n *navigator) newPage(route string, query map[string]string) bridge.NavOpen {
	n.nextID++
	if query == nil {
		query = map[string]string{}
	}
	return bridge.NavOpen{Page: fmt.Sprintf("p%d", n.nextID), Route: route, Query: query}
}

func (n *navigator) resolve(target string) (string, map[string]string, error) {
	return n.resolveFrom("", target)
}

// resolveFrom turns a url ("/pages/a/a?x=1", or relative to the current page's folder)
// into a known route and its query.
func (n *navigator) resolveFrom(current, target string) (string, map[string]string, error) {
	raw, rawQuery, _ := strings.Cut(target, "?")
	dir := ""
	if current != "" {
		dir = path.Dir(current)
	}
	route, ok := miniapp.BundlePath(dir, raw)
	if !ok {
		return "", nil, failf("page %q is not found", strings.TrimPrefix(raw, "/"))
	}
	route = strings.TrimSuffix(route, ".html")
	if _, ok := n.proj.Page(route); !ok || n.broken[route] {
		return "", nil, failf("page %q is not found", route)
	}
	// Values stay as written, percent-escapes and all: WeChat hands onLoad the raw
	// strings, and mini-apps call decodeURIComponent themselves.
	query := map[string]string{}
	for _, pair := range strings.Split(rawQuery, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if _, dup := query[k]; !dup {
			query[k] = v
		}
	}
	return route, query, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IsScriptURL reports whether a navigator's url is a javascript: (or vbscript:) URL,
// as the page reports it (resolved against the page's folder, so the scheme may follow
// a path: "/pages/index/javascript:;"). UI kits use url="javascript:;" for a link that
// does nothing; it does nothing here too: no navigation, no script, no error.
func IsScriptURL(url string) bool {
	p, _, _ := strings.Cut(url, "?")
	p = strings.ToLower(p)
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	p = strings.TrimSpace(p)
	return strings.HasPrefix(p, "javascript:") || strings.HasPrefix(p, "vbscript:")
}
