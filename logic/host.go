package logic

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// framework holds the functions the framework script returned to Go. Mini-app code
// never sees this object.
type framework struct {
	loadEntry, componentDefs, launch, newPage, pageLife goja.Callable
	attach, detach, props, event, settle, report        goja.Callable
	rejection, pageData, appLife                        goja.Callable
	model, pageScrolls, appEvent, moved                 goja.Callable
	queryResult                                         goja.Callable // query.js, docs/queries.md
	queryPending                                        goja.Callable // how many questions wait (tests)
	media                                               goja.Callable // an InnerAudioContext event
	apiEvent                                            goja.Callable // js/tasks.js: a host API's event
}

func bindFramework(v goja.Value) (framework, error) {
	obj, ok := v.(*goja.Object)
	if !ok {
		return framework{}, fmt.Errorf("logic: framework returned %s, not an object", v)
	}
	var fw framework
	var missing string
	get := func(name string) goja.Callable {
		fn, ok := goja.AssertFunction(obj.Get(name))
		if !ok && missing == "" {
			missing = name
		}
		return fn
	}
	fw.loadEntry, fw.componentDefs, fw.launch = get("loadEntry"), get("componentDefs"), get("launch")
	fw.newPage, fw.pageLife, fw.attach = get("newPage"), get("pageLife"), get("attach")
	fw.detach, fw.props, fw.event = get("detach"), get("props"), get("event")
	fw.settle, fw.report, fw.rejection = get("settle"), get("report"), get("rejection")
	fw.pageData, fw.appLife = get("pageData"), get("appLife")
	fw.model, fw.pageScrolls, fw.appEvent, fw.moved = get("model"), get("pageScrolls"), get("appEvent"), get("moved")
	fw.queryResult, fw.queryPending = get("queryResult"), get("queryPending")
	fw.media = get("media")
	fw.apiEvent = get("apiEvent")
	if missing != "" {
		return framework{}, fmt.Errorf("logic: framework does not export %s", missing)
	}
	return fw, nil
}

// hostObject builds the natives the framework closure receives. Each takes and returns
// only strings, numbers, booleans, arrays of those, or JS functions: no Go value is
// ever wrapped for JS.
func (r *Runtime) hostObject() *goja.Object {
	vm := r.vm
	h := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = h.Set(name, fn)
	}
	_ = h.Set("maxSetData", r.opts.MaxSetDataBytes)
	_ = h.Set("maxIndexGap", bridge.MaxIndexGap)
	_ = h.Set("apis", r.apisJSON())
	_ = h.Set("wxKinds", wxKindsJSON)
	_ = h.Set("ownAPIs", ownAPIsJSON)
	_ = h.Set("builtins", r.builtinsJSON())
	r.addQueryNatives(h)
	_ = h.Set("taskLayer", r.taskLayer())

	set("compile", func(c goja.FunctionCall) goja.Value { return r.compileModule(c.Argument(0).String()) })
	set("entry", func(c goja.FunctionCall) goja.Value { return vm.ToValue(entryFile(r.opts.FS, c.Argument(0).String())) })
	set("resolve", func(c goja.FunctionCall) goja.Value {
		from, req := c.Argument(0).String(), c.Argument(1).String()
		p, err := resolveModule(r.opts.FS, from, req)
		if err == nil {
			err = r.crossPackage(from, req, p)
		}
		if err != nil {
			panic(r.jsError("%s", err.Error()))
		}
		return vm.ToValue(p)
	})
	set("resolveAsync", r.resolveAsync)
	set("parsePath", func(c goja.FunctionCall) goja.Value {
		segs, err := ParsePath(c.Argument(0).String())
		if err != nil {
			panic(r.jsError("%s", err.Error()))
		}
		items := make([]any, len(segs))
		for i, s := range segs {
			if s.IsIndex {
				items[i] = s.Index
			} else {
				items[i] = s.Key
			}
		}
		return vm.NewArray(items...)
	})
	set("entryLen", func(c goja.FunctionCall) goja.Value {
		// String() of an ASCII goja string is free; others convert once, as they will
		// when the push is encoded.
		return vm.ToValue(jsonStringLen(c.Argument(0).String()) + 1 + len(c.Argument(1).String()))
	})
	set("diff", func(c goja.FunctionCall) goja.Value {
		r.batch.set(c.Argument(0).String(), c.Argument(1).String(), c.Argument(2).String())
		return goja.Undefined()
	})
	set("media", r.mediaOp)
	set("afterPush", func(c goja.FunctionCall) goja.Value {
		if fn, ok := goja.AssertFunction(c.Argument(0)); ok {
			// This turn's push will be seq+1 (setData queued at least one op).
			r.afterPush = append(r.afterPush, pushCallback{seq: r.seq + 1, fn: fn})
		}
		return goja.Undefined()
	})
	set("nextTick", func(c goja.FunctionCall) goja.Value {
		if fn, ok := goja.AssertFunction(c.Argument(0)); ok {
			r.ticks = append(r.ticks, fn)
		}
		return goja.Undefined()
	})
	set("callAPI", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(r.callAPI(c.Argument(0).String(), c.Argument(1).String()))
	})
	set("callSync", func(c goja.FunctionCall) goja.Value {
		return vm.ToValue(r.callSync(c.Argument(0).String(), c.Argument(1).String()))
	})
	// log is console.*; note is the framework's own diagnostics (warnings, uncaught errors).
	// Both are bounded (logbound.go).
	lines := &logBudget{}
	set("log", func(c goja.FunctionCall) goja.Value {
		lines.write(r.log, consoleLevel(c.Argument(0).String()), c.Argument(1).String(), "console")
		if r.opts.Console != nil {
			r.devConsole(c.Argument(0).String(), c.Argument(1).String(), c.Argument(2))
		}
		return goja.Undefined()
	})
	set("note", func(c goja.FunctionCall) goja.Value {
		lines.write(r.log, consoleLevel(c.Argument(0).String()), c.Argument(1).String(), "runtime")
		return goja.Undefined()
	})
	set("stack", func(goja.FunctionCall) goja.Value {
		items := make([]any, len(r.stack))
		for i, id := range r.stack {
			items[i] = id
		}
		return vm.NewArray(items...)
	})
	return h
}

func consoleLevel(s string) slog.Level {
	switch s {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

// ---- timers ----------------------------------------------------------------------

type jsTimer struct {
	fn     goja.Callable
	args   []goja.Value
	every  time.Duration
	repeat bool
	t      *time.Timer
}

func (t *jsTimer) stop() {
	if t.t != nil {
		t.t.Stop()
	}
}

func (r *Runtime) installTimers() {
	g := r.vm.GlobalObject()
	for _, spec := range []struct {
		name   string
		repeat bool
	}{{"setTimeout", false}, {"setInterval", true}} {
		_ = g.Set(spec.name, r.setTimer(spec.name, spec.repeat))
	}
	clear := func(c goja.FunctionCall) goja.Value {
		id := c.Argument(0).ToInteger()
		if t, ok := r.timers[id]; ok {
			t.stop()
			delete(r.timers, id)
		}
		return goja.Undefined()
	}
	_ = g.Set("clearTimeout", clear)
	_ = g.Set("clearInterval", clear)
}

func (r *Runtime) setTimer(name string, repeat bool) func(goja.FunctionCall) goja.Value {
	stringType := reflect.TypeOf("")
	return func(c goja.FunctionCall) goja.Value {
		first := c.Argument(0)
		fn, ok := goja.AssertFunction(first)
		if !ok {
			if first.ExportType() == stringType {
				panic(r.jsError("eval is not allowed in mini-apps: %s(string) compiles code at run time; pass a function", name))
			}
			panic(r.vm.NewTypeError(name + ": the first argument must be a function"))
		}
		d := clampDelay(c.Argument(1))
		if repeat && d < time.Millisecond {
			d = time.Millisecond // an interval of 0 would spin the loop
		}
		var args []goja.Value
		if len(c.Arguments) > 2 {
			args = append(args, c.Arguments[2:]...)
		}
		r.timerSeq++
		id := r.timerSeq
		t := &jsTimer{fn: fn, args: args, every: d, repeat: repeat}
		r.timers[id] = t
		r.armTimer(id, t, d)
		return r.vm.ToValue(id)
	}
}

// armTimer schedules the timer's job; the job re-checks that the timer still exists, so
// a clear that races with the firing wins.
func (r *Runtime) armTimer(id int64, t *jsTimer, d time.Duration) {
	t.t = time.AfterFunc(d, func() {
		r.loop.Enqueue(func() {
			if r.timers[id] != t {
				return
			}
			if !t.repeat {
				delete(r.timers, id)
			}
			if _, err := t.fn(goja.Undefined(), t.args...); err != nil {
				r.reportErr(err)
			}
			if t.repeat && r.timers[id] == t {
				r.armTimer(id, t, t.every)
			}
		})
	})
}

// ---- host APIs -------------------------------------------------------------------

func (r *Runtime) callAPI(name, argsJSON string) uint64 {
	r.apiSeq++
	id := r.apiSeq
	r.apiPending[id] = name
	env, err := bridge.NewEnvelope(bridge.KindAPI, bridge.APICall{ID: id, Name: name, Args: json.RawMessage(argsJSON)})
	if err != nil {
		panic(r.jsError("wx.%s: arguments are not JSON: %v", name, err))
	}
	r.send(env)
	return id
}

func (r *Runtime) callSync(name, argsJSON string) string {
	r.apiSeq++
	call := bridge.APICall{ID: r.apiSeq, Name: name, Args: json.RawMessage(argsJSON), Sync: true}
	var res bridge.APIResult
	if r.opts.CallSync == nil {
		res = bridge.APIResult{ID: call.ID, Result: failResult(name, "no synchronous host APIs")}
	} else {
		// The host's time is not the app's: the task budget clock stops meanwhile.
		used, paused := int64(0), false
		if r.watch != nil {
			used, paused = r.watch.pause()
		}
		res = r.opts.CallSync(call)
		if paused {
			r.watch.resume(used)
		}
	}
	if len(res.Result) == 0 {
		res.Result = failResult(name, "the host gave no result")
		res.OK = false
	}
	out, err := json.Marshal(struct {
		OK     bool            `json:"ok"`
		Result json.RawMessage `json:"result"`
	}{res.OK, res.Result})
	if err != nil {
		return fmt.Sprintf(`{"ok":false,"result":%s}`, failResult(name, "invalid result JSON"))
	}
	return string(out)
}

func failResult(name, why string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{"errMsg": name + ":fail " + why})
	return b
}
