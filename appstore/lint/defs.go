package lint

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Definitions are the security definitions: a signed, versioned list of what is known
// to be bad. The catalog publishes them; the shell keeps the newest it has verified and
// checks every launch against them.
type Definitions struct {
	Version         int       `json:"version"`         // increases with every release; 1 or more
	Issued          time.Time `json:"issued"`          // when they were signed (UTC, second precision)
	MaliciousSHA256 []string  `json:"maliciousSha256"` // hex digests of known-malicious files
	BannedPatterns  []Pattern `json:"bannedPatterns"`
	RevokedSigners  []string  `json:"revokedSigners"` // publisher key ids whose bundles must not run
}

// Pattern is one banned construct.
type Pattern struct {
	ID       string   `json:"id"`   // stable name, shown in findings ("SF-2024-001")
	Kind     string   `json:"kind"` // PatternIdentifier, PatternCall or PatternString
	Value    string   `json:"value"`
	Severity Severity `json:"severity"` // "" is read as error
	Message  string   `json:"message"`  // why it is banned, shown in findings
}

// Pattern kinds.
const (
	// PatternIdentifier matches a JavaScript name read as a variable or a property
	// (x, a.x, a["x"]).
	PatternIdentifier = "identifier"
	// PatternCall matches a call or new whose callee, spelled "a.b.c", is Value or ends
	// in "." + Value.
	PatternCall = "call"
	// PatternString matches Value as a substring of a JavaScript string literal or
	// template text, and anywhere in the text of a .wxml or .wxss file.
	PatternString = "string"
)

const (
	patternIdentifier = PatternIdentifier
	patternCall       = PatternCall
	patternString     = PatternString
)

// Limits on a definitions file, so a hostile one cannot exhaust memory or time.
const (
	MaxDefinitionsBytes = 16 << 20
	maxPatterns         = 10000
	maxPatternValue     = 1024
)

// defsDomain separates definition signatures from every other ed25519 signature made
// with the same key (bundle manifests, catalog indexes).
const defsDomain = "sandframe-definitions-v1\n"

var b64 = base64.StdEncoding

// signedDefinitions is the file: the definitions and a signature over their canonical
// bytes. Anything else in the file is refused.
type signedDefinitions struct {
	Definitions json.RawMessage `json:"definitions"`
	Signature   string          `json:"signature"` // standard base64 of 64 bytes
}

// canonical normalizes d (digests lower case, lists sorted and without duplicates,
// empty pattern severities set to error, time in UTC seconds) and checks it.
func canonical(d Definitions) (Definitions, error) {
	if d.Version < 1 {
		return d, fmt.Errorf("definitions: version %d: must be 1 or more", d.Version)
	}
	if d.Issued.IsZero() {
		return d, errors.New("definitions: issued: missing")
	}
	d.Issued = d.Issued.UTC().Truncate(time.Second)
	sums := make([]string, 0, len(d.MaliciousSHA256))
	for i, s := range d.MaliciousSHA256 {
		s = strings.ToLower(s)
		if b, err := hex.DecodeString(s); err != nil || len(b) != sha256.Size {
			return d, fmt.Errorf("definitions: maliciousSha256[%d] %q: not a hex SHA-256 digest", i, d.MaliciousSHA256[i])
		}
		sums = append(sums, s)
	}
	slices.Sort(sums)
	d.MaliciousSHA256 = slices.Compact(sums)

	if len(d.BannedPatterns) > maxPatterns {
		return d, fmt.Errorf("definitions: bannedPatterns: %d patterns, more than %d", len(d.BannedPatterns), maxPatterns)
	}
	pats := make([]Pattern, len(d.BannedPatterns))
	for i, p := range d.BannedPatterns {
		field := fmt.Sprintf("definitions: bannedPatterns[%d]", i)
		switch {
		case p.ID == "":
			return d, fmt.Errorf("%s: id: missing", field)
		case p.Kind != PatternIdentifier && p.Kind != PatternCall && p.Kind != PatternString:
			return d, fmt.Errorf("%s (%s): kind %q: must be identifier, call or string", field, p.ID, p.Kind)
		case p.Value == "" || len(p.Value) > maxPatternValue:
			return d, fmt.Errorf("%s (%s): value: must have 1 to %d bytes", field, p.ID, maxPatternValue)
		}
		if p.Severity == "" {
			p.Severity = SeverityError
		}
		if !p.Severity.valid() {
			return d, fmt.Errorf("%s (%s): severity %q: must be error, warning or info", field, p.ID, p.Severity)
		}
		pats[i] = p
	}
	slices.SortFunc(pats, func(a, b Pattern) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(pats); i++ {
		if pats[i].ID == pats[i-1].ID {
			return d, fmt.Errorf("definitions: bannedPatterns: id %q appears twice", pats[i].ID)
		}
	}
	d.BannedPatterns = pats

	signers := make([]string, 0, len(d.RevokedSigners))
	for i, s := range d.RevokedSigners {
		if strings.TrimSpace(s) == "" {
			return d, fmt.Errorf("definitions: revokedSigners[%d]: empty", i)
		}
		signers = append(signers, s)
	}
	slices.Sort(signers)
	d.RevokedSigners = slices.Compact(signers)
	return d, nil
}

// canonicalBytes is what the signature covers: the domain line, then the normalized
// definitions as compact JSON (fields in declaration order, lists sorted).
func canonicalBytes(d Definitions) ([]byte, error) {
	// Empty lists are written as [] rather than null, so both spellings sign the same.
	for _, l := range []*[]string{&d.MaliciousSHA256, &d.RevokedSigners} {
		if *l == nil {
			*l = []string{}
		}
	}
	if d.BannedPatterns == nil {
		d.BannedPatterns = []Pattern{}
	}
	var buf bytes.Buffer
	buf.WriteString(defsDomain)
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("definitions: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// SignDefinitions normalizes d, signs it with priv and returns the file to publish.
func SignDefinitions(d Definitions, priv ed25519.PrivateKey) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("definitions: private key has %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	d, err := canonical(d)
	if err != nil {
		return nil, err
	}
	msg, err := canonicalBytes(d)
	if err != nil {
		return nil, err
	}
	body := msg[len(defsDomain) : len(msg)-1] // the JSON, without the domain line and newline
	out, err := json.MarshalIndent(signedDefinitions{
		Definitions: json.RawMessage(body),
		Signature:   b64.EncodeToString(ed25519.Sign(priv, msg)),
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("definitions: encode: %w", err)
	}
	return append(out, '\n'), nil
}

// ParseDefinitions reads a definitions file and verifies its signature with pub. The
// signature is checked over the canonical form of what was parsed, so exactly what the
// shell acts on is what was signed. Whether the version is newer than the one the
// shell has is the caller's decision (see Supersedes).
func ParseDefinitions(raw []byte, pub ed25519.PublicKey) (*Definitions, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("definitions: public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if len(raw) > MaxDefinitionsBytes {
		return nil, fmt.Errorf("definitions: file is %d bytes, more than %d", len(raw), MaxDefinitionsBytes)
	}
	var file signedDefinitions
	if err := strictDecode(raw, &file); err != nil {
		return nil, fmt.Errorf("definitions: %w", err)
	}
	if len(file.Definitions) == 0 {
		return nil, errors.New("definitions: definitions: missing")
	}
	sig, err := b64.DecodeString(file.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, errors.New("definitions: signature: missing or not base64 of 64 bytes")
	}
	var d Definitions
	if err := strictDecode(file.Definitions, &d); err != nil {
		return nil, fmt.Errorf("definitions: definitions: %w", err)
	}
	d, err = canonical(d)
	if err != nil {
		return nil, err
	}
	msg, err := canonicalBytes(d)
	if err != nil {
		return nil, err
	}
	if !ed25519.Verify(pub, msg, sig) {
		return nil, errors.New("definitions: signature does not verify with the definitions key: the file was changed or signed by another key")
	}
	return &d, nil
}

// Supersedes reports nil when d may replace cur (nil: none yet): its version must be
// higher, so an old signed file cannot be replayed to bring back what was revoked.
func (d *Definitions) Supersedes(cur *Definitions) error {
	if cur == nil || d.Version > cur.Version {
		return nil
	}
	return fmt.Errorf("definitions: version %d is not newer than the current version %d", d.Version, cur.Version)
}

// Malicious reports whether a file with this SHA-256 is known to be malicious.
func (d *Definitions) Malicious(sum [sha256.Size]byte) bool {
	return slices.ContainsFunc(d.MaliciousSHA256, func(s string) bool { return strings.EqualFold(s, hex.EncodeToString(sum[:])) })
}

// maliciousSet indexes d's digests (nil d: none) for the checks of many files.
func maliciousSet(d *Definitions) map[string]bool {
	if d == nil {
		return nil
	}
	m := make(map[string]bool, len(d.MaliciousSHA256))
	for _, s := range d.MaliciousSHA256 {
		m[strings.ToLower(s)] = true
	}
	return m
}

// SignerRevoked reports whether bundles signed by keyID must no longer run.
func (d *Definitions) SignerRevoked(keyID string) bool {
	return slices.Contains(d.RevokedSigners, keyID)
}

// strictDecode decodes one JSON value, refusing unknown fields and trailing data.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// checkDigest reports the file when its digest is listed.
func (c *fileCheck) checkDigest(src []byte) {
	sum := sha256.Sum256(src)
	if c.malicious[hex.EncodeToString(sum[:])] {
		c.out = append(c.out, Finding{Rule: "defs/malicious", Severity: SeverityError, File: c.name,
			Message: fmt.Sprintf("file is known to be malicious (security definitions version %d): do not run or install this app", c.defs.Version)})
	}
}

// bannedKind returns the definitions' patterns of one kind.
func (c *fileCheck) bannedKind(kind string) []Pattern { return c.patterns[kind] }

// groupPatterns indexes d's patterns by kind (nil d: none).
func groupPatterns(d *Definitions) map[string][]Pattern {
	if d == nil {
		return nil
	}
	m := map[string][]Pattern{}
	for _, p := range d.BannedPatterns {
		m[p.Kind] = append(m[p.Kind], p)
	}
	return m
}

func (c *fileCheck) banned(off int, p Pattern) {
	msg := p.Message
	if msg == "" {
		msg = "banned by the security definitions"
	}
	c.atSev(off, "defs/banned", p.Severity, "%s %q (%s): %s", p.Kind, p.Value, p.ID, msg)
}
