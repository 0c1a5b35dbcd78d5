package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sandframe/sandframe/files"
	login "github.com/sandframe/sandframe/identity"
	"github.com/sandframe/sandframe/internal/appdata"
	"github.com/sandframe/sandframe/internal/identity"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/perms"
	"github.com/sandframe/sandframe/share"
)

// wipeCanary is a value the app stores in every store; nothing of it may survive.
const wipeCanary = "canary-5e1f0c9a7d"

// pngWithCanary is a PNG signature followed by the canary: enough to sniff as an image.
var pngWithCanary = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), []byte(wipeCanary+strings.Repeat("\x00", 64))...)

// useEveryStore makes app leave something in every store of svc: storage, a share and
// consents both ways, permission decisions (standing and one-time), a quarantine entry,
// a cookie, a cached remote image, a cached bundle, user and temporary files.
func useEveryStore(t *testing.T, cfg configsLike, svc *services, app identity.App, bundlePath string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/img.png" {
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngWithCanary)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: wipeCanary})
		io.WriteString(w, `{"ok": true}`)
	}))
	t.Cleanup(srv.Close)
	// Loopback over http is what dev mode allows: the services' own client and image
	// fetcher, configured so.
	svc.network = netapi.New(netapi.Config{DevMode: true})
	svc.images = netapi.NewImages(netapi.ImageConfig{Net: netapi.Config{DevMode: true}, CacheDir: cfg.cache})

	ns, err := svc.storage.App(app.Key())
	must(t, err)
	must(t, ns.Set("note", json.RawMessage(`"`+wipeCanary+`"`)))
	reader := identity.Unverified("dev.example.reader")
	must(t, svc.shares.Publish(app, "greeting", json.RawMessage(`"`+wipeCanary+`"`), []string{reader.ID}))
	must(t, svc.shares.SetConsent(reader, app, share.Granted))
	must(t, svc.shares.SetConsent(app, reader, share.Denied))
	if svc.perms != nil { // a prompt (answered by policy) makes the id's prompt slot
		svc.perms.Check(context.Background(), perms.App{ID: app.ID, Signer: app.Signer, Verified: true,
			Claims: map[string]perms.Claim{"location:read": {Reason: "r"}}}, "getLocation")
	}
	must(t, svc.store.Set(app.ID, app.Signer, "user:readProfile", perms.DecisionGranted))
	must(t, svc.store.Set(app.ID, app.Signer, "clipboard:write", perms.DecisionOnce))
	must(t, svc.quarantine.Quarantine(app.Key(), "test: "+wipeCanary))
	_, _, err = login.Key(login.StoreOf(svc.storage), app, true) // wx.login's key
	must(t, err)
	args, _ := json.Marshal(map[string]string{"url": srv.URL + "/login"})
	if _, err := svc.network.Request(context.Background(), netapi.App{ID: app.Key()}, args); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.images.Fetch(context.Background(), netapi.ImageApp{ID: app.Key(), Policy: netapi.ImagesAny}, srv.URL+"/img.png"); err != nil {
		t.Fatal(err)
	}
	af := svc.files.App(app.Key(), files.AppOptions{})
	must(t, af.Mkdir("wxfile://usr/notes", false))
	must(t, af.WriteFile("wxfile://usr/notes/"+wipeCanary+".txt", []byte(wipeCanary), false))
	if _, err := af.WriteTemp(".txt", []byte(wipeCanary)); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(bundlePath)
	must(t, err)
	must(t, os.MkdirAll(cfg.bundles, 0o700))
	must(t, os.WriteFile(filepath.Join(cfg.bundles, "0123.sfa"), raw, 0o600))
}

// configsLike is the part of the config the test writes to by hand.
type configsLike struct{ cache, bundles string }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// residue lists where the shell's folders still hold one of needles, in a file's name
// or raw bytes (SQLite's free pages and WAL included). The audit log is kept on purpose.
func residue(t *testing.T, dirs []string, audit string, needles ...string) []string {
	t.Helper()
	var found []string
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if p == audit || strings.HasPrefix(p, audit+string(filepath.Separator)) {
				return fs.SkipDir
			}
			for _, n := range needles {
				if strings.Contains(d.Name(), n) {
					found = append(found, p+" (name): "+n)
				}
			}
			if !d.Type().IsRegular() {
				return nil
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", p, err)
				return nil
			}
			for _, n := range needles {
				if bytes.Contains(raw, []byte(n)) {
					found = append(found, p+": "+n)
				}
			}
			return nil
		})
	}
	return found
}

// liveResidue walks everything reachable from v (unexported fields, maps, slices,
// pointers; not functions, channels or C memory) and lists the paths of strings and
// byte slices holding one of needles.
func liveResidue(v reflect.Value, needles ...string) []string {
	w := &walker{needles: needles, seen: map[uintptr]bool{}}
	w.walk(v, "svc", 0)
	return w.found
}

type walker struct {
	needles []string
	seen    map[uintptr]bool
	found   []string
	nodes   int
}

func (w *walker) check(s, path string) {
	for _, n := range w.needles {
		if strings.Contains(s, n) {
			w.found = append(w.found, path+": "+n)
		}
	}
}

func (w *walker) walk(v reflect.Value, path string, depth int) {
	w.nodes++
	if !v.IsValid() || depth > 40 || w.nodes > 2_000_000 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		w.check(v.String(), path)
	case reflect.Pointer:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		w.walk(v.Elem(), path, depth+1)
	case reflect.Interface:
		w.walk(v.Elem(), path, depth+1)
	case reflect.Struct:
		if raceEnabled && v.Type().PkgPath() == "net/http" {
			// Its connection goroutines write without a lock the race detector can
			// follow; without -race the scan goes through it (idle connections' read
			// buffers held the last response: the wipe closes them).
			return
		}
		for i := 0; i < v.NumField(); i++ {
			w.walk(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && (v.IsNil() || w.seen[v.Pointer()]) {
			return
		}
		if v.Kind() == reflect.Slice {
			w.seen[v.Pointer()] = true
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.Kind() == reflect.Slice {
				w.check(string(v.Bytes()), path)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i), path+"[]", depth+1)
		}
	case reflect.Map:
		if v.IsNil() || w.seen[v.Pointer()] {
			return
		}
		w.seen[v.Pointer()] = true
		it := v.MapRange()
		for it.Next() {
			w.walk(it.Key(), path+"{key}", depth+1)
			w.walk(it.Value(), path+"{}", depth+1)
		}
	}
}

// TestUninstallLeavesNothing installs an app, has it use every store of the one list,
// uninstalls it the way the launcher does (through the list the running shell holds),
// and finds neither its id nor the canary in the shell's data, config and cache folders
// (raw bytes, SQLite free pages and WAL included) nor in the services' memory: nothing
// but the audit log, which is kept on purpose.
func TestUninstallLeavesNothing(t *testing.T) {
	cfg, key := identityEnv(t)
	bundlePath := packNotes(t, "1.0.0", key)
	if out, err := runCmd(t, "install", bundlePath); err != nil {
		t.Fatal(out, err)
	}
	app := identity.Signed(notesID, signerOf(key))
	svc, err := openServices(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(t, err)
	defer svc.close()
	useEveryStore(t, configsLike{cache: cfg.Paths.Cache, bundles: bundleCacheDir(cfg)}, svc, app, bundlePath)

	dirs := []string{cfg.Paths.Data, cfg.Paths.Config, cfg.Paths.Cache}
	audit := filepath.Dir(cfg.AuditPath())
	needles := []string{notesID, wipeCanary}
	before := residue(t, dirs, audit, needles...)
	for _, n := range needles {
		if !slices.ContainsFunc(before, func(s string) bool { return strings.HasSuffix(s, n) }) {
			t.Fatalf("before the uninstall the scan finds no %q: it cannot fail (%v)", n, before)
		}
	}
	svc.monitor.Stop() // its sampler writes what the memory scan reads
	if live := liveResidue(reflect.ValueOf(svc).Elem().FieldByName("images"), notesID); len(live) == 0 {
		t.Fatal("before the uninstall the memory scan finds no image budget: it cannot fail")
	}
	if live := liveResidue(reflect.ValueOf(svc).Elem().FieldByName("network"), wipeCanary); len(live) == 0 {
		t.Fatal("before the uninstall the memory scan finds no cookie: it cannot fail")
	}

	reg, err := openRegistryWith(cfg, func(apps []identity.App) error {
		return svc.appStores().WipeAll(context.Background(), apps, appdata.Uninstall)
	})
	must(t, err)
	must(t, reg.Uninstall(notesID))
	reg.Close()

	if left := residue(t, dirs, audit, needles...); len(left) > 0 {
		t.Errorf("after the uninstall, with the shell running:\n%s", strings.Join(left, "\n"))
	}
	sv := reflect.ValueOf(svc).Elem()
	for i := 0; i < sv.NumField(); i++ {
		name := sv.Type().Field(i).Name
		if name == "audit" {
			continue // kept on purpose
		}
		if live := liveResidue(sv.Field(i), needles...); len(live) > 0 {
			t.Errorf("after the uninstall, in the memory of services.%s:\n%s", name, strings.Join(live, "\n"))
		}
	}
	must(t, svc.close())
	if left := residue(t, dirs, audit, needles...); len(left) > 0 {
		t.Errorf("after the uninstall, the shell stopped:\n%s", strings.Join(left, "\n"))
	}
}

// keepsNothingPerApp are the fields of services that hold nothing of any one app
// beyond a running session (which the uninstall stops first), each with why. A new
// field must be listed in appStores (it implements appdata.Owner) or here.
var keepsNothingPerApp = map[string]string{
	"cfg":      "the configuration: per-app policy is the operator's, written by hand",
	"log":      "a logger: writes, keeps nothing",
	"audit":    "the audit log is kept on purpose: what happened to an app outlives it",
	"policy":   "the operator's configured policy (see cfg)",
	"prompts":  "open prompt windows: only while the app runs",
	"monitor":  "per-app watches exist while the app runs (Detach drops them)",
	"sessions": "running sessions: the launcher stops the app before it uninstalls it",
}

// TestEveryStoreIsListed makes a forgotten store impossible: every field of services
// either is a store owner listed in appStores or is known to keep nothing per app; and
// every type in the module that implements appdata.Store (found in the source, so a
// store nobody constructs is found too) is one of the listed stores.
func TestEveryStoreIsListed(t *testing.T) {
	cfg, _ := identityEnv(t)
	svc, err := openServices(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(t, err)
	defer svc.close()
	func() {
		list := svc.appStores()
		names := list.Names()
		if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
			t.Errorf("two stores share a name: %v", names)
		}
		listed := map[string]bool{}
		for _, s := range list {
			rt := reflect.TypeOf(s)
			listed[rt.PkgPath()+"."+rt.Name()] = true
		}
		owner := reflect.TypeFor[appdata.Owner]()
		st := reflect.TypeOf(*svc)
		for i := 0; i < st.NumField(); i++ {
			f := st.Field(i)
			_, exempt := keepsNothingPerApp[f.Name]
			if !f.Type.Implements(owner) {
				if !exempt {
					t.Errorf("services.%s (%s): not in appStores and not known to keep nothing per app: "+
						"give its type an AppData() appdata.Store and list it, or say in keepsNothingPerApp why it keeps nothing", f.Name, f.Type)
				}
				continue
			}
			if exempt {
				t.Errorf("services.%s owns app data (it has AppData) but keepsNothingPerApp exempts it", f.Name)
			}
			v := reflect.ValueOf(svc).Elem().Field(i)
			if v.IsNil() {
				t.Errorf("services.%s is nil after openServices", f.Name)
				continue
			}
			// The field is unexported: reach its method through the exported type.
			fv := reflect.NewAt(f.Type, v.Addr().UnsafePointer()).Elem()
			name := fv.Interface().(appdata.Owner).AppData().Name()
			if !slices.Contains(names, name) {
				t.Errorf("services.%s's store %q is not in appStores", f.Name, name)
			}
		}
		for name := range keepsNothingPerApp {
			if _, ok := st.FieldByName(name); !ok {
				t.Errorf("keepsNothingPerApp names services.%s, which does not exist", name)
			}
		}
		impl := storeTypes(t, filepath.Join("..", ".."))
		if len(impl) < 5 {
			t.Fatalf("the source scan finds %d store types: it is broken", len(impl))
		}
		for _, ty := range impl {
			if !listed[ty] {
				t.Errorf("%s implements appdata.Store but appStores does not list it", ty)
			}
		}
	}()
}

// storeTypes finds, in the module's non-test source, every named type with a method
// Wipe(context.Context, identity.App, appdata.Scope) error, as "import/path.Type".
func storeTypes(t *testing.T, root string) []string {
	t.Helper()
	const module = "github.com/sandframe/sandframe"
	var out []string
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && p != root) {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		pkg := module
		if rel != "." {
			pkg += "/" + filepath.ToSlash(rel)
		}
		if pkg == module+"/internal/appdata" {
			return nil // List, the list itself
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Name.Name != "Wipe" || !takesScope(fd.Type) {
				continue
			}
			recv := fd.Recv.List[0].Type
			if s, ok := recv.(*ast.StarExpr); ok {
				recv = s.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				out = append(out, pkg+"."+id.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// takesScope reports whether a function's parameters include an appdata.Scope.
func takesScope(ft *ast.FuncType) bool {
	for _, f := range ft.Params.List {
		if sel, ok := f.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Scope" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "appdata" {
				return true
			}
		}
	}
	return false
}

// TestWipeScopes: what each scope of the one wipe removes and keeps (docs/storage.md,
// "One wipe"), and that another identity of the same id keeps everything.
func TestWipeScopes(t *testing.T) {
	type kept struct{ storage, consent, granted, once, quarantine, cookie, images, bundle, files bool }
	for _, tc := range []struct {
		scope appdata.Scope
		want  kept
	}{
		{appdata.Session, kept{granted: true, quarantine: true, bundle: true}},
		{appdata.Data, kept{granted: true, once: true, quarantine: true, bundle: true}},
		{appdata.Uninstall, kept{}},
	} {
		t.Run(tc.scope.String(), func(t *testing.T) {
			cfg, key := identityEnv(t)
			app := identity.Signed(notesID, signerOf(key))
			twin := identity.Unverified(notesID)
			must(t, withStores(cfg, func(svc *services) error {
				useEveryStore(t, configsLike{cache: cfg.Paths.Cache, bundles: bundleCacheDir(cfg)}, svc, app, packNotes(t, "1.0.0", key))
				tw, err := svc.storage.App(twin.Key())
				must(t, err)
				must(t, tw.Set("note", json.RawMessage(`"twin's"`)))
				must(t, svc.store.Set(twin.ID, twin.Signer, "clipboard:write", perms.DecisionOnce))

				must(t, svc.appStores().Wipe(context.Background(), app, tc.scope))

				ns, _ := svc.storage.App(app.Key())
				_, err = ns.Get("note")
				consent, _ := svc.shares.Consent(identity.Unverified("dev.example.reader"), app)
				granted, _ := svc.store.Get(app.ID, app.Signer, "user:readProfile")
				once, _ := svc.store.Get(app.ID, app.Signer, "clipboard:write")
				_, quarantined := svc.quarantine.Quarantined(app.Key())
				_, bundleErr := os.Stat(filepath.Join(bundleCacheDir(cfg), "0123.sfa"))
				got := kept{
					storage: err == nil, consent: consent != share.Ask,
					granted: granted == perms.DecisionGranted, once: once == perms.DecisionOnce,
					quarantine: quarantined,
					cookie:     len(liveResidue(reflect.ValueOf(svc).Elem().FieldByName("network").Elem().FieldByName("jars"), wipeCanary)) > 0,
					images:     len(residue(t, []string{filepath.Join(cfg.Paths.Cache, "images")}, "-", wipeCanary)) > 0,
					bundle:     bundleErr == nil,
					files:      len(residue(t, []string{filesDir(cfg)}, "-", wipeCanary)) > 0,
				}
				if got != tc.want {
					t.Errorf("kept %+v, want %+v", got, tc.want)
				}
				v, err := tw.Get("note")
				twinOnce, _ := svc.store.Get(twin.ID, twin.Signer, "clipboard:write")
				if err != nil || string(v) != `"twin's"` || twinOnce != perms.DecisionOnce {
					t.Errorf("the unverified twin lost its data: %s %v, %s", v, err, twinOnce)
				}
				return nil
			}))
		})
	}
}

// TestCLIUninstallLeavesNothing: `shell uninstall` in a process of its own (no shell
// running) wipes through the same list, and leaves no file naming the app either.
func TestCLIUninstallLeavesNothing(t *testing.T) {
	cfg, key := identityEnv(t)
	bundlePath := packNotes(t, "1.0.0", key)
	if out, err := runCmd(t, "install", bundlePath); err != nil {
		t.Fatal(out, err)
	}
	app := identity.Signed(notesID, signerOf(key))
	must(t, withStores(cfg, func(svc *services) error {
		useEveryStore(t, configsLike{cache: cfg.Paths.Cache, bundles: bundleCacheDir(cfg)}, svc, app, bundlePath)
		return nil
	}))
	dirs := []string{cfg.Paths.Data, cfg.Paths.Config, cfg.Paths.Cache}
	audit := filepath.Dir(cfg.AuditPath())
	if before := residue(t, dirs, audit, notesID, wipeCanary); len(before) == 0 {
		t.Fatal("before the uninstall the scan finds nothing: it cannot fail")
	}
	if out, err := runCmd(t, "uninstall", notesID); err != nil {
		t.Fatal(out, err)
	}
	if left := residue(t, dirs, audit, notesID, wipeCanary); len(left) > 0 {
		t.Errorf("after `shell uninstall`:\n%s", strings.Join(left, "\n"))
	}
}
