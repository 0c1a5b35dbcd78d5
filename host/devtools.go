package host

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

// DevTap hears what a session does, for DevTools (docs/devtools.md). Options.DevTools
// is nil for every session but `shell dev`'s: then each hook costs a nil check. Its
// methods run on the session's goroutines (the page pump, the app's loop, the UI
// thread's callers) and must not block.
type DevTap interface {
	// DevMessage is one bridge message, either way, or one the gate refused.
	DevMessage(DevMessage)
	// DevConsole is one console.* call of the app.
	DevConsole(logic.ConsoleLine)
	// DevTask is one task of the app's loop and how long it ran.
	DevTask(start time.Time, d time.Duration)
}

// Directions of a DevMessage.
const (
	DirPageToHost  = "page→host"
	DirHostToPage  = "host→page"
	DirLogicToHost = "logic→host"
	DirHostToLogic = "host→logic"
)

// DevMessage is one message on the bridge as DevTools' Bridge panel lists it. Seq is a
// render push's sequence number (host→page render) or the push a ready acknowledges
// (page→host ready); the Performance panel pairs them into apply times.
type DevMessage struct {
	Time    time.Time `json:"time"`
	Dir     string    `json:"dir"`
	Kind    string    `json:"kind"`
	Bytes   int       `json:"bytes"`
	Refused string    `json:"refused,omitempty"`
	Seq     uint64    `json:"seq,omitempty"`
	API     string    `json:"api,omitempty"` // logic→host api: the API called
}

// ErrNoDevEval is DevEval's answer outside `shell dev` on a project folder.
var ErrNoDevEval = errors.New("evaluating in the app's runtime is for `shell dev` on a project folder only, never an installed or signed app")

// DevEvalAllowed says whether DevTools' console may evaluate in this app: only a
// `shell dev` session (Options.DevEval) of an app run from its project folder, unsigned,
// in this process (not an installed app, nor one in a child process).
func (s *Session) DevEvalAllowed() bool {
	_, local := s.rt.(*logic.Runtime)
	return s.opts.DevEval && s.app.Dir != "" && s.app.Signer == "" && !s.app.Verified && local
}

// DevEval evaluates expr in the app's logic runtime (DevTools' console input).
func (s *Session) DevEval(expr string) (json.RawMessage, error) {
	if !s.DevEvalAllowed() {
		return nil, ErrNoDevEval
	}
	return s.rt.(*logic.Runtime).Eval(expr)
}

// DevSetData applies data ({"path": value}) to a page instance as its setData would
// ("" is the page in front): DevTools' AppData edits.
func (s *Session) DevSetData(page string, data json.RawMessage) error {
	rt, ok := s.rt.(*logic.Runtime)
	if !ok || s.opts.DevTools == nil {
		return errors.New("editing data is for `shell dev` with the app's logic in this process")
	}
	return rt.SetPageData(page, data)
}

// DevPages is the app's page stack, bottom first, as logic holds it.
func (s *Session) DevPages() []logic.PageInfo { return s.rt.Stack() }

// DevPageData is a page instance's data ("" is the page in front).
func (s *Session) DevPageData(page string) (json.RawMessage, error) { return s.rt.PageData(page) }

// DevProbe asks the page one probe (DevTools' WXML panel: dev.tree, dev.inspect,
// dev.highlight), waiting at most five seconds.
func (s *Session) DevProbe(ctx context.Context, op, selector, value string) (json.RawMessage, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.Probe(ctx, op, selector, value)
}

// DevStorage is the app's storage namespace (nil, nil without a store).
func (s *Session) DevStorage() (*storage.AppStore, error) {
	if s.opts.Storage == nil {
		return nil, nil
	}
	return s.opts.Storage.App(s.id)
}

// DevPerms is the permission manager and the app as it sees it (nil without one).
func (s *Session) DevPerms() (*perms.Manager, perms.App) { return s.opts.Perms, s.permsApp() }

// DevAudit is the audit log the session writes (nil without one).
func (s *Session) DevAudit() *bridge.AuditLog { return s.opts.Audit }

// DevWebProcess is the pid of the web process that renders the page (0: unknown).
func (s *Session) DevWebProcess() int {
	s.mu.Lock()
	surf := s.surf
	s.mu.Unlock()
	if p, ok := surf.(renderProcess); ok {
		return p.WebProcess()
	}
	return 0
}

// DevAppInfo names the app for DevTools' title and header.
type DevAppInfo struct {
	Key     string `json:"key"` // the identity key every store uses
	ID      string `json:"id"`
	Name    string `json:"name"`
	Dir     string `json:"dir,omitempty"`
	CanEval bool   `json:"canEval"`
}

// DevInfo describes the app.
func (s *Session) DevInfo() DevAppInfo {
	return DevAppInfo{Key: s.id, ID: s.appID, Name: s.app.Project.App.Name, Dir: s.app.Dir, CanEval: s.DevEvalAllowed()}
}

// devMessage reports one bridge message to the tap; the caller checked it is set.
func (s *Session) devMessage(dir string, kind bridge.Kind, payload []byte, size int, refused error) {
	m := DevMessage{Time: time.Now(), Dir: dir, Kind: string(kind), Bytes: size}
	if refused != nil {
		m.Refused = refused.Error()
	}
	switch {
	case kind == bridge.KindRender || kind == bridge.KindReady:
		var p struct {
			Seq uint64 `json:"seq"`
		}
		if json.Unmarshal(payload, &p) == nil {
			m.Seq = p.Seq
		}
	case kind == bridge.KindAPI:
		var p struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(payload, &p) == nil {
			m.API = p.Name
		}
	}
	s.opts.DevTools.DevMessage(m)
}

// devPage reports one page message, accepted or refused; a refused one is named by
// the kind it claimed.
func (s *Session) devPage(raw string, env bridge.Envelope, err error) {
	if err == nil {
		s.devMessage(DirPageToHost, env.Kind, env.Payload, len(raw), nil)
		return
	}
	var claimed struct {
		Kind bridge.Kind `json:"kind"`
	}
	_ = json.Unmarshal([]byte(raw), &claimed)
	if len(claimed.Kind) > 64 {
		claimed.Kind = claimed.Kind[:64]
	}
	s.devMessage(DirPageToHost, claimed.Kind, nil, len(raw), err)
}

// devSync reports a …Sync API call, which goes from logic to the host without an
// envelope (Options.CallSync), as the api message it stands for.
func (s *Session) devSync(call bridge.APICall) {
	s.opts.DevTools.DevMessage(DevMessage{Time: time.Now(), Dir: DirLogicToHost, Kind: string(bridge.KindAPI), Bytes: len(call.Args), API: call.Name})
}

// devLogicOptions wires the logic runtime's DevTools hooks (console, eval, task times)
// into lo; only a session with a tap calls it.
func (s *Session) devLogicOptions(lo *logic.Options) {
	tap := s.opts.DevTools
	lo.Console = tap.DevConsole
	lo.DevEval = s.opts.DevEval
	var began time.Time
	prev := lo.OnTask
	lo.OnTask = func(start bool) {
		if prev != nil {
			prev(start)
		}
		if start {
			began = time.Now()
			return
		}
		tap.DevTask(began, time.Since(began))
	}
}

// DevComponent is a live component instance with its data.
type DevComponent struct {
	bridge.LiveComponent
	Data  json.RawMessage `json:"data,omitempty"`
	Error string          `json:"error,omitempty"`
}

// DevComponents lists the live component instances of a page ("" for all), with their
// data when the app's logic runs in this process.
func (s *Session) DevComponents(page string) []DevComponent {
	rt, local := s.rt.(*logic.Runtime)
	var out []DevComponent
	for _, c := range s.gate.Components() {
		if page != "" && c.Page != page {
			continue
		}
		d := DevComponent{LiveComponent: c}
		if !local {
			d.Error = "the app's logic runs in a child process"
		} else if data, err := rt.ComponentData(c.ID); err != nil {
			d.Error = err.Error()
		} else {
			d.Data = data
		}
		out = append(out, d)
	}
	return out
}
