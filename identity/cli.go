package identity

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sandframe/sandframe/identity/verify"
)

// VerifyRequest is `shell identity verify`'s input.
type VerifyRequest struct {
	Code string // the code, or "-" to read it from In
	In   io.Reader
	App  string // --app: the backend's app id (or ID@KEYID)
	Key  string // --key: the pinned public key or sub
	JSON bool   // --json: the whole result instead of the sub alone
}

// RunVerify is `shell identity verify CODE [--app ID] [--key PUBKEY]`, what a backend
// (or a person) runs to check a login code: it prints the user's pseudonymous id for
// the app (or, with JSON, the id, the key to pin and the claims), or fails saying why.
func RunVerify(out io.Writer, r VerifyRequest) error {
	code := r.Code
	if code == "-" {
		line, err := bufio.NewReader(io.LimitReader(r.In, verify.MaxCodeBytes+2)).ReadString('\n')
		if err != nil && err != io.EOF {
			return err
		}
		code = strings.TrimSpace(line)
	}
	res, err := verify.Verify(code, verify.Options{App: r.App, Key: r.Key})
	if err != nil {
		return err
	}
	if !r.JSON {
		_, err = fmt.Fprintln(out, res.Subject)
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"sub": res.Subject, "key": res.Key, "claims": res.Claims})
}
