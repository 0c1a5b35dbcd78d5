package isolate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	buf, err := encodeFrame(tPageData, 7, pageDataRequest{Page: "p1"})
	if err != nil {
		t.Fatal(err)
	}
	if n := binary.BigEndian.Uint32(buf); int(n) != len(buf)-headerBytes {
		t.Fatalf("header says %d, body is %d", n, len(buf)-headerBytes)
	}
	raw, err := readFrame(bytes.NewReader(buf), MaxFrameBytes)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseFrame(raw)
	if err != nil {
		t.Fatal(err)
	}
	var req pageDataRequest
	if err := decodeBody(f, &req); err != nil || f.T != tPageData || f.ID != 7 || req.Page != "p1" {
		t.Fatalf("got %+v %+v %v", f, req, err)
	}
}

func TestReadFrameBounds(t *testing.T) {
	hdr := func(n uint32, body string) []byte { return append(binary.BigEndian.AppendUint32(nil, n), body...) }
	for _, tc := range []struct {
		name  string
		input []byte
		want  string // "" = ok; "EOF" = clean end
	}{
		{"ok", hdr(2, "{}"), ""},
		{"clean end", nil, "EOF"},
		{"header cut", []byte{0, 0}, "unexpected EOF"},
		{"body cut", hdr(10, "{}"), "unexpected EOF"},
		{"empty", hdr(0, ""), "empty frame"},
		{"over the limit", hdr(101, ""), "frame too big: 101 bytes announced, the limit is 100"},
		{"huge", hdr(1<<31, ""), "frame too big"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readFrame(bytes.NewReader(tc.input), 100)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tc.want == "EOF" && !errors.Is(err, io.EOF):
				t.Fatalf("err = %v, want io.EOF", err)
			case tc.want != "" && tc.want != "EOF" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestEncodeFrameRefusesOversize(t *testing.T) {
	if _, err := encodeFrame(tSend, 0, strings.Repeat("x", MaxFrameBytes)); err == nil {
		t.Fatal("a frame over MaxFrameBytes was encoded")
	}
}

// TestParseChildFrame: the parent's checks, one schema rule per case.
func TestParseChildFrame(t *testing.T) {
	render := `{"v":1,"kind":"render","payload":{"seq":1,"ops":[{"op":"data","target":"p1","diff":{"a":1}}]}}`
	for _, tc := range []struct {
		frame string
		want  string // "" = accepted
	}{
		{`{"t":"loaded","body":{"defs":{"c":{"properties":{"x":{"type":null,"value":1}},"data":{},"options":{}}}}}`, ""},
		{`{"t":"loaded","body":{"defs":{"c":{"properties":{"x":{"type":"String","value":"","bogus":1}}}}}}`, `unknown field "bogus"`},
		{`{"t":"loaded","id":3,"body":{}}`, "unexpected id"},
		{`{"t":"loaded","body":{"limits":{"rlimitAS":1},"confinement":{"noNewPrivs":true,"seccomp":true,"landlock":7,"pdeathsig":true}}}`, ""},
		{`{"t":"loaded","body":{"confinement":{"noNewPrivs":true,"warnings":["a","a","a","a","a","a","a","a","a"]}}}`, "too many confinement warnings"},
		{`{"t":"loaded","body":{"confinement":{"warnings":["` + strings.Repeat("w", maxConfineWarning+1) + `"]}}}`, "warning is too long"},
		{`{"t":"loaded","body":{"confinement":{"landlock":-1}}}`, "landlock ABI"},
		{`{"t":"loaded","body":{"confinement":{"seccomp":true,"extra":1}}}`, `unknown field "extra"`},
		{`{"t":"loaded"}`, "body is missing"},
		{`{"t":"send","body":` + render + `}`, ""},
		{`{"t":"send","body":{"v":1,"kind":"api","payload":{"id":1,"name":"showToast","args":{"title":"x"}}}}`, ""},
		{`{"t":"send","body":{"v":1,"kind":"api","payload":{"id":1,"name":""}}}`, "a name is required"},
		{`{"t":"send","body":{"v":1,"kind":"nav","payload":{"action":"launch","show":"p1"}}}`, `may not send kind "nav"`},
		{`{"t":"send","body":{"v":1,"kind":"render"}}`, "payload is missing"},
		{`{"t":"send","body":{"v":1,"kind":"render","payload":{"seq":"1","ops":[]}}}`, "field seq must be uint64"},
		{`{"t":"syncCall","id":1,"body":{"id":1,"name":"getSystemInfoSync","sync":true}}`, ""},
		{`{"t":"syncCall","body":{"id":1,"name":"getSystemInfoSync","sync":true}}`, "id is missing"},
		{`{"t":"syncCall","id":1,"body":{"id":1,"name":"getSystemInfoSync"}}`, "a synchronous call"},
		{`{"t":"pageDataReply","id":1,"body":{"data":{"a":[1,2]}}}`, ""},
		{`{"t":"pageDataReply","id":1,"body":{"error":"` + strings.Repeat("e", maxErrorText+1) + `"}}`, "too long"},
		{`{"t":"stackReply","id":1,"body":[{"id":"p1","route":"pages/a/a","query":{}}]}`, ""},
		{`{"t":"stackReply","id":1,"body":[{"id":"p1","path":"x"}]}`, `unknown field "path"`},
		{`{"t":"terminated","body":{"reason":"cpu","detail":"ran too long"}}`, ""},
		{`{"t":"terminated","body":{"reason":"","detail":""}}`, "reason must be"},
		{`{"t":"init","body":{}}`, `unknown frame type "init"`},
		{`{"body":{}}`, "field t is missing"},
		{`{"t":"loaded","body":{}}{"t":"loaded","body":{}}`, "data after the JSON value"},
		{`[1]`, "frame"},
	} {
		_, err := parseChildFrame([]byte(tc.frame))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s\n  refused: %v", tc.frame, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%.120s\n  err = %v, want %q", tc.frame, err, tc.want)
		}
	}
}

func TestReadLineCutsLongLines(t *testing.T) {
	long := strings.Repeat("a", 10000)
	br := bufio.NewReaderSize(strings.NewReader(long+"\nshort\nlast"), 16)
	var got []string
	for {
		line, err := readLine(br, 100)
		if len(line) > 0 {
			got = append(got, string(line))
		}
		if err != nil {
			break
		}
	}
	if len(got) != 3 || got[0] != long[:100] || got[1] != "short" || got[2] != "last" {
		t.Fatalf("lines = %q", got)
	}
}

func TestTailKeepsWhatExplainsADeath(t *testing.T) {
	tl := newTail()
	tl.add("runtime/cgo: pthread_create failed: Resource temporarily unavailable")
	tl.add("SIGABRT: abort")
	for range 100 {
		tl.add("goroutine 1 [running]:")
	}
	got := tl.lines()
	if got.memory != "runtime/cgo: pthread_create failed: Resource temporarily unavailable" {
		t.Errorf("memory line = %q", got.memory)
	}
	if len(got.lines) != tailKeep {
		t.Errorf("kept %d lines", len(got.lines))
	}
	tl = newTail()
	tl.add("fatal error: out of memory")
	tl.add("panic: later")
	if got := tl.lines(); got.fatal != "fatal error: out of memory" || got.memory != got.fatal {
		t.Errorf("tail = %+v", got)
	}
}
