package bridge

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits bound what a page message may be. Zero fields take the defaults.
type Limits struct {
	MaxBytes int // raw message size; default 256 KiB
	MaxDepth int // nesting of objects and arrays; default 32
}

// Default limits for page messages (docs/protocol.md).
const (
	DefaultMaxBytes = 256 << 10
	DefaultMaxDepth = 32
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// DecodeError is why a page message was refused. Field is the JSON path of the
// offending value ("payload.event.target.dataset"), empty for the message as a whole.
type DecodeError struct {
	Field  string
	Reason string
}

func (e *DecodeError) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

func refuse(field, format string, args ...any) *DecodeError {
	return &DecodeError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// pageKinds are the kinds a page may send.
var pageKinds = map[Kind]bool{KindReady: true, KindEvent: true, KindModel: true, KindProbeResult: true, KindQueryResult: true, KindCanvasData: true}

// DecodePage decodes and checks one message from a page: size, depth, UTF-8, strict
// fields, version, kind and the kind's schema. It does not look at window state (that
// is the Gate's job) and the returned envelope has no sender.
func DecodePage(raw []byte, limits Limits) (Envelope, error) {
	env, _, err := decodePage(raw, limits)
	if err != nil {
		return Envelope{}, err
	}
	env.Payload = append(json.RawMessage(nil), env.Payload...) // not a slice of raw
	return env, nil
}

// decodePage also returns the typed payload (*Ready, *Event or *ProbeResult). On a
// refusal the envelope carries at most the kind the message claimed, for the audit.
func decodePage(raw []byte, limits Limits) (Envelope, any, error) {
	limits = limits.withDefaults()
	if len(raw) > limits.MaxBytes {
		return Envelope{}, nil, refuse("", "message of %d bytes is larger than %d", len(raw), limits.MaxBytes)
	}
	if !utf8.Valid(raw) {
		return Envelope{}, nil, refuse("", "invalid UTF-8 at byte %d", invalidUTF8At(raw))
	}
	if env, payload, ok := decodeFast(raw, limits.MaxDepth); ok {
		if err := validatePayload(payload); err != nil {
			return Envelope{}, nil, err
		}
		return env, payload, nil
	}
	return decodeSlow(raw, limits)
}

// decodeSlow is decodePage by the token scanner: what the fast path gives up on, and
// the precise refusal.
func decodeSlow(raw []byte, limits Limits) (Envelope, any, error) {
	if err := scanPage(raw, limits.MaxDepth); err != nil {
		// A kind a page may never send is the clearer reason: say that, when the
		// message is well-formed enough to name its kind. The kind (cut short) also
		// goes back for the audit line.
		var head struct {
			Kind Kind `json:"kind"`
		}
		if json.Unmarshal(raw, &head) == nil && head.Kind != "" {
			claimed := Envelope{Kind: Kind(truncate(string(head.Kind), 64))}
			if !pageKinds[head.Kind] {
				return claimed, nil, kindRefusal(claimed.Kind)
			}
			return claimed, nil, err
		}
		return Envelope{}, nil, err
	}

	// The scan proved the shape; what remains is values.
	var env Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return Envelope{}, nil, refuse("", "malformed envelope: %v", err)
	}
	if env.V != Version {
		return Envelope{}, nil, refuse("v", "version %d is not supported (want %d)", env.V, Version)
	}
	if env.Kind == "" {
		return Envelope{}, nil, refuse("kind", "missing")
	}
	if !pageKinds[env.Kind] {
		kind := Kind(truncate(string(env.Kind), 64))
		return Envelope{Kind: kind}, nil, kindRefusal(kind)
	}
	if env.Payload == nil {
		return Envelope{}, nil, refuse("payload", "missing")
	}

	payload := newPagePayload(env.Kind)
	dec := json.NewDecoder(bytes.NewReader(env.Payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(payload); err != nil {
		return Envelope{}, nil, payloadError(err)
	}

	if err := validatePayload(payload); err != nil {
		return Envelope{}, nil, err
	}
	return env, payload, nil
}

// newPagePayload is the value a page message of kind decodes into (the kinds a page
// may send; the caller has refused the others).
func newPagePayload(kind Kind) any {
	switch kind {
	case KindReady:
		return new(Ready)
	case KindEvent:
		return new(Event)
	case KindModel:
		return new(Model)
	case KindProbeResult:
		return new(ProbeResult)
	case KindQueryResult:
		return new(QueryResult)
	case KindCanvasData:
		return new(CanvasData)
	}
	return nil
}

// validatePayload checks a decoded payload's values (validate.go).
func validatePayload(payload any) error {
	var err error
	switch p := payload.(type) {
	case *Ready:
		err = validateReady(p)
	case *Event:
		err = validateEvent(p)
	case *Model:
		err = validateModel(p)
	case *ProbeResult:
		err = validateProbeResult(p)
	case *QueryResult:
		err = validateQueryResult(p)
	case *CanvasData:
		err = validateCanvasData(p)
	}
	return err
}

// kindRefusal says why a page may not send kind; privileged kinds say so.
func kindRefusal(kind Kind) error {
	if launcherKinds[kind] {
		return refuse("kind", "a page may not send %q: launcher messages come only from the launcher window", kind)
	}
	if devtoolsKinds[kind] {
		return refuse("kind", "a page may not send %q: DevTools messages come only from the DevTools window", kind)
	}
	return refuse("kind", "a page may not send %q", kind)
}

// payloadError turns an encoding/json error on the payload into a DecodeError. The scan
// already checked types, so the usual case is a field of another kind's payload.
func payloadError(err error) error {
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return refuse("payload", "unknown field %s", name)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return refuse("payload."+te.Field, "must be %s", te.Type)
	}
	return refuse("payload", "%v", err)
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}
