package perms

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv("PERMS_HELPER_DB") != "" {
		os.Exit(helperProcess())
	}
	goleak.VerifyTestMain(m)
}

// helperProcess is "another process" changing decisions, as `shell perms revoke` does.
func helperProcess() int {
	s, err := OpenStore(os.Getenv("PERMS_HELPER_DB"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer s.Close()
	m := NewManager(Config{Store: s})
	app := App{ID: os.Getenv("PERMS_HELPER_APP"), Signer: os.Getenv("PERMS_HELPER_SIGNER")}
	cp := os.Getenv("PERMS_HELPER_CAP")
	switch os.Getenv("PERMS_HELPER_OP") {
	case "revoke":
		err = m.Revoke(app, cp)
	case "grant":
		err = m.Grant(app, cp)
	case "reset":
		err = s.Reset(app.ID)
	default:
		err = errors.New("unknown op")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func runHelper(t *testing.T, db, op string, app App, cp string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PERMS_HELPER_DB="+db, "PERMS_HELPER_OP="+op,
		"PERMS_HELPER_APP="+app.ID, "PERMS_HELPER_SIGNER="+app.Signer, "PERMS_HELPER_CAP="+cp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper %s: %v\n%s", op, err, out)
	}
}

var cards = App{ID: "dev.cards", Name: "Cards", Signer: "acme", Verified: true, Claims: map[string]Claim{
	"clipboard:read":   {"Paste a card you copied"},
	"clipboard:write":  {"Copy a card to share it"},
	"location:read":    {"Show cards made near you"},
	"user:readProfile": {"Show your name on your cards"},
}}

func denialKind(err error) DenialKind {
	var d *Denial
	if errors.As(err, &d) {
		return d.Kind
	}
	return ""
}

func TestRevokeInAnotherProcessAppliesAtOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "grants.db")
	s, err := OpenStore(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fake := &fakePrompter{answers: []Answer{AnswerAllow}}
	m := NewManager(Config{Store: s, Prompter: fake})
	ctx := context.Background()
	if err := m.Check(ctx, cards, "getClipboardData"); err != nil {
		t.Fatalf("first check: %v", err)
	}
	if err := m.Check(ctx, cards, "getClipboardData"); err != nil {
		t.Fatalf("granted check: %v", err)
	}

	runHelper(t, db, "revoke", cards, "clipboard:read")
	if err := m.Check(ctx, cards, "getClipboardData"); denialKind(err) != DeniedByStore {
		t.Fatalf("after a revoke in another process: %v, want a stored denial", err)
	}
	runHelper(t, db, "grant", cards, "clipboard:read")
	if err := m.Check(ctx, cards, "getClipboardData"); err != nil {
		t.Fatalf("after a grant in another process: %v", err)
	}
	runHelper(t, db, "reset", cards, "")
	fake.answers = []Answer{AnswerDeny}
	if err := m.Check(ctx, cards, "getClipboardData"); denialKind(err) != DeniedByPrompt {
		t.Fatalf("after a reset in another process: %v, want a new prompt answered deny", err)
	}
	if n := fake.count(); n != 2 {
		t.Fatalf("%d prompts, want 2", n)
	}
}

func TestConcurrentChecksShareOnePrompt(t *testing.T) {
	for _, answer := range []Answer{AnswerAllow, AnswerDeny} {
		t.Run(string(answer), func(t *testing.T) {
			fake := &fakePrompter{answers: []Answer{answer}, started: make(chan struct{}, 1), release: make(chan struct{})}
			m := NewManager(Config{Store: openTestStore(t), Prompter: fake})
			const n = 16
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					errs[i] = m.Check(context.Background(), cards, "getLocation")
				}(i)
			}
			<-fake.started // one prompt is open; the others are waiting or on their way
			close(fake.release)
			wg.Wait()
			if c := fake.count(); c != 1 {
				t.Fatalf("%d prompts, want 1", c)
			}
			for i, err := range errs {
				if (answer == AnswerAllow) != (err == nil) {
					t.Errorf("check %d: %v after answer %s", i, err, answer)
				}
			}
		})
	}
}

func TestPromptsOfOneAppAreSerialized(t *testing.T) {
	fake := &fakePrompter{fallback: AnswerAllow}
	m := NewManager(Config{Store: openTestStore(t), Prompter: fake})
	apis := []string{"getLocation", "getClipboardData", "setClipboardData", "getUserProfile"}
	var wg sync.WaitGroup
	for round := 0; round < 4; round++ {
		for _, api := range apis {
			wg.Add(1)
			go func(api string) {
				defer wg.Done()
				if err := m.Check(context.Background(), cards, api); err != nil {
					t.Error(err)
				}
			}(api)
		}
	}
	wg.Wait()
	if fake.maxOpen != 1 {
		t.Fatalf("%d prompts of one app were open at once", fake.maxOpen)
	}
	if c := fake.count(); c != len(apis) {
		t.Fatalf("%d prompts, want one per capability (%d)", c, len(apis))
	}
}

func TestPromptsOfDifferentAppsDoNotWaitForEachOther(t *testing.T) {
	fake := &fakePrompter{fallback: AnswerAllow, started: make(chan struct{}, 2), release: make(chan struct{})}
	m := NewManager(Config{Store: openTestStore(t), Prompter: fake})
	other := cards
	other.ID = "dev.other"
	var wg sync.WaitGroup
	for _, a := range []App{cards, other} {
		wg.Add(1)
		go func(a App) {
			defer wg.Done()
			if err := m.Check(context.Background(), a, "getLocation"); err != nil {
				t.Error(err)
			}
		}(a)
	}
	<-fake.started
	<-fake.started // both prompts open together: no global lock
	close(fake.release)
	wg.Wait()
}

func TestCancelWhileWaitingForAnotherPrompt(t *testing.T) {
	fake := &fakePrompter{answers: []Answer{AnswerAllow}, started: make(chan struct{}, 1), release: make(chan struct{})}
	m := NewManager(Config{Store: openTestStore(t), Prompter: fake})
	done := make(chan error)
	go func() { done <- m.Check(context.Background(), cards, "getLocation") }()
	<-fake.started

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := m.Check(ctx, cards, "getClipboardData")
	if denialKind(err) != DeniedNoAnswer || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	close(fake.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPromptWithoutAnswerStoresNothing(t *testing.T) {
	for name, p := range map[string]*fakePrompter{
		"error":          {}, // no scripted answer: errUnexpectedPrompt
		"unknown answer": {answers: []Answer{"maybe"}},
	} {
		t.Run(name, func(t *testing.T) {
			s := openTestStore(t)
			m := NewManager(Config{Store: s, Prompter: p})
			err := m.Check(context.Background(), cards, "getLocation")
			if denialKind(err) != DeniedNoAnswer || !strings.HasPrefix(err.Error(), "auth deny") {
				t.Fatalf("Check = %v", err)
			}
			if d := mustGet(t, s, cards.ID, cards.Signer, "location:read"); d != DecisionAsk {
				t.Fatalf("stored %q, want nothing", d)
			}
		})
	}
}

func TestOnceGrantGoesToExactlyOneOfConcurrentChecks(t *testing.T) {
	s := openTestStore(t)
	if err := s.Set(cards.ID, cards.Signer, "location:read", DecisionOnce); err != nil {
		t.Fatal(err)
	}
	fake := &fakePrompter{answers: []Answer{AnswerDeny}}
	m := NewManager(Config{Store: s, Prompter: fake})
	const n = 12
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.Check(context.Background(), cards, "getLocation"); err == nil {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if allowed != 1 {
		t.Fatalf("%d checks were allowed by one once grant", allowed)
	}
	if c := fake.count(); c != 1 {
		t.Fatalf("%d prompts, want 1 (its deny is stored and read by the rest)", c)
	}
}

func TestStoreFailureFailsClosedWithoutLeakingThePath(t *testing.T) {
	s, err := OpenStore(filepath.Join(t.TempDir(), "secret-dir", "grants.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Set(cards.ID, cards.Signer, "clipboard:read", DecisionGranted); err != nil {
		t.Fatal(err)
	}
	m := NewManager(Config{Store: s, Prompter: &fakePrompter{}})
	s.Close()
	err = m.Check(context.Background(), cards, "getClipboardData")
	if denialKind(err) != DeniedError || err.Error() != "internal error" {
		t.Fatalf("Check on a closed store = %v", err)
	}
	var d *Denial
	errors.As(err, &d)
	if !strings.Contains(d.Explain(), "secret-dir") {
		t.Errorf("Explain() lacks the cause: %s", d.Explain())
	}
	if err := m.Check(context.Background(), cards, "showToast"); err != nil {
		t.Errorf("a capability-free API needs no store: %v", err)
	}
}

func TestDenialTexts(t *testing.T) {
	tests := []struct {
		d           Denial
		err, reason string
	}{
		{Denial{Kind: DeniedByPrompt, API: "getLocation", Capability: "location:read"}, "auth deny", "getLocation (location:read): the prompt was answered Deny"},
		{Denial{Kind: DeniedByStore, Capability: "location:read"}, "auth denied", "location:read: denied earlier (prompt or revoke), not asked again"},
		{Denial{Kind: DeniedByPolicy, API: "showToast", Rule: `deny[0] "api:showToast"`}, "auth denied by policy", `showToast: policy deny[0] "api:showToast"`},
		{Denial{Kind: DeniedUndeclared, Capability: "user:readProfile"}, "capability user:readProfile is not declared in app.json", "user:readProfile: not declared in app.json"},
		{Denial{Kind: DeniedUnknown, Capability: "x:y"}, `unknown capability "x:y"`, "x:y: not in the capability catalog"},
		{Denial{Kind: DeniedNoAnswer, Capability: "x:y", Err: context.Canceled}, "auth deny (the prompt was not answered)", "x:y: no-answer: context canceled"},
		{Denial{Kind: DeniedError, Capability: "x:y", Err: errors.New("disk full")}, "internal error", "x:y: error: disk full"},
	}
	for _, tt := range tests {
		if got := tt.d.Error(); got != tt.err {
			t.Errorf("%s Error() = %q, want %q", tt.d.Kind, got, tt.err)
		}
		if got := tt.d.Explain(); got != tt.reason {
			t.Errorf("%s Explain() = %q, want %q", tt.d.Kind, got, tt.reason)
		}
	}
}

func TestManagerSettingsChanges(t *testing.T) {
	s := openTestStore(t)
	m := NewManager(Config{Store: s, Policy: Policy{Deny: []string{"location:read"}}})
	if err := m.Grant(cards, "nope:nope"); err == nil || !strings.Contains(err.Error(), "unknown capability") {
		t.Errorf("Grant(unknown) = %v", err)
	}
	if err := m.Revoke(cards, "nope:nope"); err == nil {
		t.Error("Revoke(unknown) succeeded")
	}
	if err := m.Grant(cards, "location:read"); err == nil || !strings.Contains(err.Error(), `deny[0] "location:read"`) {
		t.Errorf("Grant(policy-denied) = %v", err)
	}
	if err := m.Revoke(cards, "location:read"); err != nil { // revoking is always allowed
		t.Errorf("Revoke(policy-denied) = %v", err)
	}
}

func TestNewManagerWithoutStorePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewManager(Config{})
}
