package isolate

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/logic"
)

// Frame types, parent → child.
const (
	tInit       = "init"       // body initBody; the first frame, after the app's code frames
	tCode       = "code"       // body codeBody: some of the app's code, before init (code.go)
	tDeliver    = "deliver"    // body bridge.Envelope (nav, event, ready, apiResult)
	tPageData   = "pageData"   // id; body pageDataRequest
	tStack      = "stack"      // id; no body
	tSyncResult = "syncResult" // id of the child's syncCall; body bridge.APIResult
	tTerminate  = "terminate"  // body terminateBody: stop by force with a reason
	tStop       = "stop"       // no body: a normal stop
	tAutomate   = "automate"   // id; body automateRequest (automate.go)
)

// Frame types, child → parent.
const (
	tLoaded        = "loaded"        // body loadedBody; exactly once, first of the replies
	tSend          = "send"          // body bridge.Envelope (render, or api with sync false)
	tSyncCall      = "syncCall"      // id chosen by the child; body bridge.APICall with sync true
	tPageDataReply = "pageDataReply" // id of the request; body pageDataReply
	tStackReply    = "stackReply"    // id of the request; body []pageInfo
	tTerminated    = "terminated"    // body terminatedBody: logic terminated the app
	tAutomateReply = "automateReply" // id of the request; body pageDataReply
)

// initBody is logic.Options without the parts that cannot cross a pipe, plus the limits.
type initBody struct {
	AppID           string              `json:"appId"`
	Dir             string              `json:"dir"`
	Pages           []string            `json:"pages"`
	Components      []string            `json:"components"`
	ComponentPages  []string            `json:"componentPages,omitempty"`
	Launch          logic.LaunchOptions `json:"launch"`
	MaxSetDataBytes int                 `json:"maxSetDataBytes"`
	APIs            []hostapi.Shape     `json:"apis"`     // the registry's shapes: wx is built from the same declarations
	Builtins        []string            `json:"builtins"` // the page's built-in components, for wx.canIUse
	TaskBudget      time.Duration       `json:"taskBudget"`
	MemoryLimit     uint64              `json:"memoryLimit"`
	CPULimit        time.Duration       `json:"cpuLimit"`
	ParentPID       int                 `json:"parentPid"` // for the child's check after PR_SET_PDEATHSIG
	// ReadDir: the app's code was too big to send in code frames (code.go); the child
	// reads it from Dir as it needs it, and keeps read access to Dir when confined.
	ReadDir    bool `json:"readDir,omitempty"`
	Unconfined bool `json:"unconfined,omitempty"` // benchmarks only: limits without confinement
	Probe      bool `json:"probe,omitempty"`      // ProbeConfinement: confine, report, exit; load nothing
	// Subpackages and SkipApp: logic.Options' (docs/subpackages.md).
	Subpackages []logic.Subpackage `json:"subpackages,omitempty"`
	SkipApp     bool               `json:"skipApp,omitempty"`
}

// loadedBody answers init: the load error, or the component definitions and the limits
// the child applied.
type loadedBody struct {
	Error string             `json:"error,omitempty"`
	Defs  map[string]wireDef `json:"defs,omitempty"`
	// BrokenPages are the pages whose file failed to load: the app runs without them.
	BrokenPages []string      `json:"brokenPages,omitempty"`
	Limits      appliedLimits `json:"limits"`
	// Confinement is what the child applied before the app's code ran; nil when it did
	// not get that far.
	Confinement *Confinement `json:"confinement,omitempty"`
	// Prepared: the app loaded into the logic runtime the spare prepared ahead.
	Prepared bool `json:"prepared,omitempty"`
}

// appliedLimits is what the child set on itself, for the parent's log.
type appliedLimits struct {
	BaseAddressSpace uint64 `json:"baseAddressSpace"` // VmSize before the limit
	RlimitAS         uint64 `json:"rlimitAS"`
	GoMemoryLimit    int64  `json:"goMemoryLimit"`
	RlimitCPU        uint64 `json:"rlimitCPU"` // seconds (soft)
}

// wireDef and wireProp mirror logic.ComponentDef's JSON so it is decoded strictly
// (PropertyDef's own UnmarshalJSON would accept unknown fields).
type wireDef struct {
	Properties      map[string]wireProp `json:"properties"`
	Data            json.RawMessage     `json:"data"`
	Options         json.RawMessage     `json:"options"`
	ExternalClasses []string            `json:"externalClasses,omitempty"`
	FormField       bool                `json:"formField,omitempty"`
	Page            bool                `json:"page,omitempty"`
	FormFieldGroup  bool                `json:"formFieldGroup,omitempty"`
}

type wireProp struct {
	Type          *string         `json:"type"`
	OptionalTypes []*string       `json:"optionalTypes,omitempty"`
	Value         json.RawMessage `json:"value"`
}

func toWireDefs(defs map[string]logic.ComponentDef) (map[string]wireDef, error) {
	raw, err := json.Marshal(defs)
	if err != nil {
		return nil, err
	}
	var out map[string]wireDef
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

func fromWireDefs(in map[string]wireDef) map[string]logic.ComponentDef {
	out := make(map[string]logic.ComponentDef, len(in))
	for path, d := range in {
		def := logic.ComponentDef{Properties: make(map[string]logic.PropertyDef, len(d.Properties)), Data: d.Data, Options: d.Options,
			ExternalClasses: d.ExternalClasses, FormField: d.FormField, Page: d.Page, FormFieldGroup: d.FormFieldGroup}
		for name, p := range d.Properties {
			pd := logic.PropertyDef{Value: p.Value}
			if p.Type != nil {
				pd.Type = *p.Type
			}
			for _, t := range p.OptionalTypes {
				if t == nil {
					pd.OptionalTypes = append(pd.OptionalTypes, "")
				} else {
					pd.OptionalTypes = append(pd.OptionalTypes, *t)
				}
			}
			def.Properties[name] = pd
		}
		out[path] = def
	}
	return out
}

type pageDataRequest struct {
	Page string `json:"page"`
}

type pageDataReply struct {
	Data  json.RawMessage `json:"data,omitempty"`
	Error string          `json:"error,omitempty"`
}

// pageInfo is logic.PageInfo with JSON names.
type pageInfo struct {
	ID    string            `json:"id"`
	Route string            `json:"route"`
	Query map[string]string `json:"query"`
}

type terminateBody struct {
	Reason string `json:"reason"`
}

type terminatedBody struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

// childMsg is one frame from the child after the parent's checks.
type childMsg struct {
	t      string
	id     uint64
	loaded *loadedBody
	env    bridge.Envelope
	call   bridge.APICall
	data   *pageDataReply
	stack  []pageInfo
	term   *terminatedBody
	units  *loadUnitsReply
	warm   *warmBody // a spare's (spare.go)
}

// Bounds on what a child may put in fields the parent keeps or logs.
const (
	maxErrorText = 4096
	maxReason    = 64
)

// parseChildFrame is the parent's whole trust boundary for the child: every frame is
// decoded strictly and checked against its type's schema. Any error means the child is
// broken or hostile, and it is killed.
func parseChildFrame(raw []byte) (childMsg, error) {
	f, err := parseFrame(raw)
	if err != nil {
		return childMsg{}, err
	}
	m := childMsg{t: f.T, id: f.ID}
	needID := func(want bool) error {
		if want && f.ID == 0 {
			return fmt.Errorf("%s: id is missing", f.T)
		}
		if !want && f.ID != 0 {
			return fmt.Errorf("%s: unexpected id", f.T)
		}
		return nil
	}
	switch f.T {
	case tLoaded:
		if err := needID(false); err != nil {
			return m, err
		}
		m.loaded = new(loadedBody)
		if err := decodeBody(f, m.loaded); err != nil {
			return m, err
		}
		if len(m.loaded.Error) > maxErrorText {
			return m, errors.New("loaded: error text is too long")
		}
		if err := m.loaded.Confinement.check(); err != nil {
			return m, err
		}
	case tSend:
		if err := needID(false); err != nil {
			return m, err
		}
		if err := decodeBody(f, &m.env); err != nil {
			return m, err
		}
		if err := checkOutbound(&m.env); err != nil {
			return m, fmt.Errorf("send: %w", err)
		}
	case tSyncCall:
		if err := needID(true); err != nil {
			return m, err
		}
		if err := decodeBody(f, &m.call); err != nil {
			return m, err
		}
		if !m.call.Sync || m.call.Name == "" {
			return m, errors.New("syncCall: a synchronous call with a name is required")
		}
	case tPageDataReply, tAutomateReply:
		if err := needID(true); err != nil {
			return m, err
		}
		m.data = new(pageDataReply)
		if err := decodeBody(f, m.data); err != nil {
			return m, err
		}
		if len(m.data.Error) > maxErrorText {
			return m, fmt.Errorf("%s: error text is too long", m.t)
		}
	case tStackReply:
		if err := needID(true); err != nil {
			return m, err
		}
		if err := decodeBody(f, &m.stack); err != nil {
			return m, err
		}
	case tLoadUnitsReply:
		if err := needID(true); err != nil {
			return m, err
		}
		m.units = new(loadUnitsReply)
		if err := decodeBody(f, m.units); err != nil {
			return m, err
		}
		if len(m.units.Error) > maxErrorText {
			return m, errors.New("loadUnitsReply: error text is too long")
		}
	case tWarm:
		if err := needID(false); err != nil {
			return m, err
		}
		m.warm = new(warmBody)
		if err := decodeBody(f, m.warm); err != nil {
			return m, err
		}
		if len(m.warm.Error) > maxErrorText {
			return m, errors.New("warm: error text is too long")
		}
	case tTerminated:
		if err := needID(false); err != nil {
			return m, err
		}
		m.term = new(terminatedBody)
		if err := decodeBody(f, m.term); err != nil {
			return m, err
		}
		if m.term.Reason == "" || len(m.term.Reason) > maxReason || len(m.term.Detail) > maxErrorText {
			return m, errors.New("terminated: reason must be 1 to 64 bytes, detail at most 4096")
		}
	default:
		return m, fmt.Errorf("unknown frame type %q", truncate(f.T, 32))
	}
	return m, nil
}

// checkOutbound accepts exactly what logic itself sends: version 1, no sender, a render
// push, a query for the page (bridge.CheckQuery) or an asynchronous api call, each
// payload strictly of its schema.
func checkOutbound(env *bridge.Envelope) error {
	if env.V != bridge.Version {
		return fmt.Errorf("envelope version %d is not %d", env.V, bridge.Version)
	}
	if env.Sender != nil {
		return errors.New("envelope names a sender: only the host stamps senders")
	}
	if len(env.Payload) == 0 {
		return errors.New("envelope payload is missing")
	}
	switch env.Kind {
	case bridge.KindRender:
		var r bridge.Render
		if err := decodeStrict(env.Payload, &r); err != nil {
			return fmt.Errorf("render payload: %w", err)
		}
		if err := bridge.CheckRender(&r); err != nil {
			return fmt.Errorf("render payload: %w", err)
		}
	case bridge.KindAPI:
		var c bridge.APICall
		if err := decodeStrict(env.Payload, &c); err != nil {
			return fmt.Errorf("api payload: %w", err)
		}
		if c.Sync || c.Name == "" {
			return errors.New("api payload: an asynchronous call with a name is required")
		}
	case bridge.KindQuery:
		var q bridge.Query
		if err := decodeStrict(env.Payload, &q); err != nil {
			return fmt.Errorf("query payload: %w", err)
		}
		if err := bridge.CheckQuery(&q); err != nil {
			return err
		}
	default:
		return fmt.Errorf("logic may not send kind %q", truncate(string(env.Kind), 32))
	}
	return nil
}
