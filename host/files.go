package host

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/sandframe/sandframe/device"
	"github.com/sandframe/sandframe/files"
	"github.com/sandframe/sandframe/render"
)

// The session as the file APIs see it (files/, docs/files.md): the app's own files,
// the window's save dialog, remote images for getImageInfo, and openDocument's prompt.

var (
	_ files.SaverHost    = apiHost{}
	_ files.RemoteImages = apiHost{}
	_ files.Opener       = apiHost{}
)

// AppFiles implements files.Host: the files of this session's app identity, counted
// against its storage quota together with its key-value storage.
func (h apiHost) AppFiles() (*files.AppFiles, error) {
	if h.s.opts.Files == nil {
		return nil, errors.New("no file store in this shell")
	}
	return h.s.appFiles(), nil
}

func (s *Session) appFiles() *files.AppFiles {
	return s.opts.Files.App(s.id, files.AppOptions{Bundle: s.app.Project.FS, Limit: s.opts.Config.Storage.MaxAppBytes,
		Used: func() int64 {
			if s.opts.Storage == nil {
				return 0
			}
			st, err := s.opts.Storage.App(s.id)
			if err != nil {
				return 0
			}
			info, err := st.Info()
			if err != nil {
				return 0
			}
			return info.CurrentSize
		}})
}

// FileSaver implements files.SaverHost.
func (h apiHost) FileSaver() (files.Saver, error) {
	h.s.mu.Lock()
	defer h.s.mu.Unlock()
	sv, ok := h.s.surf.(files.Saver)
	if !ok {
		return nil, errors.New("no save dialog on this surface")
	}
	return sv, nil
}

// FetchImage implements files.RemoteImages: the page's image policy and cache.
func (h apiHost) FetchImage(ctx context.Context, url string) ([]byte, string, error) {
	return h.s.RemoteImage(ctx, h.s.appID, url)
}

// openWith hands a file to the desktop's application for it (a seam for tests).
var openWith = func(path string) error { return device.OpenURI(path) }

// OpenDocument implements files.Opener: a trusted prompt names the app and the file;
// without a window (headless, kiosk) the permissions policy answers.
func (h apiHost) OpenDocument(ctx context.Context, local, name string) error {
	s := h.s
	open := false
	asked := false
	if s.opts.Prompts != nil {
		n, ok := s.opts.Prompts.ask(ctx, s.id, render.Prompt{
			Title:   "Open a file — " + s.title(),
			Heading: fmt.Sprintf("%q wants to open “%s” with your desktop's application for it", s.title(), name),
			Body:    "The file comes from the app. Open it only if you trust the app.",
			Buttons: []string{"Cancel", "Open"},
		})
		asked, open = ok, ok && n == 1
	}
	if !asked {
		p := s.opts.Config.Permissions.Prompts
		open = p == "allow" || p == "allow-once"
	}
	if !open {
		return errors.New("cancel")
	}
	return openWith(local)
}

// appImage serves one of the app's own files (wxfile://…) to its page's <image>: only
// this session's app, only images.
func (s *Session) appImage(urlApp, p string) ([]byte, string, error) {
	if urlApp != s.appID {
		return nil, "", fmt.Errorf("the image url names app %q, not this page's app", urlApp)
	}
	if s.opts.Files == nil {
		return nil, "", errors.New("no file store in this shell")
	}
	data, err := s.appFiles().ReadFile(p)
	if err != nil {
		return nil, "", err
	}
	typ := http.DetectContentType(data)
	if strings.HasPrefix(string(data[:min(len(data), 512)]), "<svg") || strings.Contains(string(data[:min(len(data), 512)]), "<svg") {
		typ = "image/svg+xml"
	}
	if !strings.HasPrefix(typ, "image/") {
		return nil, "", fmt.Errorf("%s is not an image", p)
	}
	return data, typ, nil
}
