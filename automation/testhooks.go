//go:build sandframe_testhooks

package automation

import (
	"context"
	"encoding/json"
	"errors"
)

// Built only with -tags sandframe_testhooks, for the bridge's forgery tests: a script
// run in the page as if a hostile mini-app had smuggled code into it. Release builds
// have no such method.
func init() {
	extraMethods["test.inject"] = func(ctx context.Context, t Target, params json.RawMessage) (any, error) {
		ev, ok := t.(interface{ Eval(string) error })
		if !ok {
			return nil, errors.New("test.inject: target cannot run scripts")
		}
		var p struct {
			Script string `json:"script"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		return struct{}{}, ev.Eval(p.Script)
	}
}
