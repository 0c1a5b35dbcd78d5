// Package isolate runs a mini-app's logic runtime in a child process of the same binary
// (issue 3, `isolation: process`). The child speaks the bridge's envelopes over its
// stdin/stdout as length-prefixed JSON frames and lives under RLIMIT_AS and RLIMIT_CPU,
// so a heap bomb faster than any sampling kills only the child. Before any app code runs
// it confines itself (no_new_privs, seccomp, Landlock, death with the parent: confine_linux.go).
//
// The parent side, Runtime, has the methods the host uses on *logic.Runtime, so a host
// can hold either. The child side is ServeChild, called from the binary's main. The
// parent treats the child as hostile: every frame it sends is size-bounded and strictly
// decoded, and a malformed one kills it. See docs/isolate.md.
package isolate

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
)

// ChildArg is the argument the shell passes its own binary to make it a logic child
// (Options.Args = []string{ChildArg}); its main calls ServeChild before anything else.
const ChildArg = "__logic-child"

// Options configure a child runtime. Exe, Dir and Send are required.
type Options struct {
	Exe  string   // the binary to run (os.Executable() in the shell; the test binary in tests)
	Args []string // arguments that make that binary call ServeChild (e.g. "__logic-child")
	// Env is the child's whole environment besides MALLOC_ARENA_MAX=2: the parent's is
	// not inherited (it may hold secrets the mini-app has no business with).
	Env []string
	Dir string // the mini-app's directory; the child reads its code (os.Root) before it confines itself
	// Logic carries AppID, Pages, Components, Launch, MaxSetDataBytes, TaskBudget, APIs,
	// Builtins and OnTerminate. FS, Send, CallSync, Logger and OnTask are not used: the child has its
	// own, and OnTask (heap attribution) means nothing across a process boundary.
	// OnTerminate is called once for every end that is not Stop (see Err), before Done
	// closes, from a goroutine of this package.
	Logic    logic.Options
	Send     func(bridge.Envelope)                 // render and api messages from the child, in order; must not block
	CallSync func(bridge.APICall) bridge.APIResult // answers the child's …Sync calls; must return when the app stops
	Logger   *slog.Logger
	// MemoryLimit is the address space the child may add to what it had mapped before
	// any mini-app code ran: RLIMIT_AS = that baseline + MemoryLimit. (A Go process maps
	// about 1.2 GiB of address space, reserved rather than used, before main runs, so an
	// absolute 1 GiB would not even start.) 0 means DefaultMemoryLimit.
	MemoryLimit uint64
	// CPULimit is RLIMIT_CPU: CPU time (all threads) over the child's whole life. 0
	// means DefaultCPULimit.
	CPULimit time.Duration

	unconfined bool // benchmarks only: the child skips confinement
	probe      bool // ProbeConfinement: the child confines itself, reports and exits
}

// Reasons of an ExitError (a logic termination keeps logic's own reason, e.g. "cpu").
const (
	ReasonMemory       = "heap"          // RLIMIT_AS: the child ran out of address space (monitor.ReasonHeap's string)
	ReasonCPU          = logic.ReasonCPU // RLIMIT_CPU: the child used up its CPU time
	ReasonProtocol     = "protocol"      // the child sent a malformed frame, or refused ours
	ReasonUnresponsive = "unresponsive"  // the child stopped reading, or did not load in time
	ReasonCrash        = "crash"         // any other death: a signal, an exit status
)

// ExitError is Runtime.Err for a child that ended on its own or was killed for
// misbehaving. A termination reported by logic in the child (task budget, Terminate)
// is a *logic.TerminatedError instead, exactly as in process.
type ExitError struct {
	PID    int
	Reason string // one of the Reason constants
	Detail string // one sentence: "killed by RLIMIT_AS (…): fatal error: out of memory"
}

func (e *ExitError) Error() string {
	return fmt.Sprintf("isolate: logic child %d (%s): %s", e.PID, e.Reason, e.Detail)
}

// Tunables; variables so tests can shorten them.
var (
	startTimeout   = 30 * time.Second // spawn + logic.New (which gives up after 10 s itself)
	stopGrace      = 3 * time.Second  // after stop/terminate, before SIGKILL
	requestTimeout = 10 * time.Second // PageData, Stack
	drainGrace     = time.Second      // after the child is reaped, for its last output
)

// outQueue bounds the frames waiting for the child to read them. The child's reader
// never waits for its JS loop, so a full queue means it has stopped reading.
const outQueue = 4096

// Runtime is the parent side of one child. Its methods are safe for concurrent use.
type Runtime struct {
	o      Options      // a spare's is completed at hand-over (under mu), before handed closes
	log    *slog.Logger // tagged isolate=child, pid; writes to logh
	logh   *swapHandler // the Logger's handler; a spare's changes at hand-over
	spare  *spareState  // nil for a child started with its app (spare.go)
	cmd    *exec.Cmd
	pid    int
	defs   map[string]logic.ComponentDef // from the loaded frame; never changes after
	broken []string                      // pages left out at load, from the loaded frame

	stdin  *os.File // our ends of the pipes
	stdout *os.File
	stderr *os.File
	out    chan []byte
	tail   *tail

	loaded chan loadedBody // the child's answer to init

	mu          sync.Mutex
	isLoaded    bool
	stopping    bool   // Stop was called
	terminating string // Terminate was called with this reason
	failure     *ExitError
	term        *logic.TerminatedError // reported by the child
	reqSeq      uint64
	pending     map[uint64]pendingReq // parent requests; a nil ch means abandoned
	syncBusy    bool
	limits      appliedLimits
	confinement Confinement // as the child reported it
	prepared    bool        // the app loaded into a runtime prepared ahead (loadedBody.Prepared)
	err         error       // final; set before done closes

	readerGID atomic.Uint64
	syncGID   atomic.Uint64

	stopOnce   sync.Once
	killOnce   sync.Once
	wg         sync.WaitGroup // sync-call goroutines
	timers     []*time.Timer  // grace periods of Stop and Terminate
	exited     chan struct{}  // the process is reaped
	readerDone chan struct{}
	stderrDone chan struct{}
	writerDone chan struct{}
	done       chan struct{} // all of the above, and err is set
}

type pendingReq struct {
	want string // reply frame type
	ch   chan childMsg
}

// Start starts the child, sends it the options and waits until it has loaded the
// mini-app. A load error comes back with the child's text (file:line:col), and the
// child is gone when Start returns. (Spare.Start hands the app to a child started
// ahead instead, spare.go.)
func Start(o Options) (*Runtime, error) {
	p, err := prepare(o)
	if err != nil {
		return nil, err
	}
	return startPrepared(p)
}

// startPrepared spawns a child for p's app and waits until it has loaded it.
func startPrepared(p prepared) (*Runtime, error) {
	r := newRuntime(p.o)
	if err := r.spawn(); err != nil {
		return nil, err
	}
	r.out <- p.frames // first in the queue, before any Deliver can be
	r.run()
	return r.awaitLoaded()
}

// prepared is what a child is first sent for its app: the options checked and
// completed, and the frames, the app's code frames then init (code.go).
type prepared struct {
	o       Options
	frames  []byte
	readDir bool // no code frames: the child reads the app's folder (init's ReadDir)
}

// normLimits fills in o's default limits and checks them.
func normLimits(o *Options) error {
	if o.MemoryLimit == 0 {
		o.MemoryLimit = DefaultMemoryLimit
	}
	if o.MemoryLimit < MinMemoryLimit {
		return fmt.Errorf("isolate: Options.MemoryLimit %d is below the minimum of %d", o.MemoryLimit, MinMemoryLimit)
	}
	if o.CPULimit == 0 {
		o.CPULimit = DefaultCPULimit
	}
	if o.CPULimit < 0 {
		return fmt.Errorf("isolate: Options.CPULimit %s is negative", o.CPULimit)
	}
	return nil
}

// prepare checks o, fills in its defaults, reads the app's code and encodes the frames.
func prepare(o Options) (prepared, error) {
	if o.Exe == "" {
		return prepared{}, errors.New("isolate: Options.Exe is required")
	}
	if o.Send == nil {
		return prepared{}, errors.New("isolate: Options.Send is required")
	}
	if o.Dir == "" {
		return prepared{}, errors.New("isolate: Options.Dir is required")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return prepared{}, fmt.Errorf("isolate: Options.Dir: %w", err)
	}
	o.Dir = dir
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return prepared{}, fmt.Errorf("isolate: Options.Dir %s is not a directory", dir)
	}
	if err := normLimits(&o); err != nil {
		return prepared{}, err
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	var code []byte
	readDir := false
	if !o.probe { // a probe loads nothing
		if code, err = codeFrames(dir); err != nil {
			o.Logger.Warn("isolate: the app's code is read from its folder as needed", "app", o.Logic.AppID, "reason", err)
			code, readDir = nil, true
		}
	}
	init, err := encodeFrame(tInit, 0, initBody{
		AppID: o.Logic.AppID, Dir: dir, Pages: o.Logic.Pages, Components: o.Logic.Components,
		ComponentPages: o.Logic.ComponentPages,
		Launch:         o.Logic.Launch, MaxSetDataBytes: o.Logic.MaxSetDataBytes, TaskBudget: o.Logic.TaskBudget,
		APIs: o.Logic.APIs, Builtins: o.Logic.Builtins,
		Subpackages: o.Logic.Subpackages, SkipApp: o.Logic.SkipApp,
		MemoryLimit: o.MemoryLimit, CPULimit: o.CPULimit, ParentPID: os.Getpid(), Unconfined: o.unconfined, Probe: o.probe,
		ReadDir: readDir,
	})
	if err != nil {
		return prepared{}, err
	}
	return prepared{o: o, frames: append(code, init...), readDir: readDir}, nil
}

// newRuntime is the parent side of a child about to be spawned.
func newRuntime(o Options) *Runtime {
	r := &Runtime{
		o: o, out: make(chan []byte, outQueue), tail: newTail(),
		loaded: make(chan loadedBody, 1), pending: map[uint64]pendingReq{},
		exited: make(chan struct{}), readerDone: make(chan struct{}), stderrDone: make(chan struct{}),
		writerDone: make(chan struct{}), done: make(chan struct{}), logh: &swapHandler{},
	}
	r.log = slog.New(r.logh)
	return r
}

// run starts the goroutines that serve the spawned child.
func (r *Runtime) run() {
	go r.writeLoop()
	go r.readLoop()
	go r.relayStderr()
	go r.waitLoop()
}

// awaitLoaded waits for the child's answer to init.
func (r *Runtime) awaitLoaded() (*Runtime, error) {
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case lb := <-r.loaded:
		if lb.Error != "" {
			r.Stop()
			return nil, fmt.Errorf("isolate: %s", lb.Error)
		}
		conf := "none"
		if lb.Confinement != nil {
			conf = lb.Confinement.String()
		}
		r.log.Debug("isolate: child loaded", "baseAddressSpace", lb.Limits.BaseAddressSpace,
			"rlimitAS", lb.Limits.RlimitAS, "goMemoryLimit", lb.Limits.GoMemoryLimit, "rlimitCPU", lb.Limits.RlimitCPU,
			"confinement", conf, "prepared", lb.Prepared)
		return r, nil
	case <-r.done:
		select {
		case lb := <-r.loaded: // it said why before it went
			if lb.Error != "" {
				return nil, fmt.Errorf("isolate: %s", lb.Error)
			}
		default:
		}
		err := r.Err()
		if err == nil {
			err = errors.New("isolate: the child ended before it loaded")
		}
		return nil, fmt.Errorf("isolate: start: %w", err)
	case <-timer.C:
		r.fail(ReasonUnresponsive, fmt.Sprintf("did not load within %s", startTimeout))
		<-r.done
		return nil, r.Err()
	}
}

// spawn starts the process with three fresh pipes; the child gets only those.
func (r *Runtime) spawn() error {
	var files [6]*os.File // childIn, parentIn, parentOut, childOut, parentErr, childErr
	closeAll := func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}
	var err error
	if files[0], files[1], err = os.Pipe(); err == nil {
		if files[2], files[3], err = os.Pipe(); err == nil {
			files[4], files[5], err = os.Pipe()
		}
	}
	if err != nil {
		closeAll()
		return fmt.Errorf("isolate: pipes: %w", err)
	}
	cmd := exec.Command(r.o.Exe, r.o.Args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = files[0], files[3], files[5]
	cmd.Env = append([]string{"MALLOC_ARENA_MAX=2"}, r.o.Env...)
	cmd.Dir = "/"
	// A dying parent takes the child with it. (Pdeathsig follows the thread that forked;
	// the child also ends when its stdin closes, which covers the rest.) The child has a
	// process group of its own: a terminal's Ctrl+C signals the whole foreground group,
	// and a child killed by it before the shell's own handler ran was reported as a crash
	// (exit 1) instead of a clean stop. Its lifetime is the parent's business alone.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setpgid: true}
	if err := cmd.Start(); err != nil {
		closeAll()
		return fmt.Errorf("isolate: start %s: %w", r.o.Exe, err)
	}
	files[0].Close()
	files[3].Close()
	files[5].Close()
	r.cmd, r.pid = cmd, cmd.Process.Pid
	r.stdin, r.stdout, r.stderr = files[1], files[2], files[4]
	r.logh.set(r.o.Logger.With("isolate", "child", "pid", r.pid).Handler())
	return nil
}

// Deliver hands an inbound envelope (nav, event, ready, apiResult) to the child. It
// never blocks, but for an apiResult meeting a full queue (enqueueResult); it returns
// false once the runtime is stopped or the child is gone.
func (r *Runtime) Deliver(env bridge.Envelope) bool {
	buf, err := encodeFrame(tDeliver, 0, env)
	if err != nil {
		r.log.Warn("isolate: inbound message dropped", "kind", env.Kind, "err", err)
		return !r.closed()
	}
	if env.Kind == bridge.KindAPIResult {
		return r.enqueueResult(buf)
	}
	return r.enqueue(buf, false)
}

// resultWait is how long an API result waits for room in a full queue before the child
// counts as not reading. A legitimate burst of local calls (thousands of storage
// writes: their results come back faster than a child starved of CPU reads them) must
// not look like a deaf child.
var resultWait = 10 * time.Second // a var for tests

// enqueueResult queues an API result, waiting up to resultWait for room. Results come
// from the gateway's goroutines, never the UI thread, so they may wait; the gateway's
// queue holds the rest meanwhile.
func (r *Runtime) enqueueResult(buf []byte) bool {
	r.mu.Lock()
	done := r.stopping || r.terminating != "" || r.failure != nil
	r.mu.Unlock()
	if done {
		return false
	}
	select {
	case r.out <- buf:
		return true
	default:
	}
	t := time.NewTimer(resultWait)
	defer t.Stop()
	select {
	case r.out <- buf:
		return true
	case <-r.exited:
		return false
	case <-t.C:
	}
	r.fail(ReasonUnresponsive, fmt.Sprintf("it stopped reading its input (%d frames waiting for %s)", outQueue, resultWait))
	return false
}

// Definitions returns the component definitions the child registered at load.
func (r *Runtime) Definitions() map[string]logic.ComponentDef {
	r.mu.Lock() // LoadUnits replaces them (subpackages.go)
	defer r.mu.Unlock()
	out := make(map[string]logic.ComponentDef, len(r.defs))
	for k, v := range r.defs {
		out[k] = v
	}
	return out
}

// BrokenPages lists the pages whose file failed to load in the child: the app runs
// without them.
func (r *Runtime) BrokenPages() []string {
	return append([]string(nil), r.broken...)
}

// PageData returns a page instance's data as JSON; "" means the page in front. It
// waits for the child's loop, at most requestTimeout.
func (r *Runtime) PageData(pageID string) (json.RawMessage, error) {
	m, err := r.request(tPageData, tPageDataReply, pageDataRequest{Page: pageID})
	if err != nil {
		return nil, err
	}
	if m.data.Error != "" {
		return nil, errors.New(m.data.Error) // logic's own text, as in process
	}
	return m.data.Data, nil
}

// Stack returns the navigation stack, bottom first; nil when the child cannot answer.
func (r *Runtime) Stack() []logic.PageInfo {
	m, err := r.request(tStack, tStackReply, nil)
	if err != nil {
		r.log.Debug("isolate: stack", "err", err)
		return nil
	}
	out := make([]logic.PageInfo, len(m.stack))
	for i, p := range m.stack {
		out[i] = logic.PageInfo{ID: p.ID, Route: p.Route, Query: p.Query}
	}
	return out
}

// request sends a request frame and waits for its reply.
func (r *Runtime) request(t, want string, body any) (childMsg, error) {
	if r.onCallback() {
		return childMsg{}, fmt.Errorf("isolate: %s from inside Send or CallSync would wait for itself", t)
	}
	ch := make(chan childMsg, 1)
	r.mu.Lock()
	r.reqSeq++
	id := r.reqSeq
	r.pending[id] = pendingReq{want: want, ch: ch}
	r.mu.Unlock()
	abandon := func() {
		r.mu.Lock()
		if _, ok := r.pending[id]; ok {
			r.pending[id] = pendingReq{want: want} // a late reply is dropped, not a violation
		}
		r.mu.Unlock()
	}
	buf, err := encodeFrame(t, id, body)
	if err != nil {
		abandon()
		return childMsg{}, err
	}
	if !r.enqueue(buf, false) {
		abandon()
		return childMsg{}, errors.New("isolate: runtime stopped")
	}
	timer := time.NewTimer(requestTimeout)
	defer timer.Stop()
	select {
	case m := <-ch:
		return m, nil
	case <-r.exited:
		abandon()
		return childMsg{}, errors.New("isolate: runtime stopped")
	case <-timer.C:
		abandon()
		return childMsg{}, fmt.Errorf("isolate: the child did not answer %s within %s", t, requestTimeout)
	}
}

// Stop ends the child: a stop frame, then SIGKILL if it has not exited after
// stopGrace. It waits until the child is reaped and every goroutine of this runtime
// has ended, unless called from inside Send or CallSync (then see Done). Idempotent.
func (r *Runtime) Stop() {
	r.stopOnce.Do(func() {
		r.mu.Lock()
		r.stopping = true
		r.mu.Unlock()
		if buf, err := encodeFrame(tStop, 0, nil); err == nil {
			r.enqueue(buf, true)
		}
		r.killAfterGrace()
	})
	if !r.onCallback() {
		<-r.done
	}
}

// Terminate stops the app by force with reason (the monitor's "heap", "denied", …):
// logic in the child terminates it (OnTerminate, Err a *logic.TerminatedError), and if
// the child has not exited after stopGrace it is killed. It does not wait (see Done).
func (r *Runtime) Terminate(reason string) {
	r.mu.Lock()
	if r.stopping || r.terminating != "" {
		r.mu.Unlock()
		return
	}
	r.terminating = reason
	r.mu.Unlock()
	if buf, err := encodeFrame(tTerminate, 0, terminateBody{Reason: reason}); err == nil {
		r.enqueue(buf, true)
	}
	r.killAfterGrace()
}

// Done is closed once the child has been reaped and the runtime's goroutines have ended.
func (r *Runtime) Done() <-chan struct{} { return r.done }

// Err says why the child ended: nil while it runs and after Stop; a
// *logic.TerminatedError when logic terminated the app (task budget, Terminate);
// otherwise an *ExitError (RLIMIT_AS, RLIMIT_CPU, a malformed frame, a signal, an exit
// status).
func (r *Runtime) Err() error {
	select {
	case <-r.done:
		return r.err
	default:
		return nil
	}
}

// PID is the child's process id.
func (r *Runtime) PID() int { return r.pid }

// Confinement is what the child reported it applied before the app's code ran.
func (r *Runtime) Confinement() Confinement {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.confinement
}

// Prepared reports whether the app loaded into a logic runtime its spare child had
// prepared ahead (docs/isolate.md, "Spare children"), as the child said.
func (r *Runtime) Prepared() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.prepared
}

// RSS is the child's resident memory, from /proc.
func (r *Runtime) RSS() (uint64, error) {
	select {
	case <-r.exited:
		return 0, errNoProcess
	default:
	}
	return procStatusBytes(strconv.Itoa(r.pid), "VmRSS")
}

// closed reports whether frames can no longer reach the child.
func (r *Runtime) closed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.exited:
		return true
	default:
	}
	return r.stopping || r.terminating != "" || r.failure != nil
}

// enqueue queues a frame for the writer; control frames (stop, terminate) pass even
// while stopping. A full queue means the child stopped reading: it is killed.
func (r *Runtime) enqueue(buf []byte, control bool) bool {
	r.mu.Lock()
	if !control && (r.stopping || r.terminating != "" || r.failure != nil) {
		r.mu.Unlock()
		return false
	}
	select {
	case <-r.exited:
		r.mu.Unlock()
		return false
	default:
	}
	select {
	case r.out <- buf:
		r.mu.Unlock()
		return true
	default:
	}
	r.mu.Unlock()
	r.fail(ReasonUnresponsive, fmt.Sprintf("it stopped reading its input (%d frames waiting)", outQueue))
	return false
}

// fail records why the parent is killing the child (the first reason wins) and kills it.
func (r *Runtime) fail(reason, detail string) {
	r.mu.Lock()
	if r.failure == nil {
		r.failure = &ExitError{PID: r.pid, Reason: reason, Detail: detail}
	}
	r.mu.Unlock()
	r.log.Error("isolate: killing the logic child", "reason", reason, "detail", detail)
	r.kill()
}

func (r *Runtime) kill() {
	r.killOnce.Do(func() {
		if err := r.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			r.log.Warn("isolate: kill", "err", err)
		}
	})
}

// killAfterGrace kills the child if it has not exited stopGrace from now. (A timer, not
// a goroutine of wg: Stop may come after waitLoop has started waiting on wg.)
func (r *Runtime) killAfterGrace() {
	t := time.AfterFunc(stopGrace, func() {
		select {
		case <-r.exited:
		default:
			r.log.Warn("isolate: the child did not stop in time; killing it", "grace", stopGrace)
			r.kill()
		}
	})
	r.mu.Lock()
	r.timers = append(r.timers, t)
	r.mu.Unlock()
	select {
	case <-r.exited:
		t.Stop()
	default:
	}
}

// onCallback reports whether the caller runs inside Send or CallSync, where waiting
// for the reader or the sync goroutine would wait for itself.
func (r *Runtime) onCallback() bool {
	id := goroutineID()
	return id == r.readerGID.Load() || id == r.syncGID.Load()
}

// writeLoop writes queued frames to the child's stdin, in order.
func (r *Runtime) writeLoop() {
	defer close(r.writerDone)
	for {
		select {
		case buf := <-r.out:
			if _, err := r.stdin.Write(buf); err != nil {
				return // the child is gone; waitLoop says why
			}
		case <-r.exited:
			return
		}
	}
}

// readLoop reads the child's frames; the first bad one kills the child.
func (r *Runtime) readLoop() {
	r.readerGID.Store(goroutineID())
	defer close(r.readerDone)
	for {
		raw, err := readFrame(r.stdout, MaxFrameBytes)
		switch {
		case err == nil:
		case errors.Is(err, errFrameTooBig):
			r.fail(ReasonProtocol, "it sent a malformed frame: "+err.Error())
			return
		default:
			// End of output, a frame cut short by the child's death, or our own close:
			// how the process ended explains it.
			return
		}
		m, err := parseChildFrame(raw)
		if err == nil {
			err = r.dispatch(m)
		}
		if err != nil {
			r.fail(ReasonProtocol, "it sent a malformed frame: "+truncate(err.Error(), 512))
			return
		}
	}
}

// dispatch acts on one checked frame from the child.
func (r *Runtime) dispatch(m childMsg) error {
	if m.t == tWarm {
		if r.spare == nil {
			return errors.New("warm: this child is not a spare")
		}
		return r.spare.warm(r, m.warm)
	}
	if r.spare != nil && !r.spare.handedOver() {
		// A spare has nothing to say but warm until it is given its app.
		return fmt.Errorf("%s before it was handed an app", m.t)
	}
	switch m.t {
	case tLoaded:
		r.mu.Lock()
		again := r.isLoaded
		r.isLoaded = true
		if !again {
			r.limits = m.loaded.Limits
			if m.loaded.Confinement != nil {
				r.confinement = *m.loaded.Confinement
			}
			r.defs = fromWireDefs(m.loaded.Defs)
			r.broken = m.loaded.BrokenPages
			r.prepared = m.loaded.Prepared
		}
		r.mu.Unlock()
		if again {
			return errors.New("loaded: sent twice")
		}
		r.loaded <- *m.loaded
	case tSend:
		if r.closed() {
			return nil // as in process: nothing is sent once Stop was called
		}
		r.o.Send(m.env)
	case tSyncCall:
		r.mu.Lock()
		busy := r.syncBusy
		r.syncBusy = true
		r.mu.Unlock()
		if busy {
			return errors.New("syncCall: a second one while the first is unanswered")
		}
		r.wg.Add(1)
		go r.answerSync(m.id, m.call)
	case tPageDataReply, tStackReply, tAutomateReply, tLoadUnitsReply:
		r.mu.Lock()
		p, ok := r.pending[m.id]
		delete(r.pending, m.id)
		r.mu.Unlock()
		if !ok || p.want != m.t {
			return fmt.Errorf("%s: id %d answers no request", m.t, m.id)
		}
		if p.ch != nil {
			p.ch <- m
		}
	case tTerminated:
		r.mu.Lock()
		again := r.term != nil
		if !again {
			r.term = &logic.TerminatedError{Reason: m.term.Reason, Detail: m.term.Detail}
		}
		r.mu.Unlock()
		if again {
			return errors.New("terminated: sent twice")
		}
		// The child exits once its logic has ended (at most logic.StopGrace after the
		// termination, if a native call held the loop); if it does not, it is killed.
		r.killAfterGrace()
	}
	return nil
}

// answerSync runs the host's CallSync off the reader, so the reader keeps serving.
func (r *Runtime) answerSync(id uint64, call bridge.APICall) {
	defer r.wg.Done()
	r.syncGID.Store(goroutineID())
	var res bridge.APIResult
	if r.o.CallSync != nil {
		res = r.o.CallSync(call)
	} else {
		raw, _ := json.Marshal(map[string]string{"errMsg": call.Name + ":fail no synchronous host APIs"})
		res = bridge.APIResult{ID: call.ID, Result: raw}
	}
	r.syncGID.Store(0)
	r.mu.Lock()
	r.syncBusy = false
	r.mu.Unlock()
	buf, err := encodeFrame(tSyncResult, id, res)
	if err != nil {
		raw, _ := json.Marshal(map[string]string{"errMsg": call.Name + ":fail result not encodable"})
		buf, _ = encodeFrame(tSyncResult, id, bridge.APIResult{ID: call.ID, Result: raw})
	}
	// Sent even while stopping: the child's loop may be blocked on it.
	r.enqueue(buf, true)
}

// waitLoop reaps the child, lets the readers drain, decides Err and closes Done.
func (r *Runtime) waitLoop() {
	werr := r.cmd.Wait()
	close(r.exited)
	r.mu.Lock()
	for _, t := range r.timers {
		t.Stop()
	}
	r.mu.Unlock()
	r.stdin.Close() // ends a write blocked on a full pipe

	// The last output of a dying child explains its death; give the readers a moment
	// to get it, then close the pipes in case something else still holds them open.
	t := time.NewTimer(drainGrace)
	select {
	case <-allClosed(r.readerDone, r.stderrDone):
	case <-t.C:
		r.stdout.Close()
		r.stderr.Close()
	}
	t.Stop()
	<-r.readerDone
	<-r.stderrDone
	<-r.writerDone
	r.wg.Wait()
	r.stdout.Close()
	r.stderr.Close()

	err := r.decideErr(r.cmd.ProcessState, werr)
	r.mu.Lock()
	r.err = err
	onTerminate := r.o.Logic.OnTerminate // a spare's is set at hand-over, under mu
	r.mu.Unlock()
	if err != nil {
		r.log.Warn("isolate: the logic child ended", "err", err)
		if onTerminate != nil {
			var te *logic.TerminatedError
			var ee *ExitError
			switch {
			case errors.As(err, &te):
				onTerminate(logic.Termination{Reason: te.Reason, Detail: te.Detail})
			case errors.As(err, &ee):
				onTerminate(logic.Termination{Reason: ee.Reason, Detail: ee.Detail})
			}
		}
	}
	close(r.done)
}

// allClosed returns a channel closed once both are.
func allClosed(a, b <-chan struct{}) <-chan struct{} {
	select {
	case <-a:
		return b
	default:
	}
	select {
	case <-b:
		return a
	default:
	}
	c := make(chan struct{})
	go func() {
		<-a
		<-b
		close(c)
	}()
	return c
}

// decideErr turns how the child ended into Err, in order of certainty: what the child
// reported (a logic termination), what the parent decided (a violation), a limit the
// kernel or runtime enforced, a Terminate or Stop the parent asked for, anything else.
func (r *Runtime) decideErr(state *os.ProcessState, werr error) error {
	r.mu.Lock()
	term, failure, terminating, stopping, limits, o := r.term, r.failure, r.terminating, r.stopping, r.limits, r.o
	r.mu.Unlock()
	switch {
	case term != nil:
		return term
	case failure != nil:
		return failure
	}
	if state == nil {
		return &ExitError{PID: r.pid, Reason: ReasonCrash, Detail: fmt.Sprintf("could not be waited for: %v", werr)}
	}
	exit := classifyExit(r.pid, state, r.tail.lines(), o, limits)
	switch {
	case exit != nil && (exit.Reason == ReasonMemory || exit.Reason == ReasonCPU):
		return exit // a limit is the truth even if a stop was on its way
	case terminating != "":
		return &logic.TerminatedError{Reason: terminating, Detail: "stopped by the shell: " + terminating}
	case stopping:
		return nil
	}
	return exit
}

// goroutineID is only used to detect re-entrant blocking calls (as logic's loop does).
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return 0
	}
	b = b[len(prefix):]
	var id uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
