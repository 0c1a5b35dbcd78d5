//go:build sandframe_testhooks

package automation

import (
	"context"
	"encoding/json"
	"errors"
)

// test.iconify {"iconified": true|false}: the window reports itself minimised or
// restored, as a window manager would make it (a bare X server has none).
func init() {
	extraMethods["test.iconify"] = func(_ context.Context, t Target, params json.RawMessage) (any, error) {
		var p struct {
			Iconified bool `json:"iconified"`
		}
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		w, ok := t.(interface{ SimulateIconify(bool) error })
		if !ok {
			return nil, errors.New("test.iconify: this target has no window")
		}
		return struct{}{}, w.SimulateIconify(p.Iconified)
	}
}
