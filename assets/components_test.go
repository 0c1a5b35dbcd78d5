package assets

import (
	"slices"
	"testing"
)

func TestComponentsComeFromTheRuntime(t *testing.T) {
	got := Components()
	for _, want := range []string{"view", "button", "scroll-view", "switch", "text", "image", "input", "textarea"} {
		if !slices.Contains(got, want) {
			t.Errorf("Components() lacks %q: %v", want, got)
		}
	}
	for _, not := range []string{"video", "map", "web-view", ""} {
		if slices.Contains(got, not) {
			t.Errorf("Components() claims %q, which the runtime does not render", not)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("Components() not sorted: %v", got)
	}
}
