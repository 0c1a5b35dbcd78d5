package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	tests := []struct{ name, key, value string }{
		{"integer", "n", `42`},
		{"negative float", "f", `-1.5e-7`},
		{"big number", "big", `12345678901234567890123`},
		{"zero", "z", `0`},
		{"true", "t", `true`},
		{"false", "no", `false`},
		{"null", "nil", `null`},
		{"empty string", "es", `""`},
		{"string", "s", `"hello"`},
		{"unicode string", "u", `"日本語 🎉 é\u0301 עברית \u0000 \ud83d\ude00"`},
		{"escapes", "esc", `"line\nbreak \"quoted\" \\ /"`},
		{"object", "o", `{"a":1,"b":{"c":[1,2,{"d":null}]},"e":"f"}`},
		{"empty object", "eo", `{}`},
		{"array", "arr", `[1,"two",true,null,{"x":[]}]`},
		{"empty array", "ea", `[]`},
		{"unicode key", "キー🔑", `"v"`},
		{"empty key", "", `"empty key"`},
		{"whitespace kept", "ws", `{ "a" : [ 1 , 2 ] }`},
	}
	d := newDirs(t)
	s := openStore(t, d, nil)
	a := appStore(t, s, "dev.example.types")
	for _, tt := range tests {
		mustSet(t, a, tt.key, tt.value)
		if got := mustGet(t, a, tt.key); got != tt.value {
			t.Errorf("%s: Get = %s, want %s", tt.name, got, tt.value)
		}
	}
	s.Close()
	s2 := openStore(t, d, nil) // and after a reopen, from disk
	a2 := appStore(t, s2, "dev.example.types")
	for _, tt := range tests {
		if got := mustGet(t, a2, tt.key); got != tt.value {
			t.Errorf("%s after reopen: Get = %s, want %s", tt.name, got, tt.value)
		}
	}
	info, err := a2.Info()
	if err != nil {
		t.Fatal(err)
	}
	if len(info.Keys) != len(tests) {
		t.Errorf("Info.Keys has %d keys, want %d", len(info.Keys), len(tests))
	}
}

func TestSetRefusesInvalid(t *testing.T) {
	a := appStore(t, openStore(t, newDirs(t), nil), "a")
	tests := []struct{ name, key, value string }{
		{"key not UTF-8", "\xff", `1`},
		{"value not JSON", "k", `{"a":`},
		{"value empty", "k", ``},
		{"two values", "k", `1 2`},
	}
	for _, tt := range tests {
		if err := a.Set(tt.key, json.RawMessage(tt.value)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: Set = %v, want ErrInvalid", tt.name, err)
		}
	}
}

func TestOperations(t *testing.T) {
	d := newDirs(t)
	s := openStore(t, d, func(c *Config) { c.MaxAppBytes = 5000 })
	a := appStore(t, s, "dev.example.ops")

	// Reading an app that never wrote creates nothing.
	if _, err := a.Get("k"); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Get on an empty app = %v, want ErrNoKey", err)
	}
	if err := a.Remove("k"); err != nil {
		t.Fatal(err)
	}
	if err := a.Clear(); err != nil {
		t.Fatal(err)
	}
	if info, err := a.Info(); err != nil || len(info.Keys) != 0 || info.CurrentSize != 0 || info.LimitSize != 5000 {
		t.Fatalf("Info on an empty app = %+v, %v", info, err)
	}
	if ks, err := a.Keys(); err != nil || len(ks) != 0 {
		t.Fatalf("Keys on an empty app = %v, %v", ks, err)
	}
	if entries, _ := os.ReadDir(d.data); len(entries) != 1 || entries[0].Name() != checkFile {
		t.Fatalf("reads created files: %v", entries)
	}

	mustSet(t, a, "b", `"two"`)
	mustSet(t, a, "a", `1`)
	mustSet(t, a, "b", `"three"`) // replace
	ks, err := a.Keys()
	if err != nil {
		t.Fatal(err)
	}
	want := []KeyInfo{{"a", 2}, {"b", 8}}
	if !reflect.DeepEqual(ks, want) {
		t.Errorf("Keys = %v, want %v", ks, want)
	}
	info, _ := a.Info()
	if !reflect.DeepEqual(info, Info{Keys: []string{"a", "b"}, CurrentSize: 10, LimitSize: 5000}) {
		t.Errorf("Info = %+v", info)
	}
	if err := a.Remove("a"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get("a"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Get after Remove = %v, want ErrNoKey", err)
	}
	if info, _ := a.Info(); info.CurrentSize != 8 {
		t.Errorf("size after Remove = %d, want 8", info.CurrentSize)
	}
	if err := a.Clear(); err != nil {
		t.Fatal(err)
	}
	if info, _ := a.Info(); len(info.Keys) != 0 || info.CurrentSize != 0 {
		t.Errorf("Info after Clear = %+v", info)
	}
	mustSet(t, a, "after", `true`) // the app's key survives Clear
	if got := mustGet(t, a, "after"); got != "true" {
		t.Errorf("Get after Clear and Set = %s", got)
	}
	a2 := appStore(t, s, "dev.example.ops")
	if a2 != a {
		t.Error("App returned a new handle for the same app")
	}
	if _, err := s.App(""); !errors.Is(err, ErrBadAppID) {
		t.Errorf("App(\"\") = %v, want ErrBadAppID", err)
	}
}

func TestInfoKB(t *testing.T) {
	tests := []struct {
		cur, limit, wantCur, wantLimit int64
	}{
		{0, 10 << 20, 0, 10240},
		{1, 10 << 20, 1, 10240},
		{1024, 1024, 1, 1},
		{1025, 1024, 2, 1},
	}
	for _, tt := range tests {
		c, l := Info{CurrentSize: tt.cur, LimitSize: tt.limit}.KB()
		if c != tt.wantCur || l != tt.wantLimit {
			t.Errorf("KB(%d, %d) = %d, %d; want %d, %d", tt.cur, tt.limit, c, l, tt.wantCur, tt.wantLimit)
		}
	}
}

// str makes a JSON string value of exactly n bytes (n ≥ 2), multi-byte characters
// included so that sizes are counted in bytes, not characters.
func str(n int) string {
	if n < 2 {
		panic("n < 2")
	}
	body := strings.Repeat("é", (n-2)/2) + strings.Repeat("x", (n-2)%2)
	return `"` + body + `"`
}

func TestLimits(t *testing.T) {
	const maxKey, maxApp = 100, 250
	tests := []struct {
		name    string
		before  map[string]string // stored first
		key     string
		value   string
		wantErr error
	}{
		{name: "item at the per-key limit", key: "kk", value: str(maxKey - 2)},
		{name: "item one byte over", key: "kk", value: str(maxKey - 1), wantErr: ErrKeyTooLarge},
		{name: "key name counts", key: "kkk", value: str(maxKey - 2), wantErr: ErrKeyTooLarge},
		{name: "unicode key at the limit", key: "é", value: str(maxKey - 2)},
		{name: "unicode key counted in bytes", key: "éé", value: str(maxKey - 3), wantErr: ErrKeyTooLarge},
		{name: "app at its limit", before: map[string]string{"a": str(99), "b": str(99)}, key: "c", value: str(49)},
		{name: "app one byte over", before: map[string]string{"a": str(99), "b": str(99)}, key: "c", value: str(50), wantErr: ErrQuota},
		{name: "replacing counts the new size only", before: map[string]string{"a": str(99), "b": str(99), "c": str(40)}, key: "c", value: str(49)},
		{name: "replacing one byte over", before: map[string]string{"a": str(99), "b": str(99), "c": str(40)}, key: "c", value: str(50), wantErr: ErrQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, newDirs(t), func(c *Config) { c.MaxKeyBytes, c.MaxAppBytes = maxKey, maxApp })
			a := appStore(t, s, "dev.example.limits")
			for k, v := range tt.before {
				mustSet(t, a, k, v)
			}
			before, _ := a.Info()
			err := a.Set(tt.key, json.RawMessage(tt.value))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Set(%d bytes) = %v, want %v", len(tt.key)+len(tt.value), err, tt.wantErr)
			}
			if tt.wantErr == nil {
				if got := mustGet(t, a, tt.key); got != tt.value {
					t.Errorf("stored %q", got)
				}
				return
			}
			after, _ := a.Info()
			if !reflect.DeepEqual(before, after) {
				t.Errorf("a refused set changed the app: %+v → %+v", before, after)
			}
			if old, ok := tt.before[tt.key]; ok {
				if got := mustGet(t, a, tt.key); got != old {
					t.Errorf("old value not kept: %q", got)
				}
			}
		})
	}
}

func TestDefaultLimits(t *testing.T) {
	s := openStore(t, newDirs(t), nil)
	a := appStore(t, s, "dev.example.big")
	const mib = DefaultMaxKeyBytes
	if err := a.Set("k", json.RawMessage(str(mib))); !errors.Is(err, ErrKeyTooLarge) {
		t.Fatalf("1 MiB + 1 item: %v", err)
	}
	for i := range 9 {
		mustSet(t, a, fmt.Sprintf("k%d", i), str(mib-2)) // exactly 1 MiB each
	}
	mustSet(t, a, "x", `1`)                                                         // 9 MiB + 2
	if err := a.Set("k9", json.RawMessage(str(mib-3))); !errors.Is(err, ErrQuota) { // 10 MiB + 1
		t.Errorf("one byte over 10 MiB: %v", err)
	}
	mustSet(t, a, "k9", str(mib-4)) // 10 MiB exactly
	if info, _ := a.Info(); info.CurrentSize != DefaultMaxAppBytes || info.LimitSize != DefaultMaxAppBytes {
		t.Errorf("full app: %d of %d bytes, want %d", info.CurrentSize, info.LimitSize, DefaultMaxAppBytes)
	}
	if err := a.Remove("x"); err != nil {
		t.Fatal(err)
	}
	mustSet(t, a, "k9", str(mib-2)) // a 1 MiB item exactly filling the app
}

func TestPermissions(t *testing.T) {
	d := newDirs(t)
	s := openStore(t, d, nil)
	mustSet(t, appStore(t, s, "dev.example.perm"), "k", `1`)
	checks := map[string]os.FileMode{d.data: 0o700, d.config: 0o700}
	filepath.WalkDir(d.data, func(p string, e os.DirEntry, err error) error {
		if e.IsDir() {
			checks[p] = 0o700
		} else {
			checks[p] = 0o600
		}
		return nil
	})
	checks[(&FileKeyring{Dir: d.config}).path(KeyringService, KeyringUser)] = 0o600
	var sawWAL bool
	for p, want := range checks {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), want)
		}
		sawWAL = sawWAL || strings.HasSuffix(p, "-wal")
	}
	if !sawWAL {
		t.Error("no -wal file: not in WAL mode?")
	}
	var sync int
	rawDB(t, s, "dev.example.perm").QueryRow("PRAGMA synchronous").Scan(&sync)
	if sync != 2 {
		t.Errorf("synchronous = %d, want 2 (FULL)", sync)
	}
}

func TestCrossAppIsolation(t *testing.T) {
	s := openStore(t, newDirs(t), nil)
	a := appStore(t, s, "app.a")
	b := appStore(t, s, "app.b")
	mustSet(t, a, "token", `"a-secret"`)
	mustSet(t, b, "other", `1`)
	if _, err := b.Get("token"); !errors.Is(err, ErrNoKey) {
		t.Errorf("b.Get(a's key) = %v, want ErrNoKey", err)
	}
	if ks, _ := b.Keys(); len(ks) != 1 || ks[0].Name != "other" {
		t.Errorf("b.Keys = %v", ks)
	}
	if err := b.Clear(); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, a, "token"); got != `"a-secret"` {
		t.Errorf("b.Clear touched a: %s", got)
	}
}

// rowOf reads the raw row of key in app's database.
func rowOf(t *testing.T, s *Store, app, key string) sealedRow {
	t.Helper()
	a := appStore(t, s, app)
	var h []byte
	a.use(false, func(d *appDB) error { h = d.keys.Load().nameHash(key); return nil })
	var r sealedRow
	if err := rawDB(t, s, app).QueryRow("SELECT h, name, value FROM kv WHERE h = ?", h).Scan(&r.h, &r.name, &r.value); err != nil {
		t.Fatalf("row of %s/%s: %v", app, key, err)
	}
	return r
}

func putRow(t *testing.T, s *Store, app string, r sealedRow) {
	t.Helper()
	_, err := rawDB(t, s, app).Exec("INSERT OR REPLACE INTO kv (h, name, value, size) VALUES (?, ?, ?, 1)", r.h, r.name, r.value)
	if err != nil {
		t.Fatal(err)
	}
}

// Rows moved or altered on disk never open: into another app, under another name,
// or with a flipped byte.
func TestTamperingDetected(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, s *Store) (app string, read func(*AppStore) error)
	}{
		{"row copied into another app (same look-up hash)", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			putRow(t, s, "app.b", rowOf(t, s, "app.a", "secret"))
			// b's hash of "secret" differs, so Get cannot even find it; listing opens it.
			return "app.b", func(b *AppStore) error { _, err := b.Keys(); return err }
		}},
		{"row copied into another app under that app's hash of the name", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			r := rowOf(t, s, "app.a", "secret")
			r.h = rowOf(t, s, "app.b", "secret").h
			putRow(t, s, "app.b", r)
			return "app.b", func(b *AppStore) error { _, err := b.Get("secret"); return err }
		}},
		{"value moved under another name", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			r := rowOf(t, s, "app.a", "secret")
			r.h, r.name = rowOf(t, s, "app.a", "public").h, rowOf(t, s, "app.a", "public").name
			putRow(t, s, "app.a", r)
			return "app.a", func(a *AppStore) error { _, err := a.Get("public"); return err }
		}},
		{"name moved to another row", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			r := rowOf(t, s, "app.a", "public")
			r.name = rowOf(t, s, "app.a", "secret").name
			putRow(t, s, "app.a", r)
			return "app.a", func(a *AppStore) error { _, err := a.Keys(); return err }
		}},
		{"value byte flipped", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			r := rowOf(t, s, "app.a", "secret")
			r.value[len(r.value)/2] ^= 0x40
			putRow(t, s, "app.a", r)
			return "app.a", func(a *AppStore) error { _, err := a.Get("secret"); return err }
		}},
		{"wrapped key swapped with another app's", func(t *testing.T, s *Store) (string, func(*AppStore) error) {
			var w []byte
			rawDB(t, s, "app.a").QueryRow("SELECT wrapped FROM meta").Scan(&w)
			rawDB(t, s, "app.b").Exec("UPDATE meta SET wrapped = ?", w)
			s2, err := Open(Config{Dir: s.dir, ConfigDir: s.configDir, Keyring: s.keyring})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s2.Close() })
			b2, _ := s2.App("app.b")
			return "", func(*AppStore) error { _, err := b2.Get("other"); return err }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, newDirs(t), nil)
			a, b := appStore(t, s, "app.a"), appStore(t, s, "app.b")
			mustSet(t, a, "secret", `"s3cret value"`)
			mustSet(t, a, "public", `"hello"`)
			mustSet(t, b, "other", `2`)
			mustSet(t, b, "secret", `"b's own"`)
			app, read := tt.tamper(t, s)
			var as *AppStore
			if app != "" {
				as = appStore(t, s, app)
			}
			err := read(as)
			if !errors.Is(err, ErrTampered) && !errors.Is(err, ErrWrongMasterKey) {
				t.Fatalf("read after tampering = %v, want ErrTampered or ErrWrongMasterKey", err)
			}
			if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), `"secret"`) {
				t.Errorf("error text holds app data: %v", err)
			}
		})
	}
}

func TestConcurrentUse(t *testing.T) {
	s := openStore(t, newDirs(t), nil)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			app := fmt.Sprintf("app.%d", g%3)
			a, err := s.App(app)
			if err != nil {
				errs <- err
				return
			}
			for i := range 40 {
				key := fmt.Sprintf("g%d-%d", g, i)
				if err := a.Set(key, json.RawMessage(fmt.Sprint(i))); err != nil {
					errs <- err
					return
				}
				if v, err := a.Get(key); err != nil || string(v) != fmt.Sprint(i) {
					errs <- fmt.Errorf("get %s = %s, %v", key, v, err)
					return
				}
				if i%10 == 0 {
					if _, err := a.Info(); err != nil {
						errs <- err
						return
					}
				}
				if g == 0 && i%13 == 0 {
					if err := s.RotateKey(app); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	u, err := s.Usage()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, x := range u {
		total += x.Keys
	}
	if len(u) != 3 || total != 8*40 {
		t.Errorf("Usage = %+v, want 3 apps and 320 keys", u)
	}
}

// Two Stores on one folder stand for the shell and `shell storage ...` in another
// process: a rotation or a wipe by one is seen by the other's next call.
func TestTwoProcessesShareDir(t *testing.T) {
	d := newDirs(t)
	shell := openStore(t, d, nil)
	cli := openStore(t, d, nil)
	a := appStore(t, shell, "dev.example.shared")
	mustSet(t, a, "k", `"v1"`)
	if err := cli.RotateKey("dev.example.shared"); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, a, "k"); got != `"v1"` {
		t.Errorf("after another process rotated: %s", got)
	}
	mustSet(t, a, "k2", `"v2"`) // written under the new key
	if got := mustGet(t, appStore(t, cli, "dev.example.shared"), "k2"); got != `"v2"` {
		t.Errorf("other process reads %s", got)
	}
	if err := cli.Wipe("dev.example.shared"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get("k"); !errors.Is(err, ErrNoKey) {
		t.Errorf("Get after another process wiped = %v, want ErrNoKey", err)
	}
	mustSet(t, a, "k3", `3`)
	if got := mustGet(t, appStore(t, cli, "dev.example.shared"), "k3"); got != "3" {
		t.Errorf("a write after the wipe went astray: %s", got)
	}
}

func TestClosed(t *testing.T) {
	s := openStore(t, newDirs(t), nil)
	a := appStore(t, s, "a")
	mustSet(t, a, "k", `1`)
	s.Close()
	if _, err := a.Get("k"); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close = %v", err)
	}
	if _, err := s.App("a"); !errors.Is(err, ErrClosed) {
		t.Errorf("App after Close = %v", err)
	}
}
