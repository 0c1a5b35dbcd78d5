package host

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/sandframe/sandframe/bridge"
)

// probeTable matches the automation probes sent to a page with the answers it posts
// back (a mini-app's page and the launcher's run the same probes).
type probeTable struct {
	mu      sync.Mutex
	next    uint64
	waiting map[uint64]chan bridge.ProbeResult
}

// ask sends a probe once ready is closed (the page can hear it) and waits for its answer.
func (p *probeTable) ask(ctx context.Context, ready <-chan struct{}, send func(bridge.Envelope) error, op, selector, value string) (json.RawMessage, error) {
	select {
	case <-ready:
	case <-ctx.Done():
		return nil, fmt.Errorf("%s %s: the page has not loaded", op, selector)
	}
	ch := make(chan bridge.ProbeResult, 1)
	p.mu.Lock()
	if p.waiting == nil {
		p.waiting = map[uint64]chan bridge.ProbeResult{}
	}
	p.next++
	id := p.next
	p.waiting[id] = ch
	p.mu.Unlock()
	env, err := bridge.NewEnvelope(bridge.KindProbe, bridge.Probe{ID: id, Op: op, Selector: selector, Value: value})
	if err == nil {
		err = send(env)
	}
	if err != nil {
		p.forget(id)
		return nil, err
	}
	select {
	case r := <-ch:
		if !r.OK {
			return nil, fmt.Errorf("%s %s: %s", op, selector, r.Error)
		}
		return r.Result, nil
	case <-ctx.Done():
		p.forget(id)
		return nil, fmt.Errorf("%s %s: the page did not answer: %w", op, selector, ctx.Err())
	}
}

// answer hands the page's answer to the probe waiting for it.
func (p *probeTable) answer(r bridge.ProbeResult) {
	p.mu.Lock()
	ch := p.waiting[r.ID]
	delete(p.waiting, r.ID)
	p.mu.Unlock()
	if ch != nil {
		ch <- r
	}
}

func (p *probeTable) forget(id uint64) {
	p.mu.Lock()
	delete(p.waiting, id)
	p.mu.Unlock()
}
