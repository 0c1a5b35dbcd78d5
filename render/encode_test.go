package render

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/sandframe/sandframe/bridge"
)

// What Send puts in the page's script is one string literal whose JSON is the
// envelope, whatever the payload holds.
func TestEnvelopeLiteralRoundTrips(t *testing.T) {
	texts := []string{"plain", "line\u2028sep\u2029", `</script> "q" \ back`, "𝄞 中文 \x01\x1f\t\n\r", "bad \xff utf8"}
	vm := goja.New()
	for _, text := range texts {
		env, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": text})
		env.Sender = &bridge.Sender{App: "a", Page: "p1"}
		raw, err := appendEnvelope(nil, env)
		if err != nil {
			t.Fatal(err)
		}
		lit := string(appendJSString(nil, raw))
		if strings.ContainsAny(lit, "\n\r\u2028\u2029") {
			t.Fatalf("literal holds a line terminator: %q", lit)
		}
		v, err := vm.RunString("JSON.parse(" + lit + ")")
		if err != nil {
			t.Fatalf("%q: %v", lit, err)
		}
		got, _ := json.Marshal(v.Export())
		var back struct {
			V       int
			Kind    string
			Payload struct{ Text string }
			Sender  struct{ App, Page string }
		}
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
		want := strings.ToValidUTF8(text, "\ufffd")
		if back.V != 1 || back.Kind != "ui" || back.Payload.Text != want || back.Sender.Page != "p1" {
			t.Fatalf("%q came back as %+v", text, back)
		}
	}
}
