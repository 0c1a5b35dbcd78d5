package host

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/canvas"
)

// canvasExportTimeout bounds how long canvasToTempFilePath waits for the page.
const canvasExportTimeout = 10 * time.Second

// canvasReads matches the canvasRead requests sent to the page with the canvasData
// chunks it posts back; chunks of an id nobody waits for are dropped.
type canvasReads struct {
	mu      sync.Mutex
	next    uint64
	waiting map[uint64]*canvasRead
}

type canvasRead struct {
	buf  []byte
	done chan error
}

// CanvasTempFiles implements canvas.Host: the exports are temporary files of the
// session's app (docs/files.md), which <image> shows and the session ends.
func (h apiHost) CanvasTempFiles() canvas.TempStore {
	if h.s.opts.Files == nil {
		return nil
	}
	return sessionTemp{h.s}
}

// CanvasExport implements canvas.Host: it asks the page for the canvas's image and
// waits for all of its chunks.
func (h apiHost) CanvasExport(ctx context.Context, req bridge.CanvasRead) ([]byte, error) {
	s := h.s
	select {
	case <-s.launched:
	case <-ctx.Done():
		return nil, errors.New("the page has not loaded")
	}
	t := &s.canvas
	r := &canvasRead{done: make(chan error, 1)}
	t.mu.Lock()
	if t.waiting == nil {
		t.waiting = map[uint64]*canvasRead{}
	}
	t.next++
	req.ID = t.next
	t.waiting[req.ID] = r
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		delete(t.waiting, req.ID)
		t.mu.Unlock()
	}()
	env, err := bridge.NewEnvelope(bridge.KindCanvasRead, req)
	if err != nil {
		return nil, err
	}
	s.toPage(env)
	timer := time.NewTimer(canvasExportTimeout)
	defer timer.Stop()
	select {
	case err := <-r.done:
		if err != nil {
			return nil, err
		}
		return r.buf, nil
	case <-timer.C:
		return nil, errors.New("the page did not answer in time")
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.ctx.Done():
		return nil, errors.New("the window closed")
	}
}

// canvasData takes one chunk of the page's answer to a canvasRead.
func (s *Session) canvasData(d bridge.CanvasData) {
	t := &s.canvas
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.waiting[d.ID]
	if r == nil {
		return
	}
	finish := func(err error) {
		delete(t.waiting, d.ID)
		r.done <- err
	}
	if !d.OK {
		msg := d.Error
		if msg == "" {
			msg = "the page could not export the canvas"
		}
		finish(errors.New(msg))
		return
	}
	chunk, err := base64.StdEncoding.DecodeString(d.Data)
	if err != nil {
		finish(fmt.Errorf("the page's image data is not base64: %v", err))
		return
	}
	if len(r.buf)+len(chunk) > bridge.MaxCanvasExport {
		finish(fmt.Errorf("the image is larger than %d bytes", bridge.MaxCanvasExport))
		return
	}
	r.buf = append(r.buf, chunk...)
	if !d.More {
		finish(nil)
	}
}

// sessionTemp stores canvas exports as temporary files of the session's app.
type sessionTemp struct{ s *Session }

func (t sessionTemp) SaveTemp(ext string, data []byte) (string, error) {
	return t.s.appFiles().WriteTemp("."+ext, data)
}
