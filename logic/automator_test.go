package logic

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

func automatorApp(t *testing.T) *testApp {
	t.Helper()
	a := startApp(t, mapApp(map[string]string{
		"pages/index/index.js": `Page({
			data: { n: 1, title: 'hello' },
			double(x) { return x * 2 },
			later(x) { return new Promise(r => setTimeout(() => r(x + 1), 1)) },
			ask() { return wx.showModal({ title: 'q' }).then(r => r.confirm) },
		})`,
	}))
	a.launch(t, "pages/index/index")
	return a
}

func automate(t *testing.T, a *testApp, op, params string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	r, err := a.rt.Automate(ctx, op, json.RawMessage(params))
	return string(r), err
}

func mustAutomate(t *testing.T, a *testApp, op, params, want string) {
	t.Helper()
	got, err := automate(t, a, op, params)
	if err != nil || got != want {
		t.Fatalf("%s %s = %s, %v; want %s", op, params, got, err, want)
	}
}

func TestAutomateCallsAndFunctions(t *testing.T) {
	a := automatorApp(t)
	mustAutomate(t, a, "callFunction", `{"functionDeclaration":"function (a, b) { return a + b + getCurrentPages().length }","args":[1,2]}`, `4`)
	mustAutomate(t, a, "callFunction", `{"functionDeclaration":"async (x) => x * 21","args":[2]}`, `42`)
	mustAutomate(t, a, "callMethod", `{"id":"p1","method":"double","args":[5]}`, `10`)
	mustAutomate(t, a, "callMethod", `{"id":"p1","method":"later","args":[5]}`, `6`)
	mustAutomate(t, a, "getData", `{"id":"p1"}`, `{"n":1,"title":"hello"}`)
	// The app's own code still cannot compile code, the automator's runs notwithstanding.
	mustAutomate(t, a, "callFunction", `{"functionDeclaration":"() => { try { eval('1'); return 'eval ran' } catch (e) { return 'refused' } }"}`, `"refused"`)
	for op, params := range map[string]string{
		"callMethod":   `{"id":"p1","method":"nothing"}`,
		"getData":      `{"id":"p9"}`,
		"callWx":       `{"method":"noSuchThing"}`,
		"callFunction": `{"functionDeclaration":"this is not code"}`,
		"whatever":     `{}`,
	} {
		if got, err := automate(t, a, op, params); err == nil {
			t.Errorf("%s %s = %s, want an error", op, params, got)
		}
	}
}

func TestAutomateSetDataAnswersOnceApplied(t *testing.T) {
	a := automatorApp(t)
	done := make(chan error, 1)
	go func() {
		_, err := automate(t, a, "setData", `{"id":"p1","data":{"n":7}}`)
		done <- err
	}()
	r := a.host.nextRender(t)
	if d := diffOf(t, r, "p1"); d["n"] != float64(7) {
		t.Fatalf("the push carries %v, want n: 7", d)
	}
	select {
	case err := <-done:
		t.Fatalf("setData answered (%v) before the page applied it", err)
	default:
	}
	a.ack(t, r.Seq)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := a.pageData(t, "p1")["n"]; got != float64(7) {
		t.Fatalf("n = %v", got)
	}
}

func TestAutomateMocksAndRestores(t *testing.T) {
	a := automatorApp(t)
	mustAutomate(t, a, "mockWx", `{"method":"showModal","result":{"confirm":true,"errMsg":"showModal:ok"}}`, `null`)
	// The automator's call and the page's own call meet the mock.
	mustAutomate(t, a, "callWx", `{"method":"showModal","args":[{"title":"t"}]}`, `{"confirm":true,"errMsg":"showModal:ok"}`)
	mustAutomate(t, a, "callMethod", `{"id":"p1","method":"ask"}`, `true`)
	// A function mock sees the call's arguments, then the mock's, and this.origin.
	mustAutomate(t, a, "mockWx", `{"method":"getStorageSync","functionDeclaration":"function (key, extra) { return key + '/' + extra + '/' + typeof this.origin }","args":["x"]}`, `null`)
	mustAutomate(t, a, "callWx", `{"method":"getStorageSync","args":["k"]}`, `"k/x/function"`)
	mustAutomate(t, a, "mockWx", `{"method":"getStorageSync"}`, `null`)
	if got, _ := automate(t, a, "callWx", `{"method":"getStorageSync","args":["k"]}`); strings.Contains(got, "/x/") {
		t.Fatalf("getStorageSync is still mocked: %s", got)
	}
	// Restored, showModal goes to the host again.
	mustAutomate(t, a, "mockWx", `{"method":"showModal"}`, `null`)
	res := make(chan string, 1)
	go func() {
		got, err := automate(t, a, "callWx", `{"method":"showModal","args":[{"title":"real"}]}`)
		if err != nil {
			got = "error: " + err.Error()
		}
		res <- got
	}()
	call := a.host.nextAPI(t)
	if call.Name != "showModal" {
		t.Fatalf("the host was asked %s", call.Name)
	}
	a.deliver(t, bridge.KindAPIResult, bridge.APIResult{ID: call.ID, OK: false, Result: json.RawMessage(`{"errMsg":"showModal:fail cancel"}`)})
	if got := <-res; got != "error: showModal:fail cancel" {
		t.Fatalf("callWx of a failing async method = %s", got)
	}
}
