package hostapi

import (
	"encoding/json"
	"github.com/sandframe/sandframe/bridge"
	"reflect"
	"testing"
)

func TestCheck(t *testing.T) {
	d := Decl{Name: "x", Class: ClassLocal, Args: []Field{
		{Name: "url", Type: String, Required: true},
		{Name: "n", Type: Number},
		{Name: "on", Type: Boolean},
		{Name: "o", Type: Object},
		{Name: "list", Type: Array},
		{Name: "data", Type: Any},
	}}
	for _, tt := range []struct{ args, want string }{
		{`{"url":"a"}`, ""},
		{`{"url":"a","n":1.5,"on":false,"o":{},"list":[],"data":null,"extra":1}`, ""},
		{`{"url":"a","n":null}`, ""}, // null is absent, as undefined is
		{``, "parameter error: parameter.url should be String instead of Undefined;"},
		{`null`, "parameter error: parameter.url should be String instead of Undefined;"},
		{`{}`, "parameter error: parameter.url should be String instead of Undefined;"},
		{`{"url":null}`, "parameter error: parameter.url should be String instead of Undefined;"},
		{`{"url":1}`, "parameter error: parameter.url should be String instead of Number;"},
		{`{"url":"a","n":"1"}`, "parameter error: parameter.n should be Number instead of String;"},
		{`{"url":"a","on":0}`, "parameter error: parameter.on should be Boolean instead of Number;"},
		{`{"url":"a","o":[]}`, "parameter error: parameter.o should be Object instead of Array;"},
		{`{"url":"a","list":{}}`, "parameter error: parameter.list should be Array instead of Object;"},
		{`"a"`, "parameter error: parameter should be Object instead of String;"},
	} {
		err := d.Check(json.RawMessage(tt.args))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("Check(%s) = %q, want %q", tt.args, got, tt.want)
		}
	}
	if err := (Decl{Name: "free"}).Check(json.RawMessage(`[1]`)); err != nil {
		t.Errorf("a declaration without a schema checks nothing: %v", err)
	}
}

func TestRequiredAnyAcceptsNull(t *testing.T) {
	d := Decl{Name: "set", Class: ClassLocal, Args: []Field{{Name: "data", Type: Any, Required: true}}}
	if err := d.Check(json.RawMessage(`{"data":null}`)); err != nil {
		t.Errorf("null is a value to store: %v", err)
	}
	if err := d.Check(json.RawMessage(`{}`)); err == nil || err.Error() != "parameter error: parameter.data should be Any instead of Undefined;" {
		t.Errorf("missing data: %v", err)
	}
}

func TestRegisterRefusesMistakes(t *testing.T) {
	for _, tt := range []struct {
		name string
		ds   []Decl
	}{
		{"no name", []Decl{{Class: ClassLocal}}},
		{"unknown class", []Decl{{Name: "t.a", Class: "fast"}}},
		{"no class", []Decl{{Name: "t.b"}}},
		{"bad capability", []Decl{{Name: "t.c", Class: ClassLocal, Capability: "clipboard"}}},
		{"returns on async", []Decl{{Name: "t.d", Class: ClassLocal, Returns: "data"}}},
		{"repeated field", []Decl{{Name: "t.e", Class: ClassLocal, Args: []Field{{Name: "a"}, {Name: "a"}}}}},
		{"twice", []Decl{{Name: "t.f", Class: ClassLocal}, {Name: "t.f", Class: ClassLocal}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Register accepted %+v", tt.ds)
				}
			}()
			Register(tt.ds...)
		})
	}
}

func TestShapesAndLookup(t *testing.T) {
	h := func(Call) (map[string]any, *bridge.Nav, error) { return nil, nil, nil }
	Register(
		Decl{Name: "t.shape", Sync: true, Params: []string{"key"}, Returns: "data", Class: ClassLocal, Handler: h,
			Args: []Field{{Name: "key", Type: String, Required: true}}},
		Decl{Name: "t.planned", Capability: "file:save", Class: ClassFile},
	)
	d, ok := Lookup("t.shape")
	if !ok || !d.Implemented() {
		t.Fatalf("Lookup = %+v, %v", d, ok)
	}
	want := Shape{Name: "t.shape", Sync: true, Params: []string{"key"}, Returns: "data", Fields: []string{"key"}}
	if got := d.Shape(); !reflect.DeepEqual(got, want) {
		t.Errorf("Shape = %+v, want %+v", got, want)
	}
	for _, s := range Shapes() {
		if s.Name == "t.planned" {
			t.Error("a planned API has no JS shape: wx answers it with a stand-in")
		}
	}
	if p, _ := Lookup("t.planned"); p.Implemented() || p.Capability != "file:save" {
		t.Errorf("planned = %+v", p)
	}
	names := All()
	for i := 1; i < len(names); i++ {
		if names[i-1].Name >= names[i].Name {
			t.Fatalf("All not sorted: %s, %s", names[i-1].Name, names[i].Name)
		}
	}
}

func TestHostAs(t *testing.T) {
	type greeter interface{ Hello() string }
	if _, err := HostAs[greeter](Call{Host: struct{}{}}); err == nil || err.Error() != "not available in this shell" {
		t.Errorf("HostAs of a host without the interface: %v", err)
	}
}

var benchDecl = Decl{Name: "request", Class: ClassNetwork, Args: []Field{
	{Name: "url", Type: String, Required: true}, {Name: "data", Type: Any}, {Name: "header", Type: Object},
	{Name: "method", Type: String}, {Name: "dataType", Type: String}, {Name: "responseType", Type: String},
	{Name: "timeout", Type: Number},
}}

var benchArgs = json.RawMessage(`{"url":"https://api.example.com/items?page=2","method":"POST","header":{"content-type":"application/json"},"data":{"name":"x","tags":["a","b"],"n":3},"timeout":5000}`)

// BenchmarkCheck is the schema check the gateway adds to every call, on wx.request's
// schema and a typical request; BenchmarkCheckByDecoding is the same check by decoding.
func BenchmarkCheck(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := benchDecl.Check(benchArgs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckByDecoding(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if msg := checkByDecoding(benchDecl, benchArgs); msg != "" {
			b.Fatal(msg)
		}
	}
}

// checkByDecoding is Check the obvious way, for the fuzz target to compare against.
func checkByDecoding(d Decl, raw json.RawMessage) string {
	var obj map[string]json.RawMessage
	if len(raw) != 0 && string(raw) != "null" {
		if err := json.Unmarshal(raw, &obj); err != nil {
			return "not an object"
		}
	}
	for _, f := range d.Args {
		v, ok := obj[f.Name]
		if !ok || (string(v) == "null" && f.Type != Any) {
			if f.Required {
				return "missing " + f.Name
			}
			continue
		}
		if got := typeOf(string(v)); f.Type != Any && got != f.Type {
			return "type " + f.Name
		}
	}
	return ""
}

func FuzzCheckAgreesWithDecoding(f *testing.F) {
	d := Decl{Name: "x", Class: ClassLocal, Args: []Field{
		{Name: "url", Type: String, Required: true}, {Name: "n", Type: Number}, {Name: "o", Type: Object},
		{Name: "data", Type: Any, Required: true},
	}}
	for _, s := range []string{`{"url":"a","data":1}`, `{"url":"a\"}","data":{"url":[1,{"x":"]"}]}}`, `{"u\u0072l":1,"data":null}`,
		`{}`, `null`, `[1]`, `{"url":"a","url":1,"data":2}`, ` { "url" : "x" , "n" : -1.5e3 , "data" : true } `} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			return // the bridge decoded it strictly before any check
		}
		want := checkByDecoding(d, json.RawMessage(s))
		err := d.Check(json.RawMessage(s))
		if (err == nil) != (want == "") {
			t.Fatalf("Check(%s) = %v, decoding says %q", s, err, want)
		}
	})
}
