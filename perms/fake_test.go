package perms

import (
	"context"
	"errors"
	"sync"
)

// fakePrompter answers prompts from a script, counts them and remembers what each showed.
// It also measures how many prompts of one app were open at once.
type fakePrompter struct {
	mu       sync.Mutex
	answers  []Answer
	shown    []Request
	open     map[string]int // app id → prompts open now
	maxOpen  int            // most prompts of one app open at once
	release  chan struct{}  // when set, each prompt waits for a value (or its ctx) before answering
	started  chan struct{}  // when set, gets a value as each prompt opens
	fallback Answer         // answer when the script is used up; "" = fail
}

var errUnexpectedPrompt = errors.New("unexpected prompt: the script has no answer left")

func (f *fakePrompter) Prompt(ctx context.Context, r Request) (Answer, error) {
	f.mu.Lock()
	if f.open == nil {
		f.open = map[string]int{}
	}
	f.open[r.App.ID]++
	if f.open[r.App.ID] > f.maxOpen {
		f.maxOpen = f.open[r.App.ID]
	}
	f.shown = append(f.shown, r)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.open[r.App.ID]--
		f.mu.Unlock()
	}()

	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.answers) == 0 {
		if f.fallback != "" {
			return f.fallback, nil
		}
		return "", errUnexpectedPrompt
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return a, nil
}

func (f *fakePrompter) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.shown)
}
