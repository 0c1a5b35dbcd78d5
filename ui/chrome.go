package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// The UI group beyond navigation, toasts and the plain modal (docs/ui-apis.md): the
// action sheet, the navigation bar's loading mark, the tab bar, the page's background,
// scrolling, pull-down refresh, the alert before leaving a page, and the image viewer.
// Each is a ui op the page's chrome carries out; the action sheet waits for the user.

// Answer is the user's answer to a modal or an action sheet.
type Answer struct {
	Confirm  bool   // modal: confirm; action sheet: an item was chosen
	Content  string // editable modal: the text field's value
	TapIndex int    // action sheet: the chosen item
}

// maxSheetItems is WeChat's limit on showActionSheet's itemList.
const maxSheetItems = 6

// maxPreviewURLs bounds previewImage's list (WeChat sets none; a viewer of thousands is
// a mistake, not a gallery).
const maxPreviewURLs = 200

var (
	indexField = hostapi.Field{Name: "index", Type: hostapi.Number, Required: true}
	anim       = hostapi.Field{Name: "animation", Type: hostapi.Boolean}
)

var _ = hostapi.Register(
	hostapi.Decl{Name: "showActionSheet", Class: hostapi.ClassFeedback, Handler: showActionSheet,
		Args: []hostapi.Field{{Name: "itemList", Type: hostapi.Array, Required: true}, {Name: "itemColor", Type: hostapi.String},
			{Name: "alertText", Type: hostapi.String}}},
	hostapi.Decl{Name: "showNavigationBarLoading", Class: hostapi.ClassLocal, Handler: pageOp("navLoading", "show")},
	hostapi.Decl{Name: "hideNavigationBarLoading", Class: hostapi.ClassLocal, Handler: pageOp("navLoading", "hide")},
	// Tab bar.
	hostapi.Decl{Name: "setTabBarBadge", Class: hostapi.ClassLocal, Handler: tabOp("badge"),
		Args: []hostapi.Field{indexField, {Name: "text", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "removeTabBarBadge", Class: hostapi.ClassLocal, Handler: tabOp("removeBadge"), Args: []hostapi.Field{indexField}},
	hostapi.Decl{Name: "showTabBarRedDot", Class: hostapi.ClassLocal, Handler: tabOp("redDot"), Args: []hostapi.Field{indexField}},
	hostapi.Decl{Name: "hideTabBarRedDot", Class: hostapi.ClassLocal, Handler: tabOp("hideRedDot"), Args: []hostapi.Field{indexField}},
	hostapi.Decl{Name: "setTabBarItem", Class: hostapi.ClassLocal, Handler: tabOp("item"),
		Args: []hostapi.Field{indexField, {Name: "text", Type: hostapi.String}, {Name: "iconPath", Type: hostapi.String},
			{Name: "selectedIconPath", Type: hostapi.String}}},
	hostapi.Decl{Name: "setTabBarStyle", Class: hostapi.ClassLocal, Handler: tabOp("style"),
		Args: []hostapi.Field{{Name: "color", Type: hostapi.String}, {Name: "selectedColor", Type: hostapi.String},
			{Name: "backgroundColor", Type: hostapi.String}, {Name: "borderStyle", Type: hostapi.String}}},
	hostapi.Decl{Name: "showTabBar", Class: hostapi.ClassLocal, Handler: tabOp("show"), Args: []hostapi.Field{anim}},
	hostapi.Decl{Name: "hideTabBar", Class: hostapi.ClassLocal, Handler: tabOp("hide"), Args: []hostapi.Field{anim}},
	// The page's window.
	hostapi.Decl{Name: "setBackgroundColor", Class: hostapi.ClassLocal, Handler: setBackgroundColor,
		Args: []hostapi.Field{{Name: "backgroundColor", Type: hostapi.String}, {Name: "backgroundColorTop", Type: hostapi.String},
			{Name: "backgroundColorBottom", Type: hostapi.String}}},
	hostapi.Decl{Name: "setBackgroundTextStyle", Class: hostapi.ClassLocal, Handler: setBackgroundTextStyle,
		Args: []hostapi.Field{{Name: "textStyle", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "pageScrollTo", Class: hostapi.ClassLocal, Handler: pageScrollTo,
		Args: []hostapi.Field{{Name: "scrollTop", Type: hostapi.Number}, {Name: "selector", Type: hostapi.String},
			{Name: "duration", Type: hostapi.Number}, {Name: "offsetTop", Type: hostapi.Number}}},
	hostapi.Decl{Name: "startPullDownRefresh", Class: hostapi.ClassLocal, Handler: pageOp("pullDown", "start")},
	hostapi.Decl{Name: "stopPullDownRefresh", Class: hostapi.ClassLocal, Handler: pageOp("pullDown", "stop")},
	hostapi.Decl{Name: "enableAlertBeforeUnload", Class: hostapi.ClassLocal, Handler: enableAlert,
		Args: []hostapi.Field{{Name: "message", Type: hostapi.String, Required: true}}},
	hostapi.Decl{Name: "disableAlertBeforeUnload", Class: hostapi.ClassLocal, Handler: pageOp("alertBeforeUnload", "disable")},
	// The image viewer: shell chrome over the whole window.
	hostapi.Decl{Name: "previewImage", Class: hostapi.ClassFeedback, Handler: previewImage,
		Args: []hostapi.Field{{Name: "urls", Type: hostapi.Array, Required: true}, {Name: "current", Type: hostapi.Any},
			{Name: "showmenu", Type: hostapi.Boolean}}},
)

// pageOp sends a ui op with an action for the calling page.
func pageOp(op, action string) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		h, err := host(c)
		if err != nil {
			return nil, nil, err
		}
		h.SendUI(bridge.UI{Op: op, Action: action, Page: c.Sender.Page})
		return map[string]any{}, nil, nil
	}
}

func showActionSheet(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		ItemList  []any  `json:"itemList"`
		ItemColor string `json:"itemColor"`
		AlertText string `json:"alertText"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if len(a.ItemList) == 0 {
		return nil, nil, errors.New("parameter error: parameter.itemList should have at least 1 item;")
	}
	if len(a.ItemList) > maxSheetItems {
		return nil, nil, fmt.Errorf("parameter error: parameter.itemList should not be large than %d", maxSheetItems)
	}
	items := make([]string, len(a.ItemList))
	for i, it := range a.ItemList {
		s, ok := it.(string)
		if !ok {
			return nil, nil, fmt.Errorf("parameter error: parameter.itemList[%d] should be String", i)
		}
		items[i] = s
	}
	if a.ItemColor != "" && !IsColor(a.ItemColor) {
		return nil, nil, fmt.Errorf("invalid itemColor %q", a.ItemColor)
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	ans, err := h.Modal(c.Ctx, bridge.UI{Op: "actionSheet", ItemList: items, ItemColor: a.ItemColor, Title: a.AlertText})
	if err != nil {
		return nil, nil, err
	}
	if !ans.Confirm {
		return nil, nil, errors.New("cancel") // "showActionSheet:fail cancel", as in WeChat
	}
	if ans.TapIndex < 0 || ans.TapIndex >= len(items) {
		return nil, nil, errors.New("cancel")
	}
	return map[string]any{"tapIndex": ans.TapIndex}, nil, nil
}

func tabOp(action string) hostapi.Handler {
	return func(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
		a := struct {
			Index            *float64 `json:"index"`
			Text             *string  `json:"text"`
			IconPath         string   `json:"iconPath"`
			SelectedIconPath string   `json:"selectedIconPath"`
			Color            string   `json:"color"`
			SelectedColor    string   `json:"selectedColor"`
			BackgroundColor  string   `json:"backgroundColor"`
			BorderStyle      string   `json:"borderStyle"`
			Animation        bool     `json:"animation"`
		}{}
		if err := c.Decode(&a); err != nil {
			return nil, nil, err
		}
		h, err := host(c)
		if err != nil {
			return nil, nil, err
		}
		at, count := h.TabIndex(c.Sender.Route)
		if count == 0 {
			return nil, nil, errors.New("the app has no tabBar")
		}
		if at < 0 {
			return nil, nil, errors.New("not TabBar page")
		}
		op := bridge.UI{Op: "tabBar", Action: action, Animation: a.Animation}
		if a.Index != nil {
			i := int(*a.Index)
			if float64(i) != *a.Index || i < 0 || i >= count {
				return nil, nil, errors.New("tabbar item not found")
			}
			op.Index = &i
		}
		switch action {
		case "badge":
			op.Text = *a.Text
			// WeChat shows at most three characters; a longer badge ends in "…".
			if utf8.RuneCountInString(op.Text) > 3 {
				op.Text = string([]rune(op.Text)[:2]) + "…"
			}
		case "item":
			if a.Text != nil {
				op.Text = *a.Text
				if op.Text == "" {
					op.Text = " " // an explicit empty text clears the label (the op omits "")
				}
			}
			op.IconPath, op.SelectedIconPath = a.IconPath, a.SelectedIconPath
		case "style":
			for name, v := range map[string]string{"color": a.Color, "selectedColor": a.SelectedColor, "backgroundColor": a.BackgroundColor} {
				if v != "" && !IsColor(v) {
					return nil, nil, fmt.Errorf("invalid %s %q", name, v)
				}
			}
			if a.BorderStyle != "" && a.BorderStyle != "black" && a.BorderStyle != "white" && !IsColor(a.BorderStyle) {
				return nil, nil, fmt.Errorf("invalid borderStyle %q", a.BorderStyle)
			}
			op.Color, op.SelectedColor, op.BackgroundColor, op.BorderStyle = a.Color, a.SelectedColor, a.BackgroundColor, a.BorderStyle
		}
		h.SendUI(op)
		return map[string]any{}, nil, nil
	}
}

func setBackgroundColor(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		BackgroundColor       string `json:"backgroundColor"`
		BackgroundColorTop    string `json:"backgroundColorTop"`
		BackgroundColorBottom string `json:"backgroundColorBottom"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	for name, v := range map[string]string{"backgroundColor": a.BackgroundColor, "backgroundColorTop": a.BackgroundColorTop, "backgroundColorBottom": a.BackgroundColorBottom} {
		if v != "" && !IsColor(v) {
			return nil, nil, fmt.Errorf("invalid %s %q", name, v)
		}
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "background", Page: c.Sender.Page, BackgroundColor: a.BackgroundColor,
		BackgroundColorTop: a.BackgroundColorTop, BackgroundColorBot: a.BackgroundColorBottom})
	return map[string]any{}, nil, nil
}

func setBackgroundTextStyle(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		TextStyle string `json:"textStyle"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if a.TextStyle != "dark" && a.TextStyle != "light" {
		return nil, nil, fmt.Errorf("invalid textStyle %q: dark or light", a.TextStyle)
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "background", Page: c.Sender.Page, TextStyle: a.TextStyle})
	return map[string]any{}, nil, nil
}

func pageScrollTo(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	a := struct {
		ScrollTop *float64 `json:"scrollTop"`
		Selector  string   `json:"selector"`
		Duration  *float64 `json:"duration"`
		OffsetTop float64  `json:"offsetTop"`
	}{}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if a.ScrollTop == nil && a.Selector == "" {
		return nil, nil, errors.New("scrollTop or selector is required")
	}
	if len(a.Selector) > 1024 {
		return nil, nil, errors.New("selector is longer than 1024 bytes")
	}
	duration := 300 // WeChat's default
	if a.Duration != nil {
		duration = min(max(int(*a.Duration), 0), 10000)
	}
	op := bridge.UI{Op: "pageScrollTo", Page: c.Sender.Page, Selector: a.Selector, Duration: duration, OffsetTop: a.OffsetTop}
	if a.Selector == "" {
		top := max(*a.ScrollTop, 0)
		op.ScrollTop = &top
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(op)
	return map[string]any{}, nil, nil
}

func enableAlert(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Message string `json:"message"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "alertBeforeUnload", Action: "enable", Page: c.Sender.Page, Content: a.Message})
	return map[string]any{}, nil, nil
}

func previewImage(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		URLs    []any `json:"urls"`
		Current any   `json:"current"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	if len(a.URLs) == 0 {
		return nil, nil, errors.New("parameter error: parameter.urls should have at least 1 item;")
	}
	if len(a.URLs) > maxPreviewURLs {
		return nil, nil, fmt.Errorf("at most %d urls", maxPreviewURLs)
	}
	urls := make([]string, len(a.URLs))
	for i, u := range a.URLs {
		s, ok := u.(string)
		if !ok || s == "" || len(s) > 2048 {
			return nil, nil, fmt.Errorf("parameter error: parameter.urls[%d] should be a String of 1 to 2048 bytes", i)
		}
		urls[i] = strings.TrimSpace(s)
	}
	// current is a url of the list (WeChat's form) or, in newer clients, its index.
	current := urls[0]
	switch v := a.Current.(type) {
	case string:
		if v != "" {
			current = strings.TrimSpace(v)
		}
	case float64:
		if i := int(v); float64(i) == v && i >= 0 && i < len(urls) {
			current = urls[i]
		}
	}
	h, err := host(c)
	if err != nil {
		return nil, nil, err
	}
	h.SendUI(bridge.UI{Op: "previewImage", Page: c.Sender.Page, URLs: urls, Current: current})
	return map[string]any{}, nil, nil
}
