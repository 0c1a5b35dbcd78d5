package dev

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Change is one debounced burst of edits: the project's files that changed (slash
// paths relative to the project) and what they call for.
type Change struct {
	Files []string
	// StylesOnly: every file is WXSS, which the running page swaps in without a reload;
	// otherwise the app recompiles and restarts with its page stack.
	StylesOnly bool
	// At is when the first edit of the burst was seen (edit-to-screen time starts here).
	At time.Time
}

// skipDir reports the folders whose changes never reach the app: version control,
// npm's packages, editors' own folders.
func skipDir(name string) bool {
	return name == "node_modules" || strings.HasPrefix(name, ".") && name != "."
}

// relevant reports whether a changed file can change the running app. Typings,
// npm's and TypeScript's configuration, docs and editors' temporary files cannot.
func relevant(rel string) bool {
	base := filepath.Base(rel)
	switch {
	case strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"), base == "4913",
		strings.HasSuffix(base, ".d.ts"), strings.HasSuffix(base, ".md"),
		base == "package.json", base == "package-lock.json", base == "tsconfig.json",
		base == "project.config.json", base == "project.private.config.json":
		return false
	}
	for _, part := range strings.Split(filepath.ToSlash(filepath.Dir(rel)), "/") {
		if part != "." && skipDir(part) {
			return false
		}
	}
	return true
}

// watcher turns the file system's events under a project into debounced Changes.
type watcher struct {
	root     string
	debounce time.Duration
	fsw      *fsnotify.Watcher
	out      chan Change
	errs     chan error
	done     chan struct{}
}

// watch starts watching every folder of root (new folders join as they appear). Each
// burst of events closer together than debounce becomes one Change: an editor's save
// (write a temporary file, rename it over, touch the folder) is one reload.
func watch(root string, debounce time.Duration) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, debounce: debounce, fsw: fsw, out: make(chan Change, 16),
		errs: make(chan error, 4), done: make(chan struct{})}
	if err := w.addTree(root); err != nil {
		fsw.Close()
		return nil, err
	}
	go w.loop()
	return w, nil
}

func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && skipDir(d.Name()) {
			return filepath.SkipDir
		}
		return w.fsw.Add(p)
	})
}

// filesIn lists the relevant files under dir, relative to the project.
func (w *watcher) filesIn(dir string) []string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if rel, err := filepath.Rel(w.root, p); err == nil && relevant(rel) {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (w *watcher) close() {
	w.fsw.Close()
	<-w.done
}

func (w *watcher) loop() {
	defer close(w.done)
	defer close(w.out)
	pending := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			rel, err := filepath.Rel(w.root, ev.Name)
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					if skipDir(filepath.Base(ev.Name)) {
						continue
					}
					_ = w.addTree(ev.Name)
					// Files written before the folder was watched are changes too.
					for _, f := range w.filesIn(ev.Name) {
						if len(pending) == 0 {
							first = time.Now()
						}
						pending[f] = true
						timer.Reset(w.debounce)
					}
					continue
				}
			}
			if ev.Op == fsnotify.Chmod || !relevant(rel) {
				continue
			}
			if len(pending) == 0 {
				first = time.Now()
			}
			pending[filepath.ToSlash(rel)] = true
			timer.Reset(w.debounce)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			select {
			case w.errs <- err:
			default:
			}
		case <-timer.C:
			c := Change{At: first, StylesOnly: true}
			for f := range pending {
				c.Files = append(c.Files, f)
				if !strings.HasSuffix(f, ".wxss") {
					c.StylesOnly = false
				}
			}
			sort.Strings(c.Files)
			pending = map[string]bool{}
			w.out <- c
		}
	}
}
