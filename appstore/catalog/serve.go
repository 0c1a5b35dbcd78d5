package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// Content types of what a catalog serves. A bundle is a zip; saying so lets any web
// server, CDN or object store be configured the same way.
var contentTypes = map[string]string{
	".json": "application/json",
	".sfa":  "application/zip",
}

// Handler serves the catalog in dir read-only: GET and HEAD of regular .json and .sfa
// files (index.json, bundles/…), with ranges and conditional requests. Nothing else is
// served: no directory listings, no dotfiles (the publish lock, temporary files), no other
// extensions (a signing key left in the directory stays private), no path with "..",
// backslashes or other names a bundle path may not have, and nothing a symlink would
// reach outside dir (the files are opened through an os.Root).
func Handler(dir string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name, ok := servable(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		root, err := os.OpenRoot(dir)
		if err != nil {
			slog.Error("catalog: serving", "dir", dir, "err", err)
			http.Error(w, "catalog unavailable", http.StatusInternalServerError)
			return
		}
		defer root.Close()
		// Stat before opening: opening a FIFO would block the handler.
		if fi, err := root.Stat(name); err != nil || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		f, err := root.Open(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", contentTypes[path.Ext(name)])
		h.Set("X-Content-Type-Options", "nosniff")
		if name == IndexFile {
			h.Set("Cache-Control", "no-cache") // always revalidate: clients must see a new index
		} else {
			h.Set("Cache-Control", "public, max-age=86400")
		}
		http.ServeContent(w, r, path.Base(name), fi.ModTime(), f)
	})
}

// servable maps a URL path to a file name under the catalog's root, or refuses it.
func servable(urlPath string) (string, bool) {
	name := strings.TrimPrefix(urlPath, "/")
	if name == "" || bundle.CheckPath(name) != nil {
		return "", false
	}
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") {
			return "", false
		}
	}
	if _, ok := contentTypes[path.Ext(name)]; !ok {
		return "", false
	}
	return name, true
}

// ServeOptions configures Serve.
type ServeOptions struct {
	// AllowNonLoopback lets Serve listen on an address other than a loopback one. Off by
	// default: this server has no TLS, no caching and no protection against load. The
	// index and bundles are signed, so integrity does not depend on the server, but a
	// fleet should get them from a real web server, CDN or object store (the catalog is
	// only files), and this one is for development, tests and a single machine.
	AllowNonLoopback bool
	// Listening is told the address once the listener is up (useful with port 0).
	Listening func(net.Addr)
	// Logger: nil means slog.Default().
	Logger *slog.Logger
}

// Serve serves the catalog in dir on addr until ctx is done, refusing a non-loopback addr
// (see ServeOptions.AllowNonLoopback). It returns nil when ctx ends it.
func Serve(ctx context.Context, dir, addr string) error {
	return ServeWith(ctx, dir, addr, ServeOptions{})
}

// ServeWith is Serve with options.
func ServeWith(ctx context.Context, dir, addr string, o ServeOptions) error {
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if !o.AllowNonLoopback {
		if err := checkLoopback(addr); err != nil {
			return err
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, IndexFile)); err != nil || !fi.Mode().IsRegular() {
		if err == nil {
			err = errors.New("not a regular file")
		}
		return fmt.Errorf("catalog: serve %s: not a catalog (publish a bundle into it first): %w", dir, err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("catalog: serve: %w", err)
	}
	srv := &http.Server{
		Handler:           Handler(dir),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("catalog: serving", "dir", dir, "addr", ln.Addr().String())
	if o.Listening != nil {
		o.Listening(ln.Addr())
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("catalog: serve: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		srv.Close()
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("catalog: serve: %w", err)
	}
	return nil
}

// checkLoopback refuses an address that would listen beyond this machine: an empty host
// (every interface), a name other than localhost, or an IP that is not loopback.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("catalog: serve: address %q: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("catalog: serve: address %q is not loopback: put a real web server, CDN or object store in front for a fleet (the catalog is static files), or allow it explicitly", addr)
}
