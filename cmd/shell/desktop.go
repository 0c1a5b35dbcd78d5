package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/spf13/cobra"
)

// The names the desktop knows Sandframe by.
const (
	bundleMIMEType  = "application/x-sandframe-bundle"
	desktopFileName = "sandframe.desktop"
	desktopIconName = "sandframe"
)

// sandframeIcon is the launcher's icon, installed into the hicolor theme.
//
//go:embed sandframe.svg
var sandframeIcon []byte

// bundleMIMEXML defines the bundle type for shared-mime-info. Bundles are zip files whose
// first entry Pack always writes as META/manifest.json, so the magic looks for that name
// right after the first local file header (offset 30), as OpenDocument's does for
// "mimetype". The glob's weight beats the default 50 of other globs, and sub-class-of
// keeps archive tools offered for it.
const bundleMIMEXML = `<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="` + bundleMIMEType + `">
    <comment>Sandframe mini-app bundle</comment>
    <sub-class-of type="application/zip"/>
    <icon name="` + desktopIconName + `"/>
    <magic priority="70">
      <match type="string" value="PK\003\004" offset="0">
        <match type="string" value="META/manifest.json" offset="30"/>
      </match>
    </magic>
    <glob pattern="*.sfa" weight="60"/>
  </mime-type>
</mime-info>
`

// desktopToolTimeout bounds each update tool: a hung xdg-mime must not hang the command.
const desktopToolTimeout = 30 * time.Second

// desktopDirs are the XDG base directories desktop-install writes under.
type desktopDirs struct {
	data   string // $XDG_DATA_HOME
	config string // $XDG_CONFIG_HOME
}

func (d desktopDirs) entryPath() string {
	return filepath.Join(d.data, "applications", desktopFileName)
}

func (d desktopDirs) mimePackagePath() string {
	return filepath.Join(d.data, "mime", "packages", "sandframe-bundle.xml")
}

func (d desktopDirs) iconPath() string {
	return filepath.Join(d.data, "icons", "hicolor", "scalable", "apps", desktopIconName+".svg")
}

func (d desktopDirs) mimeappsPath() string { return filepath.Join(d.config, "mimeapps.list") }

// desktopFile is one file desktop-install owns.
type desktopFile struct {
	path string
	data []byte
}

// files lists what install writes, with exe (already resolved) in the entry's Exec.
func (d desktopDirs) files(exe string) ([]desktopFile, error) {
	entry, err := desktopEntry(exe)
	if err != nil {
		return nil, err
	}
	return []desktopFile{
		{d.entryPath(), entry},
		{d.mimePackagePath(), []byte(bundleMIMEXML)},
		{d.iconPath(), sandframeIcon},
	}, nil
}

// ownedPaths are the files install writes and uninstall removes.
func (d desktopDirs) ownedPaths() []string {
	return []string{d.entryPath(), d.mimePackagePath(), d.iconPath()}
}

func newDesktopInstallCmd(_ *globals) *cobra.Command {
	var execPath string
	var uninstall bool
	cmd := &cobra.Command{
		Use:   "desktop-install",
		Short: "Register Sandframe with the desktop: menu entry, icon and .sfa files",
		Long: `Register Sandframe with the desktop for the current user: a menu entry
($XDG_DATA_HOME/applications/sandframe.desktop), the icon, and the
application/x-sandframe-bundle type for *.sfa files with Sandframe as its default
application, so that opening a bundle in a file manager runs "shell open FILE".

Then it runs update-mime-database, update-desktop-database and xdg-mime when they are on
PATH (a note says which were not). Running it again rewrites the same files; --uninstall
removes them and the default-application entry.`,
		Example: `  shell desktop-install
  shell desktop-install --exec /usr/bin/sandframe   # packagers: the installed path
  shell desktop-install --uninstall`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dirs, err := desktopDirsFromEnv()
			if err != nil {
				return err
			}
			out, notes := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if uninstall {
				return uninstallDesktop(cmd.Context(), dirs, out, notes)
			}
			exe, err := resolveDesktopExec(execPath, notes)
			if err != nil {
				return badInput(err)
			}
			return installDesktop(cmd.Context(), dirs, exe, out, notes)
		},
	}
	cmd.Flags().StringVar(&execPath, "exec", "", "executable the menu entry runs (default: this one)")
	cmd.Flags().BoolVar(&uninstall, "uninstall", false, "remove what desktop-install wrote")
	cmd.MarkFlagsMutuallyExclusive("exec", "uninstall")
	return cmd
}

func installDesktop(ctx context.Context, dirs desktopDirs, exe string, out, notes io.Writer) error {
	files, err := dirs.files(exe)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := writeDesktopFile(f.path, f.data); err != nil {
			return fmt.Errorf("desktop-install: %w", err)
		}
		fmt.Fprintf(out, "wrote %s\n", f.path)
	}
	return runDesktopTools(ctx, [][]string{
		{"update-mime-database", filepath.Join(dirs.data, "mime")},
		{"update-desktop-database", filepath.Join(dirs.data, "applications")},
		{"xdg-mime", "default", desktopFileName, bundleMIMEType},
	}, out, notes)
}

func uninstallDesktop(ctx context.Context, dirs desktopDirs, out, notes io.Writer) error {
	for _, path := range dirs.ownedPaths() {
		switch err := os.Remove(path); {
		case err == nil:
			fmt.Fprintf(out, "removed %s\n", path)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("desktop-install --uninstall: %w", err)
		}
	}
	changed, err := removeMIMEDefault(dirs.mimeappsPath())
	if err != nil {
		return fmt.Errorf("desktop-install --uninstall: %w", err)
	}
	if changed {
		fmt.Fprintf(out, "removed %s from %s\n", bundleMIMEType, dirs.mimeappsPath())
	}
	// The caches would otherwise still name the type and the entry.
	var tools [][]string
	if dirExists(filepath.Join(dirs.data, "mime")) {
		tools = append(tools, []string{"update-mime-database", filepath.Join(dirs.data, "mime")})
	}
	if dirExists(filepath.Join(dirs.data, "applications")) {
		tools = append(tools, []string{"update-desktop-database", filepath.Join(dirs.data, "applications")})
	}
	return runDesktopTools(ctx, tools, out, notes)
}

// desktopDirsFromEnv reads $XDG_DATA_HOME and $XDG_CONFIG_HOME, with the spec's defaults.
func desktopDirsFromEnv() (desktopDirs, error) {
	data, err := desktopBaseDir("XDG_DATA_HOME", ".local/share")
	if err != nil {
		return desktopDirs{}, err
	}
	config, err := desktopBaseDir("XDG_CONFIG_HOME", ".config")
	if err != nil {
		return desktopDirs{}, err
	}
	return desktopDirs{data: data, config: config}, nil
}

// desktopBaseDir is $env when set and absolute (the spec says to ignore a relative one),
// else $HOME/def.
func desktopBaseDir(env, def string) (string, error) {
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("desktop-install: no $%s and no home directory: %w", env, err)
	}
	return filepath.Join(home, def), nil
}

// resolveDesktopExec is the program the entry runs: flag, if given (a bare name stays a
// name, looked up on PATH by the desktop; a path is made absolute), else this executable.
func resolveDesktopExec(flag string, notes io.Writer) (string, error) {
	exe := flag
	switch {
	case flag == "":
		self, err := os.Executable()
		if err != nil {
			return "", fmt.Errorf("desktop-install: cannot tell this executable's path (pass --exec): %w", err)
		}
		exe = self
		// `go run` builds into a temporary folder that is gone once it exits.
		if strings.Contains(exe, string(filepath.Separator)+"go-build") {
			fmt.Fprintf(notes, "note: %s looks temporary (go run?); pass --exec with the installed path\n", exe)
		}
	case strings.ContainsRune(flag, filepath.Separator):
		abs, err := filepath.Abs(flag)
		if err != nil {
			return "", fmt.Errorf("--exec %q: %w", flag, err)
		}
		exe = abs
	}
	if err := checkDesktopValue(exe); err != nil {
		if flag == "" {
			return "", fmt.Errorf("this executable's path %q (pass --exec): %w", exe, err)
		}
		return "", fmt.Errorf("--exec %q: %w", flag, err)
	}
	return exe, nil
}

// checkDesktopValue refuses what a desktop entry value cannot hold: it is UTF-8 text on
// one line.
func checkDesktopValue(s string) error {
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8, which a desktop entry requires")
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return errors.New("holds a control character (a newline or tab?)")
	}
	return nil
}

// desktopEntry is the sandframe.desktop file for exe.
func desktopEntry(exe string) ([]byte, error) {
	if err := checkDesktopValue(exe); err != nil {
		return nil, fmt.Errorf("desktop entry: Exec %q: %w", exe, err)
	}
	var b bytes.Buffer
	for _, kv := range [][2]string{
		{"Type", "Application"},
		{"Version", "1.1"}, // the spec version (Keywords came in 1.1), which older validators know
		{"Name", "Sandframe"},
		{"GenericName", "Mini-app launcher"},
		{"Comment", "Install and run mini-apps in a sandbox"},
		{"Exec", desktopExecValue(exe, "open", "%f")},
		{"Icon", desktopIconName},
		{"Terminal", "false"},
		{"Categories", "Utility;"},
		{"Keywords", "mini-app;miniapp;sandbox;"},
		{"MimeType", bundleMIMEType + ";"},
		{"StartupNotify", "true"},
		{"StartupWMClass", "sandframe"}, // render sets every window's WM_CLASS to it
	} {
		fmt.Fprintf(&b, "%s=%s\n", kv[0], kv[1])
	}
	return append([]byte("[Desktop Entry]\n"), b.Bytes()...), nil
}

// desktopExecValue builds an Exec value: the program quoted per the Desktop Entry spec
// (it may hold spaces or other reserved characters), then args, which are trusted field
// codes and words. The string-value escape (a backslash doubled) applies after quoting.
func desktopExecValue(program string, args ...string) string {
	words := append([]string{quoteExecArg(program)}, args...)
	return strings.ReplaceAll(strings.Join(words, " "), `\`, `\\`)
}

// execReserved are the characters that make an Exec argument need double quotes.
const execReserved = " \t\n\"'\\><~|&;$*?#()`"

// quoteExecArg quotes one literal Exec argument: '%' is doubled (it starts field codes);
// an argument with a reserved character is put in double quotes, inside which '"', '`',
// '$' and '\' are escaped with a backslash.
func quoteExecArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if !strings.ContainsAny(s, execReserved) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if strings.ContainsRune("\"`$\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// writeDesktopFile writes data to path through a temporary file and a rename, mode 0644
// (the desktop reads these files as other processes), making folders 0755.
func writeDesktopFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return atomicfile.Write(path, data, 0o644)
}

// removeMIMEDefault takes sandframe.desktop out of the bundle type's line in mimeapps.list
// ([Default Applications], and [Added Associations] where gio puts it too), dropping the
// line when nothing else is left on it. Everything else in the file is kept as it was.
// It reports whether the file changed; a missing file is no change.
func removeMIMEDefault(path string) (bool, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", path, err)
	}
	edited, changed := withoutMIMEDefault(string(raw))
	if !changed {
		return false, nil
	}
	if err := atomicfile.Write(path, []byte(edited), st.Mode().Perm()); err != nil {
		return false, err
	}
	return true, nil
}

// withoutMIMEDefault is removeMIMEDefault on the file's text.
func withoutMIMEDefault(text string) (string, bool) {
	lines := strings.SplitAfter(text, "\n")
	kept := lines[:0]
	changed := false
	section := ""
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "[") {
			section = trimmed
		}
		key, value, ok := strings.Cut(trimmed, "=")
		if !ok || strings.TrimSpace(key) != bundleMIMEType ||
			(section != "[Default Applications]" && section != "[Added Associations]") {
			kept = append(kept, line)
			continue
		}
		var rest []string
		ours := false
		for _, id := range strings.Split(value, ";") {
			switch id = strings.TrimSpace(id); id {
			case desktopFileName:
				ours = true
			case "":
			default:
				rest = append(rest, id)
			}
		}
		if !ours {
			kept = append(kept, line)
			continue
		}
		changed = true
		if len(rest) > 0 {
			kept = append(kept, bundleMIMEType+"="+strings.Join(rest, ";")+";\n")
		}
	}
	return strings.Join(kept, ""), changed
}

// runDesktopTools runs each command whose program is on PATH, noting the ones that are
// not (the files are in place; the desktop picks them up when its caches are rebuilt).
// A failing tool does not stop the others; their errors are returned together.
func runDesktopTools(ctx context.Context, cmds [][]string, out, notes io.Writer) error {
	var errs []error
	for _, argv := range cmds {
		prog, err := exec.LookPath(argv[0])
		if err != nil {
			fmt.Fprintf(notes, "note: %s is not installed; skipped %s\n", argv[0], strings.Join(argv, " "))
			continue
		}
		tctx, cancel := context.WithTimeout(ctx, desktopToolTimeout)
		c := exec.CommandContext(tctx, prog, argv[1:]...)
		var output bytes.Buffer
		c.Stdout, c.Stderr = &output, &output
		err = c.Run()
		cancel()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w: %s", strings.Join(argv, " "), err, strings.TrimSpace(output.String())))
			continue
		}
		fmt.Fprintf(out, "ran %s\n", strings.Join(argv, " "))
	}
	return errors.Join(errs...)
}

func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
