package logic

import (
	"encoding/json"
	"strings"

	"github.com/sandframe/sandframe/internal/hostapi"
)

// wxKindsJSON is {kind: "name,name,..."}: six short strings are cheaper for each new
// runtime to take apart than an object of 495 members. Joined once per kind: appending
// name by name copied each kind's string again (2 MB, 8–20 ms of every process start).
var wxKindsJSON = func() string {
	names := map[string][]string{}
	for _, w := range hostapi.WxMethods() {
		names[w.Kind] = append(names[w.Kind], w.Name)
	}
	m := make(map[string]string, len(names))
	for kind, list := range names {
		m[kind] = strings.Join(list, ",")
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

// ownAPIsJSON names the methods the framework implements itself, for wx.canIUse.
var ownAPIsJSON = func() string {
	b, err := json.Marshal(hostapi.FrameworkAPIs)
	if err != nil {
		panic(err)
	}
	return string(b)
}()
