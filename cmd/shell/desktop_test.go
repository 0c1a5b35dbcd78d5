package main

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/appstore/bundle"
)

func TestQuoteExecArg(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/usr/bin/sandframe", "/usr/bin/sandframe"},
		{"sandframe", "sandframe"},
		{"/opt/My Apps/shell", `"/opt/My Apps/shell"`},
		{"/opt/a$b/shell", `"/opt/a\$b/shell"`},
		{`/opt/a"b/shell`, `"/opt/a\"b/shell"`},
		{"/opt/a`b/shell", "\"/opt/a\\`b/shell\""},
		{`/opt/a\b/shell`, `"/opt/a\\b/shell"`},
		{"/opt/it's/shell", `"/opt/it's/shell"`},
		{"/opt/100%/shell", "/opt/100%%/shell"},
		{"/opt/100% sure/shell", `"/opt/100%% sure/shell"`},
		{"/opt/~me/shell", `"/opt/~me/shell"`},
		{"/opt/été/shell", "/opt/été/shell"},
	} {
		if got := quoteExecArg(tc.in); got != tc.want {
			t.Errorf("quoteExecArg(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDesktopExecValue(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/usr/bin/shell", "/usr/bin/shell open %f"},
		{"/opt/My Apps/shell", `"/opt/My Apps/shell" open %f`},
		// The quoting rule's backslash is doubled again by the string-value escape.
		{`/opt/a\b/shell`, `"/opt/a\\\\b/shell" open %f`},
		{"/opt/a$b/shell", `"/opt/a\\$b/shell" open %f`},
	} {
		if got := desktopExecValue(tc.in, "open", "%f"); got != tc.want {
			t.Errorf("desktopExecValue(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestResolveDesktopExec(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, flag, want, wantErr string
	}{
		{"absolute", "/usr/bin/sandframe", "/usr/bin/sandframe", ""},
		{"relative is made absolute", "bin/shell", filepath.Join(wd, "bin", "shell"), ""},
		{"bare name stays for PATH", "sandframe", "sandframe", ""},
		{"default is this executable", "", self, ""},
		{"newline refused", "/opt/a\nb/shell", "", "control character"},
		{"tab refused", "/opt/a\tb/shell", "", "control character"},
		{"not UTF-8 refused", "/opt/\xff/shell", "", "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var notes bytes.Buffer
			got, err := resolveDesktopExec(tc.flag, &notes)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "--exec") {
					t.Fatalf("err = %v, want one naming --exec and %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("= %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestWithoutMIMEDefault(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		changed        bool
	}{
		{
			name: "only ours: line dropped",
			in:   "[Default Applications]\ntext/plain=gedit.desktop\napplication/x-sandframe-bundle=sandframe.desktop\n",
			want: "[Default Applications]\ntext/plain=gedit.desktop\n", changed: true,
		},
		{
			name: "ours among others: others kept",
			in:   "[Added Associations]\napplication/x-sandframe-bundle=sandframe.desktop;ark.desktop;\n",
			want: "[Added Associations]\napplication/x-sandframe-bundle=ark.desktop;\n", changed: true,
		},
		{
			name: "both sections",
			in:   "[Default Applications]\napplication/x-sandframe-bundle=sandframe.desktop\n\n[Added Associations]\napplication/x-sandframe-bundle=sandframe.desktop;\nimage/png=eog.desktop;\n",
			want: "[Default Applications]\n\n[Added Associations]\nimage/png=eog.desktop;\n", changed: true,
		},
		{
			name: "another app's default untouched",
			in:   "[Default Applications]\napplication/x-sandframe-bundle=other.desktop\n",
			want: "[Default Applications]\napplication/x-sandframe-bundle=other.desktop\n",
		},
		{
			name: "removed associations untouched",
			in:   "[Removed Associations]\napplication/x-sandframe-bundle=sandframe.desktop\n",
			want: "[Removed Associations]\napplication/x-sandframe-bundle=sandframe.desktop\n",
		},
		{
			name: "other types naming us untouched",
			in:   "[Default Applications]\napplication/zip=sandframe.desktop\n",
			want: "[Default Applications]\napplication/zip=sandframe.desktop\n",
		},
		{name: "empty", in: "", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := withoutMIMEDefault(tc.in)
			if got != tc.want || changed != tc.changed {
				t.Fatalf("got %q, %v; want %q, %v", got, changed, tc.want, tc.changed)
			}
		})
	}
}

func TestEmbeddedFilesAreWellFormedXML(t *testing.T) {
	for name, data := range map[string][]byte{"sandframe.svg": sandframeIcon, "sandframe-bundle.xml": []byte(bundleMIMEXML)} {
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if err != nil {
				if err != io.EOF {
					t.Errorf("%s: %v", name, err)
				}
				break
			}
		}
	}
	var mi struct {
		Types []struct {
			Type    string `xml:"type,attr"`
			Comment string `xml:"comment"`
			Globs   []struct {
				Pattern string `xml:"pattern,attr"`
				Weight  string `xml:"weight,attr"`
			} `xml:"glob"`
		} `xml:"mime-type"`
	}
	if err := xml.Unmarshal([]byte(bundleMIMEXML), &mi); err != nil {
		t.Fatal(err)
	}
	if len(mi.Types) != 1 || mi.Types[0].Type != bundleMIMEType || mi.Types[0].Comment != "Sandframe mini-app bundle" ||
		len(mi.Types[0].Globs) != 1 || mi.Types[0].Globs[0].Pattern != "*.sfa" || mi.Types[0].Globs[0].Weight != "60" {
		t.Fatalf("MIME package = %+v", mi)
	}
}

// desktopEnv points every XDG directory the command and the desktop tools read at
// temporary folders, and makes xdg-mime use its generic (mimeapps.list) backend.
func desktopEnv(t *testing.T) desktopDirs {
	t.Helper()
	root := t.TempDir()
	dirs := desktopDirs{data: filepath.Join(root, "data"), config: filepath.Join(root, "config")}
	t.Setenv("XDG_DATA_HOME", dirs.data)
	t.Setenv("XDG_CONFIG_HOME", dirs.config)
	t.Setenv("XDG_DATA_DIRS", "/usr/local/share:/usr/share") // the base MIME database
	t.Setenv("XDG_CONFIG_DIRS", filepath.Join(root, "etc-xdg"))
	t.Setenv("XDG_RUNTIME_DIR", filepath.Join(root, "run"))
	t.Setenv("XDG_CURRENT_DESKTOP", "X-Generic")
	return dirs
}

func runDesktopInstall(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := newDesktopInstallCmd(&globals{})
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("desktop-install %v: %v\nstdout:\n%s\nstderr:\n%s", args, err, out.String(), errOut.String())
	}
	return out.String(), errOut.String()
}

// snapshot is every file under dirs, by path, with its mode and contents.
func snapshot(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			files[path] = info.Mode().String() + "\n" + string(data)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return files
}

func have(progs ...string) bool {
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			return false
		}
	}
	return true
}

func xdgMimeQuery(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("xdg-mime", append([]string{"query"}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xdg-mime query %v: %v: %s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// writeTestBundle packs a one-file app into path, as `shell pack` would.
func writeTestBundle(t *testing.T, path string) {
	t.Helper()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "app.json"), []byte(`{"id": "dev.example.desktop", "version": "1.0.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := bundle.Pack(src, &buf, bundle.PackOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeTestZip(t *testing.T, path string) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("hello"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDesktopInstall(t *testing.T) {
	dirs := desktopEnv(t)
	exe, err := os.Executable() // a real program: xdg-mime only reports defaults whose Exec exists
	if err != nil {
		t.Fatal(err)
	}

	stdout, stderr := runDesktopInstall(t, "--exec", exe)
	t.Logf("stdout:\n%s\nstderr:\n%s", stdout, stderr)

	for _, path := range dirs.ownedPaths() {
		if !strings.Contains(stdout, "wrote "+path+"\n") {
			t.Errorf("stdout does not say it wrote %s:\n%s", path, stdout)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", path, st.Mode().Perm())
		}
		if dst, err := os.Stat(filepath.Dir(path)); err != nil || dst.Mode().Perm() != 0o755 {
			t.Errorf("%s: folder mode %v (%v), want 0755", filepath.Dir(path), dst.Mode().Perm(), err)
		}
	}
	wantEntry := "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Version=1.1\n" +
		"Name=Sandframe\n" +
		"GenericName=Mini-app launcher\n" +
		"Comment=Install and run mini-apps in a sandbox\n" +
		"Exec=" + exe + " open %f\n" +
		"Icon=sandframe\n" +
		"Terminal=false\n" +
		"Categories=Utility;\n" +
		"Keywords=mini-app;miniapp;sandbox;\n" +
		"MimeType=application/x-sandframe-bundle;\n" +
		"StartupNotify=true\n" +
		"StartupWMClass=sandframe\n"
	if strings.ContainsAny(exe, execReserved+"%") {
		t.Fatalf("test executable path %q needs quoting; the expected entry assumes it does not", exe)
	}
	if got, _ := os.ReadFile(dirs.entryPath()); string(got) != wantEntry {
		t.Errorf("%s:\n%s\nwant:\n%s", dirs.entryPath(), got, wantEntry)
	}
	if got, _ := os.ReadFile(dirs.mimePackagePath()); string(got) != bundleMIMEXML {
		t.Errorf("%s:\n%s", dirs.mimePackagePath(), got)
	}
	if got, _ := os.ReadFile(dirs.iconPath()); !bytes.Equal(got, sandframeIcon) || !bytes.Contains(got, []byte("<svg")) {
		t.Errorf("%s is not the embedded SVG icon", dirs.iconPath())
	}
	if have("desktop-file-validate") {
		if out, err := exec.Command("desktop-file-validate", dirs.entryPath()).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	} else {
		t.Log("desktop-file-validate not installed: entry not validated")
	}

	// Idempotent: a second run leaves exactly the same files (the caches included).
	before := snapshot(t, dirs.data, dirs.config)
	runDesktopInstall(t, "--exec", exe)
	after := snapshot(t, dirs.data, dirs.config)
	if len(before) != len(after) {
		t.Errorf("second run: %d files, first %d", len(after), len(before))
	}
	for path, content := range before {
		if after[path] != content {
			t.Errorf("second run changed %s", path)
		}
	}

	files := t.TempDir()
	sfa, bare, plainZip := filepath.Join(files, "todo.sfa"), filepath.Join(files, "todo-bundle"), filepath.Join(files, "plain.zip")
	writeTestBundle(t, sfa)
	writeTestBundle(t, bare)
	writeTestZip(t, plainZip)
	queries := have("update-mime-database", "xdg-mime", "mimetype")
	if queries {
		if !strings.Contains(stdout, "ran update-mime-database") || !strings.Contains(stdout, "ran xdg-mime default") {
			t.Errorf("stdout does not report the update tools:\n%s", stdout)
		}
		for _, tc := range []struct{ file, want string }{
			{sfa, bundleMIMEType},         // the glob
			{bare, bundleMIMEType},        // the magic: no extension
			{plainZip, "application/zip"}, // other zips stay zips
		} {
			if got := xdgMimeQuery(t, "filetype", tc.file); got != tc.want {
				t.Errorf("xdg-mime query filetype %s = %q, want %q", filepath.Base(tc.file), got, tc.want)
			}
		}
		if got := xdgMimeQuery(t, "default", bundleMIMEType); got != desktopFileName {
			t.Errorf("xdg-mime query default = %q, want %q", got, desktopFileName)
		}
	} else {
		t.Log("update-mime-database, xdg-mime or mimetype not installed: desktop queries not checked")
	}

	stdout, _ = runDesktopInstall(t, "--uninstall")
	for _, path := range dirs.ownedPaths() {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("after --uninstall %s: %v, want it gone", path, err)
		}
		if !strings.Contains(stdout, "removed "+path+"\n") {
			t.Errorf("stdout does not say it removed %s:\n%s", path, stdout)
		}
	}
	if queries {
		if got := xdgMimeQuery(t, "filetype", sfa); got != "application/zip" {
			t.Errorf("after --uninstall: xdg-mime query filetype = %q, want application/zip", got)
		}
		if got := xdgMimeQuery(t, "default", bundleMIMEType); got != "" {
			t.Errorf("after --uninstall: xdg-mime query default = %q, want none", got)
		}
		if list, _ := os.ReadFile(dirs.mimeappsPath()); bytes.Contains(list, []byte(bundleMIMEType)) {
			t.Errorf("after --uninstall %s still names the type:\n%s", dirs.mimeappsPath(), list)
		}
	}

	// Uninstalling what is not there is not an error.
	runDesktopInstall(t, "--uninstall")
}

func TestDesktopInstallQuotesExec(t *testing.T) {
	dirs := desktopEnv(t)
	validate, haveValidate := exec.LookPath("desktop-file-validate")
	t.Setenv("PATH", t.TempDir()) // no update tools: only the entry matters here
	exe := "/opt/Sand Frame $1/bin/shell"
	runDesktopInstall(t, "--exec", exe)
	entry, err := os.ReadFile(dirs.entryPath())
	if err != nil {
		t.Fatal(err)
	}
	if want := "\nExec=\"/opt/Sand Frame \\\\$1/bin/shell\" open %f\n"; !strings.Contains(string(entry), want) {
		t.Errorf("entry:\n%s\nwant a line %q", entry, want)
	}
	if haveValidate == nil {
		if out, err := exec.Command(validate, dirs.entryPath()).CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("desktop-file-validate: %v\n%s", err, out)
		}
	}
}

func TestDesktopInstallWithoutTools(t *testing.T) {
	dirs := desktopEnv(t)
	t.Setenv("PATH", t.TempDir())
	stdout, stderr := runDesktopInstall(t, "--exec", "/usr/bin/sandframe")
	for _, path := range dirs.ownedPaths() {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("without the tools the files are still written: %v", err)
		}
	}
	for _, tool := range []string{"update-mime-database", "update-desktop-database", "xdg-mime"} {
		if !strings.Contains(stderr, "note: "+tool+" is not installed") {
			t.Errorf("stderr has no note about %s:\n%s", tool, stderr)
		}
		if strings.Contains(stdout, "ran "+tool) {
			t.Errorf("stdout says it ran %s:\n%s", tool, stdout)
		}
	}
}

func TestDesktopInstallRefusesBadArgs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		args      []string
		wantErr   string
		wantUsage bool // exit status 2
	}{
		{"newline in --exec", []string{"--exec", "/opt/a\nb"}, "control character", true},
		{"--exec with --uninstall", []string{"--exec", "/usr/bin/sandframe", "--uninstall"}, "exec uninstall", false},
		{"an argument", []string{"app.sfa"}, "unknown command", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dirs := desktopEnv(t)
			cmd := newDesktopInstallCmd(&globals{})
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			cmd.SetArgs(tc.args)
			err := cmd.Execute()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
			}
			var ue *usageError
			if tc.wantUsage && !errors.As(err, &ue) {
				t.Errorf("err = %v, want a usage error", err)
			}
			if _, err := os.Stat(dirs.entryPath()); !os.IsNotExist(err) {
				t.Errorf("refused, yet the entry was written: %v", err)
			}
		})
	}
}
