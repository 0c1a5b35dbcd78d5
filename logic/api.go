package logic

import (
	_ "embed"
	"encoding/json"
	"strings"
)

// wxNamesFile lists every method of interface Wx in WeChat's typings with the shape of
// its stand-in (scripts/wx-names.sh writes it; docs/apis.md). wx offers each one: the
// host APIs the registry declares (Options.APIs), the framework's own (nextTick,
// canIUse), and for the others a stand-in that answers "not supported on this platform".
//
//go:embed wxnames.txt
var wxNamesFile string

// WxMethod is one method of WeChat's Wx interface and the shape of its stand-in.
type WxMethod struct {
	Name string
	Kind string // async, sync, event, object, promise, call
}

// WxMethods lists the methods of WeChat's Wx interface, in the file's order.
func WxMethods() []WxMethod {
	var out []WxMethod
	for _, line := range strings.Split(wxNamesFile, "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		out = append(out, WxMethod{Name: f[0], Kind: f[1]})
	}
	return out
}

// wxKindsJSON is {name: kind} for the framework's stand-ins.
var wxKindsJSON = func() string {
	m := map[string]string{}
	for _, w := range WxMethods() {
		m[w.Name] = w.Kind
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// apisJSON is what the framework builds wx's host APIs from.
func (r *Runtime) apisJSON() string {
	b, err := json.Marshal(r.opts.APIs)
	if err != nil || r.opts.APIs == nil {
		return "[]"
	}
	return string(b)
}

// builtinsJSON lists the built-in components the page's runtime renders, for canIUse.
func (r *Runtime) builtinsJSON() string {
	b, err := json.Marshal(r.opts.Builtins)
	if err != nil || r.opts.Builtins == nil {
		return "[]"
	}
	return string(b)
}
