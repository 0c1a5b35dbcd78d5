package bundled

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// The shipped bundles verify with the shipped key, and hold exactly what examples/ holds
// now: after changing an example, run `go generate ./assets/bundled`.
func TestShippedBundlesAreSignedAndCurrent(t *testing.T) {
	pub, err := bundle.DecodePublicKey(PublisherKey())
	if err != nil {
		t.Fatalf("publisher.pub: %v", err)
	}
	apps := Apps()
	if len(apps) == 0 {
		t.Fatal("no shipped apps")
	}
	for _, a := range apps {
		b, err := bundle.Open(bytes.NewReader(a.Data), int64(len(a.Data)), bundle.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		if err := b.Verify(pub); err != nil {
			t.Fatalf("%s does not verify with the shipped key: %v", a.Name, err)
		}
		var fresh bytes.Buffer
		m, err := bundle.Pack(filepath.Join("..", "..", "examples", strings.TrimSuffix(a.Name, ".sfa")), &fresh, bundle.PackOptions{Minify: true, MinifyFile: bundle.MinifySource})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m.Files, b.Manifest.Files) {
			t.Fatalf("%s is stale: examples/ changed since it was packed; run go generate ./assets/bundled", a.Name)
		}
	}
}
