package perms

import (
	"context"
	"testing"
)

// BenchmarkCheckGranted is the per-call cost of a capability check that reads the store
// (no cache, so a revoke from any process applies at the next call).
func BenchmarkCheckGranted(b *testing.B) {
	s := openTestStore(b)
	if err := s.Set(cards.ID, cards.Signer, "clipboard:read", DecisionGranted); err != nil {
		b.Fatal(err)
	}
	m := NewManager(Config{Store: s})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Check(ctx, cards, "getClipboardData"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckGrantedParallel(b *testing.B) {
	s := openTestStore(b)
	if err := s.Set(cards.ID, cards.Signer, "clipboard:read", DecisionGranted); err != nil {
		b.Fatal(err)
	}
	m := NewManager(Config{Store: s})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := m.Check(context.Background(), cards, "getClipboardData"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkCheckFreeAPI is an API that needs no capability: policy lookup only.
func BenchmarkCheckFreeAPI(b *testing.B) {
	m := NewManager(Config{Store: openTestStore(b), Policy: Policy{Deny: []string{"api:showModal"}}})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Check(ctx, cards, "showToast"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckUndeclared is the refusal a hostile app can repeat fastest.
func BenchmarkCheckUndeclared(b *testing.B) {
	m := NewManager(Config{Store: openTestStore(b)})
	app := App{ID: "x"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Check(ctx, app, "getLocation"); err == nil {
			b.Fatal("allowed")
		}
	}
}
