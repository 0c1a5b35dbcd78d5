package render

import (
	"encoding/json"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// An envelope of this version without a sender goes in the short form ["kind",payload]
// (docs/protocol.md, "Batches"); one with a sender, or of another version, in full.
func TestEnvelopeShortForm(t *testing.T) {
	ui, _ := bridge.NewEnvelope(bridge.KindUI, map[string]any{"op": "title", "text": "x"})
	sent := ui
	sent.Sender = &bridge.Sender{App: "a", Page: "p1"}
	v2 := ui
	v2.V = 2
	empty := bridge.Envelope{V: bridge.Version, Kind: bridge.KindUI}
	for _, c := range []struct {
		env  bridge.Envelope
		want string
	}{
		{ui, `["ui",{"op":"title","text":"x"}]`},
		{empty, `["ui",null]`},
		{sent, `{"v":1,"kind":"ui","payload":{"op":"title","text":"x"},"sender":{"app":"a","page":"p1"}}`},
		{v2, `{"v":2,"kind":"ui","payload":{"op":"title","text":"x"}}`},
	} {
		got, err := appendEnvelope(nil, c.env)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%+v: got %s, want %s", c.env, got, c.want)
		}
		if !json.Valid(got) {
			t.Errorf("%s is not JSON", got)
		}
	}
	if _, err := appendEnvelope(nil, bridge.Envelope{V: 1, Kind: `ui","x`}); err == nil {
		t.Error("a kind that is not a plain name was written in the short form")
	}
}
