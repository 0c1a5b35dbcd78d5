package storage

import (
	"errors"
	"strings"
	"testing"
)

func TestDirName(t *testing.T) {
	tests := []struct {
		app, want string
		bad       bool
	}{
		{app: "dev.example.todo", want: "dev.example.todo"},
		{app: "a_b-c", want: "a_b-c"},
		{app: "Dev.Todo", want: "%44ev.%54odo"},
		{app: ".hidden", want: "%2Ehidden"},
		{app: "..", want: "%2E."},
		{app: "a/b", want: "a%2Fb"},
		{app: "%41", want: "%2541"},
		{app: "日本", want: "%E6%97%A5%E6%9C%AC"},
		{app: "", bad: true},
		{app: "\xff", bad: true},
		{app: strings.Repeat("x", maxDirName+1), bad: true},
	}
	for _, tt := range tests {
		got, err := dirName(tt.app)
		if tt.bad {
			if !errors.Is(err, ErrBadAppID) {
				t.Errorf("dirName(%q) = %q, %v; want ErrBadAppID", tt.app, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("dirName(%q) = %q, %v; want %q", tt.app, got, err, tt.want)
		}
		if back, ok := appFromDir(got); !ok || back != tt.app {
			t.Errorf("appFromDir(%q) = %q, %v; want %q", got, back, ok, tt.app)
		}
	}
}

func TestAppFromDirRejectsForeignNames(t *testing.T) {
	for _, name := range []string{".wipe-0123", "Upper", "%61", "%4", "%zz", "a%2", "%2e."} {
		if app, ok := appFromDir(name); ok {
			t.Errorf("appFromDir(%q) = %q, true; want not an app folder", name, app)
		}
	}
}
