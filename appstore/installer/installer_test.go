package installer

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/lint"
)

func TestInstallFile(t *testing.T) {
	dir := t.TempDir()
	signed := app{version: "1.0.0", key: key(1)}.pack(t, dir)
	notBundle := filepath.Join(dir, "not.sfa")
	os.WriteFile(notBundle, []byte("PK not a zip"), 0o600)
	tests := []struct {
		name      string
		path      string
		o         Options
		defs      *lint.Definitions
		before    []string // installed first (trusted paths)
		want      []string // installed after
		verified  bool
		wantErr   string // "": success
		wantInput bool
	}{
		{name: "trusted", path: signed, want: []string{"dev.test.app 1.0.0"}, verified: true},
		{name: "unsigned refused", path: app{version: "1.0.0"}.pack(t, dir), wantErr: "only a sideload may install it", wantInput: true},
		{name: "unsigned sideloaded", path: app{version: "1.0.0"}.pack(t, dir), o: Options{Sideload: true}, want: []string{"dev.test.app 1.0.0"}},
		{name: "untrusted key sideloaded", path: app{version: "1.0.0", key: key(9)}.pack(t, dir), o: Options{Sideload: true}, want: []string{"dev.test.app 1.0.0"}},
		{name: "not a bundle", path: notBundle, wantErr: notBundle + ": ", wantInput: true},
		{name: "missing", path: filepath.Join(dir, "none.sfa"), wantErr: "no such file", wantInput: true},
		{name: "blocking lint", path: app{version: "1.0.0", key: key(1), extra: map[string][]byte{"app.js": []byte("App({onLaunch() { eval('1') }})\n")}}.pack(t, dir),
			wantErr: "1 blocking lint findings (see shell lint", wantInput: true},
		{name: "signer revoked by definitions", path: signed, defs: &lint.Definitions{Version: 1, RevokedSigners: []string{string(bundle.IDOf(pub(key(1))))}},
			wantErr: "is revoked by the security definitions", wantInput: true},
		{name: "downgrade refused", path: signed, before: []string{app{version: "2.0.0", key: key(1)}.pack(t, dir)},
			want: []string{"dev.test.app 2.0.0"}, wantErr: "downgrade refused", wantInput: true},
		{name: "downgrade allowed", path: signed, before: []string{app{version: "2.0.0", key: key(1)}.pack(t, dir)}, o: Options{AllowDowngrade: true},
			want: []string{"dev.test.app 1.0.0"}, verified: true},
		{name: "newer shell needed", path: app{version: "1.0.0", key: key(1), minShell: "9.0.0"}.pack(t, dir), wantErr: "needs shell 9.0.0", wantInput: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			for _, p := range tt.before {
				if _, err := e.in.InstallFile(p, Options{}); err != nil {
					t.Fatal(err)
				}
			}
			e.defs = tt.defs
			var st steps
			tt.o.Progress = st.progress
			tt.o.Source = "test"
			inst, err := e.in.InstallFile(tt.path, tt.o)
			if got := e.installed(t); !slices.Equal(got, tt.want) {
				t.Errorf("installed = %v, want %v", got, tt.want)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || IsInput(err) != tt.wantInput {
					t.Fatalf("InstallFile = %v (input %v), want %q (input %v)", err, IsInput(err), tt.wantErr, tt.wantInput)
				}
				if tt.path != notBundle && !strings.Contains(err.Error(), tt.path) && !strings.Contains(err.Error(), filepath.Base(tt.path)) {
					t.Errorf("the error does not name the file: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if inst.Verified != tt.verified || inst.Source != "test" {
				t.Errorf("installed %+v, want verified %v from test", inst, tt.verified)
			}
			want := []string{"dev.test.app verify false", "dev.test.app verify true", "dev.test.app install false", "dev.test.app install true"}
			if got := st.stages(); !slices.Equal(got, want) {
				t.Errorf("progress %v, want %v", got, want)
			}
		})
	}
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	withCaps := `{"id": "dev.test.app", "name": "Notes\nPro", "version": "1.0.0", "pages": ["pages/index/index"],
		"capabilities": {"user:readProfile": {"reason": "Sign your notes"}, "clipboard:write": {"reason": "Copy a note"}}}`
	tests := []struct {
		name      string
		path      string
		before    string // installed first
		revoke    bool   // key(1) revoked in the trust store before inspecting
		want      Offer
		wantErr   string
		wantInput bool
	}{
		{name: "trusted with capabilities", path: app{version: "1.0.0", key: key(1), appJSON: withCaps}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Notes Pro", Version: "1.0.0", Publisher: "Acme", Verified: true, Capabilities: []Capability{
				{Name: "clipboard:write", Title: "Copy to the clipboard", Reason: "Copy a note"},
				{Name: "user:readProfile", Title: "Your profile", Reason: "Sign your notes"}}}},
		{name: "unsigned", path: app{version: "1.0.0"}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "unverified"}},
		{name: "untrusted", path: app{version: "1.0.0", key: key(9)}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "unverified"}},
		{name: "revoked", path: app{version: "1.0.0", key: key(1)}.pack(t, dir), revoke: true,
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "unverified", Problem: "Its publisher's key " + string(bundle.IDOf(pub(key(1)))) + " was revoked: stolen."}},
		{name: "older than installed", path: app{version: "1.0.0", key: key(1)}.pack(t, dir), before: app{version: "1.2.0", key: key(1)}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "Acme", Verified: true, Installed: "1.2.0",
				Problem: "Version 1.0.0 is older than the installed 1.2.0."}},
		{name: "update of installed", path: app{version: "1.3.0", key: key(1)}.pack(t, dir), before: app{version: "1.2.0", key: key(1)}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.3.0", Publisher: "Acme", Verified: true, Installed: "1.2.0"}},
		{name: "another publisher", path: app{version: "1.3.0", key: key(2)}.pack(t, dir), before: app{version: "1.2.0", key: key(1)}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.3.0", Publisher: "Catalog", Verified: true, Installed: "1.2.0",
				Problem: SignerChangeProblem}},
		{name: "newer shell", path: app{version: "1.0.0", key: key(1), minShell: "2.0.0"}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "Acme", Verified: true, Problem: "It needs shell 2.0.0 or newer; this is 1.0.0."}},
		{name: "blocking lint", path: app{version: "1.0.0", key: key(1), extra: map[string][]byte{"app.js": []byte("with (x) {}\nApp({})\n")}}.pack(t, dir),
			want: Offer{ID: testApp, Name: "Test App", Version: "1.0.0", Publisher: "Acme", Verified: true, Blocking: 1}},
		{name: "not a file", path: filepath.Join(dir, "none.sfa"), wantErr: "no such file", wantInput: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if tt.before != "" {
				if _, err := e.in.InstallFile(tt.before, Options{}); err != nil {
					t.Fatal(err)
				}
			}
			if tt.revoke {
				if err := e.trust.Revoke(bundle.IDOf(pub(key(1))), "stolen"); err != nil {
					t.Fatal(err)
				}
			}
			before := e.installed(t)
			got, err := e.in.Inspect(tt.path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || IsInput(err) != tt.wantInput {
					t.Fatalf("Inspect = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.Capabilities == nil {
				tt.want.Capabilities = []Capability{}
			}
			if tt.want.Blocking > 0 {
				if !strings.Contains(got.Problem, "1 blocking problems") {
					t.Errorf("problem = %q, want the blocking findings", got.Problem)
				}
				tt.want.Problem = got.Problem
			}
			if !equalOffer(got, tt.want) {
				t.Errorf("Inspect =\n%+v\nwant\n%+v", got, tt.want)
			}
			if after := e.installed(t); !slices.Equal(after, before) {
				t.Errorf("Inspect changed what is installed: %v → %v", before, after)
			}
		})
	}
}

func equalOffer(a, b Offer) bool {
	return slices.Equal(a.Capabilities, b.Capabilities) &&
		a.ID == b.ID && a.Name == b.Name && a.Version == b.Version && a.Publisher == b.Publisher &&
		a.Verified == b.Verified && a.Installed == b.Installed && a.Blocking == b.Blocking && a.Problem == b.Problem
}

func TestInputError(t *testing.T) {
	inner := errors.New("x.sfa: bad")
	err := error(badInput(inner))
	if !IsInput(err) || err.Error() != "x.sfa: bad" || !errors.Is(err, inner) {
		t.Fatalf("badInput = %v", err)
	}
	if IsInput(inner) {
		t.Fatal("a plain error is input")
	}
}
