package host

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/hostapi/all"
	"github.com/sandframe/sandframe/netapi"
)

// The gateway serves exactly the implemented declarations of the registry, and wx
// offers each of them (one of WeChat's names, or sf's own).
func TestGatewayServesTheRegistry(t *testing.T) {
	s, _ := startHeadless(t, "testdata/counter", nil)
	wxNames := map[string]bool{}
	for _, m := range hostapi.WxMethods() {
		wxNames[m.Name] = true
	}
	sfOwn := map[string]bool{"requestCapability": true, "pickFile": true}
	// WeChat's older file APIs, gone from the typings, still called by apps (files/).
	for _, n := range []string{"saveFile", "getFileInfo", "getSavedFileList", "getSavedFileInfo", "removeSavedFile"} {
		sfOwn[n] = true
	}
	for _, d := range all.Decls() {
		if got := s.gw.Handles(d.Name); got != d.Implemented() {
			t.Errorf("%s: gateway handles = %v, implemented = %v", d.Name, got, d.Implemented())
		}
		if d.Implemented() && d.Path == "" && !d.Hidden && !wxNames[d.Name] && !sfOwn[d.Name] {
			t.Errorf("%s is neither one of WeChat's names nor a known sf name", d.Name)
		}
	}
}

// Argument checks come from the declarations' schemas, in WeChat's words, before any
// handler runs.
func TestGatewayChecksArgumentsFromTheSchema(t *testing.T) {
	s, page := startHeadless(t, "testdata/counter", nil)
	waitData(t, s, func(d map[string]any) bool { return d["info"] == "linux" })
	for _, tt := range []struct {
		api, args, want string
	}{
		{"showToast", `{}`, "showToast:fail parameter error: parameter.title should be String instead of Undefined;"},
		{"showToast", `{"title":3}`, "showToast:fail parameter error: parameter.title should be String instead of Number;"},
		{"showToast", `{"title":"x","duration":"long"}`, "showToast:fail parameter error: parameter.duration should be Number instead of String;"},
		{"navigateTo", `{}`, "navigateTo:fail parameter error: parameter.url should be String instead of Undefined;"},
		{"setStorage", `{"data":1}`, "setStorage:fail parameter error: parameter.key should be String instead of Undefined;"},
		{"setStorage", `{"key":"k"}`, "setStorage:fail parameter error: parameter.data should be Any instead of Undefined;"},
		{"getStorage", `{"key":null}`, "getStorage:fail parameter error: parameter.key should be String instead of Undefined;"},
		{"setClipboardData", `{}`, "setClipboardData:fail auth deny (no permission store)"}, // the capability is checked first
		{"showToast", `[1]`, "showToast:fail parameter error: parameter should be Object instead of Array;"},
		{"showToast", `{"title":"hi"}`, "showToast:ok"},
		{"scanCode", `{}`, "scanCode:fail api not found"},
	} {
		res := s.gw.Call(context.Background(), *s.sender(), bridge.APICall{ID: 1, Name: tt.api, Args: json.RawMessage(tt.args)})
		var out struct {
			ErrMsg string `json:"errMsg"`
		}
		if err := json.Unmarshal(res.Result, &out); err != nil {
			t.Fatal(err)
		}
		if out.ErrMsg != tt.want {
			t.Errorf("%s(%s) = %q, want %q", tt.api, tt.args, out.ErrMsg, tt.want)
		}
	}
	page.mu.Lock()
	defer page.mu.Unlock()
	if len(page.ui) != 1 || page.ui[0].Title != "hi" {
		t.Errorf("only the valid call reaches its handler: ui = %+v", page.ui)
	}
}

func TestDeviceAndAppAPIs(t *testing.T) {
	w := storageWorld(t)
	s, page, _ := w.run("testdata/deviceapis")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("device")
	got := result(t, s)
	want := fmt.Sprintf("window=%dx%d safe=%d|device=%s string|base=3.0.0 light|setting=false portrait|auth=authorized denied|"+
		"menu=87 true|launch=pages/index/index 1001 enter=pages/index/index|account=test.deviceapis develop 1.2.3|"+
		"vibrate=vibrateShort:ok|network=%s|vibrateLong:ok|stopPullDownRefresh:ok",
		w.cfg.Window.Width, w.cfg.Window.Height, w.cfg.Window.Width, runtime.GOOS, netapi.SystemNetwork().Type)
	if got != want {
		t.Errorf("device APIs:\n got %s\nwant %s", got, want)
	}
}

func TestBatchStorage(t *testing.T) {
	w := storageWorld(t)
	s, page, _ := w.run("testdata/deviceapis")
	waitData(t, s, func(d map[string]any) bool { return true })
	page.tap("batch")
	want := `[1,{"x":[2]},""]|["three",1]|batchSetStorageSync:fail parameter error: parameter.kvList[0].key should be String instead of Undefined;|` +
		`batchGetStorage:fail parameter error: parameter.keyList should be Array instead of String;`
	if got := result(t, s); got != want {
		t.Errorf("batch storage:\n got %s\nwant %s", got, want)
	}
}
