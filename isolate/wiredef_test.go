package isolate

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/sandframe/sandframe/logic"
)

// Every field of logic.ComponentDef crosses the pipe: a field added there and not here
// would silently vanish for apps in the child (the default), as externalClasses once did.
func TestWireDefsCarryEveryField(t *testing.T) {
	in := map[string]logic.ComponentDef{"components/c/c": {
		Properties: map[string]logic.PropertyDef{
			"a": {Type: "String", Value: json.RawMessage(`"x"`)},
			"b": {Type: "Number", OptionalTypes: []string{"String", ""}, Value: json.RawMessage(`1`)},
		},
		Data:            json.RawMessage(`{"k":1}`),
		Options:         json.RawMessage(`{"multipleSlots":true}`),
		ExternalClasses: []string{"box-class"},
		FormField:       true,
		FormFieldGroup:  true,
		Page:            true,
	}}
	// The test fails when a field is added to ComponentDef without a value above.
	v := reflect.ValueOf(in["components/c/c"])
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			t.Fatalf("set ComponentDef.%s in this test", v.Type().Field(i).Name)
		}
	}
	wire, err := toWireDefs(in)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(wire)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]wireDef
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if got := fromWireDefs(back); !reflect.DeepEqual(got, in) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, in)
	}
}
