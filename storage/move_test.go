package storage

import (
	"errors"
	"slices"
	"testing"
)

// TestMoveToIdentity: the identity migration moves a bare id's namespace into the
// installed app's identity key, every item readable there, nothing left under the id,
// an item the target already holds kept; another app is untouched.
func TestMoveToIdentity(t *testing.T) {
	const from, to = "dev.example.todo", "dev.example.todo@0123456789abcdef"
	s := openStore(t, newDirs(t), nil)
	old := appStore(t, s, from)
	mustSet(t, old, "todos", `["a","b"]`)
	mustSet(t, old, "theme", `"dark"`)
	mustSet(t, appStore(t, s, to), "theme", `"light"`)
	mustSet(t, appStore(t, s, "dev.example.other"), "k", `1`)

	if err := s.Move(from, to); err != nil {
		t.Fatal(err)
	}
	dst := appStore(t, s, to)
	if got := mustGet(t, dst, "todos"); got != `["a","b"]` {
		t.Errorf("todos = %s", got)
	}
	if got := mustGet(t, dst, "theme"); got != `"light"` {
		t.Errorf("the target's own value was overwritten: %s", got)
	}
	if _, err := old.Get("todos"); !errors.Is(err, ErrNoKey) {
		t.Errorf("the bare id still holds data: %v", err)
	}
	stored, err := s.Stored()
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(stored, from) || !slices.Contains(stored, to) || !slices.Contains(stored, "dev.example.other") {
		t.Errorf("stored namespaces after the move: %v", stored)
	}
	if err := s.Move(from, to); err != nil { // nothing left to move: still fine
		t.Fatal(err)
	}
}
