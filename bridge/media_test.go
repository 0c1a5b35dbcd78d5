package bridge

import (
	"encoding/json"
	"strings"
	"testing"
)

// Media ops in a render push: an InnerAudioContext ("app", a1…) or an element of a page
// or component template, with a known command and object arguments.
func TestCheckRenderMediaOps(t *testing.T) {
	tests := []struct {
		name, op, err string
	}{
		{"video play", `{"op":"media","target":"p1","id":"v","cmd":"play"}`, ""},
		{"component seek", `{"op":"media","target":"c3","id":"my video","cmd":"seek","args":{"position":3}}`, ""},
		{"audio src", `{"op":"media","target":"app","id":"a12","cmd":"src","args":{"src":"/a.mp3","loop":true}}`, ""},
		{"unknown command", `{"op":"media","target":"p1","id":"v","cmd":"eval"}`, `payload.ops[0].cmd: "eval" is not a media command`},
		{"audio command on an element", `{"op":"media","target":"p1","id":"v","cmd":"destroy"}`, `payload.ops[0].cmd: "destroy" is not a media command`},
		{"bad audio id", `{"op":"media","target":"app","id":"v","cmd":"play"}`, `payload.ops[0].id: "v" is not an audio context id`},
		{"bad target", `{"op":"media","target":"host","id":"v","cmd":"play"}`, `payload.ops[0].target: "host" is not "app", a page or a component id`},
		{"no id", `{"op":"media","target":"p1","cmd":"play"}`, `payload.ops[0].id: the element id must be 1 to 256 bytes`},
		{"args not an object", `{"op":"media","target":"p1","id":"v","cmd":"seek","args":[1]}`, `payload.ops[0].args: must be an object`},
		{"args too long", `{"op":"media","target":"app","id":"a1","cmd":"src","args":{"src":"` + strings.Repeat("x", 9000) + `"}}`, `payload.ops[0].args: longer than 8192 bytes`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var r Render
			if err := json.Unmarshal([]byte(`{"seq":1,"ops":[`+tc.op+`]}`), &r); err != nil {
				t.Fatal(err)
			}
			err := CheckRender(&r)
			if tc.err == "" && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if tc.err != "" && (err == nil || err.Error() != tc.err) {
				t.Fatalf("err = %v, want %q", err, tc.err)
			}
		})
	}
}

// The page's media host events: an InnerAudioContext's report and a request for a
// media source, each checked field by field; anything else is refused.
func TestGateMediaHostEvents(t *testing.T) {
	g := newTestGate(t, nil)
	host := func(handler, detail string) string {
		return `{"v":1,"kind":"event","payload":{"target":"host","handler":"` + handler + `","event":{"type":"tap","timeStamp":1,"detail":` + detail +
			`,"target":{"id":"","dataset":{}},"currentTarget":{"id":"","dataset":{}}}}}`
	}
	ok := []string{
		host("media", `{"id":"a1","type":"timeupdate","currentTime":1.5,"duration":3,"paused":false,"buffered":100}`),
		host("media", `{"id":"a2","type":"error","currentTime":0,"duration":0,"paused":true,"buffered":0,"errMsg":"x","errCode":10003}`),
		host("mediaSource", `{"id":"m1","kind":"bundle","ref":"media/a.mp3"}`),
		host("mediaSource", `{"id":"m22","kind":"media","ref":"https://cdn.example/a.mp4"}`),
	}
	for _, m := range ok {
		if _, err := g.FromPage([]byte(m)); err != nil {
			t.Errorf("refused %s: %v", m, err)
		}
	}
	bad := map[string]string{
		host("media", `{"id":"v1","type":"play","currentTime":0,"duration":0,"paused":true,"buffered":0}`):  "payload.event.detail.id",
		host("media", `{"id":"a1","type":"click","currentTime":0,"duration":0,"paused":true,"buffered":0}`): "payload.event.detail.type",
		host("media", `"a1"`): "payload.event.detail",
		host("mediaSource", `{"id":"m1","kind":"file","ref":"/etc/passwd"}`):                              "payload.event.detail.kind",
		host("mediaSource", `{"id":"x","kind":"bundle","ref":"a.mp3"}`):                                   "payload.event.detail.id",
		host("mediaSource", `{"id":"m1","kind":"bundle","ref":""}`):                                       "payload.event.detail.ref",
		host("mediaSource", `{"id":"m1","kind":"media","ref":"https://x/`+strings.Repeat("a", 3000)+`"}`): "payload.event.detail.ref",
	}
	for m, field := range bad {
		_, err := g.FromPage([]byte(m))
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%.120s: err = %v, want a refusal of %s", m, err, field)
		}
	}
}
