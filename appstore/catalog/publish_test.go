package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

func TestPublishTwoVersionsAndChannels(t *testing.T) {
	dir := t.TempDir()
	catKey, pubKey := key(1), key(2)
	v1 := packApp(t, testApp, "1.0.0", pubKey, nil)
	v2 := packApp(t, testApp, "1.1.0", pubKey, nil)

	publish(t, dir, v1, catKey, PublishOptions{})
	idx := publish(t, dir, v2, catKey, PublishOptions{Channel: Canary, Rollout: 10})

	if idx.Version != 2 || !idx.Generated.Equal(fixedNow()) || idx.Format != IndexFormat {
		t.Fatalf("index header = %d %v %q", idx.Version, idx.Generated, idx.Format)
	}
	app := idx.App(testApp)
	if app == nil || app.Name != "Test & <App>" {
		t.Fatalf("app = %+v", app)
	}
	if got := []string{app.Versions[0].Version, app.Versions[1].Version}; !slices.Equal(got, []string{"1.0.0", "1.1.0"}) {
		t.Fatalf("versions = %v", got)
	}
	want := []Channel{{Canary, "1.1.0", 10}, {Stable, "1.0.0", 100}}
	if !slices.Equal(app.Channels, want) {
		t.Fatalf("channels = %+v, want %+v", app.Channels, want)
	}
	for i, sfa := range [][]byte{v1, v2} {
		r := app.Versions[i]
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.Path)))
		if err != nil || !bytes.Equal(got, sfa) || r.Size != int64(len(sfa)) {
			t.Fatalf("%s: stored bundle differs (err %v)", r.Path, err)
		}
	}
	// The index on disk is what Add returned, and verifies with the catalog key only.
	onDisk, err := ReadIndex(dir, pub(catKey))
	if err != nil {
		t.Fatal(err)
	}
	if onDisk.Version != 2 || len(onDisk.Apps) != 1 {
		t.Fatalf("on disk: %+v", onDisk)
	}
	if _, err := ReadIndex(dir, pub(pubKey)); !errors.Is(err, ErrWrongKey) {
		t.Fatalf("ReadIndex with another key: %v, want ErrWrongKey", err)
	}

	// Promote the canary: stable moves forward.
	idx, err = SetChannel(dir, testApp, Stable, "1.1.0", 0, catKey)
	if err != nil {
		t.Fatal(err)
	}
	if ch := idx.App(testApp).Channel(Stable); ch.Version != "1.1.0" || ch.Rollout != 100 || idx.Version != 3 {
		t.Fatalf("after promotion: %+v (index %d)", ch, idx.Version)
	}
}

func TestPublishRules(t *testing.T) {
	catKey, pubKey := key(1), key(2)
	v1 := packApp(t, testApp, "1.0.0", pubKey, nil)
	v2 := packApp(t, testApp, "2.0.0", pubKey, nil)
	v1other := packApp(t, testApp, "1.0.0", pubKey, map[string][]byte{"extra.js": []byte("1\n")})

	t.Run("same bytes again is a no-op release", func(t *testing.T) {
		dir := t.TempDir()
		publish(t, dir, v1, catKey, PublishOptions{})
		idx := publish(t, dir, v1, catKey, PublishOptions{})
		if n := len(idx.App(testApp).Versions); n != 1 || idx.Version != 2 {
			t.Fatalf("versions %d, index version %d", n, idx.Version)
		}
	})
	t.Run("other bytes for a published version refused", func(t *testing.T) {
		dir := t.TempDir()
		publish(t, dir, v1, catKey, PublishOptions{})
		_, err := Add(dir, bytes.NewReader(v1other), int64(len(v1other)), catKey)
		if !errors.Is(err, ErrVersionExists) {
			t.Fatalf("err = %v, want ErrVersionExists", err)
		}
		stored, _ := os.ReadFile(filepath.Join(dir, "bundles", testApp, "1.0.0.sfa"))
		if !bytes.Equal(stored, v1) {
			t.Fatal("the published bundle was changed")
		}
		idx := publish(t, dir, v1other, catKey, PublishOptions{Replace: true})
		if r := idx.App(testApp).Release("1.0.0"); r.Size != int64(len(v1other)) {
			t.Fatalf("Replace did not replace: %+v", r)
		}
	})
	t.Run("an older version leaves the channel", func(t *testing.T) {
		dir := t.TempDir()
		publish(t, dir, v2, catKey, PublishOptions{})
		idx := publish(t, dir, v1, catKey, PublishOptions{})
		app := idx.App(testApp)
		if app.Channel(Stable).Version != "2.0.0" || len(app.Versions) != 2 || app.Versions[0].Version != "1.0.0" {
			t.Fatalf("app = %+v", app)
		}
	})
	t.Run("canary before any stable refused", func(t *testing.T) {
		dir := t.TempDir()
		_, err := AddWith(dir, bytes.NewReader(v1), int64(len(v1)), catKey, PublishOptions{Channel: Canary, Rollout: 5})
		if err == nil {
			t.Fatal("published a canary with no stable")
		}
		if _, err := os.Stat(filepath.Join(dir, IndexFile)); !os.IsNotExist(err) {
			t.Fatalf("index written: %v", err)
		}
	})
	t.Run("unsigned bundle refused", func(t *testing.T) {
		unsigned := packApp(t, testApp, "1.0.0", nil, nil)
		_, err := Add(t.TempDir(), bytes.NewReader(unsigned), int64(len(unsigned)), catKey)
		if !errors.Is(err, bundle.ErrUnsigned) {
			t.Fatalf("err = %v, want ErrUnsigned", err)
		}
	})
	t.Run("broken bundle refused", func(t *testing.T) {
		bad := v1[:len(v1)-30] // the central directory cut short
		if _, err := Add(t.TempDir(), bytes.NewReader(bad), int64(len(bad)), catKey); err == nil {
			t.Fatal("published a damaged bundle")
		}
	})
	t.Run("catalog of another key refused", func(t *testing.T) {
		dir := t.TempDir()
		publish(t, dir, v1, catKey, PublishOptions{})
		if _, err := Add(dir, bytes.NewReader(v2), int64(len(v2)), key(3)); !errors.Is(err, ErrWrongKey) {
			t.Fatalf("err = %v, want ErrWrongKey", err)
		}
	})
	t.Run("tampered catalog index refused", func(t *testing.T) {
		dir := t.TempDir()
		publish(t, dir, v1, catKey, PublishOptions{})
		p := filepath.Join(dir, IndexFile)
		data, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(data, []byte(`"version":1,`), []byte(`"version":9,`), 1), 0o644)
		if _, err := Add(dir, bytes.NewReader(v2), int64(len(v2)), catKey); !errors.Is(err, ErrSignature) {
			t.Fatalf("err = %v, want ErrSignature", err)
		}
	})
	t.Run("bad channel options refused", func(t *testing.T) {
		for _, o := range []PublishOptions{{Channel: "Canary"}, {Channel: Canary, Rollout: 101}, {Channel: Canary, Rollout: -1}} {
			if _, err := AddWith(t.TempDir(), bytes.NewReader(v1), int64(len(v1)), catKey, o); err == nil {
				t.Fatalf("%+v accepted", o)
			}
		}
	})
}

func TestIndexCanonical(t *testing.T) {
	idx := &Index{Format: IndexFormat, Version: 1, Generated: fixedNow(), Apps: []App{{
		ID: testApp, Name: "A & <B>",
		Versions: []Release{{Version: "1.0.0", SHA256: string(bytes.Repeat([]byte("a"), 64)), Path: BundlePath(testApp, "1.0.0"), Size: 10, MinShell: "0.0.0"}},
		Channels: []Channel{{Stable, "1.0.0", 100}},
	}}}
	raw, err := idx.canonical()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseIndex(raw); err != nil {
		t.Fatalf("canonical bytes refused: %v", err)
	}
	bad := map[string][]byte{
		"whitespace":    append([]byte(" "), raw...),
		"unknown field": bytes.Replace(raw, []byte(`{"format"`), []byte(`{"x":1,"format"`), 1),
		"reordered":     bytes.Replace(raw, []byte(`"format":"sandframe-catalog-1","version":1`), []byte(`"version":1,"format":"sandframe-catalog-1"`), 1),
		"html escaped":  bytes.Replace(raw, []byte("&"), []byte(`\u0026`), 1),
		"other format":  bytes.Replace(raw, []byte(IndexFormat), []byte("sandframe-bundle-1"), 1),
		"stable at 50":  bytes.Replace(raw, []byte(`"rollout":100`), []byte(`"rollout":50`), 1),
		"path elsewhere": bytes.Replace(raw, []byte(`"path":"bundles/dev.test.app/1.0.0.sfa"`),
			[]byte(`"path":"https://evil.example/x.sfa"`), 1),
	}
	for name, b := range bad {
		if _, err := parseIndex(b); !errors.Is(err, ErrIndex) {
			t.Errorf("%s: err = %v, want ErrIndex", name, err)
		}
	}
}

func TestPublishConcurrent(t *testing.T) {
	dir := t.TempDir()
	catKey := key(1)
	publish(t, dir, packApp(t, testApp, "1.0.0", key(2), nil), catKey, PublishOptions{})
	const n = 4
	sfas := make([][]byte, n)
	for i := range sfas {
		sfas[i] = packApp(t, testApp, fmt.Sprintf("1.%d.0", i+1), key(2), nil)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for _, sfa := range sfas {
		wg.Go(func() {
			_, err := AddWith(dir, bytes.NewReader(sfa), int64(len(sfa)), catKey, PublishOptions{Logger: quiet})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	idx, err := ReadIndex(dir, pub(catKey))
	if err != nil {
		t.Fatal(err)
	}
	app := idx.App(testApp)
	if idx.Version != n+1 || len(app.Versions) != n+1 || app.Channel(Stable).Version != fmt.Sprintf("1.%d.0", n) {
		t.Fatalf("index %d, %d versions, stable %s: a publish was lost", idx.Version, len(app.Versions), app.Channel(Stable).Version)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	left2, _ := filepath.Glob(filepath.Join(dir, "bundles", testApp, ".*.tmp-*"))
	if len(left)+len(left2) != 0 {
		t.Fatalf("temporary files left: %v %v", left, left2)
	}
}
