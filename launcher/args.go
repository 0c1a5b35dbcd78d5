package launcher

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/perms"
)

// argError is a request whose arguments are wrong: it is refused, not run.
type argError struct {
	op, field, msg string
}

func (e *argError) Error() string {
	if e.field == "" {
		return e.op + ": " + e.msg
	}
	return e.op + ": " + e.field + ": " + e.msg
}

// decodeArgs decodes a request's arguments into v strictly: unknown fields and values
// of the wrong type are refused, naming the field. No arguments are {}.
func decodeArgs(op string, raw json.RawMessage, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the arguments")
	}
	if err == nil {
		return nil
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &argError{op: op, field: strings.Trim(name, `"`), msg: "unknown argument"}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &argError{op: op, field: te.Field, msg: "must be " + jsonType(te.Type.Kind().String())}
	}
	return &argError{op: op, msg: "arguments: " + err.Error()}
}

// jsonType names a Go kind the way the page's JSON would spell it.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice":
		return "a list"
	}
	return "a number"
}

// appID checks the id argument of op.
func appID(op, id string) error {
	if id == "" {
		return &argError{op: op, field: "id", msg: "missing"}
	}
	if err := bundle.ValidAppID(id); err != nil {
		return &argError{op: op, field: "id", msg: err.Error()}
	}
	return nil
}

// capabilityName checks the capability argument of op.
func capabilityName(op, name string) error {
	if name == "" {
		return &argError{op: op, field: "capability", msg: "missing"}
	}
	if _, ok := perms.Lookup(name); !ok {
		return &argError{op: op, field: "capability", msg: fmt.Sprintf("unknown capability %q", name)}
	}
	return nil
}

// choose remembers a bundle path the user chose (the file chooser, or the shell opened
// on it): install.inspect and install.file accept only those.
func (s *Service) choose(path string) {
	s.mu.Lock()
	s.chosen[filepath.Clean(path)] = true
	s.mu.Unlock()
}

// chosenPath checks the path argument of op: a file the user chose.
func (s *Service) chosenPath(op, path string) error {
	if path == "" {
		return &argError{op: op, field: "path", msg: "missing"}
	}
	if !filepath.IsAbs(path) {
		return &argError{op: op, field: "path", msg: fmt.Sprintf("%q is not an absolute path", path)}
	}
	s.mu.Lock()
	ok := s.chosen[filepath.Clean(path)]
	s.mu.Unlock()
	if !ok {
		return &argError{op: op, field: "path", msg: fmt.Sprintf("%s was neither chosen in the file chooser nor opened with the shell", path)}
	}
	return nil
}

// idArgs decodes the {"id": APP} arguments most operations take, checks the id and
// names the app the call acts on (for the audit).
func (c *call) idArgs(args json.RawMessage) (idArgs, error) {
	var a idArgs
	if err := decodeArgs(c.op, args, &a); err != nil {
		return a, err
	}
	if err := appID(c.op, a.ID); err != nil {
		return a, err
	}
	c.app = a.ID
	return a, nil
}
