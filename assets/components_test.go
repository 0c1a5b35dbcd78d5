package assets

import (
	"slices"
	"testing"
)

func TestComponentsComeFromTheRuntime(t *testing.T) {
	got := Components()
	for _, want := range []string{"view", "button", "scroll-view", "switch", "text", "image", "input", "textarea",
		"picker-view", "picker-view-column", "movable-area", "movable-view", "video", "audio", "cover-view", "cover-image", "page-container", "match-media"} {
		if !slices.Contains(got, want) {
			t.Errorf("Components() lacks %q: %v", want, got)
		}
	}
	for _, not := range []string{"map", "web-view", "editor", "camera", ""} {
		if slices.Contains(got, not) {
			t.Errorf("Components() claims %q, which the runtime does not render", not)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("Components() not sorted: %v", got)
	}
}
