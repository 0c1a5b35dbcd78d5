package bridge

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// fastCorpus is valid and hostile page messages of every kind.
func fastCorpus() []string {
	tap := event("page", "onBack", `{}`)
	msgs := []string{
		tap,
		event("c2", "onTap", `{"a":[1,2,{"b":null}],"s":"x\"y\\z\n"}`),
		event("host", "navigateBack", `{}`),
		`{"v":1,"kind":"event","payload":{"target":"c2","handler":"onTap","event":{"type":"tap","timeStamp":0,"detail":null,"target":{"id":"a b","dataset":{"k":"a\"b","n":[1,{"x":null}]}},"currentTarget":{"id":"","dataset":null},"mark":null}}}`,
		`{"v":1,"kind":"event","payload":{"event":{"mark":{"m":true},"type":"longpress","timeStamp":7e2,"target":{"dataset":{},"id":"x"},"currentTarget":{"id":"x","dataset":{}}},"handler":"onLong","target":"page"}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"on\u0042ack","event":{"type":"tap","timeStamp":1,"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`,
		event("page", "onBack", `{"k":1,"\u006b":2}`),
		event("page", "onBack", `{"k":1,"k":2}`),
		event("page", "onBack", `{"k\/":1,"k/":2}`),
		event("page", "onBack", `{"\ud800":1}`),
		event("page", "onBack", `{"n":-1e999}`),
		event("page", "onBack", `{"n":123456789012345678901234567890}`),
		event("page", "onBack", `{"n":-0.5e-3}`),
		event("page", "onBack", nested(31)),
		event("page", "onBack", nested(32)),
		event("page", "onBack", nested(40)),
		event("page", "onBack", `"x"`),
		event("page", "onBack", `null`),
		event("page", "onBack", `{"k":"`+strings.Repeat("x", maxDatasetBytes)+`"}`),
		strings.Replace(tap, `"handler":"onBack"`, `"handler":7`, 1),
		strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":1e400`, 1),
		strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":-1`, 1),
		strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":01`, 1),
		strings.Replace(tap, `"timeStamp":12.5`, `"timeStamp":1.`, 1),
		strings.Replace(tap, `{"v":1,`, `{"v":1,"v":1,`, 1),
		strings.Replace(tap, `"v":1`, `"v":1.0`, 1),
		strings.Replace(tap, `"v":1`, `"v":2`, 1),
		strings.Replace(tap, `"v":1`, `"v":-1`, 1),
		strings.Replace(tap, `"target":"page"`, `"target":"page","key":"k"`, 1),
		strings.Replace(tap, `"target":"page"`, `"Target":"page"`, 1),
		strings.Replace(tap, `"type":"tap"`, `"Type":"tap"`, 1),
		strings.Replace(tap, `"kind":"event"`, `"kind":"ev\u0065nt"`, 1),
		strings.Replace(tap, `"kind":"event"`, `"kind":"ui"`, 1),
		strings.Replace(tap, `"kind":"event"`, `"kind":"launcher"`, 1),
		strings.Replace(tap, `"payload":{`, `"sender":{},"payload":{`, 1),
		tap + " ", " " + tap, tap + "x", tap + tap, tap[:40], "", "hello", "[1,2]", "null", `{}`,
		`{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"components/item/item","props":{"a":1},"events":{"x":"onA"},"class":"k"}],"detached":["c1"],"props":[{"id":"c2","props":{}}]}}`,
		`{"v":1,"kind":"ready","payload":{"seq":2,"attached":[{"id":"c3","page":"p2","owner":"p2","is":"x","events":null}]}}`,
		`{"v":1,"kind":"ready","payload":{"seq":-1}}`,
		`{"v":1,"kind":"ready","payload":{"seq":1.5}}`,
		`{"v":1,"kind":"ready","payload":{"seq":9007199254740993}}`,
		`{"v":1,"kind":"ready","payload":{"seq":1,"detached":["c1"` + strings.Repeat(`,"c1"`, maxReports) + `]}}`,
		`{"v":1,"kind":"ready","payload":[1]}`,
		`{"v":1,"kind":"ready","payload":null}`,
		`{"v":1,"kind":"ready"}`,
		`{"kind":"ready","payload":{"seq":1}}`,
		`{"v":1,"kind":"probeResult","payload":{"id":1,"ok":true,"result":[{"tag":"view"}]}}`,
		`{"v":1,"kind":"queryResult","payload":{"id":1,"result":{"a":1}}}`,
		`{"v":1,"kind":"canvasData","payload":{"id":1,"ok":true,"data":"QUJD","more":false}}`,
		`{"v":1,"kind":"model","payload":{"target":"page","key":"text","value":"hi"}}`,
		`{"v":1,"kind":"model","payload":{"target":"page","key":"text","value":"hi","handler":"x"}}`,
		`{"v":1,"kind":"model","payload":{"target":"page","key":"text","value": { "a" : [1, "x\"y", null] } }}`,
		`{"v":1,"kind":"model","payload":{"target":"p2","key":"te\u0078t","value":1}}`,
		`{"v":1,"kind":"model","payload":{"target":"page","key":"text"}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"onTouch","event":{"type":"touchstart","timeStamp":1,"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}},"touches":[{"identifier":0,"pageX":1,"pageY":2,"clientX":1,"clientY":2}],"changedTouches":[]}}}`,
		"{\"v\":1,\"kind\":\"event\",\"payload\":{\"target\":\"page\",\"handler\":\"on\tBack\"}}",
		` { "v" : 1 , "kind" : "event" , "payload" : { "target" : "c2" , "handler" : "onTap" , "event" : { "type" : "tap" , "timeStamp" : 0 , "target" : { "id" : "a" , "dataset" : { "k" : [ 1 ] } } , "currentTarget" : { "id" : "a" , "dataset" : null } , "mark" : null } } } `,
		`{"v":1,"kind":"event","payload":{"handler":"onTap","target":"c2","event":{"type":"change","timeStamp":1,"target":{"id":"x"},"currentTarget":{}}}}`,
		`{"v":1,"kind":"event","payload":{"handler":"onTap","target":"c2","event":{}}}`,
		`{"v":1,"kind":"event","payload":{"handler":"onTap","target":"c2"}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"onPageScroll","event":{"type":"pagescroll","timeStamp":1,"detail":{"scrollTop":12},"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"onPageScroll","event":{"type":"pagescroll","timeStamp":1,"detail":{},"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"onBack","event":{"type":"tap","timeStamp":1,"detail":{"x":tru}}}}`,
		`{"v":1,"kind":"event","payload":{"target":"page","handler":"onBack","event":{"type":"tap","timeStamp":1,"detail":{"x":nulll}}}}`,
	}
	return msgs
}

// Whatever the fast path accepts, the token scanner accepts too, to the same value;
// what it gives up on goes to the token scanner, whose answer stands.
func TestFastScanAgreesWithTokenScanner(t *testing.T) {
	fast := 0
	for _, msg := range fastCorpus() {
		checkFastAgrees(t, []byte(msg), &fast)
	}
	if fast < 8 {
		t.Fatalf("the fast path took only %d messages of the corpus", fast)
	}
}

func checkFastAgrees(t *testing.T, raw []byte, fast *int) {
	t.Helper()
	if !utf8.Valid(raw) {
		return // decodePage refuses it before either path runs
	}
	env, payload, ok := decodeFast(raw, DefaultMaxDepth)
	slowEnv, slowPayload, slowErr := decodeSlow(raw, Limits{}.withDefaults())
	if !ok {
		return
	}
	*fast++
	if err := validatePayload(payload); err != nil {
		if slowErr == nil || slowErr.Error() != err.Error() {
			t.Fatalf("fast path refused %s with %v, the token path with %v", raw, err, slowErr)
		}
		return
	}
	if slowErr != nil {
		t.Fatalf("fast path accepted what the token scanner refuses (%v):\n%s", slowErr, raw)
	}
	if e, ok := payload.(*Event); ok {
		checkEventRaw(t, raw, e)
		bare := *e
		bare.raw = nil // the token path keeps no bytes
		payload = &bare
	}
	if env.Kind != slowEnv.Kind || env.V != slowEnv.V || !reflect.DeepEqual(payload, slowPayload) {
		t.Fatalf("fast and token paths disagree on %s:\n%+v %+v\n%+v %+v", raw, env, payload, slowEnv, slowPayload)
	}
}

// checkEventRaw: the DOM event bytes the fast path keeps (which logic gets instead of
// an encoding of Event.Event) are that same event, and the payload the gate writes
// around them decodes to the same event.
func checkEventRaw(t *testing.T, raw []byte, e *Event) {
	t.Helper()
	if e.raw == nil {
		if !reflect.DeepEqual(e.Event, DOMEvent{}) {
			t.Fatalf("fast path kept no DOM event bytes of %s", raw)
		}
		return
	}
	var dom DOMEvent
	if err := json.Unmarshal(e.raw, &dom); err != nil || !reflect.DeepEqual(dom, e.Event) {
		t.Fatalf("DOM event bytes %s decode to %+v (%v), the event is %+v", e.raw, dom, err, e.Event)
	}
	if got, err := e.DOMEventJSON(); err != nil || string(got) != string(e.raw) {
		t.Fatalf("DOMEventJSON = %s, %v; want the page's bytes", got, err)
	}
	body, ok := e.payloadJSON()
	if !ok {
		t.Fatalf("no payload written for %s", raw)
	}
	var back Event
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("payload %s: %v", body, err)
	}
	bare := *e
	bare.raw = nil
	if !reflect.DeepEqual(back, bare) {
		t.Fatalf("payload %s decodes to %+v, want %+v", body, back, bare)
	}
}

func FuzzFastScan(f *testing.F) {
	for _, msg := range fastCorpus() {
		f.Add([]byte(msg))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var n int
		checkFastAgrees(t, raw, &n)
	})
}

// BenchmarkDecodeEventTokenPath is BenchmarkDecodeEvent's decode by the token scanner
// alone (what every message paid before the fast path), for the same run's ratio.
func BenchmarkDecodeEventTokenPath(b *testing.B) {
	raw := []byte(`{"v":1,"kind":"event","payload":{"target":"page","handler":"onBack","event":{"type":"tap","timeStamp":1234.5,"detail":{"x":10,"y":4},"target":{"id":"add","dataset":{"k":1}},"currentTarget":{"id":"add","dataset":{"k":1}},"mark":{}}}}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	limits := Limits{}.withDefaults()
	for b.Loop() {
		if _, _, err := decodeSlow(raw, limits); err != nil {
			b.Fatal(err)
		}
	}
}
