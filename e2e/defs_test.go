package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// TestSecurityDefinitionsBlockAtNextLaunch: an installed app that the definitions later
// call malicious is blocked at its next launch; definitions never go backwards.
func TestSecurityDefinitionsBlockAtNextLaunch(t *testing.T) {
	h := home(t)
	dir := t.TempDir()
	key := trustedKey(t, h, dir, "Acme")
	sfa := filepath.Join(dir, "todo.sfa")
	if out, code := shellIn(t, h, "pack", "examples/todo", "-o", sfa, "--key", key); code != 0 {
		t.Fatalf("pack: %s", out)
	}
	if out, code := shellIn(t, h, "install", sfa); code != 0 {
		t.Fatalf("install: %s", out)
	}

	// Definitions naming the todo's store.js as malicious, published in a catalog.
	src, err := os.ReadFile(filepath.Join(repoRoot, "examples/todo/utils/store.js"))
	if err != nil {
		t.Fatal(err)
	}
	packed, err := bundle.MinifySource("utils/store.js", src) // what pack put in the bundle
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(packed)
	cat := filepath.Join(dir, "catalog")
	os.MkdirAll(cat, 0o755)
	sign := func(version int, digests []string) {
		t.Helper()
		raw, _ := json.Marshal(map[string]any{"version": version, "maliciousSha256": digests, "bannedPatterns": []any{}, "revokedSigners": []any{}})
		srcFile := filepath.Join(dir, "defs-src.json")
		os.WriteFile(srcFile, raw, 0o600)
		if out, code := shellIn(t, h, "defs", "sign", srcFile, "--key", key, "-o", filepath.Join(cat, "defs.json")); code != 0 {
			t.Fatalf("defs sign: %s", out)
		}
	}
	sign(2, []string{hex.EncodeToString(sum[:])})
	if out, code := shellIn(t, h, "store", "add", cat, sfa, "--key", key); code != 0 {
		t.Fatalf("store add: %s", out)
	}
	url := serveCatalog(t, h, cat)
	if out, code := shellIn(t, h, "defs", "update", "--catalog", url); code != 0 || !strings.Contains(out, "definitions 2") {
		t.Fatalf("defs update (%d): %s", code, out)
	}
	if out, code := shellIn(t, h, "run", "dev.sandframe.todo"); code != 2 || !strings.Contains(out, "defs/malicious") {
		t.Fatalf("run of a now-malicious app (%d): %s", code, out)
	}
	// An older definitions file does not replace a newer one.
	sign(1, []string{})
	if out, code := shellIn(t, h, "defs", "update", "--catalog", url); code != 0 || !strings.Contains(out, "definitions 2 are current") {
		t.Fatalf("replayed older definitions (%d): %s", code, out)
	}
	if out, _ := shellIn(t, h, "defs", "show"); !strings.Contains(out, "version 2") {
		t.Fatalf("defs show: %s", out)
	}
}
