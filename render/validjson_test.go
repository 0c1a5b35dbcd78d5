package render

import (
	"encoding/json"
	"strings"
	"testing"
)

var validJSONSeeds = []string{
	``, ` `, `null`, `true`, `false`, `nul`, `truex`, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `1e`, `1e+`, `1E-7`, `-12.5e3`, `.5`, `+1`,
	`""`, `"a\"b"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, `"tab	"`, "\"\xff\"", `"\/"`, `"unterminated`, `"\`,
	`{}`, `{ }`, `{"a":1}`, `{"a":1,}`, `{"a" : [1, 2, {"b": null}] }`, `{a:1}`, `{"a"}`, `{"a":}`, `{"a":1 "b":2}`,
	`[]`, `[1,]`, `[,1]`, `[1 2]`, `[[[]]]`, ` [1] `, `[1] x`, `{} {}`, `{}}`, `[`, `]`,
	`{"text":"x"}},{"v":1,"kind":"ui","payload":{}`,
	strings.Repeat("[", 600) + strings.Repeat("]", 600),
	strings.Repeat("[", 600) + strings.Repeat("]", 599),
	strings.Repeat(`{"a":`, 520) + "1" + strings.Repeat("}", 520),
}

func TestValidJSONAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range validJSONSeeds {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Errorf("validJSON(%.60q) = %v, json.Valid says %v", s, got, want)
		}
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, s := range validJSONSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validJSON([]byte(s)), json.Valid([]byte(s)); got != want {
			t.Fatalf("validJSON(%q) = %v, json.Valid says %v", s, got, want)
		}
	})
}

func BenchmarkValidJSON(b *testing.B) {
	payload := []byte(`{"seq":12,"ops":[{"op":"data","target":"p1","diff":{"list[2].done":true,"count":3,"title":"row 2 \u00e9"}}]}`)
	b.Run("validJSON", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			validJSON(payload)
		}
	})
	b.Run("json.Valid", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			json.Valid(payload)
		}
	})
}
