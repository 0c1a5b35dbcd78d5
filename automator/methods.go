package automator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SDKVersion is what Tool.getInfo reports: the package refuses a base library older
// than 2.7.3, and "dev" passes its check.
const SDKVersion = "dev"

// params is every field a request may carry; each method reads its own.
type params struct {
	PageID              string            `json:"pageId"`
	ElementID           string            `json:"elementId"`
	NodeID              string            `json:"nodeId"`
	Selector            string            `json:"selector"`
	Method              string            `json:"method"`
	PluginID            string            `json:"pluginId"`
	Args                []json.RawMessage `json:"args"`
	Result              json.RawMessage   `json:"result"`
	FunctionDeclaration string            `json:"functionDeclaration"`
	FunctionName        string            `json:"functionName"`
	Data                json.RawMessage   `json:"data"`
	Path                string            `json:"path"`
	Names               []string          `json:"names"`
	Type                string            `json:"type"`
	Detail              json.RawMessage   `json:"detail"`
	Touches             json.RawMessage   `json:"touches"`
	ChangedTouches      json.RawMessage   `json:"changedTouches"`
}

// ErrUnsupported marks a method of the protocol this server does not serve.
var ErrUnsupported = errors.New("not supported by Sandframe")

// Methods lists the protocol's methods and whether this server serves them (the
// table of docs/automator.md, checked by a test).
var Methods = map[string]bool{
	"Tool.getInfo": true, "Tool.close": true, "App.exit": true,
	"App.getPageStack": true, "App.getCurrentPage": true,
	"App.callWxMethod": true, "App.mockWxMethod": true, "App.callFunction": true,
	"App.captureScreenshot": true, "App.enableLog": true,
	"Page.getElement": true, "Page.getElements": true,
	"Page.getElementByXpath": true, "Page.getElementsByXpath": true,
	"Page.getData": true, "Page.setData": true, "Page.callMethod": true, "Page.getWindowProperties": true,
	"Element.getElement": true, "Element.getElements": true,
	"Element.getDOMProperties": true, "Element.getAttributes": true, "Element.getStyles": true,
	"Element.getProperties": true, "Element.getOffset": true, "Element.getWXML": true,
	"Element.tap": true, "Element.triggerEvent": true,
	"Element.touchstart": true, "Element.touchmove": true, "Element.touchend": true,
	"Element.callFunction": true,
	"Tool.native":          true, // confirmModal and cancelModal only
	"Element.getData":      true, "Element.setData": true, "Element.callMethod": true,
	// Not served: what needs WeChat itself or a channel back to the client.
	"App.addBinding": false, "Element.dispatchEvent": false, "Element.callContextMethod": false,
	"Tool.enableRemoteDebug": false, "Tool.getTestAccounts": false,
	"Tool.stopAudits": false, "Tool.getTicket": false, "Tool.setTicket": false, "Tool.refreshTicket": false,
}

type pageJSON struct {
	PageID string            `json:"pageId"`
	Path   string            `json:"path"`
	Query  map[string]string `json:"query"`
}

func (s *Server) call(ctx context.Context, method string, raw json.RawMessage) (result any, after func(), err error) {
	var p params
	if len(raw) > 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, nil, fmt.Errorf("%s: bad params: %w", method, err)
		}
	}
	if p.PluginID != "" {
		return nil, nil, fmt.Errorf("%s: plugins are %w", method, ErrUnsupported)
	}
	t := s.target
	// A client may connect while the app still starts: answer once its first page is
	// open, as DevTools does once the project is loaded.
	if l, ok := t.(Launcher); ok {
		select {
		case <-l.Launched():
		case <-ctx.Done():
			return nil, nil, fmt.Errorf("%s: the app has not opened its first page", method)
		}
	}
	logic := func(op string, v any) (json.RawMessage, error) {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return t.Automate(ctx, op, b)
	}
	switch method {
	case "Tool.getInfo":
		return map[string]string{"SDKVersion": SDKVersion, "platform": "sandframe"}, nil, nil
	case "App.exit", "App.enableLog":
		// App.exit comes just before Tool.close, which ends the app; console events are
		// not sent yet (docs/automator.md).
		return nil, nil, nil
	case "Tool.close":
		c, ok := t.(Closer)
		if !ok {
			return nil, nil, fmt.Errorf("%s: this app cannot be closed from here", method)
		}
		return nil, c.Close, nil
	case "App.getPageStack":
		var out []pageJSON
		for _, pg := range t.Stack() {
			out = append(out, pageJSON{pg.ID, pg.Route, nonNil(pg.Query)})
		}
		if out == nil {
			out = []pageJSON{}
		}
		return map[string]any{"pageStack": out}, nil, nil
	case "App.getCurrentPage":
		pg, err := t.CurrentPage()
		if err != nil {
			return nil, nil, err
		}
		return pageJSON{pg.ID, pg.Route, nonNil(pg.Query)}, nil, nil
	case "App.callWxMethod":
		if p.Method == "" {
			return nil, nil, errors.New("App.callWxMethod: method is empty")
		}
		r, err := logic("callWx", map[string]any{"method": p.Method, "args": args(p.Args)})
		if err != nil {
			return nil, nil, err
		}
		return map[string]json.RawMessage{"result": r}, nil, nil
	case "App.mockWxMethod":
		if p.Method == "" {
			return nil, nil, errors.New("App.mockWxMethod: method is empty")
		}
		m := map[string]any{"method": p.Method}
		if p.FunctionDeclaration != "" {
			m["functionDeclaration"], m["args"] = p.FunctionDeclaration, args(p.Args)
		} else if p.Result != nil {
			m["result"] = p.Result
		}
		_, err := logic("mockWx", m)
		return nil, nil, err
	case "App.callFunction":
		if strings.TrimSpace(p.FunctionDeclaration) == "" {
			return nil, nil, errors.New("App.callFunction: functionDeclaration is empty")
		}
		r, err := logic("callFunction", map[string]any{"functionDeclaration": p.FunctionDeclaration, "args": args(p.Args)})
		if err != nil {
			return nil, nil, err
		}
		return map[string]json.RawMessage{"result": r}, nil, nil
	case "App.captureScreenshot":
		return s.screenshot()
	case "Page.getData":
		data, err := t.PageData(ctx, p.PageID)
		if err != nil {
			return nil, nil, err
		}
		if p.Path != "" {
			if data, err = dataAt(data, p.Path); err != nil {
				return nil, nil, err
			}
		}
		return map[string]json.RawMessage{"data": data}, nil, nil
	case "Page.setData", "Element.setData":
		id := p.PageID
		if method == "Element.setData" {
			id = p.NodeID
		}
		_, err := logic("setData", map[string]any{"id": id, "data": orEmpty(p.Data)})
		return nil, nil, err
	case "Element.getData":
		data, err := logic("getData", map[string]any{"id": p.NodeID})
		if err == nil && p.Path != "" {
			data, err = dataAt(data, p.Path)
		}
		if err != nil {
			return nil, nil, err
		}
		return map[string]json.RawMessage{"data": data}, nil, nil
	case "Page.callMethod", "Element.callMethod":
		id := p.PageID
		if method == "Element.callMethod" {
			id = p.NodeID
		}
		r, err := logic("callMethod", map[string]any{"id": id, "method": p.Method, "args": args(p.Args)})
		if err != nil {
			return nil, nil, err
		}
		return map[string]json.RawMessage{"result": r}, nil, nil
	case "Page.getElement", "Page.getElementByXpath", "Element.getElement":
		els, err := s.query(ctx, method, p)
		if err != nil {
			return nil, nil, err
		}
		if len(els) == 0 {
			return nil, nil, fmt.Errorf("%s: no element matches %s", method, p.Selector)
		}
		return els[0], nil, nil
	case "Page.getElements", "Page.getElementsByXpath", "Element.getElements":
		els, err := s.query(ctx, method, p)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{"elements": els}, nil, nil
	case "Page.getWindowProperties":
		r, err := s.probe(ctx, "auto.window", map[string]any{"names": p.Names})
		return r, nil, err
	case "Element.getDOMProperties", "Element.getAttributes", "Element.getStyles", "Element.getProperties":
		kind := map[string]string{"Element.getDOMProperties": "dom", "Element.getAttributes": "attributes", "Element.getStyles": "styles", "Element.getProperties": "properties"}[method]
		key := map[string]string{"dom": "properties", "attributes": "attributes", "styles": "styles", "properties": "properties"}[kind]
		r, err := s.probe(ctx, "auto.get", map[string]any{"id": p.ElementID, "kind": kind, "names": p.Names})
		if err != nil {
			return nil, nil, err
		}
		return map[string]json.RawMessage{key: r}, nil, nil
	case "Element.getOffset":
		r, err := s.probe(ctx, "auto.offset", map[string]any{"id": p.ElementID})
		return r, nil, err
	case "Element.getWXML":
		r, err := s.probe(ctx, "auto.wxml", map[string]any{"id": p.ElementID, "outer": p.Type == "outer"})
		return r, nil, err
	case "Element.tap":
		_, err := s.probe(ctx, "auto.tap", map[string]any{"id": p.ElementID})
		return nil, nil, err
	case "Element.touchstart", "Element.touchmove", "Element.touchend":
		_, err := s.probe(ctx, "auto.touch", map[string]any{"id": p.ElementID, "type": strings.TrimPrefix(method, "Element."),
			"touches": orEmptyList(p.Touches), "changedTouches": orEmptyList(p.ChangedTouches)})
		return nil, nil, err
	case "Element.triggerEvent":
		if p.Type == "" {
			return nil, nil, errors.New("Element.triggerEvent: type is empty")
		}
		if p.NodeID != "" && !touchType(p.Type) {
			// A custom component's own event: its instance triggers it, as its code would.
			_, err := logic("trigger", map[string]any{"id": p.NodeID, "type": p.Type, "detail": orEmpty(p.Detail)})
			return nil, nil, err
		}
		m := map[string]any{"id": p.ElementID, "type": p.Type}
		if p.Detail != nil {
			m["detail"] = p.Detail
		}
		_, err := s.probe(ctx, "auto.trigger", m)
		return nil, nil, err
	case "Tool.native":
		// The shell draws wx.showModal in the page's chrome: its buttons are tapped as a
		// person would. WeChat's other native dialogs do not exist here.
		sel, ok := map[string]string{"confirmModal": ".sf-modal-confirm", "cancelModal": ".sf-modal-cancel"}[p.Method]
		if !ok {
			return nil, nil, fmt.Errorf("Tool.native %s is %w (docs/automator.md)", p.Method, ErrUnsupported)
		}
		_, err := t.Probe(ctx, "tap", sel, "")
		if err != nil {
			return nil, nil, fmt.Errorf("Tool.native %s: no modal is open (%w)", p.Method, err)
		}
		return nil, nil, nil
	case "Element.callFunction":
		r, err := s.probe(ctx, "auto.call", map[string]any{"id": p.ElementID, "fn": p.FunctionName, "args": args(p.Args)})
		return r, nil, err
	}
	if served, known := Methods[method]; known && !served {
		return nil, nil, fmt.Errorf("%s is %w (docs/automator.md)", method, ErrUnsupported)
	}
	return nil, nil, fmt.Errorf("unknown method %s", method)
}

func touchType(t string) bool {
	switch t {
	case "tap", "longpress", "longtap", "touchstart", "touchmove", "touchend", "touchcancel":
		return true
	}
	return false
}

// query finds elements in a page or under an element.
func (s *Server) query(ctx context.Context, method string, p params) ([]json.RawMessage, error) {
	if p.Selector == "" {
		return nil, fmt.Errorf("%s: selector is empty", method)
	}
	a := map[string]any{"selector": p.Selector, "page": p.PageID, "xpath": strings.Contains(method, "Xpath")}
	if strings.HasPrefix(method, "Element.") {
		a["parent"] = p.ElementID
	}
	raw, err := s.probe(ctx, "auto.query", a)
	if err != nil {
		return nil, err
	}
	var els []json.RawMessage
	if err := json.Unmarshal(raw, &els); err != nil {
		return nil, fmt.Errorf("%s: the page answered %s", method, raw)
	}
	if els == nil {
		els = []json.RawMessage{}
	}
	return els, nil
}

// probe sends an "auto." probe to the page (assets/runtime/automator.js).
func (s *Server) probe(ctx context.Context, op string, args any) (json.RawMessage, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	r, err := s.target.Probe(ctx, op, "", string(b))
	if err != nil {
		// The probe table names the op and the (empty) selector: the page's own words
		// are what a test wants to read.
		return nil, errors.New(strings.TrimPrefix(err.Error(), op+" : "))
	}
	return r, nil
}

func (s *Server) screenshot() (any, func(), error) {
	dir, err := os.MkdirTemp("", "sandframe-automator-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "screen.png")
	if err := s.target.Screenshot(path); err != nil {
		return nil, nil, err
	}
	png, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return map[string]string{"data": base64.StdEncoding.EncodeToString(png)}, nil, nil
}

func nonNil(q map[string]string) map[string]string {
	if q == nil {
		return map[string]string{}
	}
	return q
}

func args(a []json.RawMessage) []json.RawMessage {
	if a == nil {
		return []json.RawMessage{}
	}
	return a
}

func orEmpty(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || string(v) == "null" {
		return json.RawMessage("{}")
	}
	return v
}

func orEmptyList(v json.RawMessage) json.RawMessage {
	if len(v) == 0 || string(v) == "null" {
		return json.RawMessage("[]")
	}
	return v
}

// dataAt picks path ("list[0].title", "a.b") out of data.
func dataAt(data json.RawMessage, path string) (json.RawMessage, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	for _, part := range splitPath(path) {
		switch at := v.(type) {
		case map[string]any:
			v = at[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(at) {
				v = nil
			} else {
				v = at[i]
			}
		default:
			v = nil
		}
	}
	return json.Marshal(v)
}

func splitPath(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		for seg != "" {
			i := strings.IndexByte(seg, '[')
			if i < 0 {
				out = append(out, seg)
				break
			}
			if i > 0 {
				out = append(out, seg[:i])
			}
			j := strings.IndexByte(seg[i:], ']')
			if j < 0 {
				out = append(out, seg[i+1:])
				break
			}
			out = append(out, seg[i+1:i+j])
			seg = seg[i+j+1:]
		}
	}
	return out
}
