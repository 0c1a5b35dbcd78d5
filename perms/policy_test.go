package perms

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		field  string // first *PolicyError's field; "" = valid
		msg    string
	}{
		{"empty", Policy{}, "", ""},
		{"good", Policy{Allow: []string{"clipboard:write", "api:showToast"}, Deny: []string{"location:read", "api:getClipboardData"},
			Prompts: "allow-once", Apps: map[string]AppPolicy{"dev.todo": {Allow: []string{"user:readProfile"}, Prompts: "deny"}}}, "", ""},
		{"unknown capability", Policy{Deny: []string{"clipboard:read", "clipbaord:read"}}, "deny[1]", `unknown capability "clipbaord:read"`},
		{"unknown api", Policy{Allow: []string{"api:readFile"}}, "allow[0]", `unknown API "readFile"`},
		{"bare api name", Policy{Allow: []string{"getClipboardData"}}, "allow[0]", "unknown capability"},
		{"empty entry", Policy{Allow: []string{""}}, "allow[0]", "unknown capability"},
		{"prompts", Policy{Prompts: "yes"}, "prompts", "not one of"},
		{"app entry", Policy{Apps: map[string]AppPolicy{"dev.todo": {Deny: []string{"x:y"}}}}, `apps["dev.todo"].deny[0]`, "unknown capability"},
		{"app prompts", Policy{Apps: map[string]AppPolicy{"dev.todo": {Prompts: "ask"}}}, `apps["dev.todo"].prompts`, "not one of"},
		{"empty app id", Policy{Apps: map[string]AppPolicy{"": {}}}, `apps[""]`, "app id is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var pe *PolicyError
			if !errors.As(err, &pe) || pe.Field != tt.field || !strings.Contains(pe.Msg, tt.msg) {
				t.Fatalf("Validate = %v, want field %q with %q", err, tt.field, tt.msg)
			}
		})
	}
}

func TestPolicyPrompter(t *testing.T) {
	p := Policy{Prompts: "allow-once", Apps: map[string]AppPolicy{"a": {Prompts: "allow"}, "b": {Prompts: "deny"}, "c": {}}}
	tests := []struct {
		policy Policy
		app    string
		want   Answer
	}{
		{Policy{}, "x", AnswerDeny},
		{Policy{Prompts: "deny"}, "x", AnswerDeny},
		{Policy{Prompts: "allow"}, "x", AnswerAllow},
		{p, "x", AnswerOnce},
		{p, "a", AnswerAllow},
		{p, "b", AnswerDeny},
		{p, "c", AnswerOnce},
	}
	for _, tt := range tests {
		got, err := PolicyPrompter{tt.policy}.Prompt(context.Background(), Request{App: App{ID: tt.app}})
		if err != nil || got != tt.want {
			t.Errorf("%+v app %s: %q, %v; want %q", tt.policy, tt.app, got, err, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (PolicyPrompter{Policy{Prompts: "allow"}}).Prompt(ctx, Request{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled prompt: %v", err)
	}
}

func TestPublisher(t *testing.T) {
	for _, tt := range []struct {
		app  App
		want string
	}{
		{App{}, "unverified"},
		{App{Signer: "Acme"}, "unverified"},
		{App{Signer: "Acme", Verified: true}, "Acme"},
		{App{Verified: true}, "unverified"},
	} {
		if got := tt.app.Publisher(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.app, got, tt.want)
		}
	}
}

// TestPolicyByIdentity: a per-app rule named by an identity key speaks for that identity
// only; a twin of the same id (unsigned, or another signer) gets the global rules.
func TestPolicyByIdentity(t *testing.T) {
	const key = "0123456789abcdef"
	claims := map[string]Claim{"clipboard:write": {Reason: "r"}}
	m := NewManager(Config{Store: openTestStore(t), Policy: Policy{Prompts: PromptsDeny,
		Apps: map[string]AppPolicy{"dev.a@" + key: {Allow: []string{"clipboard:write"}}}}})
	signed := App{ID: "dev.a", Signer: key, Verified: true, Claims: claims}
	if err := m.Check(context.Background(), signed, "setClipboardData"); err != nil {
		t.Fatalf("the configured identity: %v", err)
	}
	for _, twin := range []App{{ID: "dev.a", Claims: claims}, {ID: "dev.a", Signer: "fedcba9876543210", Claims: claims}} {
		if err := m.Check(context.Background(), twin, "setClipboardData"); err == nil {
			t.Errorf("the twin %+v got the signed app's allow rule", twin)
		}
	}
}
