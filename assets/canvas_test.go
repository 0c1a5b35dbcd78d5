package assets

import (
	"encoding/json"
	"io/fs"
	"reflect"
	"regexp"
	"testing"

	"github.com/sandframe/sandframe/bridge"
)

// The render runtime replays exactly the vocabulary the bridge checks.
func TestCanvasVocabularyMatchesTheBridge(t *testing.T) {
	src, err := fs.ReadFile(Files(), "ctl-canvas.js")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)var CANVAS_OPS = (\{.*?\});`).FindSubmatch(src)
	if m == nil {
		t.Fatal("ctl-canvas.js has no CANVAS_OPS table")
	}
	var ops map[string]string
	if err := json.Unmarshal(m[1], &ops); err != nil {
		t.Fatalf("CANVAS_OPS is not a JSON object literal: %v", err)
	}
	if !reflect.DeepEqual(ops, bridge.CanvasOps) {
		t.Fatalf("CANVAS_OPS differs from bridge.CanvasOps:\n page   %v\n bridge %v", ops, bridge.CanvasOps)
	}
	found := false
	for _, c := range Components() {
		found = found || c == "canvas"
	}
	if !found {
		t.Fatal("canvas is not a built-in component")
	}
}
