package devtools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/host"
	"github.com/sandframe/sandframe/logic"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/storage"
)

// Session is what DevTools reads and changes of the running app; *host.Session is one.
type Session interface {
	DevInfo() host.DevAppInfo
	DevEval(expr string) (json.RawMessage, error)
	DevSetData(page string, data json.RawMessage) error
	DevPages() []logic.PageInfo
	DevPageData(page string) (json.RawMessage, error)
	DevComponents(page string) []host.DevComponent
	DevProbe(ctx context.Context, op, selector, value string) (json.RawMessage, error)
	DevStorage() (*storage.AppStore, error)
	DevPerms() (*perms.Manager, perms.App)
	DevAudit() *bridge.AuditLog
	DevWebProcess() int
}

var _ Session = (*host.Session)(nil)

// Request is one request of the DevTools page (payload of a "devtools" envelope).
type Request struct {
	ID   uint64          `json:"id"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`
}

// Result answers the request of the same ID (payload of a "devtoolsResult" envelope).
type Result struct {
	ID     uint64 `json:"id"`
	OK     bool   `json:"ok"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// MaxMessage bounds one message of the DevTools page (an edited storage value is the
// largest thing it sends).
const MaxMessage = 1 << 20

// Decode checks one message of the DevTools page strictly: size, UTF-8, version, the
// envelope's and the payload's fields. It returns the kind with either a request
// ("devtools") or a probe answer ("probeResult", for automation of the window).
func Decode(raw []byte) (bridge.Kind, Request, bridge.ProbeResult, error) {
	var req Request
	var pr bridge.ProbeResult
	if len(raw) > MaxMessage {
		return "", req, pr, fmt.Errorf("message of %d bytes is too large (limit %d)", len(raw), MaxMessage)
	}
	if !utf8.Valid(raw) {
		return "", req, pr, errors.New("message is not valid UTF-8")
	}
	var env struct {
		V       int             `json:"v"`
		Kind    bridge.Kind     `json:"kind"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := strict(raw, &env); err != nil {
		return "", req, pr, fmt.Errorf("malformed envelope: %v", err)
	}
	if env.V != bridge.Version {
		return env.Kind, req, pr, fmt.Errorf("version %d is not supported (want %d)", env.V, bridge.Version)
	}
	switch env.Kind {
	case bridge.KindDevTools:
		if err := strict(env.Payload, &req); err != nil {
			return env.Kind, req, pr, fmt.Errorf("malformed request: %v", err)
		}
		if req.ID == 0 || req.Op == "" || len(req.Op) > 64 {
			return env.Kind, req, pr, errors.New("a request needs an id and an op")
		}
		return env.Kind, req, pr, nil
	case bridge.KindProbeResult:
		if err := json.Unmarshal(env.Payload, &pr); err != nil {
			return env.Kind, req, pr, fmt.Errorf("malformed probe result: %v", err)
		}
		return env.Kind, req, pr, nil
	}
	return env.Kind, req, pr, fmt.Errorf("the DevTools window may not send %q", env.Kind)
}

func strict(raw []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data")
	}
	return nil
}

// Service answers the DevTools page's requests from the hub and the session.
type Service struct {
	hub  *Hub
	sess Session
	log  *slog.Logger
}

// NewService makes the service of one DevTools window.
func NewService(hub *Hub, sess Session, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	hub.web = sess.DevWebProcess
	return &Service{hub: hub, sess: sess, log: log}
}

// Handle runs one request and returns its answer.
func (s *Service) Handle(ctx context.Context, req Request) Result {
	out, err := s.run(ctx, req)
	if err != nil {
		return Result{ID: req.ID, Error: err.Error()}
	}
	return Result{ID: req.ID, OK: true, Result: out}
}

type sinceArgs struct {
	After uint64 `json:"after"`
}

type page struct {
	ID         string              `json:"id"`
	Route      string              `json:"route"`
	Query      map[string]string   `json:"query,omitempty"`
	Data       json.RawMessage     `json:"data,omitempty"`
	Error      string              `json:"error,omitempty"`
	Components []host.DevComponent `json:"components"`
}

type stream[T any] struct {
	Items   []T    `json:"items"`
	Last    uint64 `json:"last"`
	Dropped uint64 `json:"dropped,omitempty"`
}

func since[T any](r *ring[T], raw json.RawMessage) (stream[T], error) {
	var a sinceArgs
	if err := args(raw, &a); err != nil {
		return stream[T]{}, err
	}
	items, last, dropped := r.since(a.After)
	if items == nil {
		items = []T{}
	}
	return stream[T]{Items: items, Last: last, Dropped: dropped}, nil
}

func args(raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("{}")
	}
	if err := strict(raw, v); err != nil {
		return fmt.Errorf("arguments: %v", err)
	}
	return nil
}

func (s *Service) run(ctx context.Context, req Request) (any, error) {
	switch req.Op {
	case "info":
		return s.sess.DevInfo(), nil

	case "console.since":
		return since(s.hub.console, req.Args)
	case "console.clear":
		s.hub.console.clear()
		return nil, nil
	case "console.eval":
		var a struct {
			Expr string `json:"expr"`
		}
		if err := args(req.Args, &a); err != nil {
			return nil, err
		}
		v, err := s.sess.DevEval(a.Expr)
		if err != nil {
			return nil, err
		}
		return map[string]json.RawMessage{"value": v}, nil

	case "appdata.get":
		var pages []page
		for _, p := range s.sess.DevPages() {
			pg := page{ID: p.ID, Route: p.Route, Query: p.Query, Components: s.sess.DevComponents(p.ID)}
			if pg.Components == nil {
				pg.Components = []host.DevComponent{}
			}
			if d, err := s.sess.DevPageData(p.ID); err != nil {
				pg.Error = err.Error()
			} else {
				pg.Data = d
			}
			pages = append(pages, pg)
		}
		return map[string]any{"pages": pages}, nil
	case "appdata.set":
		var a struct {
			Page  string          `json:"page"`
			Path  string          `json:"path"`
			Value json.RawMessage `json:"value"`
		}
		if err := args(req.Args, &a); err != nil {
			return nil, err
		}
		if a.Path == "" || !json.Valid(a.Value) {
			return nil, errors.New("appdata.set needs a data path and a JSON value")
		}
		data, _ := json.Marshal(map[string]json.RawMessage{a.Path: a.Value})
		return nil, s.sess.DevSetData(a.Page, data)

	case "wxml.tree", "wxml.inspect", "wxml.highlight":
		var a struct {
			Path string `json:"path"`
		}
		if err := args(req.Args, &a); err != nil {
			return nil, err
		}
		op := map[string]string{"wxml.tree": "dev.tree", "wxml.inspect": "dev.inspect", "wxml.highlight": "dev.highlight"}[req.Op]
		return s.sess.DevProbe(ctx, op, a.Path, "")

	case "network.since":
		return since(s.hub.network, req.Args)
	case "network.clear":
		s.hub.network.clear()
		return nil, nil
	case "bridge.since":
		return since(s.hub.bridge, req.Args)
	case "bridge.clear":
		s.hub.bridge.clear()
		return nil, nil
	case "perf.since":
		s.hub.Tick()
		return since(s.hub.perf, req.Args)

	case "storage.list", "storage.set", "storage.remove", "storage.clear":
		return s.storage(req)

	case "perms.list":
		return s.permsList()
	case "perms.reset":
		m, app := s.sess.DevPerms()
		if m == nil {
			return nil, errors.New("no permission store")
		}
		return nil, m.Reset(app)
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

type storageItem struct {
	Key   string          `json:"key"`
	Size  int64           `json:"size"`
	Value json.RawMessage `json:"value"`
}

func (s *Service) storage(req Request) (any, error) {
	st, err := s.sess.DevStorage()
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errors.New("no storage")
	}
	var a struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	}
	if err := args(req.Args, &a); err != nil {
		return nil, err
	}
	switch req.Op {
	case "storage.set":
		if a.Key == "" {
			return nil, errors.New("storage.set needs a key")
		}
		if !json.Valid(a.Value) {
			return nil, errors.New("the value must be JSON (a string in quotes)")
		}
		return nil, st.Set(a.Key, a.Value)
	case "storage.remove":
		return nil, st.Remove(a.Key)
	case "storage.clear":
		return nil, st.Clear()
	}
	keys, err := st.Keys()
	if err != nil {
		return nil, err
	}
	items := make([]storageItem, 0, len(keys))
	for _, k := range keys {
		v, err := st.Get(k.Name)
		if err != nil {
			continue // removed meanwhile
		}
		if len(v) > 64<<10 {
			b, _ := json.Marshal(fmt.Sprintf("(%d bytes)", len(v)))
			v = b
		}
		items = append(items, storageItem{Key: k.Name, Size: k.Size, Value: v})
	}
	info, _ := st.Info()
	return map[string]any{"items": items, "info": info}, nil
}

type decision struct {
	Capability string `json:"capability"`
	Decision   string `json:"decision"`
	Reason     string `json:"reason,omitempty"`
}

// MaxAuditLines is how many of the app's audit lines the panel shows (the last ones).
const MaxAuditLines = 300

func (s *Service) permsList() (any, error) {
	var out struct {
		Decisions []decision          `json:"decisions"`
		Audit     []bridge.AuditEntry `json:"audit"`
		AuditPath string              `json:"auditPath"`
	}
	out.Decisions = []decision{}
	if m, app := s.sess.DevPerms(); m != nil {
		set, err := m.Settings(app)
		if err != nil {
			return nil, err
		}
		for cp, d := range set {
			out.Decisions = append(out.Decisions, decision{Capability: cp, Decision: string(d), Reason: app.Claims[cp].Reason})
		}
		sort.Slice(out.Decisions, func(i, j int) bool { return out.Decisions[i].Capability < out.Decisions[j].Capability })
	}
	if a := s.sess.DevAudit(); a != nil {
		out.AuditPath = a.Path()
		lines, err := bridge.ReadAudit(a.Path(), bridge.Filter{App: s.sess.DevInfo().Key, Last: MaxAuditLines})
		if err != nil {
			return nil, err
		}
		for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 { // newest first
			lines[i], lines[j] = lines[j], lines[i]
		}
		out.Audit = lines
	}
	if out.Audit == nil {
		out.Audit = []bridge.AuditEntry{}
	}
	return out, nil
}

// refusedLine is the audit line of a message the DevTools window's decoder refused.
func refusedLine(kind bridge.Kind, err error) bridge.AuditEntry {
	return bridge.AuditEntry{Time: time.Now().UTC(), App: "devtools", Window: "devtools", Kind: string(kind),
		Decision: bridge.DecisionRefused, Reason: err.Error()}
}
