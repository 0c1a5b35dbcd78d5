package launcher

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/installer"
	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/profile"
)

func TestAppsList(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	f.install(t, app{id: notes, version: "1.1.0", key: key(1)}, installer.Options{})
	f.install(t, app{id: clock, version: "2.0.0"}, installer.Options{Sideload: true})
	f.runner.set(clock, StateHidden)

	res := f.must(t, "apps.list", "{}").(AppsList)
	if len(res.Apps) != 2 {
		t.Fatalf("apps = %+v", res.Apps)
	}
	c, n := res.Apps[0], res.Apps[1]
	if _, err := time.Parse(time.RFC3339, n.Installed); err != nil {
		t.Errorf("installed %q: %v", n.Installed, err)
	}
	n.Installed, c.Installed = "", ""
	if !strings.HasPrefix(n.Icon, "data:image/png;base64,") {
		t.Errorf("notes icon = %.40q", n.Icon)
	}
	n.Icon = ""
	wantNotes := App{ID: notes, Identity: notes + "@" + string(bundle.IDOf(pub(key(1)))), Name: "Notes", Version: "1.1.0", Publisher: "Acme", Verified: true,
		Description: "Write things down. Keep them.", Previous: "1.0.0", State: StateStopped}
	wantClock := App{ID: clock, Identity: clock + "@unverified", Name: "Clock", Version: "2.0.0", Publisher: "unverified", State: StateHidden}
	if n != wantNotes || c != wantClock {
		t.Errorf("apps =\n%+v\n%+v\nwant\n%+v\n%+v", n, c, wantNotes, wantClock)
	}
	if res.Profile != (profile.Profile{NickName: "Sandframe user"}) || res.Catalog != "" {
		t.Errorf("profile %+v, catalog %q", res.Profile, res.Catalog)
	}
}

func TestLaunchAndClose(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: clock, version: "1.0.0", key: key(1)}, installer.Options{})
	tests := []struct {
		op, args  string
		wantErr   string
		wantCalls []string
		state     string
	}{
		{"app.launch", `{"id":"dev.test.clock"}`, "", []string{"launch " + clock}, StateRunning},
		{"app.launch", `{"id":"dev.test.none"}`, "launch dev.test.none: not installed", []string{"launch " + clock}, StateRunning},
		{"app.close", `{"id":"dev.test.clock"}`, "", []string{"launch " + clock, "stop " + clock}, StateStopped},
		{"app.close", `{"id":"dev.test.clock"}`, "", []string{"launch " + clock, "stop " + clock}, StateStopped}, // stopped already: nothing to do
	}
	for _, tt := range tests {
		changed := len(f.page.events(EventAppsChanged))
		_, err := f.do(t, tt.op, tt.args)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("%s %s = %v, want %q", tt.op, tt.args, err, tt.wantErr)
			}
		} else if err != nil {
			t.Fatalf("%s %s: %v", tt.op, tt.args, err)
		} else if len(f.page.events(EventAppsChanged)) != changed+1 {
			t.Errorf("%s: no apps.changed", tt.op)
		}
		if got := f.runner.called(); !slices.Equal(got, tt.wantCalls) {
			t.Errorf("after %s: runner calls %v, want %v", tt.op, got, tt.wantCalls)
		}
		if got := f.runner.State(clock); got != tt.state {
			t.Errorf("after %s: state %s, want %s", tt.op, got, tt.state)
		}
	}
	f.runner.fail = errors.New("no display")
	if _, err := f.do(t, "app.launch", `{"id":"dev.test.clock"}`); err == nil || err.Error() != "launch dev.test.clock: no display" {
		t.Fatalf("a failed launch = %v", err)
	}
}

func TestDetails(t *testing.T) {
	f := newFixture(t, nil)
	in := f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	// As the app runs: decisions under its identity, the signer's key id (host.App.PermsApp).
	running := perms.App{ID: notes, Signer: in.Signer, PublisherName: "Acme", Verified: true, Claims: map[string]perms.Claim{"clipboard:write": {Reason: "Copy a note"}, "user:readProfile": {Reason: "x"}}}
	if err := f.manager.Check(context.Background(), running, "setClipboardData"); err != nil { // prompted, allowed
		t.Fatal(err)
	}
	// A decision about a capability this version no longer declares, and one of another build.
	if err := f.grants.Set(notes, in.Signer, "location:read", perms.DecisionDenied); err != nil {
		t.Fatal(err)
	}
	if err := f.grants.Set(notes, "fedcba9876543210", "file:pick", perms.DecisionGranted); err != nil {
		t.Fatal(err)
	}
	st, _ := f.storage.App(identity.Signed(notes, in.Signer).Key())
	if err := st.Set("note:1", json.RawMessage(`"hello"`)); err != nil {
		t.Fatal(err)
	}
	for i, api := range []string{"setStorage", "getStorage", "setClipboardData"} {
		f.audit.Record(bridge.AuditEntry{Time: time.Now().Add(time.Duration(i) * time.Second), App: notes, Window: "w1", Kind: "api", API: api, Decision: bridge.DecisionOK})
	}
	f.audit.Record(bridge.AuditEntry{App: clock, Window: "w2", Kind: "api", API: "getStorage", Decision: bridge.DecisionOK})

	d := f.must(t, "app.details", `{"id":"dev.test.notes"}`).(Details)
	want := []CapabilityState{
		{Name: "clipboard:write", Title: "Copy to the clipboard", Description: "Replace what you last copied with text from this app.", Reason: "Copy a note", Decision: "granted"},
		{Name: "location:read", Title: "Your location", Description: "Know where you are, using the location set in Sandframe.", Decision: "denied"},
		{Name: "user:readProfile", Title: "Your profile", Description: "See the name and picture you set in your Sandframe profile.", Reason: "Sign your notes"},
	}
	if !slices.Equal(d.Capabilities, want) {
		t.Errorf("capabilities =\n%+v\nwant\n%+v", d.Capabilities, want)
	}
	if d.App.ID != notes || d.App.Version != "1.0.0" {
		t.Errorf("app = %+v", d.App)
	}
	if d.Storage.Keys != 1 || d.Storage.Bytes != int64(len("note:1")+len(`"hello"`)) || d.Storage.Limit != f.cfg.Storage.MaxAppBytes {
		t.Errorf("storage = %+v", d.Storage)
	}
	if !slices.Equal(d.Domains.Request, []string{"api.notes.example"}) || !slices.Equal(d.Domains.DownloadFile, []string{"api.notes.example"}) || d.Domains.Socket == nil || len(d.Domains.Socket) != 0 {
		t.Errorf("domains = %+v", d.Domains)
	}
	var apis []string
	for _, l := range d.Audit {
		apis = append(apis, l.API)
	}
	if !slices.Equal(apis, []string{"setClipboardData", "getStorage", "setStorage"}) {
		t.Errorf("audit = %v, want the app's lines, newest first", apis)
	}
	if _, err := f.do(t, "app.details", `{"id":"dev.test.none"}`); err == nil || err.Error() != "details of dev.test.none: not installed" {
		t.Errorf("details of an app not installed = %v", err)
	}
}

func TestDetailsKeepsTwentyAuditLines(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: clock, version: "1.0.0", key: key(1)}, installer.Options{})
	start := time.Now()
	for i := range 30 {
		f.audit.Record(bridge.AuditEntry{Time: start.Add(time.Duration(i) * time.Millisecond), App: clock, Kind: "api", API: "n" + string(rune('a'+i)), Decision: bridge.DecisionOK})
	}
	d := f.must(t, "app.details", `{"id":"dev.test.clock"}`).(Details)
	if len(d.Audit) != 20 || d.Audit[0].API != "n"+string(rune('a'+29)) || d.Audit[19].API != "n"+string(rune('a'+10)) {
		t.Fatalf("audit: %d lines, first %+v", len(d.Audit), d.Audit[0])
	}
}

func TestRevokeResetClear(t *testing.T) {
	f := newFixture(t, nil)
	in := f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	running := perms.App{ID: notes, Signer: in.Signer, Verified: true, Claims: map[string]perms.Claim{"clipboard:write": {Reason: "r"}, "user:readProfile": {Reason: "r"}}}
	ctx := context.Background()
	for _, api := range []string{"setClipboardData", "getUserProfile"} {
		if err := f.manager.Check(ctx, running, api); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := f.storage.App(identity.Signed(notes, in.Signer).Key())
	st.Set("k", json.RawMessage(`1`))

	steps := []struct {
		op, args string
		want     map[string]string // capability → decision after
		check    func(t *testing.T)
	}{
		{"perm.revoke", `{"id":"dev.test.notes","capability":"clipboard:write"}`, map[string]string{"clipboard:write": "denied", "user:readProfile": "granted"},
			func(t *testing.T) {
				err := f.manager.Check(ctx, running, "setClipboardData")
				var d *perms.Denial
				if !errors.As(err, &d) || d.Kind != perms.DeniedByStore {
					t.Fatalf("Check after revoke = %v, want a stored denial", err)
				}
			}},
		{"perm.revoke", `{"id":"dev.test.notes","capability":"user:readProfile"}`, map[string]string{"clipboard:write": "denied", "user:readProfile": "denied"}, nil},
		{"perm.reset", `{"id":"dev.test.notes","capability":"clipboard:write"}`, map[string]string{"clipboard:write": "", "user:readProfile": "denied"}, nil},
		{"perm.reset", `{"id":"dev.test.notes"}`, map[string]string{"clipboard:write": "", "user:readProfile": ""},
			func(t *testing.T) {
				if err := f.manager.Check(ctx, running, "getUserProfile"); err != nil { // asked again: the policy prompter allows
					t.Fatalf("Check after reset = %v", err)
				}
			}},
		{"storage.clear", `{"id":"dev.test.notes"}`, map[string]string{"clipboard:write": "", "user:readProfile": "granted"},
			func(t *testing.T) {
				if info, _ := st.Info(); len(info.Keys) != 0 {
					t.Fatalf("keys after clear: %v", info.Keys)
				}
			}},
	}
	for _, s := range steps {
		d := f.must(t, s.op, s.args).(Details)
		for cp, want := range s.want {
			if got, _ := decisionOf(d, cp); got != want {
				t.Errorf("after %s %s: %s is %q, want %q", s.op, s.args, cp, got, want)
			}
		}
		a := f.lastAudit(t)
		var args capArgs
		json.Unmarshal([]byte(s.args), &args)
		if a.App != notes || a.Window != "launcher" || a.Kind != "launcher" || a.API != s.op || a.Decision != bridge.DecisionOK || a.Capability != args.Capability {
			t.Errorf("after %s: audit %+v", s.op, a)
		}
		if s.check != nil {
			s.check(t)
		}
	}
	if d := f.must(t, "app.details", `{"id":"dev.test.notes"}`).(Details); d.Storage.Keys != 0 || d.Storage.Bytes != 0 {
		t.Errorf("storage after clear = %+v", d.Storage)
	}
}

func TestUninstall(t *testing.T) {
	f := newFixture(t, nil)
	in := f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	f.install(t, app{id: clock, version: "1.0.0", key: key(1)}, installer.Options{})
	f.grants.Set(notes, in.Signer, "clipboard:write", perms.DecisionGranted)
	st, _ := f.storage.App(identity.Signed(notes, in.Signer).Key())
	st.Set("k", json.RawMessage(`1`))
	f.runner.set(notes, StateHidden)
	f.must(t, "apps.list", "") // reads both apps' app.json

	f.must(t, "app.uninstall", `{"id":"dev.test.notes"}`)
	if got := f.runner.called(); !slices.Equal(got, []string{"stop " + notes}) {
		t.Errorf("runner calls %v: want it stopped first", got)
	}
	f.svc.mu.Lock()
	for dir := range f.svc.meta {
		if strings.Contains(dir, notes) {
			t.Errorf("the launcher still holds what it read of %s", dir)
		}
	}
	f.svc.mu.Unlock()
	apps := f.must(t, "apps.list", "").(AppsList).Apps
	if len(apps) != 1 || apps[0].ID != clock {
		t.Errorf("apps after uninstall: %+v", apps)
	}
	if grants, _ := f.grants.List(notes); len(grants) != 0 {
		t.Errorf("decisions left: %+v", grants)
	}
	if info, _ := st.Info(); len(info.Keys) != 0 {
		t.Errorf("storage left: %v", info.Keys)
	}
	if len(f.page.events(EventAppsChanged)) == 0 {
		t.Error("no apps.changed")
	}
	if a := f.lastAudit(t); a.App != notes || a.API != "app.uninstall" || a.Decision != bridge.DecisionOK {
		t.Errorf("audit %+v", a)
	}
	_, err := f.do(t, "app.uninstall", `{"id":"dev.test.notes"}`)
	if err == nil || err.Error() != "uninstall dev.test.notes: not installed" {
		t.Fatalf("second uninstall = %v", err)
	}
	if a := f.lastAudit(t); a.App != notes || a.Decision != bridge.DecisionError || a.Error != err.Error() {
		t.Errorf("audit of the failure %+v", a)
	}
}

func TestInstallPickInspectFile(t *testing.T) {
	f := newFixture(t, nil)
	unsigned := app{id: notes, version: "1.0.0"}.pack(t, f.dir)

	f.picker.answer("")
	if res := f.must(t, "install.pick", "{}").(Picked); !res.Cancelled || res.Path != "" {
		t.Fatalf("cancelled pick = %+v", res)
	}
	// A path nobody chose is refused, before the file is read.
	if _, err := f.do(t, "install.inspect", `{"path":`+jsonString(unsigned)+`}`); err == nil || !strings.Contains(err.Error(), "was neither chosen") {
		t.Fatalf("inspect of a path not chosen = %v", err)
	}
	if a := f.lastAudit(t); a.Decision != bridge.DecisionRefused || a.App != "launcher" || a.API != "install.inspect" {
		t.Errorf("audit %+v", a)
	}

	f.picker.answer(unsigned)
	if res := f.must(t, "install.pick", "{}").(Picked); res.Path != unsigned {
		t.Fatalf("pick = %+v", res)
	}
	if p := f.picker.patterns[len(f.picker.patterns)-1]; !slices.Equal(p, []string{"*.sfa"}) {
		t.Errorf("patterns %v", p)
	}
	offer := f.must(t, "install.inspect", `{"path":`+jsonString(unsigned)+`}`).(installer.Offer)
	if offer.ID != notes || offer.Verified || offer.Publisher != "unverified" || offer.Problem != "" || len(offer.Capabilities) != 2 {
		t.Fatalf("offer of an unsigned bundle = %+v", offer)
	}
	if apps := f.must(t, "apps.list", "").(AppsList).Apps; len(apps) != 0 {
		t.Fatalf("inspect installed something: %+v", apps)
	}

	// Not sideloaded: refused, audited as an error.
	_, err := f.do(t, "install.file", `{"path":`+jsonString(unsigned)+`}`)
	if err == nil || !strings.Contains(err.Error(), "only a sideload may install it") || !strings.HasPrefix(err.Error(), "install "+unsigned+": ") {
		t.Fatalf("install.file unsigned = %v", err)
	}
	if a := f.lastAudit(t); a.Decision != bridge.DecisionError || a.App != notes || a.API != "install.file" {
		t.Errorf("audit %+v", a)
	}
	res := f.must(t, "install.file", `{"path":`+jsonString(unsigned)+`,"sideload":true}`).(App)
	if res.ID != notes || res.Verified || res.Version != "1.0.0" {
		t.Fatalf("installed %+v", res)
	}
	if a := f.lastAudit(t); a.Decision != bridge.DecisionOK || a.App != notes || a.API != "install.file" {
		t.Errorf("audit %+v", a)
	}
}

func TestInstallFileFromOfferReportsProgress(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	f.runner.set(notes, StateRunning)
	path := app{id: notes, version: "1.2.0", key: key(1)}.pack(t, f.dir)
	f.svc.Offer(path)
	if offers := f.page.events(EventInstallOffer); len(offers) != 1 || offers[0]["path"] != path {
		t.Fatalf("install.offer events %v", offers)
	}
	offer := f.must(t, "install.inspect", `{"path":`+jsonString(path)+`}`).(installer.Offer)
	if !offer.Verified || offer.Publisher != "Acme" || offer.Installed != "1.0.0" || offer.Version != "1.2.0" {
		t.Fatalf("offer %+v", offer)
	}
	res := f.must(t, "install.file", `{"path":`+jsonString(path)+`}`).(App)
	if res.Version != "1.2.0" || res.Previous != "1.0.0" || res.State != StateStopped {
		t.Fatalf("installed %+v", res)
	}
	if got := f.runner.called(); !slices.Equal(got, []string{"stop " + notes}) {
		t.Errorf("runner calls %v: the old version must stop", got)
	}
	var stages []string
	for _, p := range f.page.events(EventInstallProgress) {
		if p["id"] != notes {
			t.Errorf("progress of %v", p["id"])
		}
		stages = append(stages, p["stage"].(string))
	}
	if !slices.Equal(stages, []string{"verify", "verify", "install", "install"}) {
		t.Errorf("progress stages %v", stages)
	}
}

func TestBadRequestsAreRefusedAndAudited(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	tests := []struct {
		name, raw string
		id        uint64 // 0: no answer expected
		want      string
	}{
		{"unknown op", envelope(11, "app.format", `{}`), 11, `unknown operation "app.format"`},
		{"unknown argument", envelope(12, "app.details", `{"id":"dev.test.notes","all":true}`), 12, "app.details: all: unknown argument"},
		{"wrong type", envelope(13, "app.details", `{"id":7}`), 13, "app.details: id: must be a string"},
		{"missing id", envelope(14, "app.launch", `{}`), 14, "app.launch: id: missing"},
		{"bad id", envelope(15, "app.uninstall", `{"id":"../../etc"}`), 15, "app.uninstall: id: "},
		{"unknown capability", envelope(16, "perm.revoke", `{"id":"dev.test.notes","capability":"fs:read"}`), 16, `perm.revoke: capability: unknown capability "fs:read"`},
		{"wrong sideload type", envelope(17, "install.file", `{"path":"/x.sfa","sideload":"yes"}`), 17, "install.file: sideload: must be true or false"},
		{"args not allowed", envelope(18, "apps.list", `{"all":1}`), 18, "apps.list: all: unknown argument"},
		{"bad profile", envelope(19, "profile.set", `{"nickName":"","avatarUrl":""}`), 19, "profile.set: profile: nickName: empty"},
		{"unknown field in envelope", `{"v":1,"kind":"launcher","payload":{"id":20,"op":"apps.list","x":1}}`, 20, "payload: unknown field"},
		{"another kind", `{"v":1,"kind":"event","payload":{}}`, 0, "the launcher may send only"},
		{"not json", `{"v":1,`, 0, ""},
		{"zero id", envelope(0, "apps.list", `{}`), 0, "payload.id: missing or zero"},
		{"probe without automation", `{"v":1,"kind":"probeResult","payload":{"id":3,"ok":true}}`, 0, "automation is not enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.auditLines(t))
			f.svc.Post(tt.raw)
			if tt.id > 0 {
				r := f.page.result(t, tt.id)
				if r.OK || !strings.Contains(r.Error, tt.want) {
					t.Fatalf("answer %+v, want a refusal saying %q", r, tt.want)
				}
			}
			var lines []bridge.AuditEntry
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if lines = f.auditLines(t); len(lines) > before {
					break
				}
			}
			if len(lines) != before+1 {
				t.Fatalf("%d new audit lines, want 1", len(lines)-before)
			}
			a := lines[len(lines)-1]
			if a.Decision != bridge.DecisionRefused || a.App != "launcher" || a.Window != "launcher" || !strings.Contains(a.Reason, tt.want) {
				t.Fatalf("audit %+v, want a refusal saying %q", a, tt.want)
			}
		})
	}
	// Nothing was changed by any of them.
	if apps := f.must(t, "apps.list", "").(AppsList).Apps; len(apps) != 1 {
		t.Fatalf("apps %+v", apps)
	}
	if _, err := os.Stat(f.cfg.ProfilePath()); !os.IsNotExist(err) {
		t.Fatalf("a refused profile was saved: %v", err)
	}
}

func TestRunAnswersRequests(t *testing.T) {
	f := newFixture(t, nil)
	f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	for i := uint64(1); i <= 20; i++ {
		f.svc.Post(envelope(i, "apps.list", ""))
	}
	f.svc.Post(envelope(21, "app.launch", `{"id":"dev.test.notes"}`))
	for i := uint64(1); i <= 20; i++ {
		r := f.page.result(t, i)
		var list AppsList
		if !r.OK || json.Unmarshal(r.Result, &list) != nil || len(list.Apps) != 1 || list.Apps[0].ID != notes {
			t.Fatalf("answer %d: %+v", i, r)
		}
	}
	if r := f.page.result(t, 21); !r.OK || string(r.Result) != "{}" {
		t.Fatalf("launch answer %+v", r)
	}
	// The largest request: a profile with a picture near the 256 KiB bound.
	avatar := "data:image/png;base64," + base64.StdEncoding.EncodeToString(noisePNG(t, 230))
	f.svc.Post(envelope(22, "profile.set", `{"nickName":"Ada","avatarUrl":`+jsonString(avatar)+`}`))
	if r := f.page.result(t, 22); !r.OK {
		t.Fatalf("profile.set with a large avatar: %+v", r)
	}
	if p, err := profile.Load(f.cfg.ProfilePath(), profile.Profile{}); err != nil || p.AvatarURL != avatar {
		t.Fatalf("saved profile: %.60v, %v", p, err)
	}
}

// noisePNG is a side×side picture that does not compress: about 4·side² bytes.
func noisePNG(t testing.TB, side int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Uint32())
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > profile.MaxAvatarBytes || buf.Len() < profile.MaxAvatarBytes*3/4 {
		t.Fatalf("noise picture of %d bytes", buf.Len())
	}
	return buf.Bytes()
}

func TestProbeResults(t *testing.T) {
	f := newFixture(t, nil)
	got := make(chan bridge.ProbeResult, 1)
	f.svc.cfg.OnProbeResult = func(pr bridge.ProbeResult) { got <- pr }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	f.svc.Post(`{"v":1,"kind":"probeResult","payload":{"id":9,"ok":true,"result":{"text":"Notes"}}}`)
	select {
	case pr := <-got:
		if pr.ID != 9 || !pr.OK || string(pr.Result) != `{"text":"Notes"}` {
			t.Fatalf("probe result %+v", pr)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the probe result did not arrive")
	}
}

func TestEventsWaitForTheWindow(t *testing.T) {
	f := newFixture(t, nil)
	svc := New(Config{Config: f.cfg, Installer: f.in, Grants: f.grants, Storage: f.storage, Audit: f.audit, Logger: quiet})
	svc.Offer("/tmp/a.sfa")
	svc.Emit(EventAppsChanged, nil)
	page := newPage()
	svc.Attach(page)
	if offers := page.events(EventInstallOffer); len(offers) != 1 || offers[0]["path"] != "/tmp/a.sfa" {
		t.Fatalf("offers after attach: %v", offers)
	}
	if changed := page.events(EventAppsChanged); len(changed) != 1 || len(changed[0]) != 0 {
		t.Fatalf("apps.changed after attach: %v", changed)
	}
}

func TestProfile(t *testing.T) {
	f := newFixture(t, nil)
	if p := f.must(t, "profile.get", "").(profile.Profile); p != (profile.Profile{NickName: "Sandframe user"}) {
		t.Fatalf("profile before one is set = %+v", p)
	}
	tests := []struct {
		name, args string
		want       profile.Profile
		wantErr    string
	}{
		{"set", `{"nickName":"  Ada  ","avatarUrl":""}`, profile.Profile{NickName: "Ada"}, ""},
		{"too long", `{"nickName":"` + strings.Repeat("x", 65) + `","avatarUrl":""}`, profile.Profile{}, "nickName: 65 characters"},
		{"remote avatar", `{"nickName":"Ada","avatarUrl":"https://x.example/a.png"}`, profile.Profile{}, "avatarUrl: not a data:image"},
		{"unknown field", `{"nickName":"Ada","avatarUrl":"","admin":true}`, profile.Profile{}, "admin: unknown argument"},
		{"name only", `{"nickName":"Grace"}`, profile.Profile{NickName: "Grace"}, ""},
	}
	saved := profile.Profile{NickName: "Sandframe user"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.do(t, "profile.set", tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("profile.set = %v, want %q", err, tt.wantErr)
				}
				if a := f.lastAudit(t); a.Decision != bridge.DecisionRefused || a.API != "profile.set" {
					t.Errorf("audit %+v", a)
				}
			} else {
				if err != nil || res.(profile.Profile) != tt.want {
					t.Fatalf("profile.set = %+v, %v", res, err)
				}
				saved = tt.want
				if a := f.lastAudit(t); a.Decision != bridge.DecisionOK || a.API != "profile.set" || a.App != "launcher" {
					t.Errorf("audit %+v", a)
				}
			}
			if p, err := profile.Load(f.cfg.ProfilePath(), profile.Profile{}); err != nil || p != saved {
				t.Fatalf("saved profile = %+v, %v; want %+v", p, err, saved)
			}
		})
	}

	pic := filepath.Join(t.TempDir(), "me.png")
	os.WriteFile(pic, iconPNG(t), 0o600)
	f.picker.answer(pic)
	p := f.must(t, "profile.pickAvatar", "").(profile.Profile)
	if p.NickName != "Grace" || !strings.HasPrefix(p.AvatarURL, "data:image/png;base64,") {
		t.Fatalf("after pickAvatar: %+v", p)
	}
	if got := f.must(t, "profile.get", "").(profile.Profile); got != p {
		t.Fatalf("profile.get = %+v, want %+v", got, p)
	}
	lines := len(f.auditLines(t))
	f.picker.answer("")
	if got := f.must(t, "profile.pickAvatar", "").(profile.Profile); got != p {
		t.Fatalf("a cancelled pick changed the profile: %+v", got)
	}
	if len(f.auditLines(t)) != lines {
		t.Error("a cancelled pick was audited as a change")
	}
	notPic := filepath.Join(t.TempDir(), "me.png")
	os.WriteFile(notPic, []byte("not a picture"), 0o600)
	f.picker.answer(notPic)
	if _, err := f.do(t, "profile.pickAvatar", ""); err == nil || !strings.Contains(err.Error(), "is not a PNG, JPEG or WebP picture") {
		t.Fatalf("pickAvatar of a text file = %v", err)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// The launcher has no override for a signer change: an unsigned sideload over an app
// installed signed is refused, with a message saying what to do, and nothing changes.
func TestInstallRefusesSignerChange(t *testing.T) {
	f := newFixture(t, nil)
	in := f.install(t, app{id: notes, version: "1.0.0", key: key(1)}, installer.Options{})
	st, _ := f.storage.App(identity.Signed(notes, in.Signer).Key())
	st.Set("k", json.RawMessage(`1`))
	for _, path := range []string{
		app{id: notes, version: "1.1.0"}.pack(t, f.dir),
		app{id: notes, version: "1.2.0", key: key(2)}.pack(t, f.dir),
	} {
		f.picker.answer(path)
		f.must(t, "install.pick", "{}")
		offer := f.must(t, "install.inspect", `{"path":`+jsonString(path)+`}`).(installer.Offer)
		if offer.Problem != installer.SignerChangeProblem {
			t.Errorf("offer of %s: problem %q", path, offer.Problem)
		}
		_, err := f.do(t, "install.file", `{"path":`+jsonString(path)+`,"sideload":true}`)
		if err == nil || !strings.Contains(err.Error(), "the launcher does not") {
			t.Fatalf("install.file of %s = %v", path, err)
		}
	}
	apps := f.must(t, "apps.list", "").(AppsList).Apps
	if len(apps) != 1 || apps[0].Version != "1.0.0" || !apps[0].Verified {
		t.Fatalf("apps after the refusals: %+v", apps)
	}
	if info, _ := st.Info(); len(info.Keys) != 1 {
		t.Errorf("the app's data after the refusals: %v", info.Keys)
	}
}
