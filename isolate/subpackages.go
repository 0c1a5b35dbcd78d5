package isolate

import (
	"errors"
	"fmt"

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
	App            bool     `json:"app,omitempty"`
	Components     []string `json:"components,omitempty"`
	Pages          []string `json:"pages,omitempty"`
	ComponentPages []string `json:"componentPages,omitempty"`
}

type loadUnitsReply struct {
	Error string             `json:"error,omitempty"`
	Defs  map[string]wireDef `json:"defs,omitempty"`
}

// LoadUnits is logic.Runtime.LoadUnits in the child.
func (r *Runtime) LoadUnits(app bool, components, pages, componentPages []string) error {
	m, err := r.request(tLoadUnits, tLoadUnitsReply, loadUnitsBody{App: app, Components: components, Pages: pages, ComponentPages: componentPages})
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
