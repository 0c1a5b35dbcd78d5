// Package profile is the local user profile: the name and picture the user sets in the
// launcher, which user:readProfile (wx.getUserProfile) hands out to apps they allow. It is
// one small JSON file, $XDG_CONFIG_HOME/sandframe/profile.json, written atomically, 0600.
package profile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sandframe/sandframe/internal/atomicfile"
)

// Profile is what the user tells apps about themselves.
type Profile struct {
	NickName  string `json:"nickName"`
	AvatarURL string `json:"avatarUrl"` // "" or a data:image/(png|jpeg|webp);base64,… URL
}

// Bounds of a profile.
const (
	MaxNickNameRunes = 64
	MaxAvatarBytes   = 256 << 10 // the decoded picture
	maxFileBytes     = 1 << 20   // profile.json: the avatar in base64 and a little more
)

// avatarTypes are the pictures an avatar may be, as http.DetectContentType names them.
var avatarTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/webp": true}

// Trimmed is p with the spaces around its nickname removed: the form Save writes.
func (p Profile) Trimmed() Profile {
	p.NickName = strings.TrimSpace(p.NickName)
	return p
}

// Validate names the first field that is wrong: a nickname of 1 to 64 characters after
// trimming, without control characters; an avatar that is empty or a data: URL of a PNG,
// JPEG or WebP picture of at most 256 KiB, whose bytes are what the URL says.
func (p Profile) Validate() error {
	if err := p.problem(); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	return nil
}

// problem is Validate's finding without the package's prefix, naming the field.
func (p Profile) problem() error {
	name := strings.TrimSpace(p.NickName)
	switch n := utf8.RuneCountInString(name); {
	case !utf8.ValidString(name):
		return errors.New("nickName: not valid UTF-8")
	case n == 0:
		return errors.New("nickName: empty: say what apps may call you")
	case n > MaxNickNameRunes:
		return fmt.Errorf("nickName: %d characters, at most %d", n, MaxNickNameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return errors.New("nickName: contains a control character (line breaks included)")
	}
	if p.AvatarURL == "" {
		return nil
	}
	if _, err := decodeAvatar(p.AvatarURL); err != nil {
		return fmt.Errorf("avatarUrl: %w", err)
	}
	return nil
}

// decodeAvatar checks a data: URL and returns the picture's bytes.
func decodeAvatar(url string) ([]byte, error) {
	rest, ok := strings.CutPrefix(url, "data:image/")
	if !ok {
		return nil, errors.New("not a data:image/… URL")
	}
	mime, data, ok := strings.Cut(rest, ";base64,")
	if !ok {
		return nil, errors.New("not a base64 data URL (data:image/png;base64,…)")
	}
	mime = "image/" + mime
	if !avatarTypes[mime] {
		return nil, fmt.Errorf("%s: a picture must be PNG, JPEG or WebP", truncate(mime, 40))
	}
	if len(data) > base64.StdEncoding.EncodedLen(MaxAvatarBytes) {
		return nil, fmt.Errorf("larger than %d KiB", MaxAvatarBytes>>10)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(data)
	if err != nil {
		return nil, fmt.Errorf("bad base64: %w", err)
	}
	if len(raw) > MaxAvatarBytes {
		return nil, fmt.Errorf("larger than %d KiB", MaxAvatarBytes>>10)
	}
	if got := http.DetectContentType(raw); got != mime {
		return nil, fmt.Errorf("says %s but holds %s", mime, got)
	}
	return raw, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Load reads the profile at path. A missing file is fallback (the config's profile
// section: the user never set one); a file that is damaged or invalid is an error naming
// it, never silently the fallback.
func Load(path string, fallback Profile) (Profile, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fallback, nil
	}
	if err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return Profile{}, fmt.Errorf("profile: %s: %w", path, err)
	}
	if len(raw) > maxFileBytes {
		return Profile{}, fmt.Errorf("profile: %s: larger than %d bytes", path, maxFileBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("profile: %s: %w", path, err)
	}
	if dec.More() {
		return Profile{}, fmt.Errorf("profile: %s: data after the profile", path)
	}
	if err := p.problem(); err != nil {
		return Profile{}, fmt.Errorf("profile: %s: %w", path, err)
	}
	return p, nil
}

// Save validates p and writes it (trimmed) to path, replacing the file in one rename, so
// a crash leaves the old profile or the new one. The file is 0600, its folder 0700.
func Save(path string, p Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(p.Trimmed(), "", "  ")
	if err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("profile: %w", err)
	}
	if err := atomicfile.Write(path, append(raw, '\n'), 0o600); err != nil {
		return fmt.Errorf("profile: save: %w", err)
	}
	return nil
}

// AvatarFromFile reads a picture the user chose and returns it as an avatar URL. The
// type is sniffed from the bytes, not taken from the name: PNG, JPEG or WebP, at most
// 256 KiB.
func AvatarFromFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("profile: avatar: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return "", fmt.Errorf("profile: avatar %s: %w", path, err)
	} else if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("profile: avatar %s: not a regular file", path)
	}
	raw, err := io.ReadAll(io.LimitReader(f, MaxAvatarBytes+1))
	if err != nil {
		return "", fmt.Errorf("profile: avatar %s: %w", path, err)
	}
	if len(raw) > MaxAvatarBytes {
		return "", fmt.Errorf("profile: avatar %s: larger than %d KiB: choose a smaller picture", path, MaxAvatarBytes>>10)
	}
	mime := http.DetectContentType(raw)
	if !avatarTypes[mime] {
		return "", fmt.Errorf("profile: avatar %s: %s is not a PNG, JPEG or WebP picture", path, mime)
	}
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(raw), nil
}
