package isolate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// Exit codes of ServeChild. They avoid 1 and 2, which the Go runtime uses for panics and
// fatal errors (an out-of-memory death is "fatal error: out of memory", status 2).
const (
	ExitOK         = 0  // stopped by the parent, or the parent went away
	ExitLoad       = 10 // the mini-app failed to load (reported in the loaded frame)
	ExitProtocol   = 11 // the parent sent something that is not the protocol
	ExitCPULimit   = 12 // RLIMIT_CPU's soft limit (SIGXCPU)
	ExitTerminated = 13 // logic terminated the app (reported in a terminated frame)
	ExitSetup      = 14 // the limits could not be applied (reported in the loaded frame)
)

// ServeChild is the child side: call it from the binary's main when it was started with
// Options.Args, and exit with what it returns. It reads the init frame, applies the
// limits, loads the mini-app, and then serves frames until the parent says stop or goes
// away. It trusts only its stdin (the parent). The logger should write JSON lines to
// stderr (nil: JSON on os.Stderr, debug lines too); the parent re-logs them, tagged, at
// its own level.
func ServeChild(stdin io.Reader, stdout io.Writer, logger *slog.Logger) int {
	if logger == nil {
		logger = slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c := &child{out: stdout, log: logger, quit: make(chan struct{}), broken: make(chan struct{})}
	return c.serve(stdin)
}

// testAfterConfine is nil except in this package's tests, whose child sets it to probe
// what confinement refuses (confine_test.go). No app, no environment and no frame can set it.
var testAfterConfine func(log *slog.Logger, appDir string)

type child struct {
	out   io.Writer
	log   *slog.Logger
	rtp   atomic.Pointer[logic.Runtime] // set once loaded; nil while the app loads
	grown *growFS                       // the app's code from the parent, nil when read from the folder
	pre   *preconfined                  // a spare's limits and confinement, applied before its app
	// prepared: a spare's logic runtime, set up before its app (logic.Prepare); nil else
	prepared *logic.Runtime

	wmu        sync.Mutex // one frame at a time on stdout
	brokenOnce sync.Once
	broken     chan struct{} // stdout failed: the parent is gone

	quit     chan struct{} // closed as the child stops: pending sync calls fail
	quitOnce sync.Once

	syncSeq  atomic.Uint64
	syncMu   sync.Mutex
	syncWait map[uint64]chan bridge.APIResult
}

func (c *child) serve(stdin io.Reader) int {
	xcpu := make(chan os.Signal, 1) // before the limits: a spare sets them before its app
	signal.Notify(xcpu, syscall.SIGXCPU)
	defer signal.Stop(xcpu)

	f, err := c.next(stdin)
	if errors.Is(err, io.EOF) {
		err = errors.New("no init frame")
	}
	if err == nil && f.T == tSpare {
		// A spare (spare.go): warm up with nothing of any app, limit and confine itself,
		// then wait for the app's code and init, served as a child's first frames.
		var stop bool
		if f, stop, err = c.spare(stdin, f); stop {
			return ExitOK
		}
	}
	// The app's code, from the parent (code.go), then init.
	var sink codeSink
	for err == nil && f.T == tCode {
		if c.grown == nil {
			c.grown = newGrowFS()
		}
		if err = sink.add(c.grown, f); err == nil {
			if f, err = c.next(stdin); errors.Is(err, io.EOF) {
				return ExitOK // the parent went away
			}
		}
	}
	if err == nil && f.T != tInit {
		err = fmt.Errorf("frame %q where init was due", truncate(f.T, 32))
	}
	began := time.Now() // the app's init is here: the load's steps are timed from now
	var init initBody
	if err == nil {
		err = decodeBody(f, &init)
	}
	if err != nil {
		c.log.Error("isolate child: bad init frame", "err", err)
		return ExitProtocol
	}
	var appFS fs.FS = c.grown
	if c.grown == nil {
		c.grown = newGrowFS() // an app without code: its app.js is missing, which logic says
		appFS = c.grown
	}

	var limits appliedLimits
	var confined *Confinement
	var steps []any
	if pre := c.pre; pre != nil {
		// A spare: limited and confined before it knew its app, with no file system.
		if why := pre.refuse(init); why != "" {
			c.write(tLoaded, 0, loadedBody{Error: why, Limits: pre.limits, Confinement: &pre.conf})
			return ExitSetup
		}
		limits, confined = pre.limits, &pre.conf
		for _, w := range pre.conf.Warnings {
			c.log.Warn("isolate child: confinement degraded", "warning", w)
		}
		if testAfterConfine != nil {
			testAfterConfine(c.log, init.Dir)
		}
	} else {
		// Limits first: nothing of the mini-app has run yet.
		if limits, err = applyLimits(init.MemoryLimit, init.CPULimit); err != nil {
			c.write(tLoaded, 0, loadedBody{Error: err.Error()})
			return ExitSetup
		}
		steps = append(steps, "limits", since(began))
		if init.ReadDir {
			// Too much code to send: read from the folder as needed. os.Root confines
			// every open (symlinks included) to the app's directory; its FS is read-only.
			root, err := os.OpenRoot(init.Dir)
			if err != nil {
				c.write(tLoaded, 0, loadedBody{Error: fmt.Sprintf("isolate: open the mini-app directory: %v", err), Limits: limits})
				return ExitLoad
			}
			defer root.Close()
			appFS, c.grown = root.FS(), nil
		}
		// Confinement last before the app: everything the child must open is open.
		if !init.Unconfined {
			conf, err := confine(init.Dir, init.ParentPID, init.ReadDir)
			if errors.Is(err, errParentGone) {
				return ExitOK
			}
			for _, w := range conf.Warnings {
				c.log.Warn("isolate child: confinement degraded", "warning", w)
			}
			confined = &conf
			if testAfterConfine != nil {
				testAfterConfine(c.log, init.Dir)
			}
		}
	}
	if init.Probe {
		c.write(tLoaded, 0, loadedBody{Limits: limits, Confinement: confined})
		return ExitOK
	}

	steps = append(steps, "confined", since(began))
	c.syncWait = make(map[uint64]chan bridge.APIResult)
	// The reader starts before the app loads: code that runs at load may call a …Sync
	// API (wx.getStorageSync), whose answer comes back on stdin.
	ended := make(chan int, 1)
	go func() {
		code := c.readLoop(stdin)
		c.quitOnce.Do(func() { close(c.quit) }) // no answer will come: pending sync calls fail
		ended <- code
	}()
	lo := logic.Options{
		AppID:           init.AppID,
		FS:              appFS,
		Pages:           init.Pages,
		Components:      init.Components,
		ComponentPages:  init.ComponentPages,
		Subpackages:     init.Subpackages,
		SkipApp:         init.SkipApp,
		Launch:          init.Launch,
		MaxSetDataBytes: init.MaxSetDataBytes,
		APIs:            init.APIs,
		Builtins:        init.Builtins,
		TaskBudget:      init.TaskBudget,
		OnTerminate:     c.terminated,
		Send:            c.send,
		CallSync:        c.callSync,
		Logger:          c.log,
	}
	rt, err := c.prepared, logic.ErrNotPrepared
	if rt != nil {
		err = rt.Load(lo)
	}
	prepared := err == nil
	if errors.Is(err, logic.ErrNotPrepared) {
		if rt != nil {
			c.log.Info("isolate child: the app's logic options are not the prepared runtime's; making one for it")
			rt.Stop()
		}
		rt, err = logic.New(lo)
	}
	if err != nil {
		c.write(tLoaded, 0, loadedBody{Error: err.Error(), Limits: limits, Confinement: confined})
		return ExitLoad
	}
	c.rtp.Store(rt)
	c.log.Debug("isolate child: load steps (ms since its init)", append(steps, "app loaded", since(began))...)
	defs, err := toWireDefs(rt.Definitions())
	if err != nil {
		rt.Stop()
		c.write(tLoaded, 0, loadedBody{Error: fmt.Sprintf("isolate: encode component definitions: %v", err), Limits: limits})
		return ExitLoad
	}
	if !c.write(tLoaded, 0, loadedBody{Defs: defs, BrokenPages: rt.BrokenPages(), Limits: limits, Confinement: confined, Prepared: prepared}) {
		rt.Stop()
		return ExitOK
	}

	code := ExitOK
	select {
	case code = <-ended:
	case <-xcpu:
		c.log.Error("isolate child: CPU limit exceeded (SIGXCPU)", "limitSeconds", limits.RlimitCPU)
		code = ExitCPULimit
	case <-rt.Done():
		if rt.Err() != nil {
			code = ExitTerminated
		}
	case <-c.broken:
	}
	c.stop()
	return code
}

// spare serves a spare's first frame: it warms up (logic.Warm: the shell's own code,
// no app's), applies the limits and confines itself (preconfine), says warm, and reads
// the next frame, the first of its app's. stop: the parent closed it unused (a stop
// frame, or end of input), or died before it could be confined.
func (c *child) spare(stdin io.Reader, f frame) (next frame, stop bool, err error) {
	var body spareBody
	if err := decodeBody(f, &body); err != nil {
		return f, false, err
	}
	if body.MemoryLimit < MinMemoryLimit || body.CPULimit <= 0 {
		return f, false, fmt.Errorf("spare: limits %d bytes and %s of CPU", body.MemoryLimit, body.CPULimit)
	}
	warm := warmChild()
	if body.Setup != nil && warm.Error == "" {
		// A runtime prepared for the app to come: the framework set up, nothing of an app.
		st := body.Setup
		rt, err := logic.Prepare(logic.Options{APIs: st.APIs, Builtins: st.Builtins, MaxSetDataBytes: st.MaxSetDataBytes,
			TaskBudget: st.TaskBudget, Send: c.send, CallSync: c.callSync, OnTerminate: c.terminated, Logger: c.log})
		if err != nil {
			warm.Error = truncate(err.Error(), maxErrorText)
		}
		c.prepared = rt
	}
	pre, err := c.preconfine(body)
	if errors.Is(err, errParentGone) {
		return f, true, nil
	}
	c.pre = pre
	if warm.Error == "" && pre.err != "" {
		warm.Error = pre.err
	}
	if !c.write(tWarm, 0, warm) {
		return f, true, nil
	}
	next, err = c.next(stdin)
	if errors.Is(err, io.EOF) || (err == nil && next.T == tStop) {
		return next, true, nil
	}
	return next, false, err
}

// preconfined is what a spare applied before it knew its app.
type preconfined struct {
	memory uint64
	cpu    time.Duration
	limits appliedLimits
	conf   Confinement
	err    string // the limits could not be applied: the app is refused
}

// preconfine applies a spare's limits and confinement: the same steps as a child's
// before its app's code, with no file system at all (the app's code will come in code
// frames). Only errParentGone is an error.
func (c *child) preconfine(b spareBody) (*preconfined, error) {
	p := &preconfined{memory: b.MemoryLimit, cpu: b.CPULimit}
	limits, err := applyLimits(b.MemoryLimit, b.CPULimit)
	if err != nil {
		p.err = truncate(err.Error(), maxErrorText)
		return p, nil
	}
	p.limits = limits
	conf, err := confine("", b.ParentPID, false)
	if err != nil {
		return nil, err
	}
	p.conf = conf // its warnings are logged once the app is known, in the app's log
	return p, nil
}

// refuse says why a spare cannot run init's app ("" when it can): it was limited with
// other limits, it has no folder to read from, or it could not set its limits.
func (p *preconfined) refuse(init initBody) string {
	switch {
	case p.err != "":
		return p.err
	case init.MemoryLimit != p.memory || init.CPULimit != p.cpu:
		return fmt.Sprintf("isolate: the spare child is limited to %d bytes and %s of CPU, the app asks for %d and %s",
			p.memory, p.cpu, init.MemoryLimit, init.CPULimit)
	case init.ReadDir:
		return errSpareReadsNothing.Error()
	case init.Unconfined || init.Probe:
		return "isolate: a spare child is confined, and serves only apps"
	}
	return ""
}

// next reads and parses the parent's next frame.
func (c *child) next(stdin io.Reader) (frame, error) {
	raw, err := readFrame(stdin, MaxFrameBytes)
	if err != nil {
		return frame{}, err
	}
	return parseFrame(raw)
}

// stop fails pending sync calls (so the loop can leave them) and stops the runtime.
func (c *child) stop() {
	c.quitOnce.Do(func() { close(c.quit) })
	if rt := c.rtp.Load(); rt != nil {
		rt.Stop()
	}
}

// readLoop serves the parent's frames until stop, end of input or a protocol error.
func (c *child) readLoop(stdin io.Reader) int {
	for {
		raw, err := readFrame(stdin, MaxFrameBytes)
		if errors.Is(err, io.EOF) {
			return ExitOK // the parent closed our input: it is gone or done with us
		}
		if err != nil {
			c.log.Error("isolate child: reading a frame", "err", err)
			return ExitProtocol
		}
		f, err := parseFrame(raw)
		if err == nil {
			var stop bool
			stop, err = c.handle(f)
			if stop {
				return ExitOK
			}
		}
		if err != nil {
			c.log.Error("isolate child: bad frame from the parent", "err", err)
			return ExitProtocol
		}
	}
}

func (c *child) handle(f frame) (stop bool, err error) {
	if f.ID == 0 && (f.T == tStack || f.T == tPageData || f.T == tSyncResult || f.T == tLoadUnits) {
		return false, fmt.Errorf("%s: id is missing", f.T)
	}
	rt := c.rtp.Load()
	if rt == nil && f.T != tSyncResult && f.T != tStop {
		return false, fmt.Errorf("%s before the app has loaded", truncate(f.T, 32))
	}
	switch f.T {
	case tDeliver:
		var env bridge.Envelope
		if err := decodeBody(f, &env); err != nil {
			return false, err
		}
		rt.Deliver(env)
	case tStack:
		stack := rt.Stack()
		out := make([]pageInfo, len(stack))
		for i, p := range stack {
			out[i] = pageInfo{ID: p.ID, Route: p.Route, Query: p.Query}
		}
		c.write(tStackReply, f.ID, out)
	case tPageData:
		var req pageDataRequest
		if err := decodeBody(f, &req); err != nil {
			return false, err
		}
		// PageData waits for the loop; the reader must keep serving meanwhile.
		go func(id uint64) {
			data, err := rt.PageData(req.Page)
			reply := pageDataReply{Data: data}
			if err != nil {
				reply = pageDataReply{Error: truncate(err.Error(), maxErrorText)}
			}
			c.write(tPageDataReply, id, reply)
		}(f.ID)
	case tAutomate:
		if f.ID == 0 {
			return false, fmt.Errorf("%s: id is missing", f.T)
		}
		var req automateRequest
		if err := decodeBody(f, &req); err != nil {
			return false, err
		}
		go c.automate(rt, f.ID, req) // waits for the loop, as PageData does
	case tSyncResult:
		var res bridge.APIResult
		if err := decodeBody(f, &res); err != nil {
			return false, err
		}
		c.syncMu.Lock()
		ch := c.syncWait[f.ID]
		delete(c.syncWait, f.ID)
		c.syncMu.Unlock()
		if ch == nil {
			return false, fmt.Errorf("syncResult for id %d, which is not waiting", f.ID)
		}
		ch <- res
	case tLoadUnits:
		var req loadUnitsBody
		if err := decodeBody(f, &req); err != nil {
			return false, err
		}
		go c.loadUnits(rt, f.ID, req) // waits for the loop; the reader keeps serving
	case tTerminate:
		var body terminateBody
		if err := decodeBody(f, &body); err != nil {
			return false, err
		}
		rt.Terminate(body.Reason)
	case tStop:
		return true, nil
	default:
		return false, fmt.Errorf("unknown frame type %q", truncate(f.T, 32))
	}
	return false, nil
}

// send is logic's Send: on the loop goroutine, in order. A push too big for one frame
// cannot reach the page, and dropping it would leave the page out of step with logic:
// the app is terminated instead.
func (c *child) send(env bridge.Envelope) {
	buf, err := encodeFrame(tSend, 0, env)
	if err != nil {
		c.log.Error("isolate child: outbound message too big", "kind", env.Kind, "err", err)
		if rt := c.rtp.Load(); rt != nil {
			rt.Terminate("bridge")
		}
		return
	}
	c.writeRaw(buf)
}

// callSync is logic's CallSync: a round trip to the parent, which runs the host's
// CallSync. It gives up when the child stops.
func (c *child) callSync(call bridge.APICall) bridge.APIResult {
	id := c.syncSeq.Add(1)
	ch := make(chan bridge.APIResult, 1)
	c.syncMu.Lock()
	c.syncWait[id] = ch
	c.syncMu.Unlock()
	fail := func(why string) bridge.APIResult {
		c.syncMu.Lock()
		delete(c.syncWait, id)
		c.syncMu.Unlock()
		raw, _ := json.Marshal(map[string]string{"errMsg": call.Name + ":fail " + why})
		return bridge.APIResult{ID: call.ID, Result: raw}
	}
	if !c.write(tSyncCall, id, call) {
		return fail("the host is gone")
	}
	select {
	case res := <-ch:
		res.ID = call.ID
		return res
	case <-c.quit:
		return fail("the mini-app is stopping")
	case <-c.broken:
		return fail("the host is gone")
	}
}

// terminated is logic's OnTerminate: tell the parent why before the process ends.
func (c *child) terminated(t logic.Termination) {
	c.write(tTerminated, 0, terminatedBody{Reason: truncate(t.Reason, maxReason), Detail: truncate(t.Detail, maxErrorText)})
}

// write sends one frame; false once stdout has failed (the parent is gone).
func (c *child) write(t string, id uint64, body any) bool {
	buf, err := encodeFrame(t, id, body)
	if err != nil {
		c.log.Error("isolate child: frame not sent", "type", t, "err", err)
		return true
	}
	return c.writeRaw(buf)
}

func (c *child) writeRaw(buf []byte) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	select {
	case <-c.broken:
		return false
	default:
	}
	if _, err := c.out.Write(buf); err != nil {
		c.brokenOnce.Do(func() { close(c.broken) })
		return false
	}
	return true
}

// since is milliseconds since t, for the debug log of a child's load steps.
func since(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }
