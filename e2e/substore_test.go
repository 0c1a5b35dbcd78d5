package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shopApp is the subpackage test app: a core and two subpackages (packageB independent).
const shopApp = "appstore/subpkg/testdata/shop"

// versionedShop copies the shop app with app.json's version set.
func versionedShop(t *testing.T, v string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot, shopApp)
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(dir, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "app.json" {
			var m map[string]any
			json.Unmarshal(data, &m)
			m["version"] = v
			data, _ = json.Marshal(m)
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestSubpackageSetCLI: pack writes the core and one bundle per subpackage, verify checks
// the set and names a swapped subpackage, store add publishes the set, an install from
// the catalog installs the core only, a sideload installs the set, and uninstall leaves
// nothing. (Navigation into a missing subpackage needs the shell's side: see
// docs/subpackages.md.)
func TestSubpackageSetCLI(t *testing.T) {
	h := home(t)
	dir := t.TempDir()
	key := trustedKey(t, h, dir, "Acme")
	const id = "dev.sandframe.shop"
	sfa, sfa2 := filepath.Join(dir, "shop.sfa"), filepath.Join(dir, "v2", "shop.sfa")
	os.MkdirAll(filepath.Dir(sfa2), 0o755)
	out, code := shellIn(t, h, "pack", versionedShop(t, "1.0.0"), "-o", sfa, "--key", key)
	if code != 0 || !strings.Contains(out, "subpackage packageA") || !strings.Contains(out, "independent subpackage packageB") {
		t.Fatalf("pack (%d):\n%s", code, out)
	}
	if out, code := shellIn(t, h, "pack", versionedShop(t, "2.0.0"), "-o", sfa2, "--key", key); code != 0 {
		t.Fatalf("pack 2.0.0 (%d):\n%s", code, out)
	}
	subA, subB := filepath.Join(dir, "shop.packageA.sfa"), filepath.Join(dir, "shop.packageB.sfa")
	if out, code := shellIn(t, h, "verify", sfa); code != 0 || strings.Count(out, "sha256 and signature checked") != 2 {
		t.Fatalf("verify the set (%d):\n%s", code, out)
	}

	// A subpackage swapped for another build's (same app, root and key): refused, named.
	good, _ := os.ReadFile(subA)
	other, _ := os.ReadFile(filepath.Join(dir, "v2", "shop.packageA.sfa"))
	os.WriteFile(subA, other, 0o644)
	if out, code := shellIn(t, h, "verify", sfa); code == 0 || !strings.Contains(out, "shop.packageA.sfa") || !strings.Contains(out, "swapped or altered") && !strings.Contains(out, "1.0.0") {
		t.Fatalf("verify with a swapped subpackage (%d):\n%s", code, out)
	}
	cat := filepath.Join(dir, "catalog")
	if out, code := shellIn(t, h, "store", "add", cat, sfa, "--key", key); code == 0 {
		t.Fatalf("store add with a swapped subpackage (%d):\n%s", code, out)
	}
	os.WriteFile(subA, good, 0o644)

	// Published together; installed from the catalog, the core comes alone.
	if out, code := shellIn(t, h, "store", "add", cat, sfa, "--key", key); code != 0 {
		t.Fatalf("store add (%d):\n%s", code, out)
	}
	if subs, _ := filepath.Glob(filepath.Join(cat, "bundles", id, "sub", "*.sfa")); len(subs) != 2 {
		t.Fatalf("catalog subpackages: %v", subs)
	}
	url := serveCatalog(t, h, cat)
	if out, code := shellIn(t, h, "install", id, "--catalog", url); code != 0 || !strings.Contains(out, "installed "+id+" 1.0.0") {
		t.Fatalf("install from the catalog (%d):\n%s", code, out)
	}
	if got := installedFiles(t, h, id, "packageA"); len(got) != 0 {
		t.Fatalf("the catalog install installed subpackage files: %v", got)
	}

	// Sideloaded with its subpackage bundles beside it (a repair of the same version).
	if out, code := shellIn(t, h, "install", sfa); code != 0 {
		t.Fatalf("install the set from files (%d):\n%s", code, out)
	}
	if got := installedFiles(t, h, id, "packageB"); len(got) != 2 {
		t.Fatalf("sideloaded subpackage files: %v", got)
	}
	_ = subB

	if out, code := shellIn(t, h, "uninstall", id); code != 0 {
		t.Fatalf("uninstall (%d): %s", code, out)
	}
	if left := filesNaming(t, h, id); len(left) > 0 {
		t.Fatalf("uninstall left the app in:\n%s", strings.Join(left, "\n"))
	}
}

// installedFiles lists the installed files of app id under root, from home h's data.
func installedFiles(t *testing.T, h []string, id, root string) []string {
	t.Helper()
	var out []string
	for _, kv := range h {
		k, dir, _ := strings.Cut(kv, "=")
		if k != "XDG_DATA_HOME" {
			continue
		}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.Contains(filepath.ToSlash(p), "/"+id+"/") && strings.Contains(filepath.ToSlash(p), "/"+root+"/") {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}
