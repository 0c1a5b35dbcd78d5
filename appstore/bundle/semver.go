package bundle

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed semantic version (semver.org 2.0.0).
type Version struct {
	Major, Minor, Patch uint64
	Pre                 []string // dot-separated pre-release identifiers; nil for a release
	Build               string   // build metadata; ignored by Compare
}

// ParseVersion parses s strictly as MAJOR.MINOR.PATCH[-PRE][+BUILD]: no "v" prefix, no
// leading zeros, at most 128 bytes.
func ParseVersion(s string) (Version, error) {
	var v Version
	if s == "" {
		return v, errors.New("empty version")
	}
	if len(s) > 128 {
		return v, fmt.Errorf("version %d bytes long, at most 128", len(s))
	}
	bad := func(why string) (Version, error) {
		return Version{}, fmt.Errorf("version %q is not semver (MAJOR.MINOR.PATCH): %s", s, why)
	}
	rest := s
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.Build = rest[i+1:]
		rest = rest[:i]
		if !validIdents(v.Build, false) {
			return bad("bad build metadata")
		}
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		rest = rest[:i]
		if !validIdents(pre, true) {
			return bad("bad pre-release")
		}
		v.Pre = strings.Split(pre, ".")
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return bad("want three numbers")
	}
	nums := [3]*uint64{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if !isNum(p) || (len(p) > 1 && p[0] == '0') {
			return bad(fmt.Sprintf("%q is not a number without leading zeros", p))
		}
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return bad(fmt.Sprintf("%q out of range", p))
		}
		*nums[i] = n
	}
	return v, nil
}

// validIdents checks dot-separated identifiers of [0-9A-Za-z-]; numeric pre-release
// identifiers may not have leading zeros.
func validIdents(s string, pre bool) bool {
	if s == "" {
		return false
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for _, c := range []byte(id) {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
				return false
			}
		}
		if pre && isNum(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

func isNum(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Compare orders versions by semver precedence: -1, 0 or +1. Build metadata is ignored.
func (v Version) Compare(w Version) int {
	for _, d := range [3][2]uint64{{v.Major, w.Major}, {v.Minor, w.Minor}, {v.Patch, w.Patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(v.Pre) == 0 && len(w.Pre) == 0:
		return 0
	case len(v.Pre) == 0:
		return 1 // a release outranks its pre-releases
	case len(w.Pre) == 0:
		return -1
	}
	for i := 0; i < len(v.Pre) && i < len(w.Pre); i++ {
		a, b := v.Pre[i], w.Pre[i]
		if a == b {
			continue
		}
		an, bn := isNum(a), isNum(b)
		switch {
		case an && bn:
			if len(a) != len(b) { // no leading zeros: longer is larger
				return cmpInt(len(a), len(b))
			}
			return strings.Compare(a, b)
		case an:
			return -1 // numeric identifiers rank below alphanumeric ones
		case bn:
			return 1
		default:
			return strings.Compare(a, b)
		}
	}
	return cmpInt(len(v.Pre), len(w.Pre))
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CompareVersions parses and compares two version strings (for downgrade checks).
func CompareVersions(a, b string) (int, error) {
	va, err := ParseVersion(a)
	if err != nil {
		return 0, err
	}
	vb, err := ParseVersion(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}
