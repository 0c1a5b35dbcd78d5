package device

import (
	"context"
	"errors"
	"os/exec"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/internal/procenv"
)

// Phone is what makePhoneCall needs of the session: the user's answer, in the shell's
// trusted UI (a dialog the app's page cannot draw over), to "may this app call NUMBER?".
type Phone interface {
	ConfirmCall(ctx context.Context, number string) bool
}

// MaxPhoneNumber bounds a number's length.
const MaxPhoneNumber = 32

var _ = hostapi.Register(
	hostapi.Decl{Name: "makePhoneCall", Class: hostapi.ClassFeedback, Handler: makePhoneCall,
		Args: []hostapi.Field{{Name: "phoneNumber", Type: hostapi.String, Required: true}}},
)

// OpenURI hands a URI, or a file's path, to the desktop's handler for it (xdg-open),
// with the environment the user started the shell with (procenv.Outside: not the
// shell's own GTK and WebKit tuning). Tests replace it.
var OpenURI = func(uri string) error {
	cmd := exec.Command("xdg-open", uri)
	cmd.Env = procenv.Outside()
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait()
	return nil
}

// makePhoneCall asks the user, then hands tel:NUMBER to the desktop's handler (a
// softphone, a paired phone). Only a plain number passes: digits, '+', '*', '#', and the
// spaces, dashes, dots and parentheses people write between them, so that what the
// prompt shows is all the URI says.
func makePhoneCall(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		Number string `json:"phoneNumber"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	number := strings.TrimSpace(a.Number)
	if !phoneNumber(number) {
		return nil, nil, errors.New("parameter error: parameter.phoneNumber is not a phone number;")
	}
	h, err := hostapi.HostAs[Phone](c)
	if err != nil {
		return nil, nil, err
	}
	if !h.ConfirmCall(c.Ctx, number) {
		return nil, nil, errors.New("cancel")
	}
	var dial strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' || r == '+' || r == '*' || r == '#' {
			dial.WriteRune(r)
		}
	}
	uri := "tel:" + strings.ReplaceAll(strings.ReplaceAll(dial.String(), "#", "%23"), "*", "%2A")
	if err := OpenURI(uri); err != nil {
		return nil, nil, errors.New("no application handles phone calls on this desktop")
	}
	return map[string]any{}, nil, nil
}

func phoneNumber(s string) bool {
	if s == "" || len(s) > MaxPhoneNumber {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '*', r == '#', r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits > 0
}
