package bundle

import (
	"errors"
	"strings"
	"testing"
)

const (
	sumA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	sumB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

func TestCanonical(t *testing.T) {
	m := func(edit func(*Manifest)) Manifest {
		m := Manifest{Format: ManifestFormat, AppID: "dev.x", Version: "1.0.0", MinShell: "0.1.0",
			Files: []File{{Path: "app.json", SHA256: sumA, Size: 2}}}
		if edit != nil {
			edit(&m)
		}
		return m
	}
	head := `{"format":"sandframe-bundle-1","appId":"dev.x","version":"1.0.0","minShell":"0.1.0",`
	tests := []struct {
		name string
		m    Manifest
		want string
	}{
		{"minimal unsigned", m(nil),
			head + `"signer":"","files":[{"path":"app.json","sha256":"` + sumA + `","size":2}]}`},
		{"signed", m(func(m *Manifest) { m.Signer = "0123456789abcdef" }),
			head + `"signer":"0123456789abcdef","files":[{"path":"app.json","sha256":"` + sumA + `","size":2}]}`},
		{"files sorted bytewise whatever their order", m(func(m *Manifest) {
			m.Files = []File{{Path: "b.js", SHA256: sumB, Size: 1}, {Path: "app.json", SHA256: sumA, Size: 2}, {Path: "B.txt", SHA256: sumA, Size: 0}}
		}), head + `"signer":"","files":[{"path":"B.txt","sha256":"` + sumA + `","size":0},{"path":"app.json","sha256":"` + sumA + `","size":2},{"path":"b.js","sha256":"` + sumB + `","size":1}]}`},
		{"non-ASCII and HTML characters kept literal", m(func(m *Manifest) {
			m.Files = append(m.Files, File{Path: "页面/a&b+c.js", SHA256: sumB, Size: 3})
		}), head + `"signer":"","files":[{"path":"app.json","sha256":"` + sumA + `","size":2},{"path":"页面/a&b+c.js","sha256":"` + sumB + `","size":3}]}`},
		{"U+2028 escaped as encoding/json does", m(func(m *Manifest) {
			m.Files = append(m.Files, File{Path: "x\u2028.js", SHA256: sumB, Size: 3})
		}), head + `"signer":"","files":[{"path":"app.json","sha256":"` + sumA + `","size":2},{"path":"x\u2028.js","sha256":"` + sumB + `","size":3}]}`},
		{"pre-release and build versions", m(func(m *Manifest) { m.Version = "2.0.0-rc.1+build.5" }),
			`{"format":"sandframe-bundle-1","appId":"dev.x","version":"2.0.0-rc.1+build.5","minShell":"0.1.0","signer":"","files":[{"path":"app.json","sha256":"` + sumA + `","size":2}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.m.Canonical()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("Canonical =\n%s\nwant\n%s", got, tc.want)
			}
			back, err := ParseManifest(got)
			if err != nil {
				t.Fatalf("ParseManifest(Canonical): %v", err)
			}
			again, _ := back.Canonical()
			if string(again) != tc.want {
				t.Fatalf("round trip changed the bytes:\n%s", again)
			}
		})
	}
}

func TestParseManifestRefuses(t *testing.T) {
	file := `{"path":"app.json","sha256":"` + sumA + `","size":2}`
	good := `{"format":"sandframe-bundle-1","appId":"dev.x","version":"1.0.0","minShell":"0.0.0","signer":"","files":[` + file + `]}`
	if _, err := ParseManifest([]byte(good)); err != nil {
		t.Fatalf("good manifest refused: %v", err)
	}
	sub := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name, raw, field string
		canon            bool // refused as not canonical (it is well-formed)
	}{
		{"unknown field", sub(`"signer":""`, `"signer":"","extra":1`), `unknown field "extra"`, false},
		{"unknown file field", sub(`"size":2}`, `"size":2,"mode":420}`), `unknown field "mode"`, false},
		{"wrong format", sub(`sandframe-bundle-1`, `sandframe-bundle-2`), "format", false},
		{"missing format", sub(`"format":"sandframe-bundle-1",`, ``), "format", false},
		{"bad app id", sub(`"dev.x"`, `"Dev X"`), "appId", false},
		{"empty app id", sub(`"dev.x"`, `""`), "appId", false},
		{"bad semver", sub(`"version":"1.0.0"`, `"version":"1.0"`), "version", false},
		{"v prefix", sub(`"version":"1.0.0"`, `"version":"v1.0.0"`), "version", false},
		{"leading zero", sub(`"version":"1.0.0"`, `"version":"01.0.0"`), "version", false},
		{"bad minShell", sub(`"minShell":"0.0.0"`, `"minShell":"latest"`), "minShell", false},
		{"bad signer", sub(`"signer":""`, `"signer":"XYZ"`), "signer", false},
		{"traversal path", sub(`"path":"app.json"`, `"path":"../app.json"`), "files[0].path", false},
		{"absolute path", sub(`"path":"app.json"`, `"path":"/app.json"`), "files[0].path", false},
		{"META path", strings.Replace(good, `]}`, `,{"path":"META/x","sha256":"`+sumA+`","size":1}]}`, 1), "files[1].path", false},
		{"duplicate path", strings.Replace(good, `]}`, `,`+file+`]}`, 1), "duplicates", false},
		{"case-folded duplicate", strings.Replace(good, `]}`, `,{"path":"APP.json","sha256":"`+sumA+`","size":1}]}`, 1), "duplicates", false},
		{"file and directory of one name", strings.Replace(good, `]}`, `,{"path":"app.json/x.js","sha256":"`+sumA+`","size":1}]}`, 1), "which is a file", false},
		{"uppercase digest", sub(sumA, strings.ToUpper(sumA)), "files[0].sha256", false},
		{"short digest", sub(sumA, sumA[:10]), "files[0].sha256", false},
		{"negative size", sub(`"size":2`, `"size":-2`), "files[0].size", false},
		{"fractional size", sub(`"size":2`, `"size":2.5`), "size", false},
		{"no app.json", sub(`"path":"app.json"`, `"path":"app.js"`), "app.json is not listed", false},
		{"trailing data", good + `{}`, "after the manifest", false},
		{"not UTF-8", sub(`dev.x`, "dev.\xff"), "UTF-8", false},
		{"whitespace", sub(`"appId":"dev.x"`, `"appId": "dev.x"`), "canonical", true},
		{"trailing newline", good + "\n", "canonical", true},
		{"keys reordered", sub(`"appId":"dev.x","version":"1.0.0"`, `"version":"1.0.0","appId":"dev.x"`), "canonical", true},
		{"duplicate key", sub(`"appId":"dev.x"`, `"appId":"dev.y","appId":"dev.x"`), "canonical", true},
		{"files unsorted", strings.Replace(good, `[`+file, `[{"path":"b.js","sha256":"`+sumA+`","size":1},`+file, 1), "canonical", true},
		{"escaped where canonical is literal", sub(`"dev.x"`, `"dev\u002ex"`), "canonical", true},
		{"files null", sub(`[`+file+`]`, `null`), "app.json is not listed", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseManifest([]byte(tc.raw))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrManifest) {
				t.Errorf("err %v does not wrap ErrManifest", err)
			}
			if errors.Is(err, ErrNotCanonical) != tc.canon {
				t.Errorf("err %v: ErrNotCanonical = %v, want %v", err, !tc.canon, tc.canon)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("err %v does not name %q", err, tc.field)
			}
		})
	}
}

func TestCheckPath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want error
	}{
		{"app.json", nil},
		{"pages/index/index.js", nil},
		{".hidden/x.js", nil},
		{"页面/首页.wxml", nil},
		{"", ErrBadName},
		{"../x", ErrPathTraversal},
		{"a/../b", ErrPathTraversal},
		{`a\..\..\b`, ErrPathTraversal},
		{"/x", ErrAbsolutePath},
		{`\x`, ErrAbsolutePath},
		{"C:x", ErrAbsolutePath},
		{"a//b", ErrBadName},
		{"./a", ErrBadName},
		{"a/", ErrBadName},
		{"a\x00b", ErrBadName},
		{"a\x7fb", ErrBadName},
		{"a*b", ErrBadName},
		{"dir./x", ErrBadName},
		{"x ", ErrBadName},
		{"META/manifest.json", ErrBadName},
		{"meta/x", ErrBadName},
		{"a\xffb", ErrNonUTF8},
		{strings.Repeat("a", 256), ErrBadName},
		{strings.Repeat("a/", 600) + "a", ErrBadName},
	} {
		err := CheckPath(tc.path)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("CheckPath(%.40q) = %v, want %v", tc.path, err, tc.want)
		}
	}
}

func TestFoldPath(t *testing.T) {
	same := [][2]string{{"App.JS", "app.js"}, {"caf\u00e9", "CAFE\u0301"}, {"K", "\u212a"}, {"ß", "ß"}}
	for _, p := range same {
		if FoldPath(p[0]) != FoldPath(p[1]) {
			t.Errorf("FoldPath(%q) != FoldPath(%q)", p[0], p[1])
		}
	}
	if FoldPath("a.js") == FoldPath("b.js") {
		t.Error("distinct names folded together")
	}
}

func TestVersionCompare(t *testing.T) {
	// Ascending, per semver.org's precedence example.
	order := []string{"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
		"1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"}
	for i := range order {
		for j := range order {
			got, err := CompareVersions(order[i], order[j])
			if err != nil {
				t.Fatal(err)
			}
			if want := cmpInt(i, j); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	if c, _ := CompareVersions("1.0.0+a", "1.0.0+b"); c != 0 {
		t.Error("build metadata changed precedence")
	}
	for _, bad := range []string{"", "1", "1.0", "1.0.0.0", "v1.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "1.0.0-a..b", "1.0.x", "-1.0.0", "99999999999999999999.0.0"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}
