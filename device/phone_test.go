package device

import (
	"context"
	"strings"
	"testing"
)

type fakePhone struct {
	answer bool
	asked  []string
}

func (f *fakePhone) ConfirmCall(_ context.Context, n string) bool {
	f.asked = append(f.asked, n)
	return f.answer
}

// makePhoneCall asks first, then hands tel: to the desktop; it refuses what is not a
// phone number before asking, and dials nothing when the user says no.
func TestMakePhoneCall(t *testing.T) {
	var opened []string
	old := OpenURI
	OpenURI = func(uri string) error { opened = append(opened, uri); return nil }
	defer func() { OpenURI = old }()

	yes := &fakePhone{answer: true}
	if _, err := call(t, yes, "makePhoneCall", `{"phoneNumber":"+41 (44) 668-18 00#1"}`); err != nil {
		t.Fatal(err)
	}
	if len(yes.asked) != 1 || yes.asked[0] != "+41 (44) 668-18 00#1" || len(opened) != 1 || opened[0] != "tel:+41446681800%231" {
		t.Fatalf("asked %q, opened %q", yes.asked, opened)
	}
	no := &fakePhone{}
	if _, err := call(t, no, "makePhoneCall", `{"phoneNumber":"110"}`); err == nil || err.Error() != "cancel" || len(opened) != 1 {
		t.Fatalf("declined: %v, opened %q", err, opened)
	}
	for _, bad := range []string{`{"phoneNumber":"110;rm -rf"}`, `{"phoneNumber":"javascript:alert(1)"}`, `{"phoneNumber":"1+1"}`,
		`{"phoneNumber":"` + strings.Repeat("1", 40) + `"}`, `{}`, `{"phoneNumber":110}`} {
		if _, err := call(t, yes, "makePhoneCall", bad); err == nil {
			t.Errorf("%s was dialled", bad)
		}
	}
	if len(yes.asked) != 1 || len(opened) != 1 {
		t.Errorf("a bad number reached the prompt (%q) or the desktop (%q)", yes.asked, opened)
	}
}

func TestSetKeepScreenOn(t *testing.T) {
	s := &fakeScreen{}
	if _, err := call(t, s, "setKeepScreenOn", `{"keepScreenOn":true}`); err != nil || len(s.calls) != 1 || !s.calls[0] {
		t.Fatalf("%v %v", err, s.calls)
	}
	if _, err := call(t, s, "setKeepScreenOn", `{}`); err == nil {
		t.Error("keepScreenOn is required")
	}
}

type fakeScreen struct{ calls []bool }

func (f *fakeScreen) KeepScreenOn(on bool) error { f.calls = append(f.calls, on); return nil }
