//go:build sandframe_testhooks

package automation

import (
	"context"
	"encoding/json"
	"fmt"
)

// Built only with -tags sandframe_testhooks, for tests: a script run in the page as if
// a hostile mini-app had smuggled code into it, and answers to the shell's own dialogs
// as a person would give them. Release builds have none of these methods.

// Dialogs is what a target offers the dialog hooks.
type Dialogs interface {
	OpenDialogs() int
	AnswerPrompt(button int) error
	AnswerSettings(on []bool) error
	AnswerFiles(path string) error
}

func init() {
	extraMethods["test.inject"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Script string `json:"script"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		ev, ok := t.(interface{ Eval(string) error })
		if !ok {
			return nil, fmt.Errorf("test.inject: target cannot run scripts")
		}
		return struct{}{}, ev.Eval(p.Script)
	}
	dialogs := func(t Target) (Dialogs, error) {
		d, ok := t.(Dialogs)
		if !ok {
			return nil, fmt.Errorf("target has no dialogs")
		}
		return d, nil
	}
	extraMethods["test.dialogs"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		d, err := dialogs(t)
		if err != nil {
			return nil, err
		}
		return map[string]int{"count": d.OpenDialogs()}, nil
	}
	extraMethods["test.answerPrompt"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Button int `json:"button"`
		}
		d, err := dialogs(t)
		if err == nil {
			err = json.Unmarshal(params, &p)
		}
		if err != nil {
			return nil, err
		}
		return struct{}{}, d.AnswerPrompt(p.Button)
	}
	extraMethods["test.answerSettings"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			On []bool `json:"on"`
		}
		d, err := dialogs(t)
		if err == nil {
			err = json.Unmarshal(params, &p)
		}
		if err != nil {
			return nil, err
		}
		return struct{}{}, d.AnswerSettings(p.On)
	}
	extraMethods["test.answerPIN"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			PIN string `json:"pin"`
		}
		a, ok := t.(interface{ AnswerPIN(string) error })
		if !ok {
			return nil, fmt.Errorf("target has no PIN dialog")
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		return struct{}{}, a.AnswerPIN(p.PIN)
	}
	extraMethods["test.answerFiles"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Path string `json:"path"`
		}
		d, err := dialogs(t)
		if err == nil {
			err = json.Unmarshal(params, &p)
		}
		if err != nil {
			return nil, err
		}
		return struct{}{}, d.AnswerFiles(p.Path)
	}
	extraMethods["test.stacks"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		st, ok := t.(interface {
			StackViewsJSON(ctx context.Context) (json.RawMessage, error)
		})
		if !ok {
			return nil, fmt.Errorf("target has no page stack views")
		}
		return st.StackViewsJSON(ctx)
	}
	extraMethods["test.closeWindow"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		c, ok := t.(interface{ PressClose() error })
		if !ok {
			return nil, fmt.Errorf("target has no window to close")
		}
		return struct{}{}, c.PressClose()
	}
}
