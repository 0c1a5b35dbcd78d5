package device

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

type fakeHost struct{ clip fakeClip }

type fakeClip struct{ text string }

func (c *fakeClip) SetClipboard(text string) error { c.text = text; return nil }
func (c *fakeClip) Clipboard() (string, error)     { return c.text, nil }

func (f *fakeHost) DeviceInfo() Info {
	return Info{Brand: "b", Model: "m", Language: "en", Version: "1", Width: 800, Height: 600}
}
func (f *fakeHost) Location() Location            { return Location{Latitude: 1, Longitude: 2, Accuracy: 3} }
func (f *fakeHost) Clipboard() (Clipboard, error) { return &f.clip, nil }

func call(t *testing.T, h any, name, args string) (map[string]any, error) {
	t.Helper()
	d, ok := hostapi.Lookup(name)
	if !ok {
		t.Fatalf("%s is not declared", name)
	}
	if err := d.Check(json.RawMessage(args)); err != nil {
		return nil, err
	}
	res, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: "a"}, Args: json.RawMessage(args), Host: h})
	return res, err
}

func TestMenuButtonSitsTopRight(t *testing.T) {
	res, err := call(t, &fakeHost{}, "getMenuButtonBoundingClientRect", `{}`)
	if err != nil {
		t.Fatal(err)
	}
	if res["right"] != 793 || res["left"] != 706 || res["top"] != 4 || res["bottom"] != 36 || res["width"] != 87 {
		t.Errorf("rect = %v", res)
	}
}

func TestClipboardBound(t *testing.T) {
	h := &fakeHost{}
	big, _ := json.Marshal(map[string]string{"data": strings.Repeat("x", MaxClipboardBytes+1)})
	if _, err := call(t, h, "setClipboardData", string(big)); err == nil || h.clip.text != "" {
		t.Fatalf("an oversized copy: %v, clipboard %d bytes", err, len(h.clip.text))
	}
	if _, err := call(t, h, "setClipboardData", `{"data":"hi"}`); err != nil || h.clip.text != "hi" {
		t.Fatalf("copy: %v, %q", err, h.clip.text)
	}
}

func TestInfoSplit(t *testing.T) {
	w, _ := call(t, &fakeHost{}, "getWindowInfo", `{}`)
	sys, _ := call(t, &fakeHost{}, "getSystemInfo", `{}`)
	if w["windowWidth"] != sys["windowWidth"] || w["windowHeight"] != 600 {
		t.Errorf("getWindowInfo %v disagrees with getSystemInfo %v", w, sys)
	}
	if _, err := call(t, &fakeHost{}, "vibrateShort", `{"type":3}`); err == nil {
		t.Error("vibrateShort type is a String")
	}
}
