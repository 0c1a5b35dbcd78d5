package ui

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

type fakeHost struct {
	ops     []bridge.UI
	navs    []string
	confirm bool
	content string
	tap     int
}

func (f *fakeHost) Navigate(action, url string, delta int) (*bridge.Nav, error) {
	if url == "/missing" {
		return nil, errors.New("page not found")
	}
	f.navs = append(f.navs, action+" "+url)
	return &bridge.Nav{Action: action}, nil
}
func (f *fakeHost) SendUI(op bridge.UI) { f.ops = append(f.ops, op) }
func (f *fakeHost) Modal(_ context.Context, op bridge.UI) (Answer, error) {
	f.ops = append(f.ops, op)
	return Answer{Confirm: f.confirm, Content: f.content, TapIndex: f.tap}, nil
}

// TabIndex: pages/tab0 and pages/tab1 are the app's two tabs.
func (f *fakeHost) TabIndex(route string) (int, int) {
	switch route {
	case "pages/tab0":
		return 0, 2
	case "pages/tab1":
		return 1, 2
	}
	return -1, 2
}

// call runs a declaration the way the gateway does: schema, then handler.
func call(t *testing.T, h any, name, args string) (map[string]any, *bridge.Nav, error) {
	t.Helper()
	d, ok := hostapi.Lookup(name)
	if !ok {
		t.Fatalf("%s is not declared", name)
	}
	if err := d.Check(json.RawMessage(args)); err != nil {
		return nil, nil, err
	}
	return d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: "a", Page: "p1"}, Args: json.RawMessage(args), Host: h})
}

func TestUIHandlers(t *testing.T) {
	for _, tt := range []struct {
		name, args, err string
	}{
		{"showToast", `{"title":"hi","icon":"sparkles"}`, `invalid icon "sparkles"`},
		{"showToast", `{"title":"hi","duration":60001}`, "invalid duration 60001"},
		{"setNavigationBarColor", `{"frontColor":"#123456","backgroundColor":"#fff"}`, `invalid frontColor "#123456": only #ffffff and #000000`},
		{"setNavigationBarColor", `{"frontColor":"#ffffff","backgroundColor":"red"}`, `invalid backgroundColor "red"`},
		{"showModal", `{"confirmText":"much too long"}`, "cancelText and confirmText may be at most 8 characters"},
		{"navigateTo", `{"url":"/missing"}`, "page not found"},
		{"showToast", `{"title":"hi"}`, ""},
	} {
		_, _, err := call(t, &fakeHost{}, tt.name, tt.args)
		if got := errText(err); got != tt.err {
			t.Errorf("%s(%s) = %q, want %q", tt.name, tt.args, got, tt.err)
		}
	}
}

func TestModalAnswers(t *testing.T) {
	h := &fakeHost{confirm: true}
	res, _, err := call(t, h, "showModal", `{"title":"Q","showCancel":false}`)
	if err != nil || res["confirm"] != true || res["cancel"] != false {
		t.Fatalf("showModal = %v, %v", res, err)
	}
	if op := h.ops[0]; op.Op != "modal" || op.ShowCancel || op.ConfirmText != "OK" || op.CancelText != "Cancel" {
		t.Errorf("modal op = %+v", op)
	}
}

func TestNavigationAndTitle(t *testing.T) {
	h := &fakeHost{}
	if _, nav, err := call(t, h, "redirectTo", `{"url":"/pages/b/b"}`); err != nil || nav == nil || nav.Action != "redirectTo" {
		t.Fatalf("redirectTo = %+v, %v", nav, err)
	}
	if _, _, err := call(t, h, "setNavigationBarTitle", `{"title":"T"}`); err != nil {
		t.Fatal(err)
	}
	if len(h.navs) != 1 || h.navs[0] != "redirectTo /pages/b/b" || h.ops[0].Op != "title" || h.ops[0].Page != "p1" || h.ops[0].Text != "T" {
		t.Errorf("navs %v, ops %+v", h.navs, h.ops)
	}
	if _, _, err := call(t, struct{}{}, "hideToast", `{}`); errText(err) != "not available in this shell" {
		t.Errorf("a host without ui.Host: %v", err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
