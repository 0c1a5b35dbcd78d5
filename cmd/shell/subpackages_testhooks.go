//go:build sandframe_testhooks

package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/sandframe/sandframe/host"
)

// In test builds, SFTEST_SUBPACKAGE_STORE=DIR makes `shell run APP` fetch each
// subpackage missing from APP from DIR/ROOT (copied in, then renamed into place, as a
// catalog install would); SFTEST_SUBPACKAGE_FAIL=TEXT fails every fetch with TEXT. The
// e2e tests use it (e2e/subpackages_test.go).
func init() {
	testSubpackages = func(path string) (*host.App, bool, error) {
		store := os.Getenv("SFTEST_SUBPACKAGE_STORE")
		if store == "" {
			return nil, false, nil
		}
		app, err := host.LoadDirFetching(path, &dirFetcher{app: path, store: store, fail: os.Getenv("SFTEST_SUBPACKAGE_FAIL")})
		return app, true, err
	}
}

type dirFetcher struct{ app, store, fail string }

func (f *dirFetcher) Present(root string) bool {
	st, err := os.Stat(filepath.Join(f.app, filepath.FromSlash(root)))
	return err == nil && st.IsDir()
}

func (f *dirFetcher) Fetch(ctx context.Context, root string, progress func(done, total int64)) error {
	if f.fail != "" {
		return errors.New(f.fail)
	}
	src := filepath.Join(f.store, filepath.FromSlash(root))
	tmp := filepath.Join(f.app, ".fetch-"+filepath.Base(root))
	var total int64
	_ = filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			total += info.Size()
		}
		return nil
	})
	var done int64
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(tmp, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		done += int64(len(b))
		if progress != nil {
			progress(done, total)
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return os.Rename(tmp, filepath.Join(f.app, filepath.FromSlash(root)))
}
