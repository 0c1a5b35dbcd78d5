package host

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/netapi"
	"github.com/sandframe/sandframe/profile"
)

// clipboardSurface is a surface that reaches the desktop clipboard (the window does).
type clipboardSurface interface {
	SetClipboard(text string) error
	Clipboard() (string, error)
}

// registerDeviceAPIs installs the APIs behind capabilities that touch the user or the
// desktop. The gateway's permission check runs before each of them.
func (s *Session) registerDeviceAPIs() {
	readProfile := func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		// The profile the user set in the launcher; the config's until they set one.
		fallback := profile.Profile{NickName: s.opts.Config.Profile.NickName, AvatarURL: s.opts.Config.Profile.AvatarURL}
		p, err := profile.Load(s.opts.Config.ProfilePath(), fallback)
		if err != nil {
			s.log.Warn("the local profile is unreadable; the config's is handed out", "err", err)
			p = fallback
		}
		info := map[string]any{
			"nickName": p.NickName, "avatarUrl": p.AvatarURL, "gender": 0,
			"country": "", "province": "", "city": "", "language": s.opts.Config.System.Language,
		}
		return map[string]any{"userInfo": info}, nil, nil
	}
	s.gw.Register("getUserProfile", readProfile)
	s.gw.Register("getUserInfo", readProfile)
	s.gw.Register("setClipboardData", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		var a struct {
			Data *string `json:"data"`
		}
		if err := decodeArgs(args, &a); err != nil {
			return nil, nil, err
		}
		if a.Data == nil {
			return nil, nil, errors.New("parameter.data should be String instead of Undefined;")
		}
		if len(*a.Data) > maxClipboardBytes {
			return nil, nil, errors.New("data is larger than 1 MiB")
		}
		cb, err := s.clipboard()
		if err != nil {
			return nil, nil, err
		}
		return map[string]any{}, nil, cb.SetClipboard(*a.Data)
	})
	s.gw.Register("getClipboardData", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		cb, err := s.clipboard()
		if err != nil {
			return nil, nil, err
		}
		text, err := cb.Clipboard()
		if err != nil {
			return nil, nil, err
		}
		if len(text) > maxClipboardBytes {
			text = text[:maxClipboardBytes]
		}
		return map[string]any{"data": text}, nil, nil
	})
	s.gw.Register("request", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		if s.opts.Network == nil {
			return nil, nil, errors.New("no network in this shell")
		}
		var domains []string
		if n := s.app.Project.App.Network; n != nil {
			domains = n.Domains
		}
		res, err := s.opts.Network.Request(ctx, netapi.App{ID: s.id, Domains: domains}, args)
		return res, nil, err
	})
	s.gw.Register("chooseMessageFile", s.pickFiles)
	s.gw.Register("pickFile", s.pickFiles)
	s.gw.Register("getLocation", func(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
		// A desktop has no GPS: the location is the one the user configured.
		l := s.opts.Config.Location
		return map[string]any{
			"latitude": l.Latitude, "longitude": l.Longitude, "accuracy": l.Accuracy,
			"speed": -1, "altitude": 0, "verticalAccuracy": 0, "horizontalAccuracy": l.Accuracy,
		}, nil, nil
	})
}

// maxClipboardBytes bounds what crosses the clipboard APIs.
const maxClipboardBytes = 1 << 20

func (s *Session) clipboard() (clipboardSurface, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.surf.(clipboardSurface)
	if !ok {
		return nil, errors.New("no clipboard on this surface")
	}
	return cb, nil
}

// filePicker is a surface that can ask the user for files (the window does).
type filePicker interface {
	PickFiles(ctx context.Context, title string, multiple bool) ([]string, error)
}

// maxPickedBytes bounds one picked file: its bytes travel to the app inline.
const maxPickedBytes = 10 << 20

// pickFiles serves chooseMessageFile and pickFile: the user picks in the shell's own
// file chooser, and the app receives the files' bytes, never a path it could reuse
// (there is no file-system API).
func (s *Session) pickFiles(ctx context.Context, _ bridge.Sender, args json.RawMessage) (map[string]any, *bridge.Nav, error) {
	a := struct {
		Count int `json:"count"`
	}{Count: 1}
	if err := decodeArgs(args, &a); err != nil {
		return nil, nil, err
	}
	if a.Count < 1 || a.Count > 100 {
		return nil, nil, fmt.Errorf("count %d is outside 1..100", a.Count)
	}
	s.mu.Lock()
	fp, ok := s.surf.(filePicker)
	s.mu.Unlock()
	if !ok {
		return nil, nil, errors.New("no file chooser on this surface")
	}
	paths, err := fp.PickFiles(ctx, "Choose a file for "+s.title(), a.Count > 1)
	if err != nil {
		return nil, nil, err
	}
	if paths == nil {
		return nil, nil, errors.New("cancel")
	}
	if len(paths) > a.Count {
		paths = paths[:a.Count]
	}
	files := make([]map[string]any, 0, len(paths))
	for i, p := range paths {
		f, err := readPicked(p)
		if err != nil {
			return nil, nil, err
		}
		f["path"] = fmt.Sprintf("sffile://picked/%d/%s", i, f["name"])
		files = append(files, f)
	}
	return map[string]any{"tempFiles": files}, nil, nil
}

func readPicked(path string) (map[string]any, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	if st.Size() > maxPickedBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", filepath.Base(path), maxPickedBytes)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	kind := "file"
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg":
		kind = "image"
	case ".mp4", ".mov", ".webm", ".mkv", ".avi":
		kind = "video"
	}
	return map[string]any{
		"name": filepath.Base(path), "size": len(raw), "type": kind, "time": st.ModTime().Unix(),
		"data": base64.StdEncoding.EncodeToString(raw),
	}, nil
}

// title is the app's name as people see it; the shell says "unverified" wherever it
// names an app no trusted key signed.
func (s *Session) title() string {
	n := s.app.Project.App.Name
	if n == "" {
		n = s.appID
	}
	if !s.app.Verified {
		n += " (unverified)"
	}
	return n
}
