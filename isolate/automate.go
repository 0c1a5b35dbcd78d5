package isolate

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/sandframe/sandframe/logic"
)

// The automator protocol's requests for an app whose logic runs in the child
// (logic.Runtime.Automate; package automator).

type automateRequest struct {
	Op     string          `json:"op"`
	Params json.RawMessage `json:"params"`
}

// automateTimeout bounds one request in the child: the parent stops waiting after
// requestTimeout anyway.
const automateTimeout = 30 * time.Second

// Automate runs an automator request in the child's runtime and waits for its answer,
// at most requestTimeout.
func (r *Runtime) Automate(ctx context.Context, op string, params json.RawMessage) (json.RawMessage, error) {
	type result struct {
		m   childMsg
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := r.request(tAutomate, tAutomateReply, automateRequest{Op: op, Params: params})
		ch <- result{m, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			return nil, res.err
		}
		if res.m.data.Error != "" {
			return nil, errors.New(res.m.data.Error)
		}
		return res.m.data.Data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// automate answers one request on the child's side.
func (c *child) automate(rt *logic.Runtime, id uint64, req automateRequest) {
	ctx, cancel := context.WithTimeout(context.Background(), automateTimeout)
	defer cancel()
	data, err := rt.Automate(ctx, req.Op, req.Params)
	reply := pageDataReply{Data: data}
	if err != nil {
		reply = pageDataReply{Error: truncate(err.Error(), maxErrorText)}
	}
	c.write(tAutomateReply, id, reply)
}
