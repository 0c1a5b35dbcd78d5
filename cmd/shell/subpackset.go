package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/internal/atomicfile"
)

// writeSubpackages writes each subpackage bundle of set beside the core bundle out
// (bundle.SubpackageFile) and says so on w.
func writeSubpackages(w io.Writer, out string, set *bundle.Set) error {
	for _, s := range set.Subs {
		p := bundle.SubpackageFile(out, s.Root)
		if err := atomicfile.Write(p, s.Data, 0o644); err != nil {
			return err
		}
		sp := set.Manifest.Subpackage(s.Root)
		kind := "subpackage"
		if sp.Independent {
			kind = "independent subpackage"
		}
		fmt.Fprintf(w, "  %s %s: %d files, %d bytes, sha256 %s → %s\n", kind, s.Root, len(s.Manifest.Files), len(s.Data), sp.SHA256, p)
	}
	return nil
}

// subpackageSet reads the subpackage bundles beside the core bundle at corePath and
// checks each against the core (digest and size its manifest names, app, version,
// signer). A missing one is reported as absent unless required; a swapped or altered
// one is an error naming it.
func subpackageSet(w io.Writer, corePath string, core *bundle.Bundle, required bool) (raws [][]byte, subs []*bundle.Bundle, err error) {
	for _, sp := range core.Manifest.Subpackages {
		p := bundle.SubpackageFile(corePath, sp.Root)
		raw, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) && !required {
			if w != nil {
				fmt.Fprintf(w, "  %s\tnot here (%s): fetched from the catalog when first needed\n", sp.Root, p)
			}
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("subpackage %q: %w", sp.Root, err)
		}
		b, err := bundle.CheckSubpackage(core.Manifest, core.SignerKey, raw, bundle.DefaultLimits())
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		if w != nil {
			fmt.Fprintf(w, "  %s\t%s: %d files, sha256 and signature checked\n", sp.Root, p, len(b.Manifest.Files))
		}
		raws, subs = append(raws, raw), append(subs, b)
	}
	return raws, subs, nil
}
