package render

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestSaveFileAs: the save dialog answers the chosen path, "" when cancelled, and a
// context that ends closes it.
func TestSaveFileAs(t *testing.T) {
	needWindow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dest := filepath.Join(t.TempDir(), "picture.png")
	type answer struct {
		path string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		p, err := testWin.SaveFileAs(ctx, "Save an image", "picture.png")
		got <- answer{p, err}
	}()
	waitPrompts(t, 1)
	if err := testWin.AnswerFiles(dest); err != nil {
		t.Fatal(err)
	}
	if a := <-got; a.err != nil || a.path != dest {
		t.Fatalf("saved to %q, %v; want %s", a.path, a.err, dest)
	}
	go func() {
		p, err := testWin.SaveFileAs(ctx, "Save an image", "picture.png")
		got <- answer{p, err}
	}()
	waitPrompts(t, 1)
	testWin.AnswerFiles("")
	if a := <-got; a.err != nil || a.path != "" {
		t.Fatalf("cancelled: %q, %v", a.path, a.err)
	}
	short, stop := context.WithCancel(ctx)
	go func() {
		p, err := testWin.SaveFileAs(short, "Save an image", "picture.png")
		got <- answer{p, err}
	}()
	waitPrompts(t, 1)
	stop()
	if a := <-got; a.err == nil {
		t.Fatalf("an ended context answered %q", a.path)
	}
	waitPrompts(t, 0)
}
