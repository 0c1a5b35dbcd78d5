package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// LauncherOps runs one launcher operation (apps.list, app.launch ...) as the
// launcher's page would, for automation in test builds (the soak driver measures
// apps.list through it); nil refuses.
type LauncherOps func(ctx context.Context, op string, args json.RawMessage) (any, error)

// SetLauncherOps lets automation reach the launcher service (the shell sets it only
// with --automation, once the service exists); call it at most once.
func (h *Home) SetLauncherOps(fn LauncherOps) {
	h.ops = fn
	close(h.opsSet)
}

// LauncherOp runs op through the launcher service. The automation socket opens with
// the launcher's window, before the service is made: an operation asked for in
// between waits for it rather than being refused.
func (h *Home) LauncherOp(ctx context.Context, op string, args json.RawMessage) (any, error) {
	select {
	case <-h.opsSet:
	case <-ctx.Done():
		return nil, fmt.Errorf("launcher operation %s: %w", op, ctx.Err())
	}
	if h.ops == nil {
		return nil, errors.New("this launcher takes no operations from automation")
	}
	return h.ops(ctx, op, args)
}
