package registry

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/internal/identity"
)

const testApp = "dev.test.app"

func TestInstallGetListVerify(t *testing.T) {
	e := newEnv(t)
	r := e.open(t)
	before := time.Now().UTC()
	in := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{Source: "file:a.sfa"})
	if in.ID != testApp || in.Version != "1.0.0" || in.Signer != string(bundle.IDOf(pub(1))) ||
		!in.Verified || in.Previous != nil || in.Source != "file:a.sfa" || in.Installed.Before(before) {
		t.Fatalf("installed %+v", in)
	}
	if got, want := tree(t, in.Path), []string{"app.js", "app.json", "pages", "pages/index", "pages/index/index.js", "pages/index/index.wxml"}; !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(filepath.Join(in.Path, "app.js")); !strings.Contains(string(b), "1.0.0") {
		t.Fatalf("app.js = %q", b)
	}
	got, err := r.Get(testApp)
	if err != nil || !sameInstalled(got, in) {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, in)
	}
	list, err := r.List()
	if err != nil || len(list) != 1 || !sameInstalled(&list[0], in) {
		t.Fatalf("List = %+v, %v", list, err)
	}
	vin, m, err := r.Verify(testApp)
	if err != nil || !vin.Verified || m.AppID != testApp || m.Version != "1.0.0" || len(m.Files) != 4 {
		t.Fatalf("Verify = %+v, %+v, %v", vin, m, err)
	}
	for _, id := range []string{"dev.test.other", "../etc"} {
		if _, err := r.Get(id); !errors.Is(err, ErrNotInstalled) {
			t.Fatalf("Get(%q) = %v", id, err)
		}
	}
	// A second registry (another process) sees the same.
	r2 := e.open(t)
	if got, err := r2.Get(testApp); err != nil || !sameInstalled(got, in) {
		t.Fatalf("reopened Get = %+v, %v", got, err)
	}
	stagingEmpty(t, r)
}

func TestUpgradesKeepOnePrevious(t *testing.T) {
	r := newEnv(t).open(t)
	v1 := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	v2 := install(t, r, pack(t, app{id: testApp, version: "1.1.0", key: key(1)}), InstallOptions{})
	if v2.Previous == nil || v2.Previous.Version != "1.0.0" || v2.Previous.Path != v1.Path || !v2.Previous.Verified {
		t.Fatalf("after 1.1.0: %+v previous %+v", v2, v2.Previous)
	}
	wantDirs(t, r, v2)
	v3 := install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
	if v3.Version != "2.0.0" || v3.Previous == nil || v3.Previous.Path != v2.Path {
		t.Fatalf("after 2.0.0: %+v previous %+v", v3, v3.Previous)
	}
	wantDirs(t, r, v3) // 1.0.0 is gone
	if _, err := os.Stat(v1.Path); !os.IsNotExist(err) {
		t.Fatalf("1.0.0 still on disk: %v", err)
	}
	var n int
	r.db.QueryRow("SELECT COUNT(*) FROM versions").Scan(&n)
	if n != 2 {
		t.Fatalf("%d version rows, want 2", n)
	}
}

func TestRepairKeepsPrevious(t *testing.T) {
	r := newEnv(t).open(t)
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	v2 := install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
	again := install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{Source: "repair"})
	if again.Path == v2.Path || again.Previous == nil || *again.Previous != *v2.Previous || again.Source != "repair" {
		t.Fatalf("repair: %+v previous %+v; before %+v", again, again.Previous, v2)
	}
	wantDirs(t, r, again)
}

func TestDowngrade(t *testing.T) {
	for _, tc := range []struct {
		installed, next string
		allow           bool
		wantErr         error
	}{
		{"2.0.0", "1.9.9", false, ErrDowngrade},
		{"2.0.0", "2.0.0-rc.1", false, ErrDowngrade},
		{"1.10.0", "1.9.0", false, ErrDowngrade}, // numeric, not string order
		{"2.0.0", "1.0.0", true, nil},
		{"1.0.0-rc.1", "1.0.0", false, nil},
		{"1.9.0", "1.10.0", false, nil},
	} {
		t.Run(tc.installed+"→"+tc.next, func(t *testing.T) {
			r := newEnv(t).open(t)
			old := install(t, r, pack(t, app{id: testApp, version: tc.installed, key: key(1)}), InstallOptions{})
			files := tree(t, r.dir)
			in, err := tryInstall(r, pack(t, app{id: testApp, version: tc.next, key: key(1)}), InstallOptions{AllowDowngrade: tc.allow})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				if got, _ := r.Get(testApp); !sameInstalled(got, old) || !slices.Equal(tree(t, r.dir), files) {
					t.Fatalf("refused install changed something: %+v", got)
				}
				if !strings.Contains(err.Error(), tc.installed) || !strings.Contains(err.Error(), tc.next) {
					t.Fatalf("error does not name the versions: %v", err)
				}
				return
			}
			if in.Version != tc.next || in.Previous == nil || in.Previous.Version != tc.installed {
				t.Fatalf("installed %+v previous %+v", in, in.Previous)
			}
		})
	}
}

func TestTrustAtInstall(t *testing.T) {
	for _, tc := range []struct {
		name         string
		key          []byte // seed; 0: unsigned
		sideload     bool
		wantErr      error
		wantVerified bool
	}{
		{"trusted", []byte{1}, false, nil, true},
		{"trusted, sideload", []byte{1}, true, nil, true},
		{"unsigned", nil, false, bundle.ErrUnsigned, false},
		{"unsigned, sideload", nil, true, nil, false},
		{"untrusted", []byte{9}, false, trust.ErrUntrusted, false},
		{"untrusted, sideload", []byte{9}, true, nil, false},
		{"revoked", []byte{3}, false, trust.ErrRevoked, false},
		{"revoked, sideload", []byte{3}, true, trust.ErrRevoked, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if err := e.trust.Add("gone bad", pub(3)); err != nil {
				t.Fatal(err)
			}
			if err := e.trust.Revoke(bundle.IDOf(pub(3)), "key leaked"); err != nil {
				t.Fatal(err)
			}
			r := e.open(t)
			a := app{id: testApp, version: "1.0.0"}
			if tc.key != nil {
				a.key = key(tc.key[0])
			}
			in, err := tryInstall(r, pack(t, a), InstallOptions{Sideload: tc.sideload})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if err != nil {
				if got := tree(t, r.dir); !slices.Equal(got, []string{lockName, stagingDir}) && !slices.Equal(got, []string{stagingDir}) {
					t.Fatalf("refused install left %v", got)
				}
				return
			}
			if in.Verified != tc.wantVerified {
				t.Fatalf("verified %v, want %v", in.Verified, tc.wantVerified)
			}
			if v, _, err := r.Verify(testApp); err != nil || v.Verified != tc.wantVerified {
				t.Fatalf("Verify = %+v, %v", v, err)
			}
		})
	}
}

func TestRefusedBundleWritesNothing(t *testing.T) {
	r := newEnv(t).open(t)
	b := pack(t, app{id: testApp, version: "1.0.0", key: key(1)})
	bad := slices.Clone(b)
	bad[len(bad)/2] ^= 0xff
	if _, err := tryInstall(r, bad, InstallOptions{Sideload: true}); err == nil {
		t.Fatal("a damaged bundle was installed")
	}
	if got := tree(t, r.dir); slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, testApp) }) {
		t.Fatalf("damaged bundle left %v", got)
	}
	stagingEmpty(t, r)
}

func TestMinShell(t *testing.T) {
	e := newEnv(t)
	e.cfg.ShellVersion = "1.2.0"
	r := e.open(t)
	_, err := tryInstall(r, pack(t, app{id: testApp, version: "1.0.0", key: key(1), minShell: "1.3.0"}), InstallOptions{})
	if !errors.Is(err, ErrShellTooOld) || !strings.Contains(err.Error(), "1.3.0") {
		t.Fatalf("err %v", err)
	}
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1), minShell: "1.2.0"}), InstallOptions{})
	e.cfg.ShellVersion = "v1"
	if _, err := Open(e.cfg); err == nil || !strings.Contains(err.Error(), "ShellVersion") {
		t.Fatalf("bad ShellVersion: %v", err)
	}
}

func TestSignerChange(t *testing.T) {
	var wiped [][]identity.App
	e := newEnv(t)
	e.cfg.OnUninstall = func(apps []identity.App) error { wiped = append(wiped, apps); return nil }
	r := e.open(t)
	a, b := string(bundle.IDOf(pub(1))), string(bundle.IDOf(pub(2)))
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	byOther := pack(t, app{id: testApp, version: "1.1.0", key: key(2)}) // also trusted
	if _, err := tryInstall(r, byOther, InstallOptions{}); !errors.Is(err, ErrSignerChanged) {
		t.Fatalf("update by another publisher: %v", err)
	}
	// The gap the review found: A, then an unsigned sideload, then B. The sideload is
	// refused already; and B stays refused after it, however it comes.
	unsigned := pack(t, app{id: testApp, version: "1.2.0"})
	if _, err := tryInstall(r, unsigned, InstallOptions{Sideload: true}); !errors.Is(err, ErrSignerChanged) ||
		!strings.Contains(err.Error(), "--allow-signer-change") {
		t.Fatalf("unsigned sideload over A: %v", err)
	}
	if len(wiped) != 0 {
		t.Fatalf("a refused install wiped %v", wiped)
	}
	var changes []string
	o := InstallOptions{AllowSignerChange: true, OnSignerChange: func(old []identity.App, next identity.App) {
		changes = append(changes, fmt.Sprint(old, " -> ", next))
	}}
	in := install(t, r, byOther, o)
	if in.Signer != b || in.Previous != nil {
		t.Fatalf("after an allowed change: signer %s, previous %+v (no rollback to another publisher)", in.Signer, in.Previous)
	}
	if len(wiped) != 1 || !slices.Equal(wiped[0], []identity.App{identity.Signed(testApp, a)}) || len(changes) != 1 {
		t.Fatalf("the change wiped %v, reported %v", wiped, changes)
	}
	// Now pinned to B: A is refused, an unsigned sideload is refused, and still after an
	// allowed unsigned install, which leaves the pin where it was.
	if _, err := tryInstall(r, pack(t, app{id: testApp, version: "1.3.0", key: key(1)}), InstallOptions{}); !errors.Is(err, ErrSignerChanged) {
		t.Fatalf("A over B: %v", err)
	}
	install(t, r, unsigned, InstallOptions{Sideload: true, AllowSignerChange: true})
	if _, err := tryInstall(r, pack(t, app{id: testApp, version: "1.4.0", key: key(1)}), InstallOptions{}); !errors.Is(err, ErrSignerChanged) {
		t.Fatalf("A after B -> unsigned: %v", err)
	}
	if _, err := r.Rollback(testApp); !errors.Is(err, ErrNoPrevious) {
		t.Fatalf("rollback across a signer change: %v", err)
	}
	install(t, r, pack(t, app{id: testApp, version: "1.5.0", key: key(2)}), InstallOptions{})
	if _, err := r.Rollback(testApp); !errors.Is(err, ErrSignerChanged) {
		t.Fatalf("rollback from B to the unsigned version: %v", err)
	}
	// Uninstall wipes every identity the app had, and the pin goes with the data.
	wiped = nil
	if err := r.Uninstall(testApp); err != nil {
		t.Fatal(err)
	}
	want := []identity.App{identity.Unverified(testApp), identity.Signed(testApp, b)}
	if len(wiped) != 1 || !slices.Equal(wiped[0], want) {
		t.Fatalf("uninstall wiped %v, want %v", wiped, want)
	}
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
}

// TestPinMigration: a registry made by a shell before pins pins every app to its
// signed version's key, the previous one's when the current one is an unsigned sideload
// (the gap: A -> unsigned, then B).
func TestPinMigration(t *testing.T) {
	e := newEnv(t)
	r := e.open(t)
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	// What an older shell allowed: an unsigned sideload over A.
	if _, err := r.db.Exec("DELETE FROM pins"); err != nil {
		t.Fatal(err)
	}
	install(t, r, pack(t, app{id: testApp, version: "1.1.0"}), InstallOptions{Sideload: true})
	for _, q := range []string{"DROP TABLE pins", "ALTER TABLE wipes DROP COLUMN identities", "PRAGMA user_version = 1"} {
		if _, err := r.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	r.Close()
	r = e.open(t)
	if _, err := tryInstall(r, pack(t, app{id: testApp, version: "1.2.0", key: key(2)}), InstallOptions{}); !errors.Is(err, ErrSignerChanged) {
		t.Fatalf("B after A -> unsigned, migrated: %v", err)
	}
	install(t, r, pack(t, app{id: testApp, version: "1.2.0", key: key(1)}), InstallOptions{})
}

func TestUninstall(t *testing.T) {
	e := newEnv(t)
	var wiped []string
	fail := true
	e.cfg.OnUninstall = func(apps []identity.App) error {
		for _, a := range apps {
			wiped = append(wiped, a.ID)
		}
		if fail {
			return errors.New("storage busy")
		}
		return nil
	}
	r := e.open(t)
	install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
	install(t, r, pack(t, app{id: "dev.test.keep", version: "1.0.0", key: key(1)}), InstallOptions{})

	// The hook fails: the app is gone, the wipe stays pending.
	if err := r.Uninstall(testApp); err == nil || !strings.Contains(err.Error(), "storage busy") {
		t.Fatalf("Uninstall with a failing hook: %v", err)
	}
	if _, err := r.Get(testApp); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Get after uninstall: %v", err)
	}
	if _, err := os.Stat(filepath.Join(r.dir, testApp)); !os.IsNotExist(err) {
		t.Fatalf("files left: %v", err)
	}
	// An install of the app first finishes the wipe; it fails again, so nothing is installed.
	if _, err := tryInstall(r, pack(t, app{id: testApp, version: "3.0.0", key: key(1)}), InstallOptions{}); err == nil {
		t.Fatal("install over a pending wipe succeeded while the wipe failed")
	}
	fail = false
	if err := r.Uninstall(testApp); err != nil {
		t.Fatalf("retried Uninstall: %v", err)
	}
	if !slices.Equal(wiped, []string{testApp, testApp, testApp}) {
		t.Fatalf("OnUninstall calls %v", wiped)
	}
	if err := r.Uninstall(testApp); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("second Uninstall: %v", err)
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM apps WHERE id = 'dev.test.app'",
		"SELECT COUNT(*) FROM versions WHERE app = 'dev.test.app'",
		"SELECT COUNT(*) FROM wipes",
	} {
		var n int
		if err := r.db.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%s = %d, %v", q, n, err)
		}
	}
	if list, _ := r.List(); len(list) != 1 || list[0].ID != "dev.test.keep" {
		t.Fatalf("List = %+v", list)
	}
	if got := tree(t, r.dir); slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, testApp) }) {
		t.Fatalf("files left: %v", got)
	}
	if err := r.Uninstall("../data"); err == nil || errors.Is(err, ErrNotInstalled) {
		t.Fatalf("Uninstall of a bad id: %v", err)
	}
}

func TestRollback(t *testing.T) {
	e := newEnv(t)
	r := e.open(t)
	v1 := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{Source: "one"})
	if _, err := r.Rollback(testApp); !errors.Is(err, ErrNoPrevious) {
		t.Fatalf("rollback with no previous: %v", err)
	}
	v2 := install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
	back, err := r.Rollback(testApp)
	if err != nil {
		t.Fatal(err)
	}
	if back.Version != "1.0.0" || back.Path != v1.Path || back.Previous != nil || back.Source != "one" || !back.Installed.Equal(v1.Installed) {
		t.Fatalf("after rollback %+v", back)
	}
	if _, err := os.Stat(v2.Path); !os.IsNotExist(err) {
		t.Fatalf("2.0.0 left on disk: %v", err)
	}
	wantDirs(t, r, back)
	if _, _, err := r.Verify(testApp); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Rollback(testApp); !errors.Is(err, ErrNoPrevious) {
		t.Fatalf("second rollback: %v", err)
	}
	// 2.0.0 installs again without AllowDowngrade: it is newer.
	install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
	if _, err := r.Rollback("dev.test.none"); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("rollback of an unknown app: %v", err)
	}
}

func TestRollbackRefusals(t *testing.T) {
	t.Run("revoked signer", func(t *testing.T) {
		e := newEnv(t)
		r := e.open(t)
		install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
		cur := install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
		e.trust.Revoke(bundle.IDOf(pub(1)), "compromised")
		if _, err := r.Rollback(testApp); !errors.Is(err, trust.ErrRevoked) {
			t.Fatalf("rollback to a revoked signer: %v", err)
		}
		if got, _ := r.Get(testApp); !sameInstalled(got, cur) {
			t.Fatalf("refused rollback changed %+v", got)
		}
	})
	t.Run("tampered files", func(t *testing.T) {
		r := newEnv(t).open(t)
		v1 := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
		install(t, r, pack(t, app{id: testApp, version: "2.0.0", key: key(1)}), InstallOptions{})
		os.WriteFile(filepath.Join(v1.Path, "app.js"), []byte("evil()"), 0o600)
		if _, err := r.Rollback(testApp); !errors.Is(err, ErrModified) || !errors.Is(err, bundle.ErrSize) {
			t.Fatalf("rollback to tampered files: %v", err)
		}
	})
}

func TestVerifyDetects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		damage  func(t *testing.T, e *env, path string)
		wantErr error
	}{
		{"changed file", func(t *testing.T, _ *env, p string) {
			b, _ := os.ReadFile(filepath.Join(p, "app.js"))
			b[0] ^= 1
			os.WriteFile(filepath.Join(p, "app.js"), b, 0o600)
		}, bundle.ErrDigest},
		{"longer file", func(t *testing.T, _ *env, p string) {
			f, _ := os.OpenFile(filepath.Join(p, "app.js"), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString("x")
			f.Close()
		}, bundle.ErrSize},
		{"added file", func(t *testing.T, _ *env, p string) {
			os.WriteFile(filepath.Join(p, "pages", "evil.js"), []byte("x"), 0o600)
		}, bundle.ErrNotInManifest},
		{"removed file", func(t *testing.T, _ *env, p string) {
			os.Remove(filepath.Join(p, "pages", "index", "index.wxml"))
		}, bundle.ErrMissingFile},
		{"symlink", func(t *testing.T, _ *env, p string) {
			os.Remove(filepath.Join(p, "app.js"))
			os.Symlink("/etc/passwd", filepath.Join(p, "app.js"))
		}, bundle.ErrSymlink},
		{"directory gone", func(t *testing.T, _ *env, p string) { os.RemoveAll(p) }, ErrModified},
		{"signer revoked", func(t *testing.T, e *env, _ string) {
			e.trust.Revoke(bundle.IDOf(pub(1)), "malware")
		}, trust.ErrRevoked},
		{"signer removed", func(t *testing.T, e *env, _ string) {
			e.trust.Remove(bundle.IDOf(pub(1)))
		}, trust.ErrUntrusted},
		{"signature row", func(t *testing.T, e *env, _ string) {
			r := e.open(t)
			r.db.Exec("UPDATE versions SET signature = zeroblob(64)")
		}, bundle.ErrSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			r := e.open(t)
			in := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
			tc.damage(t, e, in.Path)
			_, _, err := r.Verify(testApp)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Verify = %v, want %v", err, tc.wantErr)
			}
		})
	}
}

func TestOpenCleansLeftovers(t *testing.T) {
	e := newEnv(t)
	r := e.open(t)
	in := install(t, r, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	r.Close()
	mk := func(p string) {
		os.MkdirAll(filepath.Join(e.cfg.Dir, p), 0o700)
		os.WriteFile(filepath.Join(e.cfg.Dir, p, "f"), []byte("x"), 0o600)
	}
	mk(".staging/dev.test.app-123")        // an interrupted extract
	mk("dev.test.app/2.0.0_0123456789ab")  // renamed, never committed
	mk("dev.test.gone/1.0.0_0123456789ab") // an app with no row
	mk("Not-An-App")                       // not ours to judge: left alone
	os.WriteFile(filepath.Join(e.cfg.Dir, "README"), nil, 0o600)
	r = e.open(t)
	stagingEmpty(t, r)
	wantDirs(t, r, in)
	got := tree(t, r.dir)
	want := []string{".lock", ".staging", "Not-An-App", "Not-An-App/f", "README", "dev.test.app"}
	want = append(want, tree2(in.Path, r.dir, t)...)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("after Open:\n got %v\nwant %v", got, want)
	}
	if _, _, err := r.Verify(testApp); err != nil {
		t.Fatal(err)
	}
}

// tree2 lists dir and what is under it, relative to base.
func tree2(dir, base string, t *testing.T) []string {
	rel, _ := filepath.Rel(base, dir)
	out := []string{filepath.ToSlash(rel)}
	for _, p := range tree(t, dir) {
		out = append(out, filepath.ToSlash(rel)+"/"+p)
	}
	return out
}

func TestConcurrentInstalls(t *testing.T) {
	e := newEnv(t)
	r1, r2 := e.open(t), e.open(t) // two registries on one home, as two processes would be
	const n = 8
	bundles := make([][]byte, n)
	for i := range n {
		bundles[i] = pack(t, app{id: fmt.Sprintf("dev.test.app%d", i), version: "1.0.0", key: key(1)})
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := r1
			if i%2 == 1 {
				r = r2
			}
			_, errs[i] = tryInstall(r, bundles[i], InstallOptions{})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("install %d: %v", i, err)
		}
	}
	list, err := r1.List()
	if err != nil || len(list) != n {
		t.Fatalf("List: %d apps, %v", len(list), err)
	}
	for _, in := range list {
		if _, _, err := r2.Verify(in.ID); err != nil {
			t.Fatal(err)
		}
		wantDirs(t, r1, &in)
	}
	stagingEmpty(t, r1)
}

// Two installs of one app at once end with one of them current and the other previous.
func TestConcurrentUpdatesOfOneApp(t *testing.T) {
	e := newEnv(t)
	r1, r2 := e.open(t), e.open(t)
	install(t, r1, pack(t, app{id: testApp, version: "1.0.0", key: key(1)}), InstallOptions{})
	a := pack(t, app{id: testApp, version: "2.0.0", key: key(1)})
	b := pack(t, app{id: testApp, version: "2.1.0", key: key(1)})
	var wg sync.WaitGroup
	var errA, errB error
	wg.Add(2)
	go func() { defer wg.Done(); _, errA = tryInstall(r1, a, InstallOptions{}) }()
	go func() { defer wg.Done(); _, errB = tryInstall(r2, b, InstallOptions{}) }()
	wg.Wait()
	if errB != nil {
		t.Fatalf("2.1.0: %v", errB)
	}
	in, _ := r1.Get(testApp)
	if in.Version != "2.1.0" {
		t.Fatalf("current %s", in.Version)
	}
	// 2.0.0 either went first (and is previous) or came second and was refused as a downgrade.
	if errA == nil && in.Previous.Version != "2.0.0" || errA != nil && !errors.Is(errA, ErrDowngrade) {
		t.Fatalf("2.0.0: %v; previous %+v", errA, in.Previous)
	}
	wantDirs(t, r1, in)
	stagingEmpty(t, r1)
}

func TestPlan(t *testing.T) {
	v := func(dir, ver, signer string) *version {
		return &version{dir: dir, app: testApp, version: ver, signer: signer}
	}
	for _, tc := range []struct {
		name      string
		cur, prev *version
		next      *version
		pin       string
		o         InstallOptions
		wantPrev  string
		wantDrop  []string
		wantErr   error
	}{
		{"first", nil, nil, v("n", "1.0.0", "a"), "", InstallOptions{}, "", nil, nil},
		{"upgrade", v("c", "1.0.0", "a"), nil, v("n", "1.1.0", "a"), "a", InstallOptions{}, "c", nil, nil},
		{"upgrade drops previous", v("c", "1.1.0", "a"), v("p", "1.0.0", "a"), v("n", "2.0.0", "a"), "a", InstallOptions{}, "c", []string{"p"}, nil},
		{"repair", v("c", "1.1.0", "a"), v("p", "1.0.0", "a"), v("n", "1.1.0+b2", "a"), "a", InstallOptions{}, "p", []string{"c"}, nil},
		{"downgrade", v("c", "1.1.0", "a"), nil, v("n", "1.0.0", "a"), "a", InstallOptions{}, "", nil, ErrDowngrade},
		{"downgrade allowed", v("c", "1.1.0", "a"), v("p", "1.0.0", "a"), v("n", "1.0.0", "a"), "a", InstallOptions{AllowDowngrade: true}, "c", []string{"p"}, nil},
		{"other signer", v("c", "1.0.0", "a"), nil, v("n", "1.1.0", "b"), "a", InstallOptions{}, "", nil, ErrSignerChanged},
		{"other signer, no pin yet", v("c", "1.0.0", "a"), nil, v("n", "1.1.0", "b"), "", InstallOptions{}, "", nil, ErrSignerChanged},
		{"other signer allowed", v("c", "1.0.0", "a"), v("p", "0.9.0", "a"), v("n", "1.1.0", "b"), "a", InstallOptions{AllowSignerChange: true}, "", []string{"c", "p"}, nil},
		{"unsigned over signed", v("c", "1.0.0", "a"), nil, v("n", "1.1.0", ""), "a", InstallOptions{}, "", nil, ErrSignerChanged},
		{"other signer over an unsigned sideload", v("c", "1.1.0", ""), v("p", "1.0.0", "a"), v("n", "1.2.0", "b"), "a", InstallOptions{}, "", nil, ErrSignerChanged},
		{"pinned signer over an unsigned sideload", v("c", "1.1.0", ""), nil, v("n", "1.2.0", "a"), "a", InstallOptions{}, "c", nil, nil},
		{"signed over unsigned, never pinned", v("c", "1.0.0", ""), nil, v("n", "1.1.0", "b"), "", InstallOptions{}, "c", nil, nil},
		{"pinned, nothing installed", nil, nil, v("n", "1.0.0", "b"), "a", InstallOptions{}, "", nil, ErrSignerChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := plan(tc.cur, tc.prev, tc.next, tc.pin, tc.o)
			prev, drop := p.prev, p.drop
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			gotPrev := ""
			if prev != nil {
				gotPrev = prev.dir
			}
			if gotPrev != tc.wantPrev || !slices.Equal(drop, tc.wantDrop) {
				t.Fatalf("previous %q drop %v; want %q %v", gotPrev, drop, tc.wantPrev, tc.wantDrop)
			}
		})
	}
}

func TestOpenConfig(t *testing.T) {
	e := newEnv(t)
	for name, mod := range map[string]func(*Config){
		"Dir":   func(c *Config) { c.Dir = "" },
		"Trust": func(c *Config) { c.Trust = nil },
		"DB":    func(c *Config) { c.DB = "" },
	} {
		cfg := e.cfg
		mod(&cfg)
		if r, err := Open(cfg); err == nil {
			r.Close()
			t.Fatalf("Open without %s succeeded", name)
		}
	}
	// A database from a newer shell is refused, not rewritten.
	r := e.open(t)
	r.db.Exec("PRAGMA user_version = 99")
	r.Close()
	if _, err := Open(e.cfg); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("newer schema: %v", err)
	}
}
