package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/appstore/registry"
	"github.com/sandframe/sandframe/appstore/trust"
	"github.com/sandframe/sandframe/assets/bundled"
	"github.com/sandframe/sandframe/configs"
)

// The apps shipped in the binary are signed by the built-in publisher: trusted in every
// trust store unless revoked there.
func init() {
	if pub, err := bundle.DecodePublicKey(bundled.PublisherKey()); err == nil {
		trust.BuiltinPublisher = pub
	}
}

// installBundled installs the shipped apps that are missing or older than the shipped
// version, each verified like any other bundle. A newer version installed from a catalog
// is left alone.
func installBundled(cfg configs.Config, log io.Writer) error {
	reg, err := openRegistry(cfg)
	if err != nil {
		return err
	}
	defer reg.Close()
	var errs []error
	for _, a := range bundled.Apps() {
		b, err := bundle.Open(bytes.NewReader(a.Data), int64(len(a.Data)), bundle.DefaultLimits())
		if err != nil {
			errs = append(errs, fmt.Errorf("shipped %s: %w", a.Name, err))
			continue
		}
		m := b.Manifest
		if cur, err := reg.Get(m.AppID); err == nil {
			if newer, err := bundle.CompareVersions(m.Version, cur.Version); err != nil || newer <= 0 {
				continue
			}
		} else if !errors.Is(err, registry.ErrNotInstalled) {
			errs = append(errs, err)
			continue
		}
		inst, err := reg.Install(bytes.NewReader(a.Data), int64(len(a.Data)), registry.InstallOptions{Source: "bundled"})
		if errors.Is(err, registry.ErrSignerChanged) {
			// The user replaced the shipped app on purpose (--allow-signer-change): keep theirs.
			fmt.Fprintf(log, "the shipped app %s is not updated: %v\n", a.Name, err)
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("shipped %s: %w", a.Name, err))
			continue
		}
		fmt.Fprintf(log, "installed the shipped app %s %s\n", inst.ID, inst.Version)
	}
	return errors.Join(errs...)
}
