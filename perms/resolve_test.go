package perms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/resolve/*/expected.golden.json")

// A resolver case is a folder under testdata/resolve/ with:
//
//	policy.json  a Policy
//	store.json   [{"app", "signer", "capability", "decision"}] stored before the calls
//	app.json     an App: {"id", "name", "signer", "verified", "capabilities": {...}}
//	calls.json   {"prompter": "script"|"policy", "answers": [...], "calls": [...]}
//
// and expected.golden.json, what came out. A new case is a new folder.
type resolveCalls struct {
	Prompter string        `json:"prompter,omitempty"` // "script" (default): answers in order; "policy": PolicyPrompter
	Answers  []Answer      `json:"answers,omitempty"`
	Calls    []resolveCall `json:"calls"`
}

type resolveCall struct {
	Op         string  `json:"op"` // check, request, settings, grant, revoke, reset
	API        string  `json:"api,omitempty"`
	Capability string  `json:"capability,omitempty"`
	App        string  `json:"app,omitempty"`    // another app id with the same manifest
	Signer     *string `json:"signer,omitempty"` // another signer for this call
}

type resolveResult struct {
	resolveCall
	Outcome  string              `json:"outcome"` // allowed, denied, ok, error
	Decision Decision            `json:"decision,omitempty"`
	Error    string              `json:"error,omitempty"`  // the fail reason the app sees
	Denial   DenialKind          `json:"denial,omitempty"` // who refused
	Explain  string              `json:"explain,omitempty"`
	Prompts  []shownPrompt       `json:"prompts,omitempty"` // prompts this call raised
	Settings map[string]Decision `json:"settings,omitempty"`
}

type shownPrompt struct {
	App         string `json:"app"`
	Publisher   string `json:"publisher"`
	Capability  string `json:"capability"`
	Risk        string `json:"risk"`
	Description string `json:"description"`
	Reason      string `json:"reason"`
}

type storeRow struct {
	App        string   `json:"app"`
	Signer     string   `json:"signer"`
	Capability string   `json:"capability"`
	Decision   Decision `json:"decision"`
}

type resolveGolden struct {
	Results []resolveResult `json:"results"`
	Prompts int             `json:"prompts"`
	Store   []storeRow      `json:"store"` // after the calls
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestResolveFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "resolve", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) { runResolveCase(t, dir) })
	}
}

func runResolveCase(t *testing.T, dir string) {
	var (
		policy Policy
		rows   []storeRow
		app    App
		calls  resolveCalls
	)
	readJSON(t, filepath.Join(dir, "policy.json"), &policy)
	readJSON(t, filepath.Join(dir, "store.json"), &rows)
	readJSON(t, filepath.Join(dir, "app.json"), &app)
	readJSON(t, filepath.Join(dir, "calls.json"), &calls)
	if err := policy.Validate(); err != nil {
		t.Fatalf("policy.json: %v", err)
	}
	if err := CheckClaims(app.Claims); err != nil {
		t.Fatalf("app.json: %v", err)
	}

	store := openTestStore(t)
	for _, r := range rows {
		if err := store.Set(r.App, r.Signer, r.Capability, r.Decision); err != nil {
			t.Fatalf("store.json: %v", err)
		}
	}
	fake := &fakePrompter{answers: append([]Answer(nil), calls.Answers...)}
	var prompter Prompter = fake
	switch calls.Prompter {
	case "", "script":
	case "policy":
		prompter = countingPrompter{inner: PolicyPrompter{policy}, fake: fake}
	default:
		t.Fatalf("calls.json: prompter %q", calls.Prompter)
	}
	m := NewManager(Config{Store: store, Policy: policy, Prompter: prompter,
		Now: func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }})

	ctx := context.Background()
	var got resolveGolden
	for i, c := range calls.Calls {
		a := app
		if c.App != "" {
			a.ID = c.App
		}
		if c.Signer != nil {
			a.Signer = *c.Signer
		}
		before := fake.count()
		res := resolveResult{resolveCall: c}
		var err error
		switch c.Op {
		case "check":
			err = m.Check(ctx, a, c.API)
			res.Outcome = "allowed"
		case "request":
			res.Decision, err = m.Request(ctx, a, c.Capability)
			res.Outcome = "allowed"
		case "settings":
			res.Settings, err = m.Settings(a)
			res.Outcome = "ok"
		case "grant":
			err = m.Grant(a, c.Capability)
			res.Outcome = "ok"
		case "revoke":
			err = m.Revoke(a, c.Capability)
			res.Outcome = "ok"
		case "reset":
			err = store.Reset(a.ID)
			res.Outcome = "ok"
		default:
			t.Fatalf("calls.json calls[%d]: op %q", i, c.Op)
		}
		if err != nil {
			res.Outcome, res.Error = "error", err.Error()
			var d *Denial
			if errors.As(err, &d) {
				res.Outcome, res.Denial, res.Explain = "denied", d.Kind, d.Explain()
			}
		}
		fake.mu.Lock()
		for _, r := range fake.shown[before:] {
			res.Prompts = append(res.Prompts, shownPrompt{App: r.App.Name, Publisher: r.App.Publisher(),
				Capability: r.Capability.Name, Risk: string(r.Capability.Risk), Description: r.Capability.Description, Reason: r.Reason})
		}
		fake.mu.Unlock()
		got.Results = append(got.Results, res)
	}
	got.Prompts = fake.count()
	if len(fake.answers) != 0 {
		t.Errorf("calls.json: %d scripted answers were never asked for", len(fake.answers))
	}
	grants, err := store.List("")
	if err != nil {
		t.Fatal(err)
	}
	got.Store = []storeRow{}
	for _, g := range grants {
		got.Store = append(got.Store, storeRow{g.App, g.Signer, g.Capability, g.Decision})
	}

	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	golden := filepath.Join(dir, "expected.golden.json")
	if *update {
		if err := os.WriteFile(golden, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestResolveFixtures -update to create it)", err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("%s differs (go test -run TestResolveFixtures -update rewrites it)\ngot:\n%s", golden, out)
	}
}

// countingPrompter records the prompts a real prompter answers.
type countingPrompter struct {
	inner Prompter
	fake  *fakePrompter
}

func (c countingPrompter) Prompt(ctx context.Context, r Request) (Answer, error) {
	c.fake.mu.Lock()
	c.fake.shown = append(c.fake.shown, r)
	c.fake.mu.Unlock()
	return c.inner.Prompt(ctx, r)
}
