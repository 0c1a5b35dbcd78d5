package catalog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sandframe/sandframe/appstore/bundle"
	"github.com/sandframe/sandframe/internal/atomicfile"
	"github.com/sandframe/sandframe/internal/filelock"
)

// lockName is the lock file beside index.json. Dotfiles are never served.
const lockName = ".lock"

// publishMu serializes publishing within one process (the flock does it across processes
// where there is one).
var publishMu sync.Mutex

// PublishOptions says which channel a published release goes to.
type PublishOptions struct {
	// Channel is pointed at the new release: "" means stable. A channel only moves
	// forward: adding an older version (a backfill) leaves it where it is.
	Channel string
	// Rollout is the percentage of stable machines offered the release, for a channel
	// other than stable (0..100). Stable is always 100.
	Rollout int
	// Replace lets a version already published with other bytes be replaced. Off by
	// default: a published version's bytes should never change (caches and CDNs keep them).
	Replace bool
	// Now stamps the index; nil means time.Now.
	Now func() time.Time
	// Logger hears about releases replaced or channels left behind; nil: slog.Default().
	Logger *slog.Logger
}

// Add publishes a signed bundle into the catalog at dir with PublishOptions{} (the
// stable channel). See AddWith.
func Add(dir string, sfa io.ReaderAt, size int64, key ed25519.PrivateKey) (*Index, error) {
	return AddWith(dir, sfa, size, key, PublishOptions{})
}

// AddWith publishes a signed bundle into the catalog at dir: it opens and verifies the
// bundle, copies it to dir/bundles/<id>/<version>.sfa, adds the release (or replaces it,
// when o.Replace), points o.Channel at it, and writes index.json signed with key. Both
// files are replaced atomically, the bundle first, so a server never offers an index
// naming a bundle it does not have. An existing index must verify with key: a catalog
// is not silently taken over by another key. dir is created if missing.
func AddWith(dir string, sfa io.ReaderAt, size int64, key ed25519.PrivateKey, o PublishOptions) (*Index, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("catalog: publish: no valid signing key")
	}
	channel := o.Channel
	if channel == "" {
		channel = Stable
	}
	rollout := o.Rollout
	if channel == Stable {
		rollout = 100
	}
	if !channelName.MatchString(channel) || rollout < 0 || rollout > 100 {
		return nil, fmt.Errorf("catalog: publish: channel %q rollout %d: want a name [a-z][a-z0-9-]{0,31} and 0..100", channel, rollout)
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}

	b, err := bundle.Open(sfa, size, bundle.DefaultLimits())
	if err != nil {
		return nil, fmt.Errorf("catalog: publish: %w", err)
	}
	if !b.Signed {
		return nil, fmt.Errorf("catalog: publish %s %s: %w: a catalog holds signed bundles only", b.Manifest.AppID, b.Manifest.Version, bundle.ErrUnsigned)
	}
	m := b.Manifest
	if m.Root != "" {
		return nil, fmt.Errorf("catalog: publish %s %s: %w: the bundle of subpackage %q is published with its core (AddSet, shell store add CORE.sfa)",
			m.AppID, m.Version, bundle.ErrSubpackage, m.Root)
	}
	if err := subpackagesPublished(dir, m); err != nil {
		return nil, fmt.Errorf("catalog: publish %s %s: %w", m.AppID, m.Version, err)
	}
	if size > MaxBundleSize {
		return nil, fmt.Errorf("catalog: publish %s %s: %w: %d bytes, at most %d", m.AppID, m.Version, bundle.ErrTooLarge, size, MaxBundleSize)
	}
	digest, err := digestOf(io.NewSectionReader(sfa, 0, size))
	if err != nil {
		return nil, fmt.Errorf("catalog: publish %s %s: reading the bundle: %w", m.AppID, m.Version, err)
	}
	rel := Release{Version: m.Version, SHA256: digest, Path: BundlePath(m.AppID, m.Version), Size: size, MinShell: m.MinShell}

	var out *Index
	err = update(dir, key, o.Now, func(idx *Index) error {
		app := idx.App(m.AppID)
		if app == nil {
			if channel != Stable {
				return fmt.Errorf("%s: no stable release yet: publish one to stable before %s", m.AppID, channel)
			}
			idx.Apps = append(idx.Apps, App{ID: m.AppID})
			app = &idx.Apps[len(idx.Apps)-1]
		} else if app.Channel(Stable) == nil && channel != Stable {
			return fmt.Errorf("%s: no stable release yet: publish one to stable before %s", m.AppID, channel)
		}
		old := app.sameVersion(rel.Version)
		if old != nil && old.SHA256 != rel.SHA256 {
			if !o.Replace {
				return fmt.Errorf("%s %s: %w (published sha256 %s, this one %s)", m.AppID, rel.Version, ErrVersionExists, old.SHA256, rel.SHA256)
			}
			log.Warn("catalog: replacing a published release", "app", m.AppID, "version", rel.Version, "old", old.SHA256, "new", rel.SHA256)
		}
		if err := writeBundle(dir, rel, sfa); err != nil {
			return err
		}
		if old != nil {
			for i := range app.Channels {
				if app.Channels[i].Version == old.Version {
					app.Channels[i].Version = rel.Version // the same version, other build metadata
				}
			}
			*old = rel
		} else {
			app.Versions = append(app.Versions, rel)
		}

		ch := app.Channel(channel)
		switch {
		case ch == nil:
			app.Channels = append(app.Channels, Channel{Name: channel, Version: rel.Version, Rollout: rollout})
		default:
			cmp, err := bundle.CompareVersions(rel.Version, ch.Version)
			if err != nil {
				return err
			}
			if cmp < 0 {
				log.Info("catalog: older release added; channel left where it is", "app", m.AppID, "version", rel.Version, "channel", channel, "at", ch.Version)
				break
			}
			ch.Version, ch.Rollout = rel.Version, rollout
		}
		if app.Name == "" || app.Channel(Stable).Version == rel.Version {
			app.Name = displayName(b.FS(), m.AppID) // the name stable users see
		}
		sortApp(app)
		out = idx
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetChannel points channel of app at version with rollout (stable: always 100) and
// re-signs the index: raise a canary's rollout, promote it, or pull it back (rollout 0).
// Unlike AddWith it may move a channel to an older version; clients still refuse to
// downgrade an installed app unless told to.
func SetChannel(dir, appID, channel, version string, rollout int, key ed25519.PrivateKey) (*Index, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("catalog: set channel: no valid signing key")
	}
	if channel == Stable {
		rollout = 100
	}
	if !channelName.MatchString(channel) || rollout < 0 || rollout > 100 {
		return nil, fmt.Errorf("catalog: set channel %q rollout %d: want a name [a-z][a-z0-9-]{0,31} and 0..100", channel, rollout)
	}
	var out *Index
	err := update(dir, key, nil, func(idx *Index) error {
		app := idx.App(appID)
		if app == nil {
			return fmt.Errorf("%w: %q", ErrNoApp, appID)
		}
		if app.Release(version) == nil {
			return fmt.Errorf("%s: no release %q", appID, version)
		}
		if ch := app.Channel(channel); ch != nil {
			ch.Version, ch.Rollout = version, rollout
		} else {
			app.Channels = append(app.Channels, Channel{Name: channel, Version: version, Rollout: rollout})
		}
		sortApp(app)
		out = idx
		return nil
	})
	return out, err
}

// ReadIndex reads dir/index.json, checking its signature with pub (the publisher's own
// view; clients use Client.Index).
func ReadIndex(dir string, pub ed25519.PublicKey) (*Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	idx, err := openIndex(data, pub)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", filepath.Join(dir, IndexFile), err)
	}
	return idx, nil
}

func openIndex(data []byte, pub ed25519.PublicKey) (*Index, error) {
	env, sig, err := parseEnvelope(data)
	if err != nil {
		return nil, err
	}
	if env.Signer != bundle.IDOf(pub) {
		return nil, fmt.Errorf("%w: signer %s, key %s", ErrWrongKey, env.Signer, bundle.IDOf(pub))
	}
	return verifyEnvelope(env, sig, pub)
}

// update runs change on the catalog's index under the catalog's lock and writes the
// result, signed, with the next version number.
func update(dir string, key ed25519.PrivateKey, now func() time.Time, change func(*Index) error) error {
	publishMu.Lock()
	defer publishMu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	unlock, err := filelock.Lock(filepath.Join(dir, lockName), 0o600)
	if err != nil {
		return fmt.Errorf("catalog: locking %s: %w", dir, err)
	}
	defer unlock()

	idx := &Index{Format: IndexFormat, Apps: []App{}}
	indexPath := filepath.Join(dir, IndexFile)
	switch data, err := os.ReadFile(indexPath); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("catalog: %w", err)
	default:
		if idx, err = openIndex(data, key.Public().(ed25519.PublicKey)); err != nil {
			return fmt.Errorf("catalog: %s: %w", indexPath, err)
		}
	}
	if err := change(idx); err != nil {
		return fmt.Errorf("catalog: %s: %w", dir, err)
	}
	if now == nil {
		now = time.Now
	}
	idx.Version++
	idx.Generated = now().UTC().Truncate(time.Second)
	slicesSortApps(idx.Apps)
	data, err := signIndex(idx, key)
	if err != nil {
		return fmt.Errorf("catalog: %s: %w", indexPath, err)
	}
	if err := atomicfile.WriteFrom(indexPath, bytes.NewReader(data), 0o644); err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	return nil
}

// writeBundle copies the release's bytes to their path in dir, unless an identical file
// is there already.
func writeBundle(dir string, rel Release, sfa io.ReaderAt) error {
	dst := filepath.Join(dir, filepath.FromSlash(rel.Path))
	if f, err := os.Open(dst); err == nil {
		d, err := digestOf(f)
		f.Close()
		if err == nil && d == rel.SHA256 {
			return nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFrom(dst, io.NewSectionReader(sfa, 0, rel.Size), 0o644)
}

func digestOf(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// displayName is app.json's "name" when it is a usable one, else the app id.
func displayName(fsys fs.FS, id string) string {
	data, err := fs.ReadFile(fsys, "app.json")
	if err != nil {
		return id
	}
	var aj struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(data, &aj) != nil {
		return id
	}
	name := strings.TrimSpace(aj.Name)
	if name == "" || len(name) > maxNameLen || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
		return id
	}
	return name
}
