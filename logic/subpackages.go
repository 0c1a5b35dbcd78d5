package logic

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/miniapp"
)

// Subpackage is one of app.json's subpackages as logic needs it (docs/subpackages.md).
type Subpackage struct {
	Root        string `json:"root"`
	Independent bool   `json:"independent,omitempty"`
	// Pending: its files are not there yet; require.async of one of its modules
	// fetches it first (the subpackage.load API).
	Pending bool `json:"pending,omitempty"`
}

// packageOf is the root of the subpackage holding file, "" for the main package.
func (r *Runtime) packageOf(file string) (Subpackage, bool) {
	for _, sp := range r.opts.Subpackages {
		if strings.HasPrefix(file, sp.Root+"/") {
			return sp, true
		}
	}
	return Subpackage{}, false
}

// crossPackage enforces WeChat's rule for require: a module may require its own
// package's modules and, unless it is in an independent subpackage, the main
// package's; any other, only with require.async.
func (r *Runtime) crossPackage(from, request, file string) error {
	if len(r.opts.Subpackages) == 0 {
		return nil
	}
	fp, _ := r.packageOf(from)
	tp, _ := r.packageOf(file)
	if why := miniapp.ModuleRule(fp.Root, tp.Root, fp.Independent); why != "" {
		return fmt.Errorf("require(%q) from %s: %s %s", request, from, file, why)
	}
	return nil
}

// resolveAsync is require.async's resolver: {file, fetch}, fetch naming the pending
// subpackage to load first ("" when the file is there). The package rule does not
// apply: require.async is the way across packages.
func (r *Runtime) resolveAsync(c goja.FunctionCall) goja.Value {
	from, request := c.Argument(0).String(), c.Argument(1).String()
	file, err := resolveModule(r.opts.FS, from, request)
	fetch := ""
	if err != nil {
		// Not there: it may be in a subpackage not fetched yet.
		guess, ok := miniapp.BundlePath(path.Dir(from), request)
		if strings.HasPrefix(request, "/") {
			guess, ok = miniapp.BundlePath("", request)
		}
		sp, in := r.packageOf(guess)
		if !ok || !in || !sp.Pending {
			panic(r.jsError("%s", err.Error()))
		}
		fetch, file = sp.Root, guess
	}
	o := r.vm.NewObject()
	_ = o.Set("file", file)
	_ = o.Set("fetch", fetch)
	return o
}

// LoadUnits loads files that arrived after the start (a subpackage fetched on
// demand): app.js first when app is set (the main package after an independent
// subpackage's launch, whose App then launches), then components, then pages. Pages
// that use components are listed in componentPages. A file that fails to load is
// returned as an error naming it; the runtime goes on.
func (r *Runtime) LoadUnits(app bool, components, pages, componentPages []string) error {
	errc := make(chan error, 1)
	ok := r.loop.Enqueue(func() {
		for i := range r.opts.Subpackages {
			for _, p := range append(append([]string(nil), pages...), components...) {
				if strings.HasPrefix(p, r.opts.Subpackages[i].Root+"/") {
					r.opts.Subpackages[i].Pending = false
				}
			}
		}
		var errs []error
		if app {
			if err := r.loadEntry("app", "app"); err != nil {
				errc <- err
				return
			}
		}
		for _, c := range components {
			if err := r.loadEntry(c, "comp"); err != nil {
				r.log.Warn("logic: component left out", "component", c, "err", err)
			}
		}
		for _, p := range pages {
			if err := r.loadEntry(p, "page"); err != nil {
				errs = append(errs, err)
				r.brokenPages = append(r.brokenPages, p)
			}
		}
		r.opts.ComponentPages = append(r.opts.ComponentPages, componentPages...)
		if err := r.refreshDefs(); err != nil {
			errs = append(errs, err)
		}
		if app {
			r.call(r.fw.launch, r.launchJSON)
		}
		errc <- errors.Join(errs...)
	})
	if !ok {
		return errors.New("logic: the runtime has stopped")
	}
	select {
	case err := <-errc:
		return err
	case <-r.Done():
		return errors.New("logic: the runtime has stopped")
	}
}

// refreshDefs reads the component definitions the framework holds: at start, and
// again after a subpackage registered new ones.
func (r *Runtime) refreshDefs() error {
	defsJSON, err := r.fw.componentDefs(goja.Undefined())
	if err != nil {
		return fmt.Errorf("logic: component definitions: %w", err)
	}
	defs := map[string]ComponentDef{}
	if err := json.Unmarshal([]byte(defsJSON.String()), &defs); err != nil {
		return fmt.Errorf("logic: component definitions: %w", err)
	}
	r.mu.Lock()
	r.defs = defs
	r.mu.Unlock()
	return nil
}
