package isolate

import (
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// A child's query for the page passes the outbound check (the hostile forms are in
// fakeModes: an unknown op, a spec that is not an object).
func TestCheckOutboundQuery(t *testing.T) {
	env, err := bridge.NewEnvelope(bridge.KindQuery, bridge.Query{ID: 3, Op: "observe", Owner: "c2", Spec: []byte(`{"selector":".x"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if err := checkOutbound(&env); err != nil {
		t.Fatalf("a valid query refused: %v", err)
	}
	env.Payload = []byte(`{"id":3,"op":"observe","owner":"c2","extra":1}`)
	if err := checkOutbound(&env); err == nil {
		t.Fatal("a query with an unknown field passed")
	}
}
