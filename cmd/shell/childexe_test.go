package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestChildExeBeside: the logic children run shell-logic when it is beside the shell and
// executable, and the shell itself otherwise.
func TestChildExeBeside(t *testing.T) {
	dir := t.TempDir()
	shell := filepath.Join(dir, "shell")
	logic := filepath.Join(dir, LogicBinary)
	if got := childExeBeside(shell); got != shell {
		t.Errorf("without shell-logic: %s, want the shell", got)
	}
	if err := os.WriteFile(logic, []byte("#!/bin/true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := childExeBeside(shell); got != shell {
		t.Errorf("with a shell-logic nobody may execute: %s, want the shell", got)
	}
	if err := os.Chmod(logic, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := childExeBeside(shell); got != logic {
		t.Errorf("with shell-logic: %s, want %s", got, logic)
	}
}
