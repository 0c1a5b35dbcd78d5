package bridge

import (
	"strings"
	"testing"
)

func TestDecodeLauncher(t *testing.T) {
	tests := []struct {
		name, raw, field, reason string
	}{
		{"ok", `{"v":1,"kind":"launcher","payload":{"id":3,"op":"apps.list","args":{}}}`, "", ""},
		{"ok no args", `{"v":1,"kind":"launcher","payload":{"id":3,"op":"perm.revoke"}}`, "", ""},
		{"wrong kind", `{"v":1,"kind":"event","payload":{"id":3,"op":"apps.list"}}`, "kind", "may send only"},
		{"zero id", `{"v":1,"kind":"launcher","payload":{"id":0,"op":"apps.list"}}`, "payload.id", "missing"},
		{"bad op", `{"v":1,"kind":"launcher","payload":{"id":1,"op":"rm -rf"}}`, "payload.op", "not an operation"},
		{"unknown field", `{"v":1,"kind":"launcher","payload":{"id":1,"op":"apps.list","x":1}}`, "payload", "unknown field"},
		{"args not object", `{"v":1,"kind":"launcher","payload":{"id":1,"op":"apps.list","args":[1]}}`, "payload.args", "object"},
		{"old version", `{"v":2,"kind":"launcher","payload":{"id":1,"op":"apps.list"}}`, "v", "not supported"},
		{"trailing", `{"v":1,"kind":"launcher","payload":{"id":1,"op":"apps.list"}} x`, "", "trailing"},
		{"deep args", `{"v":1,"kind":"launcher","payload":{"id":1,"op":"apps.list","args":{"a":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}}}`, "payload.args", "nesting deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := DecodeLauncher([]byte(tt.raw), Limits{})
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if req.ID != 3 {
					t.Fatalf("id = %d", req.ID)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %s", tt.raw)
			}
			de, ok := err.(*DecodeError)
			if !ok || de.Field != tt.field || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v (field %q), want field %q containing %q", err, de.Field, tt.field, tt.reason)
			}
		})
	}
}

func TestPageMayNotSendLauncherKinds(t *testing.T) {
	for _, kind := range []string{"launcher", "launcherResult", "launcherEvent"} {
		_, err := DecodePage([]byte(`{"v":1,"kind":"`+kind+`","payload":{"id":1,"op":"app.uninstall","args":{"id":"x"}}}`), Limits{})
		if err == nil || !strings.Contains(err.Error(), "only from the launcher window") {
			t.Fatalf("%s: err = %v", kind, err)
		}
	}
}

// FuzzDecodeLauncher: whatever the launcher page sends, the decoder answers with a
// request that passes its own checks or a *DecodeError, never a panic.
func FuzzDecodeLauncher(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"kind":"launcher","payload":{"id":3,"op":"apps.list","args":{}}}`,
		`{"v":1,"kind":"launcher","payload":{"id":9,"op":"profile.set","args":{"nickName":"\ud83d\ude00","avatarUrl":""}}}`,
		`{"v":1,"kind":"launcher","payload":{"id":1,"op":"perm.revoke","args":{"id":"a.b","capability":"clipboard:write"}},"sender":{}}`,
		`{"v":1,"kind":"launcher","payload":{"id":1e3,"op":"x.y"}}`,
		`{"v":1,"kind":"launcher","payload":{"id":1,"op":"a.b","args":{"a":[[[[[]]]]]}}}`,
		`[]`, `{"v":1,"v":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := DecodeLauncher(raw, Limits{})
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			return
		}
		if req.ID == 0 || !launcherOp.MatchString(req.Op) {
			t.Fatalf("accepted a bad request %+v from %q", req, raw)
		}
		if len(req.Args) > 0 && req.Args[0] != '{' && string(req.Args) != "null" {
			t.Fatalf("accepted args that are not an object: %s", req.Args)
		}
	})
}
