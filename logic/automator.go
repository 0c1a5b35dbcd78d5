package logic

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/dop251/goja"
)

// The app side of WeChat's automator protocol (package automator, docs/automator.md).

//go:embed js/automator.js
var automatorJS string

var (
	autoOnce sync.Once
	autoProg *goja.Program
	autoErr  error
)

// Automate runs one automator request in the app's runtime and waits for its answer
// (an async wx method, a promise) until ctx ends. op is one of:
//
//	callWx       {"method", "args"}                          → what the method answers
//	mockWx       {"method", "result"} | {"method", "functionDeclaration", "args"} | {"method"} (restore)
//	callFunction {"functionDeclaration", "args"}             → its (awaited) return value
//	setData      {"id", "data"}  a page or component instance; answers once applied
//	getData      {"id"}                                      → its data
//	callMethod   {"id", "method", "args"}                    → its (awaited) return value
//	trigger      {"id", "type", "detail"} a component instance's triggerEvent
//
// Function declarations are compiled by the host for the test that sent them: the
// app's own code still cannot compile code at run time. Only the automator server
// (a developer's `--auto-port`, loopback only) calls this.
func (r *Runtime) Automate(ctx context.Context, op string, params json.RawMessage) (json.RawMessage, error) {
	type answer struct {
		v   json.RawMessage
		err error
	}
	ch := make(chan answer, 1)
	var once sync.Once
	reply := func(v json.RawMessage, err error) { once.Do(func() { ch <- answer{v, err} }) }
	if len(params) == 0 {
		params = json.RawMessage("{}")
	}
	if !r.loop.Enqueue(func() { r.automate(op, string(params), reply) }) {
		return nil, errors.New("logic: runtime stopped")
	}
	select {
	case a := <-ch:
		return a.v, a.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: no answer: %w", op, ctx.Err())
	case <-r.Done():
		return nil, errors.New("logic: runtime stopped")
	}
}

// automate runs on the loop.
func (r *Runtime) automate(op, params string, reply func(json.RawMessage, error)) {
	if r.auto == nil {
		if err := r.setupAutomator(); err != nil {
			reply(nil, err)
			return
		}
	}
	done := func(c goja.FunctionCall) goja.Value {
		text := c.Argument(1).String()
		if c.Argument(0).ToBoolean() {
			if !json.Valid([]byte(text)) {
				text = "null"
			}
			reply(json.RawMessage(text), nil)
		} else {
			reply(nil, errors.New(text))
		}
		return goja.Undefined()
	}
	if _, err := r.auto(goja.Undefined(), r.vm.ToValue(op), r.vm.ToValue(params), r.vm.ToValue(done)); err != nil {
		reply(nil, errors.New(r.describeAutoError(err)))
	}
}

func (r *Runtime) describeAutoError(err error) string {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		if o, ok := ex.Value().(*goja.Object); ok {
			if m := o.Get("message"); m != nil && !goja.IsUndefined(m) {
				return m.String()
			}
		}
		return ex.Value().String()
	}
	return err.Error()
}

// setupAutomator runs logic/js/automator.js once, on the first request.
func (r *Runtime) setupAutomator() error {
	autoOnce.Do(func() { autoProg, autoErr = goja.Compile("sandframe:automator.js", automatorJS, true) })
	if autoErr != nil {
		return fmt.Errorf("logic: compile automator: %w", autoErr)
	}
	if r.fwObj == nil {
		return errors.New("logic: the framework is not running")
	}
	var async []string
	for _, s := range r.opts.APIs {
		if !s.Sync && !s.Hidden && s.Path == "" {
			async = append(async, s.Name)
		}
	}
	compile := func(c goja.FunctionCall) goja.Value {
		p, err := goja.Compile("automator", "("+c.Argument(0).String()+"\n)", false)
		if err != nil {
			panic(r.vm.NewTypeError("automator: the function does not compile: %s", err))
		}
		v, err := r.vm.RunProgram(p)
		if err != nil {
			panic(err)
		}
		if _, ok := goja.AssertFunction(v); !ok {
			panic(r.vm.NewTypeError("automator: not a function declaration"))
		}
		return v
	}
	names, err := json.Marshal(async)
	if err != nil {
		return err
	}
	v, err := r.runSetupValue(autoProg, r.vm.GlobalObject(), r.vm.GlobalObject().Get("wx"), r.fwObj, r.vm.ToValue(string(names)), r.vm.ToValue(compile))
	if err != nil {
		return fmt.Errorf("logic: start automator: %w", err)
	}
	fn, ok := goja.AssertFunction(v)
	if !ok {
		return errors.New("logic: automator.js did not return a function")
	}
	r.auto = fn
	return nil
}
