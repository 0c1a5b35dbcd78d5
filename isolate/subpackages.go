package isolate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"testing/fstest"

	"github.com/sandframe/sandframe/logic"
)

// Subpackages fetched after the start (docs/subpackages.md): the parent asks the child
// to load their files (now in its folder) with loadUnits; the child answers with the
// component definitions as they are after.
const (
	tLoadUnits      = "loadUnits"      // parent → child; id; body loadUnitsBody
	tLoadUnitsReply = "loadUnitsReply" // child → parent; id of the request; body loadUnitsReply
)

type loadUnitsBody struct {
	// Files are the code files of the subpackages the units are in (the child, confined
	// with its code preloaded, cannot read them from the folder).
	Files          map[string][]byte `json:"files,omitempty"`
	App            bool              `json:"app,omitempty"`
	Components     []string          `json:"components,omitempty"`
	Pages          []string          `json:"pages,omitempty"`
	ComponentPages []string          `json:"componentPages,omitempty"`
}

type loadUnitsReply struct {
	Error string             `json:"error,omitempty"`
	Defs  map[string]wireDef `json:"defs,omitempty"`
}

// LoadUnits is logic.Runtime.LoadUnits in the child.
func (r *Runtime) LoadUnits(app bool, components, pages, componentPages []string) error {
	files := map[string][]byte{}
	roots := map[string]bool{}
	for _, u := range append(append([]string(nil), components...), pages...) {
		for _, sp := range r.o.Logic.Subpackages {
			if strings.HasPrefix(u, sp.Root+"/") && !roots[sp.Root] {
				roots[sp.Root] = true
				sub, err := fs.Sub(os.DirFS(r.o.Dir), sp.Root)
				if err != nil {
					return err
				}
				code, err := preloadCode(sub)
				if err != nil {
					return fmt.Errorf("isolate: subpackage %s: %w", sp.Root, err)
				}
				for p, f := range code {
					files[path.Join(sp.Root, p)] = f.Data
				}
			}
		}
	}
	m, err := r.request(tLoadUnits, tLoadUnitsReply, loadUnitsBody{Files: files, App: app, Components: components, Pages: pages, ComponentPages: componentPages})
	if err != nil {
		return err
	}
	if m.units.Defs != nil {
		r.mu.Lock()
		r.defs = fromWireDefs(m.units.Defs)
		r.mu.Unlock()
	}
	if m.units.Error != "" {
		return errors.New(m.units.Error)
	}
	return nil
}

// loadUnits serves tLoadUnits in the child.
func (c *child) loadUnits(rt *logic.Runtime, id uint64, req loadUnitsBody) {
	reply := loadUnitsReply{}
	if c.grown != nil {
		c.grown.add(req.Files)
	}
	if err := rt.LoadUnits(req.App, req.Components, req.Pages, req.ComponentPages); err != nil {
		reply.Error = truncate(err.Error(), maxErrorText)
	}
	defs, err := toWireDefs(rt.Definitions())
	if err != nil {
		reply.Error = truncate(fmt.Sprintf("isolate: encode component definitions: %v", err), maxErrorText)
	} else {
		reply.Defs = defs
	}
	c.write(tLoadUnitsReply, id, reply)
}

// growFS is the child's preloaded code, which fetched subpackages join.
type growFS struct {
	mu sync.RWMutex
	m  fstest.MapFS
}

func (g *growFS) Open(name string) (fs.File, error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.m.Open(name)
}

func (g *growFS) add(files map[string][]byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for p, b := range files {
		g.m[path.Clean(p)] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
}
