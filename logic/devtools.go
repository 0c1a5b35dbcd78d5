package logic

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// ConsoleLine is one console.* call as DevTools shows it (docs/devtools.md): the
// level, the time, the formatted text, the mini-app source position of the call
// (mapped through the compiler's source map when there is one) and each argument as
// JSON, so that objects can be expanded.
type ConsoleLine struct {
	Time   time.Time         `json:"time"`
	Level  string            `json:"level"`
	Text   string            `json:"text"`
	File   string            `json:"file,omitempty"`
	Line   int               `json:"line,omitempty"`
	Column int               `json:"column,omitempty"`
	Args   []json.RawMessage `json:"args,omitempty"`
}

// Bounds of what one console line hands DevTools.
const (
	maxConsoleArgs     = 16
	maxConsoleArgBytes = 16 << 10
)

// devConsole reports a console.* call to Options.Console; it runs on the loop, only
// when Console is set (DevTools open), so an app without DevTools pays a nil check.
func (r *Runtime) devConsole(level, text string, args goja.Value) {
	line := ConsoleLine{Time: time.Now(), Level: level, Text: text}
	if len(line.Text) > MaxLogLine {
		line.Text = line.Text[:MaxLogLine]
	}
	for _, f := range r.vm.CaptureCallStack(16, nil) {
		name := f.SrcName()
		pos := f.Position()
		if name == "" || name == "<native>" || pos.Line == 0 || strings.HasPrefix(name, "sandframe:") {
			continue
		}
		col := pos.Column
		if !r.mapped[name] {
			col = firstLineColumn(pos.Line, col)
		}
		line.File, line.Line, line.Column = pos.Filename, pos.Line, col
		break
	}
	if obj, ok := args.(*goja.Object); ok {
		n := int(obj.Get("length").ToInteger())
		for i := 0; i < n && i < maxConsoleArgs; i++ {
			line.Args = append(line.Args, r.devJSON(obj.Get(fmt.Sprint(i)), maxConsoleArgBytes))
		}
	}
	r.opts.Console(line)
}

// devJSON is v as JSON for DevTools: JSON.stringify where it works, else its string
// as a JSON string; at most limit bytes (a longer value becomes a cut string).
func (r *Runtime) devJSON(v goja.Value, limit int) json.RawMessage {
	var text string
	if v == nil || goja.IsUndefined(v) {
		text = `"undefined"`
	} else if fn, ok := goja.AssertFunction(v); ok && fn != nil {
		text = devJSONString("function")
	} else if s, ok := r.stringify(v); ok {
		text = s
	} else {
		text = devJSONString(v.String())
	}
	if len(text) > limit {
		text = devJSONString(text[:limit] + "…")
	}
	return json.RawMessage(text)
}

// stringify is JSON.stringify(v) ("" and false when it throws, as on a cycle, or
// gives undefined).
func (r *Runtime) stringify(v goja.Value) (string, bool) {
	j, ok := r.vm.Get("JSON").(*goja.Object)
	if !ok {
		return "", false
	}
	fn, ok := goja.AssertFunction(j.Get("stringify"))
	if !ok {
		return "", false
	}
	out, err := fn(j, v)
	if err != nil || out == nil || goja.IsUndefined(out) {
		return "", false
	}
	return out.String(), true
}

func devJSONString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ErrNoEval is returned by Eval in a runtime that does not allow it.
var ErrNoEval = errors.New("logic: evaluating expressions is for DevTools of an app in development only")

// Eval evaluates expr in the app's runtime, on its loop and under its task budget, and
// returns the value as JSON (its string when it has no JSON form). Only DevTools of
// `shell dev` calls it, and only when Options.DevEval is set: an installed app never
// allows it.
func (r *Runtime) Eval(expr string) (json.RawMessage, error) {
	if !r.opts.DevEval {
		return nil, ErrNoEval
	}
	return r.onLoop(func() (json.RawMessage, error) {
		v, err := r.vm.RunScript("devtools:console", expr)
		if err != nil {
			var ex *goja.Exception
			if errors.As(err, &ex) {
				return nil, errors.New(ex.Value().String())
			}
			return nil, err
		}
		return r.devJSON(v, 256<<10), nil
	})
}

// SetPageData applies data (a JSON object of paths to values) to the page instance as
// its own setData would; "" is the page in front. DevTools' AppData panel edits with it.
func (r *Runtime) SetPageData(pageID string, data json.RawMessage) error {
	_, err := r.onLoop(func() (json.RawMessage, error) {
		if pageID == "" {
			pageID = r.front
		}
		idx := -1
		for i, id := range r.stack {
			if id == pageID {
				idx = i
			}
		}
		if idx < 0 {
			return nil, fmt.Errorf("logic: no page instance %q in the stack", pageID)
		}
		var obj map[string]any
		if err := json.Unmarshal(data, &obj); err != nil {
			return nil, fmt.Errorf("logic: setData needs a JSON object: %v", err)
		}
		pages, ok := goja.AssertFunction(r.vm.Get("getCurrentPages"))
		if !ok {
			return nil, errors.New("logic: getCurrentPages is gone")
		}
		list, err := pages(goja.Undefined())
		if err != nil {
			return nil, err
		}
		arr, ok := list.(*goja.Object)
		if !ok || int(arr.Get("length").ToInteger()) != len(r.stack) {
			return nil, errors.New("logic: the page stack is changing")
		}
		inst, ok := arr.Get(fmt.Sprint(idx)).(*goja.Object)
		if !ok {
			return nil, errors.New("logic: no page instance")
		}
		set, ok := goja.AssertFunction(inst.Get("setData"))
		if !ok {
			return nil, errors.New("logic: the page has no setData")
		}
		_, err = set(inst, r.vm.ToValue(obj))
		return nil, err
	})
	return err
}

// onLoop runs f on the loop and waits for its answer.
func (r *Runtime) onLoop(f func() (json.RawMessage, error)) (json.RawMessage, error) {
	if r.loop.OnLoop() {
		return f()
	}
	type result struct {
		v   json.RawMessage
		err error
	}
	ch := make(chan result, 1)
	if !r.loop.Enqueue(func() {
		v, err := f()
		ch <- result{v, err}
	}) {
		return nil, errors.New("logic: runtime stopped")
	}
	select {
	case res := <-ch:
		return res.v, res.err
	case <-r.Done():
		return nil, errors.New("logic: runtime stopped")
	}
}

// ComponentData is a live component instance's data as JSON (DevTools' AppData).
func (r *Runtime) ComponentData(id string) (json.RawMessage, error) {
	return r.onLoop(func() (json.RawMessage, error) {
		if strings.HasPrefix(id, "p") {
			return nil, fmt.Errorf("logic: %q is a page", id)
		}
		v, err := r.fw.pageData(goja.Undefined(), r.vm.ToValue(id))
		if err != nil {
			return nil, fmt.Errorf("logic: data of %s: %w", id, err)
		}
		return json.RawMessage(v.String()), nil
	})
}
