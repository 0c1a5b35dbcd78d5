package lint

import (
	"io/fs"

	"github.com/sandframe/sandframe/internal/jsc"
	"github.com/sandframe/sandframe/miniapp"
)

// reachable returns the JavaScript files the logic runtime loads: app.js, every page's
// and component's script, and what they require by a literal path, transitively
// (requires maps a file to the files its literal requires resolve to). ok is false
// when app.json does not say which pages and components there are: then every file
// counts as reachable.
func reachable(fsys fs.FS, requires map[string][]string) (set map[string]bool, ok bool) {
	proj, err := miniapp.LoadWith(fsys, miniapp.LoadOptions{KeepGoing: true})
	if err != nil {
		return nil, false
	}
	var queue []string
	set = map[string]bool{}
	add := func(file string) {
		if !set[file] {
			set[file] = true
			queue = append(queue, file)
		}
	}
	entry := func(route string) {
		for _, ext := range []string{".js", ".ts"} {
			if jsc.IsModuleFile(fsys, route+ext) {
				add(route + ext)
			}
		}
	}
	entry("app")
	for _, p := range proj.Pages {
		entry(p.Route)
	}
	for _, c := range proj.Components {
		entry(c.Path)
	}
	for len(queue) > 0 {
		file := queue[0]
		queue = queue[1:]
		for _, dep := range requires[file] {
			add(dep)
		}
	}
	return set, true
}

// demoteUnreachableSyntax makes js/syntax findings in files nothing loads warnings:
// WeChat's tools build such an app, and the logic runtime never compiles the file
// (a dynamic require of it fails at run time, in that call only). Security findings in
// those files keep their severity (docs/lint.md, "Unreachable files").
func demoteUnreachableSyntax(out []Finding, set map[string]bool) {
	for i := range out {
		f := &out[i]
		if f.Rule == "js/syntax" && f.Severity == SeverityError && !set[f.File] {
			f.Severity = SeverityWarning
			f.Message += " (no page, component or app.js requires this file by a literal path, so the app runs without it)"
		}
	}
}
