package bridge

import (
	"encoding/json"
	"regexp"
	"unicode/utf8"
)

// The launcher's privileged kinds. Only the shell's own launcher window speaks them; a
// mini-app page that sends one is refused at its gate (see docs/launcher.md).
const (
	KindLauncher       Kind = "launcher"       // launcher page → host
	KindLauncherResult Kind = "launcherResult" // host → launcher page
	KindLauncherEvent  Kind = "launcherEvent"  // host → launcher page
)

// launcherKinds are privileged: a mini-app page naming one gets a refusal that says so.
var launcherKinds = map[Kind]bool{KindLauncher: true, KindLauncherResult: true, KindLauncherEvent: true}

// LauncherRequest is one request of the launcher page.
type LauncherRequest struct {
	ID   uint64          `json:"id"`
	Op   string          `json:"op"`
	Args json.RawMessage `json:"args,omitempty"`
}

// LauncherResult answers the request with the same ID.
type LauncherResult struct {
	ID     uint64 `json:"id"`
	OK     bool   `json:"ok"`
	Result any    `json:"result,omitempty"`
	Error  string `json:"error,omitempty"`
}

// LauncherEvent tells the launcher page that something changed.
type LauncherEvent struct {
	Event string `json:"event"`
	Data  any    `json:"data,omitempty"`
}

// maxLauncherArgs bounds a request's arguments (a profile with its avatar is the largest).
const maxLauncherArgs = 512 << 10

var launcherEnvelopeShape = &shape{kind: shapeObject, fields: map[string]*shape{
	"v":    sUint,
	"kind": sString,
	"payload": {kind: shapeObject, fields: map[string]*shape{
		"id":   sUint,
		"op":   sString,
		"args": freeObject(maxLauncherArgs),
	}},
}}

var launcherOp = regexp.MustCompile(`^[a-z]+(\.[a-zA-Z]+)+$`)

// DecodeLauncher decodes and checks one message from the launcher page: size, depth,
// UTF-8, strict fields, version, kind and the request's id and op. Whether the op
// exists is the launcher service's to say.
func DecodeLauncher(raw []byte, limits Limits) (LauncherRequest, error) {
	limits = limits.withDefaults()
	if len(raw) > limits.MaxBytes+maxLauncherArgs {
		return LauncherRequest{}, refuse("", "message of %d bytes is too large", len(raw))
	}
	if !utf8.Valid(raw) {
		return LauncherRequest{}, refuse("", "invalid UTF-8 at byte %d", invalidUTF8At(raw))
	}
	if err := scanShape(raw, limits.MaxDepth, launcherEnvelopeShape); err != nil {
		return LauncherRequest{}, err
	}
	var env struct {
		V       int             `json:"v"`
		Kind    Kind            `json:"kind"`
		Payload LauncherRequest `json:"payload"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return LauncherRequest{}, refuse("", "malformed envelope: %v", err)
	}
	switch {
	case env.V != Version:
		return LauncherRequest{}, refuse("v", "version %d is not supported (want %d)", env.V, Version)
	case env.Kind != KindLauncher:
		return LauncherRequest{}, refuse("kind", "the launcher may send only %q, not %q", KindLauncher, truncate(string(env.Kind), 64))
	case env.Payload.ID == 0:
		return LauncherRequest{}, refuse("payload.id", "missing or zero")
	case len(env.Payload.Op) > 64 || !launcherOp.MatchString(env.Payload.Op):
		return LauncherRequest{}, refuse("payload.op", "%q is not an operation name", truncate(env.Payload.Op, 64))
	}
	return env.Payload, nil
}
