package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/lint"
	"github.com/sandframe/sandframe/host"
)

// Every template writes a project that compiles as the shell loads it and that the
// linter passes without a finding.
func TestEveryTemplateLoadsAndLintsClean(t *testing.T) {
	for _, tmpl := range Templates {
		t.Run(tmpl, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "My App")
			files, err := Write(dir, Options{Template: tmpl})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) < 5 {
				t.Fatalf("wrote only %v", files)
			}
			app, err := host.LoadDir(dir)
			if err != nil {
				t.Fatalf("the new project does not load: %v", err)
			}
			if id := app.Project.App.ID; id != "dev.local.my-app" {
				t.Errorf("id %q, want dev.local.my-app", id)
			}
			findings, err := lint.Run(os.DirFS(dir), lint.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if len(findings) > 0 {
				t.Fatalf("lint findings in a new %s project: %+v", tmpl, findings)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "app.json"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), "[[") {
				t.Fatalf("app.json keeps a template placeholder:\n%s", raw)
			}
		})
	}
}

func TestTypeScriptTemplateShipsTypings(t *testing.T) {
	dir := t.TempDir() + "/typed"
	if _, err := Write(dir, Options{Template: "typescript"}); err != nil {
		t.Fatal(err)
	}
	pkg, _ := os.ReadFile(filepath.Join(dir, "package.json"))
	if !strings.Contains(string(pkg), `"miniprogram-api-typings": "5.2.3"`) {
		t.Errorf("package.json does not pin miniprogram-api-typings 5.2.3:\n%s", pkg)
	}
	dts, _ := os.ReadFile(filepath.Join(dir, "typings/sf.d.ts"))
	if string(dts) != SfTypings() {
		t.Error("typings/sf.d.ts is not the registry's")
	}
}

func TestWriteRefusesANonEmptyFolderAndAnUnknownTemplate(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Write(dir, Options{}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("writing into a non-empty folder: %v", err)
	}
	if _, err := Write(filepath.Join(dir, "x"), Options{Template: "nope"}); err == nil || !strings.Contains(err.Error(), "no template") {
		t.Errorf("unknown template: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "keep.txt")); string(b) != "x" {
		t.Error("the folder's file changed")
	}
}

// sf.d.ts declares sf's own APIs from the registry, and not WeChat's.
func TestSfTypingsFromTheRegistry(t *testing.T) {
	d := SfTypings()
	for _, want := range []string{
		"requestCapability(option: RequestCapabilityOption | string): Promise<Result>",
		"interface ShareAPI", "publish(", "share: ShareAPI",
		"type Sf = Omit<WechatMiniprogram.Wx, keyof Own> & Own",
		"declare const sf: SF.Sf",
	} {
		if !strings.Contains(d, want) {
			t.Errorf("sf.d.ts lacks %q", want)
		}
	}
	for _, wechat := range []string{"    showToast(", "    request(", "    navigateTo("} {
		if strings.Contains(d, wechat) {
			t.Errorf("sf.d.ts declares WeChat's %q, which its typings have", wechat)
		}
	}
}

// docs/sf.d.ts is what `go generate ./scaffold` writes now.
func TestGeneratedDocsCopyIsCurrent(t *testing.T) {
	got, err := os.ReadFile("../docs/sf.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != SfTypings() {
		t.Fatal("docs/sf.d.ts is stale: run go generate ./scaffold")
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string][2]string{
		"my-app":     {"my-app", "My App"},
		"Shop_Front": {"shop_front", "Shop Front"},
		"日本":         {"app", "日本"},
	} {
		if got := idLabel(in); got != want[0] {
			t.Errorf("idLabel(%q) = %q, want %q", in, got, want[0])
		}
		if got := title(in); got != want[1] {
			t.Errorf("title(%q) = %q, want %q", in, got, want[1])
		}
	}
}
