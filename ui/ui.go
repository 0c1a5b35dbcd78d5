// Package ui declares the host APIs that drive the app's window: navigation between
// pages, the navigation bar, toasts, loading and modals. The session carries them out
// (it owns the page stack and the window); this package checks and shapes them.
package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// Host is what the UI APIs need from the running session.
type Host interface {
	// Navigate carries out a navigation API on the app's page stack.
	Navigate(action, url string, delta int) (*bridge.Nav, error)
	// SendUI hands a UI operation to the window.
	SendUI(op bridge.UI)
	// Modal shows a modal or an action sheet and waits for the user's answer.
	Modal(ctx context.Context, op bridge.UI) (Answer, error)
	// TabIndex is route's index in app.json's tabBar list (-1: not a tab page) and
	// how many tabs there are (0: no tab bar).
	TabIndex(route string) (index, count int)
}

var (
	titleField = hostapi.Field{Name: "title", Type: hostapi.String, Required: true}
	urlField   = hostapi.Field{Name: "url", Type: hostapi.String, Required: true}
)

var _ = hostapi.Register(
	// Navigation: the session routes the nav to logic before the call answers.
	hostapi.Decl{Name: "navigateTo", Class: hostapi.ClassLocal, Handler: navigate("navigateTo"),
		Args: []hostapi.Field{urlField, {Name: "events", Type: hostapi.Object}}},
	hostapi.Decl{Name: "redirectTo", Class: hostapi.ClassLocal, Handler: navigate("redirectTo"), Args: []hostapi.Field{urlField}},
	hostapi.Decl{Name: "reLaunch", Class: hostapi.ClassLocal, Handler: navigate("reLaunch"), Args: []hostapi.Field{urlField}},
	hostapi.Decl{Name: "switchTab", Class: hostapi.ClassLocal, Handler: navigate("switchTab"), Args: []hostapi.Field{urlField}},
	hostapi.Decl{Name: "navigateBack", Class: hostapi.ClassLocal, Handler: navigate("navigateBack"),
		Args: []hostapi.Field{{Name: "delta", Type: hostapi.Number}}},
	// Window chrome and feedback.
	hostapi.Decl{Name: "setNavigationBarTitle", Class: hostapi.ClassLocal, Handler: setTitle, Args: []hostapi.Field{titleField}},
	hostapi.Decl{Name: "setNavigationBarColor", Class: hostapi.ClassLocal, Handler: setNavColor,
		Args: []hostapi.Field{{Name: "frontColor", Type: hostapi.String, Required: true},
			{Name: "backgroundColor", Type: hostapi.String, Required: true}, {Name: "animation", Type: hostapi.Object}}},
	hostapi.Decl{Name: "showToast", Class: hostapi.ClassFeedback, Handler: showToast,
		Args: []hostapi.Field{titleField, {Name: "icon", Type: hostapi.String}, {Name: "duration", Type: hostapi.Number},
			{Name: "mask", Type: hostapi.Boolean}}},
	hostapi.Decl{Name: "showLoading", Class: hostapi.ClassFeedback, Handler: showLoading,
		Args: []hostapi.Field{titleField, {Name: "mask", Type: hostapi.Boolean}}},
	hostapi.Decl{Name: "hideToast", Class: hostapi.ClassLocal, Handler: hide},
	hostapi.Decl{Name: "hideLoading", Class: hostapi.ClassLocal, Handler: hide},
	hostapi.Decl{Name: "showModal", Class: hostapi.ClassFeedback, Handler: showModal,
		Args: []hostapi.Field{{Name: "title", Type: hostapi.String}, {Name: "content", Type: hostapi.String},
			{Name: "showCancel", Type: hostapi.Boolean}, {Name: "cancelText", Type: hostapi.String},
			{Name: "confirmText", Type: hostapi.String}, {Name: "cancelColor", Type: hostapi.String},
			{Name: "confirmColor", Type: hostapi.String}, {Name: "editable", Type: hostapi.Boolean},
			{Name: "placeholderText", Type: hostapi.String}}},
	// The rest of the UI group is declared in chrome.go.
	// Planned.
	hostapi.Decl{Name: "showNotification", Capability: "notification:show", Class: hostapi.ClassFeedback},
)

func host(c hostapi.Call) (Host, error) { return hostapi.HostAs[Host](c) }

func navigate(action string) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		var a struct {
			URL   string `json:"url"`
			Delta int    `json:"delta"`
		}
		if err := c.Decode(&a); err != nil {
			return nil, nil, err
		}
		h, err := host(c)
		if err != nil {
			return nil, nil, err
		}
		nav, err := h.Navigate(action, a.URL, a.Delta)
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nav, nil
	}
}

func setTitle(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Title string `json:"title"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "title", Page: c.Sender.Page, Text: a.Title})
	return map[string]any{}, nil, nil
}

func setNavColor(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		FrontColor      string `json:"frontColor"`
		BackgroundColor string `json:"backgroundColor"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	// WeChat allows only these two front colours.
	if a.FrontColor != "#ffffff" && a.FrontColor != "#000000" {
		return nil, nil, fmt.Errorf("invalid frontColor %q: only #ffffff and #000000", a.FrontColor)
	}
	if !IsColor(a.BackgroundColor) {
		return nil, nil, fmt.Errorf("invalid backgroundColor %q", a.BackgroundColor)
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "navbar", Page: c.Sender.Page, FrontColor: a.FrontColor, BackgroundColor: a.BackgroundColor})
	return map[string]any{}, nil, nil
}

func showToast(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Title    string `json:"title"`
		Icon     string `json:"icon"`
		Duration int    `json:"duration"`
		Mask     bool   `json:"mask"`
	}{Icon: "success", Duration: 1500}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	switch a.Icon {
	case "success", "error", "loading", "none":
	default:
		return nil, nil, fmt.Errorf("invalid icon %q", a.Icon)
	}
	if a.Duration < 0 || a.Duration > 60000 {
		return nil, nil, fmt.Errorf("invalid duration %d", a.Duration)
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "toast", Title: a.Title, Icon: a.Icon, Duration: a.Duration, Mask: a.Mask})
	return map[string]any{}, nil, nil
}

func showLoading(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Title string `json:"title"`
		Mask  bool   `json:"mask"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	// Duration 0: shown until hideLoading.
	h.SendUI(bridge.UI{Op: "toast", Title: a.Title, Icon: "loading", Mask: a.Mask})
	return map[string]any{}, nil, nil
}

func hide(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "hideToast"})
	return map[string]any{}, nil, nil
}

func showModal(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Title        string `json:"title"`
		Content      string `json:"content"`
		ShowCancel   *bool  `json:"showCancel"`
		CancelText   string `json:"cancelText"`
		ConfirmText  string `json:"confirmText"`
		CancelColor  string `json:"cancelColor"`
		ConfirmColor string `json:"confirmColor"`
		Editable     bool   `json:"editable"`
		Placeholder  string `json:"placeholderText"`
	}{CancelText: "Cancel", ConfirmText: "OK"}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	// WeChat caps button texts at four Chinese characters; eight Latin ones here.
	if len([]rune(a.CancelText)) > 8 || len([]rune(a.ConfirmText)) > 8 {
		return nil, nil, errors.New("cancelText and confirmText may be at most 8 characters")
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	ans, err := h.Modal(c.Ctx, bridge.UI{Op: "modal", Title: a.Title, Content: a.Content, ShowCancel: a.ShowCancel == nil || *a.ShowCancel,
		CancelText: a.CancelText, ConfirmText: a.ConfirmText, CancelColor: a.CancelColor, ConfirmColor: a.ConfirmColor,
		Editable: a.Editable, PlaceholderText: a.Placeholder})
	if err != nil {
		return nil, nil, err
	}
	res := map[string]any{"confirm": ans.Confirm, "cancel": !ans.Confirm}
	if a.Editable {
		// WeChat answers the field's text on confirm, and on cancel too (what was typed).
		res["content"] = ans.Content
	}
	return res, nil, nil
}

// IsColor reports whether c is #rgb or #rrggbb.
func IsColor(c string) bool {
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
