package assets

import (
	"io/fs"
	"regexp"
	"sort"
	"sync"
)

// builtinDef matches a behaviour the runtime registers: BUILTINS.name = … or
// BUILTINS["name"] = … at the start of a line of runtime/*.js.
var builtinDef = regexp.MustCompile(`(?m)^BUILTINS(?:\.([a-z][a-z0-9-]*)|\["([a-z][a-z0-9-]*)"\])\s*=`)

// plainComponents render as plain containers without a behaviour of their own.
var plainComponents = []string{"view", "block"}

var components = sync.OnceValue(func() []string {
	set := map[string]bool{}
	for _, c := range plainComponents {
		set[c] = true
	}
	names, _ := fs.Glob(Files(), "*.js")
	for _, n := range names {
		src, err := fs.ReadFile(Files(), n)
		if err != nil {
			continue
		}
		for _, m := range builtinDef.FindAllStringSubmatch(string(src), -1) {
			set[m[1]+m[2]] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
})

// Components lists the built-in components the render runtime renders with their own
// behaviour (button, scroll-view, ...) or as a plain container (view): what
// wx.canIUse answers for components. Read from the runtime itself, so that a new
// ctl-*.js is counted without a second list.
func Components() []string { return append([]string(nil), components()...) }
