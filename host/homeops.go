package host

import (
	"context"
	"encoding/json"
	"errors"
)

// LauncherOps runs one launcher operation (apps.list, app.launch ...) as the
// launcher's page would, for automation in test builds (the soak driver measures
// apps.list through it); nil refuses.
type LauncherOps func(ctx context.Context, op string, args json.RawMessage) (any, error)

// SetLauncherOps lets automation reach the launcher service; call it before the
// automation socket is used (the shell sets it only with --automation).
func (h *Home) SetLauncherOps(fn LauncherOps) { h.ops = fn }

// LauncherOp runs op through the launcher service.
func (h *Home) LauncherOp(ctx context.Context, op string, args json.RawMessage) (any, error) {
	if h.ops == nil {
		return nil, errors.New("this launcher takes no operations from automation")
	}
	return h.ops(ctx, op, args)
}
