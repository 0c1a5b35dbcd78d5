package storage

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDirName keeps an app's folder name well under NAME_MAX (255) on every file system.
const maxDirName = 200

// ErrBadAppID is an app id that cannot name a storage namespace.
var ErrBadAppID = errors.New("storage: invalid app id")

// dirName turns an app id into its folder name, reversibly and safely: lower-case ASCII
// letters, digits, '_', '-' and '.' (except first) stay as they are, so
// "dev.example.todo" stays readable; every other byte, upper case included (two ids that
// differ only in case must not share a folder on a case-insensitive file system), becomes
// %XX. A name never starts with '.', so "." and ".." cannot be ids' folders and the
// store's own dot-files (.wipe-*, master.check is not a folder) never collide with apps.
func dirName(app string) (string, error) {
	if app == "" || !utf8.ValidString(app) {
		return "", fmt.Errorf("%w: %q", ErrBadAppID, app)
	}
	var b strings.Builder
	for i := 0; i < len(app); i++ {
		c := app[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.' && i > 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() > maxDirName {
		return "", fmt.Errorf("%w: %q is too long", ErrBadAppID, app)
	}
	return b.String(), nil
}

// appFromDir reverses dirName; ok is false for names dirName never makes.
func appFromDir(name string) (app string, ok bool) {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+2 >= len(name) {
			return "", false
		}
		v, err := strconv.ParseUint(name[i+1:i+3], 16, 8)
		if err != nil {
			return "", false
		}
		b.WriteByte(byte(v))
		i += 2
	}
	app = b.String()
	if again, err := dirName(app); err != nil || again != name {
		return "", false // not canonical: not one of ours
	}
	return app, true
}
