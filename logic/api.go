package logic

import (
	"encoding/json"

	"github.com/sandframe/sandframe/internal/hostapi"
)

// wxKindsJSON is {kind: "name,name,..."}: six short strings are cheaper for each new
// runtime to take apart than an object of 495 members.
var wxKindsJSON = func() string {
	m := map[string]string{}
	for _, w := range hostapi.WxMethods() {
		if m[w.Kind] != "" {
			m[w.Kind] += ","
		}
		m[w.Kind] += w.Name
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
