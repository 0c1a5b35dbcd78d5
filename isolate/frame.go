package isolate

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxFrameBytes bounds one frame's JSON in either direction. A render push is at most a
// few setData calls of logic.DefaultMaxSetDataBytes each, far below it.
const MaxFrameBytes = 16 << 20

// headerBytes is the length prefix: 4 bytes, big endian.
const headerBytes = 4

// frame is what travels on the pipes: a type, a request id where one is answered, and a
// body whose schema the type names (protocol.go).
type frame struct {
	T    string          `json:"t"`
	ID   uint64          `json:"id,omitempty"`
	Body json.RawMessage `json:"body,omitempty"`
}

// errFrameTooBig is wrapped by readFrame when a header announces more than the limit.
var errFrameTooBig = errors.New("frame too big")

// encodeFrame marshals body into a frame and returns header+JSON, ready for one Write.
// The frame is assembled by hand around the body's JSON (t is one of our constants), so
// a large render push is scanned and copied once, not once per nesting level.
func encodeFrame(t string, id uint64, body any) ([]byte, error) {
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("isolate: encode %s body: %w", t, err)
		}
	}
	n := len(`{"t":"","id":,"body":}`) + len(t) + 20 + len(raw)
	if n-20 > MaxFrameBytes {
		return nil, fmt.Errorf("isolate: %s frame of about %d bytes is larger than %d", t, n, MaxFrameBytes)
	}
	buf := make([]byte, headerBytes, headerBytes+n)
	buf = append(buf, `{"t":"`...)
	buf = append(buf, t...)
	buf = append(buf, '"')
	if id != 0 {
		buf = append(buf, `,"id":`...)
		buf = strconv.AppendUint(buf, id, 10)
	}
	if raw != nil {
		buf = append(buf, `,"body":`...)
		buf = append(buf, raw...)
	}
	buf = append(buf, '}')
	if len(buf)-headerBytes > MaxFrameBytes {
		return nil, fmt.Errorf("isolate: %s frame of %d bytes is larger than %d", t, len(buf)-headerBytes, MaxFrameBytes)
	}
	binary.BigEndian.PutUint32(buf, uint32(len(buf)-headerBytes))
	return buf, nil
}

// readFrame reads one length-prefixed frame of at most max bytes. io.EOF means the
// stream ended cleanly between frames; a stream cut inside a frame is
// io.ErrUnexpectedEOF. The size is checked before anything is allocated.
func readFrame(r io.Reader, max int) ([]byte, error) {
	var hdr [headerBytes]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n == 0 {
		return nil, errors.New("empty frame")
	}
	if uint64(n) > uint64(max) {
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", errFrameTooBig, n, max)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}

// parseFrame checks a frame's text (valid UTF-8, one JSON object, known fields only).
func parseFrame(raw []byte) (frame, error) {
	var f frame
	if !utf8.Valid(raw) {
		return f, errors.New("frame is not valid UTF-8")
	}
	if err := decodeStrict(raw, &f); err != nil {
		return f, fmt.Errorf("frame: %w", err)
	}
	if f.T == "" {
		return f, errors.New("frame: field t is missing")
	}
	return f, nil
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown fields (at every
// level encoding/json decodes itself) and anything after the value.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cleanJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// cleanJSONError keeps encoding/json's message but names the field the way our other
// errors do.
func cleanJSONError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s", name)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("field %s must be %s", te.Field, te.Type)
	}
	return errors.New(strings.TrimPrefix(msg, "json: "))
}

// decodeBody decodes a frame's body strictly into v; a missing body is an error.
func decodeBody(f frame, v any) error {
	if len(f.Body) == 0 {
		return fmt.Errorf("%s: body is missing", f.T)
	}
	if err := decodeStrict(f.Body, v); err != nil {
		return fmt.Errorf("%s body: %w", f.T, err)
	}
	return nil
}

// truncate shortens untrusted text before it goes into an error or a log line.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
