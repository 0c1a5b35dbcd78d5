package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// golden compares got with testdata/golden/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", file, got, want)
	}
}

func TestOutputGolden(t *testing.T) {
	findings, err := Run(os.DirFS("testdata/golden/app"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	if err := WriteText(&text, findings); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, findings); err != nil {
		t.Fatal(err)
	}
	golden(t, "app.txt", text.Bytes())
	golden(t, "app.json", js.Bytes())

	// The JSON reads back into the same findings.
	var back struct {
		Findings []Finding `json:"findings"`
		Counts   Counts    `json:"counts"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Findings) != len(findings) {
		t.Fatalf("JSON has %d findings, want %d", len(back.Findings), len(findings))
	}
	for i := range findings {
		if back.Findings[i] != findings[i] {
			t.Errorf("finding %d: JSON %+v, want %+v", i, back.Findings[i], findings[i])
		}
	}
	if back.Counts != count(findings) {
		t.Errorf("counts %+v, want %+v", back.Counts, count(findings))
	}
}

func TestOutputEmpty(t *testing.T) {
	var text, js bytes.Buffer
	if err := WriteText(&text, nil); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, nil); err != nil {
		t.Fatal(err)
	}
	if got := text.String(); got != "no findings\n" {
		t.Errorf("text: %q", got)
	}
	want := "{\n  \"findings\": [],\n  \"counts\": {\n    \"error\": 0,\n    \"warning\": 0,\n    \"info\": 0\n  }\n}\n"
	if got := js.String(); got != want {
		t.Errorf("json: %q, want %q", got, want)
	}
}
