package logic

import (
	_ "embed"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// Extension scripts build the objects some host APIs return (docs/files.md): each is a
// function expression called once per runtime, after the framework and before any app
// code, with wx and the framework's extension kit (framework.js extKit). A new one is
// one embedded file and one line in extensionSources.

//go:embed js/files.js
var filesJS string

//go:embed js/subpackages.js
var subpackagesJS string

var extensionSources = []struct{ name, src string }{
	{"sandframe:files.js", filesJS},
	{"sandframe:subpackages.js", subpackagesJS},
}

var (
	extOnce  sync.Once
	extProgs []*goja.Program
	extErr   error
)

func compiledExtensions() ([]*goja.Program, error) {
	extOnce.Do(func() {
		for _, e := range extensionSources {
			p, err := goja.Compile(e.name, e.src, true)
			if err != nil {
				extErr = fmt.Errorf("%s: %w", e.name, err)
				return
			}
			extProgs = append(extProgs, p)
		}
	})
	return extProgs, extErr
}

// runExtensions runs every extension script with wx and the kit the framework returned.
func (r *Runtime) runExtensions(fwObj goja.Value) error {
	progs, err := compiledExtensions()
	if err != nil {
		return fmt.Errorf("logic: compile extensions: %w", err)
	}
	obj, ok := fwObj.(*goja.Object)
	if !ok {
		return fmt.Errorf("logic: framework returned %s, not an object", fwObj)
	}
	kit, wx := obj.Get("extKit"), r.vm.GlobalObject().Get("wx")
	for i, p := range progs {
		if err := r.runSetup(p, wx, kit); err != nil {
			return fmt.Errorf("logic: extension %s: %w", extensionSources[i].name, err)
		}
	}
	return nil
}
