package logic

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// The task layer (js/tasks.js): SocketTask, the global socket forms and
// wx.onNetworkStatusChange over the registry's plain calls, and the sink of the host's
// bridge.APIEvent messages. Compiled once, run per runtime by the framework.
//
//go:embed js/tasks.js
var tasksJS string

var (
	tasksOnce sync.Once
	tasksProg *goja.Program
	tasksErr  error
)

// taskLayer is the task layer's setup function, for the framework to call with wx.
func (r *Runtime) taskLayer() goja.Value {
	tasksOnce.Do(func() { tasksProg, tasksErr = goja.Compile("sandframe:tasks.js", tasksJS, true) })
	if tasksErr != nil {
		panic(r.jsError("tasks.js: %s", tasksErr.Error()))
	}
	v, err := r.vm.RunProgram(tasksProg)
	if err != nil {
		panic(r.jsError("tasks.js: %s", err.Error()))
	}
	return v
}

// apiEventJob checks an APIEvent against the declarations (the API exists and lists
// the event; data is an object) and makes the loop job that hands it to the task layer.
func (r *Runtime) apiEventJob(payload json.RawMessage) (func(), error) {
	var ev bridge.APIEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, fmt.Errorf("apiEvent: %w", err)
	}
	known := false
	for _, s := range r.opts.APIs {
		if s.Name == ev.API {
			known = slices.Contains(s.Events, ev.Event)
			break
		}
	}
	if !known {
		return nil, fmt.Errorf("apiEvent: %q is not an event of API %q", ev.Event, ev.API)
	}
	data := bytes.TrimSpace(ev.Data)
	if len(data) == 0 {
		data = []byte("{}")
	}
	if data[0] != '{' {
		return nil, fmt.Errorf("apiEvent: data of %s.%s is not an object", ev.API, ev.Event)
	}
	return func() { r.call(r.fw.apiEvent, ev.API, ev.Task, ev.Event, string(data)) }, nil
}
