// Package catalog is Sandframe's online app catalog: a directory of static files (a signed
// index.json and the bundles it lists) that any web server, CDN or object store can host.
// Add publishes a bundle into such a directory and re-signs the index; Handler and Serve
// serve one read-only; Client fetches and verifies the index, picks a release by channel
// and rollout, and downloads bundles, checking size and digest as they stream, into a
// cache keyed by digest.
package catalog

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sandframe/sandframe/appstore/bundle"
)

// IndexFormat is the index's "format" value and the first key of the signed bytes: a
// signature over an index can never pass for one over a bundle manifest or security
// definitions signed with the same key (those carry their own format strings).
const IndexFormat = "sandframe-catalog-1"

// IndexFile is the index's name in a catalog directory and under the catalog's URL.
const IndexFile = "index.json"

// Bounds on what a client accepts from a catalog.
const (
	MaxIndexSize  = 16 << 20 // bytes of index.json
	MaxBundleSize = 1 << 30  // bytes of one .sfa (bundle.Open bounds what it unpacks to)
	maxNameLen    = 200      // bytes of an app's display name
)

// Channel names. Any name matching [a-z][a-z0-9-]{0,31} may be used; these two are the
// ones the tools know.
const (
	Stable = "stable"
	Canary = "canary"
)

// Errors. Every error of this package wraps one of these (or one of appstore/bundle's and
// appstore/trust's), and names the file, field or URL concerned.
var (
	ErrIndex         = errors.New("invalid catalog index")
	ErrSignature     = errors.New("catalog index signature does not verify")
	ErrUntrusted     = errors.New("catalog signer not trusted")
	ErrReplay        = errors.New("catalog index older than one already seen")
	ErrNoApp         = errors.New("app not in the catalog")
	ErrNoChannel     = errors.New("channel not in the catalog")
	ErrShellTooOld   = errors.New("release needs a newer shell")
	ErrSize          = errors.New("download size mismatch")
	ErrDigest        = errors.New("download digest mismatch")
	ErrBundle        = errors.New("bundle does not match the catalog")
	ErrVersionExists = errors.New("version already published with other bytes")
	ErrWrongKey      = errors.New("catalog signed by another key")
)

// Index is the catalog: every app, its releases and channels. It is signed as a whole;
// Version grows by one with every change, so a client can refuse an older index replayed
// to it.
type Index struct {
	Format    string    `json:"format"`    // IndexFormat
	Version   int       `json:"version"`   // 1, 2, …
	Generated time.Time `json:"generated"` // when the publisher signed it (UTC, seconds)
	Apps      []App     `json:"apps"`      // sorted by ID
}

// App is one app of the catalog.
type App struct {
	ID       string    `json:"id"`       // bundle.ValidAppID
	Name     string    `json:"name"`     // for display: app.json "name", else the id
	Versions []Release `json:"versions"` // sorted by semver, oldest first
	Channels []Channel `json:"channels"` // sorted by name; "stable" is always there
}

// Release is one published version of an app.
type Release struct {
	Version  string `json:"version"`  // semver, as in the bundle's manifest
	SHA256   string `json:"sha256"`   // lowercase hex digest of the whole .sfa file
	Path     string `json:"path"`     // "bundles/<id>/<version>.sfa", relative to the catalog's root
	Size     int64  `json:"size"`     // bytes of the .sfa file
	MinShell string `json:"minShell"` // the bundle manifest's minShell
}

// Channel points a channel at a release. Machines that ask for the channel get its
// version (or stable's, if that is newer). Machines on stable get a non-stable channel's
// newer version when their rollout bucket for (app, version) is below Rollout: the
// percentage of the stable fleet that takes part in the canary. Stable's Rollout is 100.
type Channel struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Rollout int    `json:"rollout"` // 0..100 percent
}

// envelope is index.json: the index's exact bytes and the signature over them.
type envelope struct {
	Index     json.RawMessage `json:"index"`
	Signature string          `json:"signature"` // standard base64 of 64 bytes
	Signer    bundle.KeyID    `json:"signer"`
}

// App returns the app with id, or nil.
func (idx *Index) App(id string) *App {
	for i := range idx.Apps {
		if idx.Apps[i].ID == id {
			return &idx.Apps[i]
		}
	}
	return nil
}

// Release returns the release of version v, or nil.
func (a *App) Release(v string) *Release {
	for i := range a.Versions {
		if a.Versions[i].Version == v {
			return &a.Versions[i]
		}
	}
	return nil
}

// sameVersion returns the release whose version has v's precedence (they differ at most
// in build metadata), or nil.
func (a *App) sameVersion(v string) *Release {
	for i := range a.Versions {
		if c, err := bundle.CompareVersions(a.Versions[i].Version, v); err == nil && c == 0 {
			return &a.Versions[i]
		}
	}
	return nil
}

// Channel returns the channel named name, or nil.
func (a *App) Channel(name string) *Channel {
	for i := range a.Channels {
		if a.Channels[i].Name == name {
			return &a.Channels[i]
		}
	}
	return nil
}

// BundlePath is where a release of app id lives under the catalog's root.
func BundlePath(id, version string) string {
	return "bundles/" + id + "/" + version + ".sfa"
}

var (
	channelName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	hexDigest   = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Validate reports the first thing wrong with idx, naming the field.
func (idx *Index) Validate() error {
	if idx.Format != IndexFormat {
		return fmt.Errorf("%w: format %q, want %q", ErrIndex, idx.Format, IndexFormat)
	}
	if idx.Version < 1 {
		return fmt.Errorf("%w: version %d, want ≥ 1", ErrIndex, idx.Version)
	}
	if idx.Generated.IsZero() {
		return fmt.Errorf("%w: generated missing", ErrIndex)
	}
	for i := range idx.Apps {
		a := &idx.Apps[i]
		if i > 0 && idx.Apps[i-1].ID >= a.ID {
			return fmt.Errorf("%w: apps[%d] %q: apps not sorted by id or duplicated", ErrIndex, i, a.ID)
		}
		if err := a.validate(); err != nil {
			return fmt.Errorf("%w: apps[%d] %q: %w", ErrIndex, i, a.ID, err)
		}
	}
	return nil
}

func (a *App) validate() error {
	if err := bundle.ValidAppID(a.ID); err != nil {
		return fmt.Errorf("id: %w", err)
	}
	if a.Name == "" || len(a.Name) > maxNameLen || !utf8.ValidString(a.Name) ||
		strings.ContainsFunc(a.Name, unicode.IsControl) {
		return fmt.Errorf("name %q: want 1..%d bytes of UTF-8 without control characters", a.Name, maxNameLen)
	}
	if len(a.Versions) == 0 {
		return errors.New("versions: empty")
	}
	var prev bundle.Version
	for i, r := range a.Versions {
		v, err := bundle.ParseVersion(r.Version)
		if err != nil {
			return fmt.Errorf("versions[%d].version: %w", i, err)
		}
		if i > 0 && prev.Compare(v) >= 0 {
			return fmt.Errorf("versions[%d].version %q: versions not sorted or duplicated", i, r.Version)
		}
		prev = v
		if !hexDigest.MatchString(r.SHA256) {
			return fmt.Errorf("versions[%d].sha256 %q: want 64 lowercase hex digits", i, r.SHA256)
		}
		if want := BundlePath(a.ID, r.Version); r.Path != want {
			return fmt.Errorf("versions[%d].path %q: want %q", i, r.Path, want)
		}
		if err := bundle.CheckPath(r.Path); err != nil {
			return fmt.Errorf("versions[%d].path: %w", i, err)
		}
		if r.Size <= 0 || r.Size > MaxBundleSize {
			return fmt.Errorf("versions[%d].size %d: want 1..%d", i, r.Size, MaxBundleSize)
		}
		if _, err := bundle.ParseVersion(r.MinShell); err != nil {
			return fmt.Errorf("versions[%d].minShell: %w", i, err)
		}
	}
	for i, c := range a.Channels {
		if !channelName.MatchString(c.Name) {
			return fmt.Errorf("channels[%d].name %q: want [a-z][a-z0-9-]{0,31}", i, c.Name)
		}
		if i > 0 && a.Channels[i-1].Name >= c.Name {
			return fmt.Errorf("channels[%d].name %q: channels not sorted by name or duplicated", i, c.Name)
		}
		if a.Release(c.Version) == nil {
			return fmt.Errorf("channels[%d].version %q: no such release", i, c.Version)
		}
		if c.Rollout < 0 || c.Rollout > 100 {
			return fmt.Errorf("channels[%d].rollout %d: want 0..100", i, c.Rollout)
		}
		if c.Name == Stable && c.Rollout != 100 {
			return fmt.Errorf("channels[%d].rollout %d: stable is always 100", i, c.Rollout)
		}
	}
	if a.Channel(Stable) == nil {
		return errors.New("channels: no stable channel")
	}
	return nil
}

// canonical is the one byte form of idx, the bytes the signature covers: keys in the
// structs' order, no whitespace, no HTML escaping.
func (idx *Index) canonical() ([]byte, error) {
	if err := idx.Validate(); err != nil {
		return nil, err
	}
	return marshal(idx)
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// parseIndex decodes the signed bytes strictly (unknown fields are errors) and requires
// them to be their own canonical form, so what was signed is exactly what is read.
func parseIndex(raw []byte) (*Index, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var idx Index
	if err := dec.Decode(&idx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrIndex, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the index", ErrIndex)
	}
	canon, err := idx.canonical()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(canon, raw) {
		return nil, fmt.Errorf("%w: index not in canonical form", ErrIndex)
	}
	return &idx, nil
}

// parseEnvelope decodes index.json without checking the signature.
func parseEnvelope(data []byte) (*envelope, []byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var env envelope
	if err := dec.Decode(&env); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrIndex, err)
	}
	if dec.More() {
		return nil, nil, fmt.Errorf("%w: data after the envelope", ErrIndex)
	}
	if len(env.Index) == 0 {
		return nil, nil, fmt.Errorf("%w: index missing", ErrIndex)
	}
	if err := env.Signer.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%w: signer: %w", ErrIndex, err)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(env.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, nil, fmt.Errorf("%w: signature: want base64 of %d bytes", ErrIndex, ed25519.SignatureSize)
	}
	return &env, sig, nil
}

// verifyEnvelope checks the signature with pub and parses the index.
func verifyEnvelope(env *envelope, sig []byte, pub ed25519.PublicKey) (*Index, error) {
	if !ed25519.Verify(pub, env.Index, sig) {
		return nil, fmt.Errorf("%w (signer %s)", ErrSignature, env.Signer)
	}
	return parseIndex(env.Index)
}

// signIndex gives the bytes of index.json for idx signed with key.
func signIndex(idx *Index, key ed25519.PrivateKey) ([]byte, error) {
	raw, err := idx.canonical()
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	env := envelope{
		Index:     raw,
		Signature: base64.StdEncoding.EncodeToString(ed25519.Sign(key, raw)),
		Signer:    bundle.IDOf(pub),
	}
	out, err := marshal(env)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// clone returns a copy of r, so that callers cannot edit an index through it.
func (r *Release) clone() *Release {
	c := *r
	return &c
}

// sortApp puts an app's releases and channels into canonical order.
func sortApp(a *App) {
	slices.SortFunc(a.Versions, func(x, y Release) int {
		c, _ := bundle.CompareVersions(x.Version, y.Version)
		return c
	})
	slices.SortFunc(a.Channels, func(x, y Channel) int { return strings.Compare(x.Name, y.Name) })
}

func slicesSortApps(apps []App) {
	slices.SortFunc(apps, func(x, y App) int { return strings.Compare(x.ID, y.ID) })
}
