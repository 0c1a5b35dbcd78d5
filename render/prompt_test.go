package render

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestPromptAnswers(t *testing.T) {
	needWindow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := Prompt{Title: "Permission", Heading: `"Todo" wants to read your profile`,
		Body: "Publisher: unverified\n<b>not markup</b> %s %d", Buttons: []string{"Deny", "Allow once", "Allow"}}
	answer := make(chan int, 1)
	go func() {
		n, err := testWin.Ask(ctx, p)
		if err != nil {
			t.Error(err)
		}
		answer <- n
	}()
	waitPrompts(t, 1)
	if err := testWin.AnswerPrompt(2); err != nil {
		t.Fatal(err)
	}
	if got := <-answer; got != 2 {
		t.Fatalf("answer = %d, want 2 (Allow)", got)
	}
	waitPrompts(t, 0)

	// A prompt whose caller gives up closes and answers -1.
	short, stop := context.WithCancel(ctx)
	go func() {
		n, _ := testWin.Ask(short, p)
		answer <- n
	}()
	waitPrompts(t, 1)
	stop()
	if got := <-answer; got != -1 {
		t.Fatalf("cancelled prompt answered %d", got)
	}
	waitPrompts(t, 0)
	if _, err := testWin.Ask(ctx, Prompt{}); err == nil {
		t.Fatal("a prompt without buttons must be refused")
	}
}

func waitPrompts(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for OpenDialogs() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d prompts open, want %d", OpenDialogs(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestClipboardRoundTrip(t *testing.T) {
	needWindow(t)
	for _, text := range []string{"hello", "中文 and emoji 🎉", ""} {
		if err := testWin.SetClipboard(text); err != nil {
			t.Fatal(err)
		}
		got, err := testWin.Clipboard()
		if err != nil || got != text {
			t.Fatalf("clipboard = %q, %v; want %q", got, err, text)
		}
	}
}

func TestPickFiles(t *testing.T) {
	needWindow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	file := dir + "/notes.txt"
	if err := os.WriteFile(file, []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []string, 1)
	go func() {
		files, err := testWin.PickFiles(ctx, "Choose a file", false)
		if err != nil {
			t.Error(err)
		}
		got <- files
	}()
	waitPrompts(t, 1)
	if err := testWin.AnswerFiles(file); err != nil {
		t.Fatal(err)
	}
	if files := <-got; len(files) != 1 || files[0] != file {
		t.Fatalf("picked %v, want [%s]", files, file)
	}
	go func() {
		files, _ := testWin.PickFiles(ctx, "Choose a file", true)
		got <- files
	}()
	waitPrompts(t, 1)
	testWin.AnswerFiles("")
	if files := <-got; files != nil {
		t.Fatalf("cancelled chooser gave %v", files)
	}
}

func TestSettingsDialog(t *testing.T) {
	needWindow(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st := Settings{Title: "Settings", Heading: "What Todo may use", Body: "Publisher: unverified",
		Items: []SettingItem{{Label: "Your profile", On: true}, {Label: "Clipboard", On: false}}}
	got := make(chan []bool, 1)
	go func() {
		on, err := testWin.Settings(ctx, st)
		if err != nil {
			t.Error(err)
		}
		got <- on
	}()
	waitPrompts(t, 1)
	if err := testWin.AnswerSettings([]bool{false, true}); err != nil {
		t.Fatal(err)
	}
	if on := <-got; len(on) != 2 || on[0] || !on[1] {
		t.Fatalf("saved %v, want [false true]", on)
	}
	go func() {
		on, _ := testWin.Settings(ctx, st)
		got <- on
	}()
	waitPrompts(t, 1)
	testWin.AnswerSettings(nil)
	if on := <-got; on != nil {
		t.Fatalf("cancelled settings gave %v", on)
	}
}
