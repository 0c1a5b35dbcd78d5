package perms

import (
	"context"

	"github.com/sandframe/sandframe/internal/identity"
)

// App is a running (or installed) mini-app as the permission model sees it. Decisions
// are kept per identity: (ID, Signer), the key id, never a name a person reads.
type App struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Signer   string `json:"signer,omitempty"`   // publisher key id; "" = unsigned/sideloaded
	Verified bool   `json:"verified,omitempty"` // the signature checked out against a trusted key
	// PublisherName is the name the user trusts Signer's key under (shown, not keyed).
	PublisherName string           `json:"publisherName,omitempty"`
	Claims        map[string]Claim `json:"capabilities,omitempty"`
}

// Identity is the app's identity: what its decisions are keyed by.
func (a App) Identity() identity.App { return identity.Signed(a.ID, a.Signer) }

// Publisher is what a prompt shows as the app's publisher.
func (a App) Publisher() string {
	switch {
	case a.Signer == "" || !a.Verified:
		return "unverified"
	case a.PublisherName != "":
		return a.PublisherName
	}
	return a.Signer
}

// Request is what a prompt shows: the app (name, publisher), what the capability allows
// in plain words, and the reason the app declared.
type Request struct {
	App        App
	Capability Capability
	Reason     string
}

// Answer is the user's (or the policy's) answer to a prompt.
type Answer string

// Answers, one per prompt button.
const (
	AnswerAllow Answer = "allow" // Allow: granted until revoked
	AnswerOnce  Answer = "once"  // Allow once: the next single use
	AnswerDeny  Answer = "deny"  // Deny: refused until changed in settings
)

// Prompter asks whether an app may use a capability. It is trusted UI: a shell-owned
// window or native dialog, never the mini-app's document. It returns an error when no
// answer was given (closed, cancelled, ctx done); nothing is stored then.
type Prompter interface {
	Prompt(ctx context.Context, r Request) (Answer, error)
}

// PolicyPrompter answers prompts without a person (headless runs, tests, kiosks) from
// Policy.Prompts and the app's own setting: "allow", "allow-once", else deny.
type PolicyPrompter struct{ Policy Policy }

// Prompt answers r from the policy.
func (p PolicyPrompter) Prompt(ctx context.Context, r Request) (Answer, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	switch p.Policy.promptsFor(r.App) {
	case PromptsAllow:
		return AnswerAllow, nil
	case PromptsAllowOnce:
		return AnswerOnce, nil
	}
	return AnswerDeny, nil
}
