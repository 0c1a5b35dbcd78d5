package storage

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sandframe/sandframe/internal/atomicfile"
)

// MasterKeyError is the master key failing to open existing data. Nothing was changed.
type MasterKeyError struct {
	Where   string // where the key was looked for, in words
	Dir     string // the data it does not open
	App     string // "" when found by the key check at Open
	Missing bool   // the key is not there at all
	Cause   error
}

func (e *MasterKeyError) Error() string {
	what := "the master key in " + e.Where + " does not open"
	if e.Missing {
		what = "no master key in " + e.Where + ", yet there is encrypted data in"
	}
	data := e.Dir
	if e.App != "" {
		data = fmt.Sprintf("%s (app %q)", e.Dir, e.App)
	}
	return fmt.Sprintf("storage: %s %s. Nothing was changed. Restore the original master key "+
		"(from a backup of the key file or the keyring), or, to give up that data and start "+
		"with empty storage, move %s aside", what, data, e.Dir)
}

func (e *MasterKeyError) Is(target error) bool { return target == ErrWrongMasterKey }
func (e *MasterKeyError) Unwrap() error        { return e.Cause }

// checkFile records, beside the data, which keyring holds the master key and a check
// value that recognises it: a later Open then looks in the same place, and a wrong or
// missing key is an error there and then, instead of a new key quietly made elsewhere.
const checkFile = "master.check"

type keyCheck struct {
	Format  string `json:"format"`
	Keyring string `json:"keyring"`
	Check   []byte `json:"check"` // HMAC-SHA256(master key, constant)
}

func (s *Store) readCheck() (*keyCheck, error) {
	p := filepath.Join(s.dir, checkFile)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: %s: %w", p, err)
	}
	var c keyCheck
	if err := json.Unmarshal(b, &c); err != nil || c.Format != format || len(c.Check) == 0 {
		return nil, fmt.Errorf("storage: %s: not a master key check of format %s (delete it to check the key against the data instead)", p, format)
	}
	return &c, nil
}

func (s *Store) writeCheck() error {
	b, err := json.Marshal(keyCheck{Format: format, Keyring: keyringName(s.keyring), Check: s.master.check})
	if err != nil {
		return err
	}
	if err := atomicfile.Write(filepath.Join(s.dir, checkFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("storage: write %s: %w", checkFile, err)
	}
	return nil
}

// chooseKeyring picks where the master key is: the configured keyring, else where the
// check file says it was put, else the desktop keyring if one answers, else a file.
func (s *Store) chooseKeyring(kr Keyring, check *keyCheck) (Keyring, error) {
	if kr != nil {
		return kr, nil
	}
	switch {
	case check != nil && check.Keyring == keyringFile:
		return &FileKeyring{Dir: s.configDir}, nil
	case check != nil && check.Keyring == keyringSecretService:
		kr, err := SecretServiceKeyring()
		if err != nil {
			return nil, fmt.Errorf("storage: the master key of %s is in the desktop keyring, which cannot be reached (%w); "+
				"unlock or start the keyring and try again. Nothing was changed", s.dir, err)
		}
		return kr, nil
	}
	if s.configDir == "" {
		// DefaultKeyring would fall back to a file with nowhere to put it.
		if kr, err := SecretServiceKeyring(); err == nil {
			return kr, nil
		}
		return nil, errors.New("storage: no desktop keyring and Config.ConfigDir is empty: nowhere to keep the master key")
	}
	return DefaultKeyring(s.configDir, s.log), nil
}

// openMaster loads the master key, or makes one when there is no data yet, and checks
// it against the check file or, without one, against every app's wrapped key.
func (s *Store) openMaster(configured Keyring) error {
	check, err := s.readCheck()
	if err != nil {
		return err
	}
	if s.keyring, err = s.chooseKeyring(configured, check); err != nil {
		return err
	}
	if fk, ok := s.keyring.(*FileKeyring); ok {
		if err := mkdirPrivate(fk.Dir); err != nil {
			return fmt.Errorf("storage: Config.ConfigDir %s: %w", fk.Dir, err)
		}
	}
	where := describeKeyring(s.keyring)
	apps, err := s.storedApps()
	if err != nil {
		return err
	}
	raw, err := s.keyring.Get(KeyringService, KeyringUser)
	switch {
	case errors.Is(err, ErrNotFound) && (check != nil || len(apps) > 0):
		return &MasterKeyError{Where: where, Dir: s.dir, Missing: true, Cause: err}
	case errors.Is(err, ErrNotFound):
		return s.createMaster()
	case err != nil:
		return fmt.Errorf("storage: read the master key from %s: %w", where, err)
	}
	if s.master, err = newMasterKey(raw); err != nil {
		return &MasterKeyError{Where: where, Dir: s.dir, Cause: err}
	}
	if check != nil {
		if !hmac.Equal(check.Check, s.master.check) {
			return &MasterKeyError{Where: where, Dir: s.dir, Cause: errors.New("key check mismatch")}
		}
		return nil
	}
	// No check file (first run of this version, or it was deleted): the key must open
	// every app's wrapped key before it is recorded as the right one.
	for _, app := range apps {
		if err := s.verifyApp(app); err != nil {
			return err
		}
	}
	return s.writeCheck()
}

func (s *Store) createMaster() error {
	raw := make([]byte, masterKeyLen)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("storage: master key: %w", err)
	}
	var err error
	if s.master, err = newMasterKey(raw); err != nil {
		return err
	}
	// The key first, then the check: a crash between leaves a key and no data, which
	// the next Open accepts.
	if err := s.keyring.Set(KeyringService, KeyringUser, raw); err != nil {
		return fmt.Errorf("storage: store the new master key in %s: %w", describeKeyring(s.keyring), err)
	}
	if err := s.writeCheck(); err != nil {
		return err
	}
	s.log.Info("storage: new master key", "keyring", keyringName(s.keyring))
	return nil
}

// verifyApp opens app's database (read only) and unwraps its key.
func (s *Store) verifyApp(app string) error {
	name, _ := dirName(app)
	path := filepath.Join(s.dir, name, dbFile)
	if !exists(path) {
		return nil
	}
	d, err := openReadOnly(app, path, s.master)
	if err != nil {
		return fmt.Errorf("storage: app %q: %s: %w", app, path, err)
	}
	defer d.close()
	if _, err := d.loadKeys(d.r); err != nil {
		if errors.Is(err, ErrWrongMasterKey) {
			return &MasterKeyError{Where: describeKeyring(s.keyring), Dir: s.dir, App: app, Cause: err}
		}
		if errors.Is(err, sqlErrNoRows) || strings.Contains(err.Error(), "no such table") {
			return nil // created, crashed before its first write: no key to check
		}
		return fmt.Errorf("storage: app %q: %w", app, err)
	}
	return nil
}
