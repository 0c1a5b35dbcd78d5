package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/sandframe/sandframe/bridge"
)

// registerAPIs installs the host APIs of this stage on the gateway.
func (s *Session) registerAPIs() {
	for _, action := range []string{"navigateTo", "redirectTo", "navigateBack", "reLaunch", "switchTab"} {
		action := action
		s.gw.Register(action, func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
			var a struct {
				URL   string `json:"url"`
				Delta int    `json:"delta"`
			}
			if err := decodeArgs(args, &a); err != nil {
				return nil, nil, err
			}
			nav, err := s.nav.Navigate(action, a.URL, a.Delta)
			if err != nil {
				return nil, nil, err
			}
			s.gate.SetStack(s.nav.Refs())
			return map[string]any{}, nav, nil
		})
	}
	s.gw.Register("setNavigationBarTitle", func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Title *string `json:"title"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		if a.Title == nil {
			return nil, nil, errors.New("parameter.title should be String instead of Undefined;")
		}
		s.sendUI(bridge.UI{Op: "title", Page: snd.Page, Text: *a.Title})
		return map[string]any{}, nil, nil
	})
	s.gw.Register("setNavigationBarColor", func(ctx context.Context, snd bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			FrontColor      string `json:"frontColor"`
			BackgroundColor string `json:"backgroundColor"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		// WeChat allows only these two front colours.
		if a.FrontColor != "#ffffff" && a.FrontColor != "#000000" {
			return nil, nil, fmt.Errorf("invalid frontColor %q: only #ffffff and #000000", a.FrontColor)
		}
		if !isColor(a.BackgroundColor) {
			return nil, nil, fmt.Errorf("invalid backgroundColor %q", a.BackgroundColor)
		}
		s.sendUI(bridge.UI{Op: "navbar", Page: snd.Page, FrontColor: a.FrontColor, BackgroundColor: a.BackgroundColor})
		return map[string]any{}, nil, nil
	})
	s.gw.Register("showToast", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		a := struct {
			Title    *string `json:"title"`
			Icon     string  `json:"icon"`
			Duration int     `json:"duration"`
			Mask     bool    `json:"mask"`
		}{Icon: "success", Duration: 1500}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		if a.Title == nil {
			return nil, nil, errors.New("parameter.title should be String instead of Undefined;")
		}
		switch a.Icon {
		case "success", "error", "loading", "none":
		default:
			return nil, nil, fmt.Errorf("invalid icon %q", a.Icon)
		}
		if a.Duration < 0 || a.Duration > 60000 {
			return nil, nil, fmt.Errorf("invalid duration %d", a.Duration)
		}
		s.sendUI(bridge.UI{Op: "toast", Title: *a.Title, Icon: a.Icon, Duration: a.Duration, Mask: a.Mask})
		return map[string]any{}, nil, nil
	})
	s.gw.Register("showLoading", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Title *string `json:"title"`
			Mask  bool    `json:"mask"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		if a.Title == nil {
			return nil, nil, errors.New("parameter.title should be String instead of Undefined;")
		}
		// Duration 0: shown until hideLoading.
		s.sendUI(bridge.UI{Op: "toast", Title: *a.Title, Icon: "loading", Mask: a.Mask})
		return map[string]any{}, nil, nil
	})
	hide := func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		s.sendUI(bridge.UI{Op: "hideToast"})
		return map[string]any{}, nil, nil
	}
	s.gw.Register("hideToast", hide)
	s.gw.Register("hideLoading", hide)
	s.gw.Register("showModal", s.showModal)
	info := func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		return s.systemInfo(), nil, nil
	}
	s.gw.Register("getSystemInfo", info)
	s.gw.Register("getSystemInfoSync", info)
}

func (s *Session) showModal(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Title        string `json:"title"`
		Content      string `json:"content"`
		ShowCancel   *bool  `json:"showCancel"`
		CancelText   string `json:"cancelText"`
		ConfirmText  string `json:"confirmText"`
		CancelColor  string `json:"cancelColor"`
		ConfirmColor string `json:"confirmColor"`
	}{CancelText: "Cancel", ConfirmText: "OK"}
	if err := decodeArgs(args, &a); err != nil {
		return nil, nil, err
	}
	// WeChat caps button texts at four Chinese characters; eight Latin ones here.
	if len([]rune(a.CancelText)) > 8 || len([]rune(a.ConfirmText)) > 8 {
		return nil, nil, errors.New("cancelText and confirmText may be at most 8 characters")
	}
	showCancel := a.ShowCancel == nil || *a.ShowCancel
	id := fmt.Sprintf("m%d", s.nextID.Add(1))
	answer := make(chan bool, 1)
	s.mu.Lock()
	s.modals[id] = answer
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.modals, id)
		s.mu.Unlock()
	}()
	s.sendUI(bridge.UI{Op: "modal", ID: id, Title: a.Title, Content: a.Content, ShowCancel: showCancel,
		CancelText: a.CancelText, ConfirmText: a.ConfirmText, CancelColor: a.CancelColor, ConfirmColor: a.ConfirmColor})
	select {
	case ok := <-answer:
		return map[string]any{"confirm": ok, "cancel": !ok}, nil, nil
	case <-ctx.Done():
		return nil, nil, errors.New("the app closed")
	}
}

// systemInfo is what wx.getSystemInfo reports on the desktop.
func (s *Session) systemInfo() map[string]any {
	c := s.opts.Config
	return map[string]any{
		"brand": c.System.Brand, "model": c.System.Model, "pixelRatio": 1,
		"screenWidth": c.Window.Width, "screenHeight": c.Window.Height,
		"windowWidth": c.Window.Width, "windowHeight": c.Window.Height,
		"statusBarHeight": 0, "language": c.System.Language, "version": s.opts.Version,
		"system": "Sandframe " + s.opts.Version, "platform": runtime.GOOS, "SDKVersion": "3.0.0",
		"fontSizeSetting": 16, "theme": "light", "deviceOrientation": "portrait",
	}
}

// decodeArgs decodes an API's arguments; fields it does not know are ignored, as
// WeChat ignores them.
func decodeArgs(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return fmt.Errorf("parameter.%s should be %s instead of %s;", te.Field, jsType(te.Type.Kind().String()), capitalize(te.Value))
		}
		return fmt.Errorf("invalid parameters: %v", err)
	}
	return nil
}

func jsType(goKind string) string {
	switch goKind {
	case "string", "ptr":
		return "String"
	case "bool":
		return "Boolean"
	case "int", "int64", "float64":
		return "Number"
	}
	return "Object"
}

func isColor(c string) bool {
	if len(c) != 7 && len(c) != 4 || c[0] != '#' {
		return false
	}
	for _, r := range c[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
