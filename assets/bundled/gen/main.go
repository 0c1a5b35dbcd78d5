// Command gen packs the example mini-apps into signed bundles for the shell to ship
// (assets/bundled/apps) and writes the public key that verifies them
// (assets/bundled/publisher.pub). Without -key it makes a key, signs, and forgets it.
//
//	go generate ./assets/bundled                    # development builds
//	go run ./assets/bundled/gen -key release.key     # release builds
package main

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/host"
)

// shipped are the example apps the shell carries, by folder under examples/.
var shipped = []string{"todo", "widgets"}

func main() {
	keyFile := flag.String("key", "", "a release key (default: a new key, thrown away)")
	root := flag.String("root", ".", "the assets/bundled folder")
	examples := flag.String("examples", "../../examples", "the examples folder, relative to -root")
	flag.Parse()
	var key ed25519.PrivateKey
	var err error
	if *keyFile != "" {
		key, err = bundle.ReadPrivateKey(*keyFile)
	} else {
		_, key, err = bundle.GenerateKey()
	}
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range shipped {
		var buf bytes.Buffer
		m, err := bundle.Pack(filepath.Join(*root, *examples, name), &buf, bundle.PackOptions{
			Key: key, Minify: true, MinifyFile: bundle.MinifySource,
			Compile: func(fsys fs.FS) error { _, err := host.Load(fsys); return err },
		})
		if err != nil {
			log.Fatalf("pack %s: %v", name, err)
		}
		out := filepath.Join(*root, "apps", name+".sfa")
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s %s, %d files\n", out, m.AppID, m.Version, len(m.Files))
	}
	pub := bundle.EncodePublicKey(key.Public().(ed25519.PublicKey))
	if err := os.WriteFile(filepath.Join(*root, "publisher.pub"), []byte(pub+"\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("built-in publisher:", pub)
}
