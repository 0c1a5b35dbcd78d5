package lint

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func testKey(t testing.TB, seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

var evilSum = sha256.Sum256([]byte("evil"))

func sampleDefs() Definitions {
	return Definitions{
		Version: 7,
		Issued:  time.Date(2025, 3, 4, 5, 6, 7, 890, time.FixedZone("X", 3600)),
		// unsorted, upper case and duplicated: normalized before signing
		MaliciousSHA256: []string{strings.Repeat("f", 64), strings.ToUpper(hexOf(evilSum)), hexOf(evilSum)},
		BannedPatterns: []Pattern{
			{ID: "B", Kind: PatternString, Value: "<script>", Severity: SeverityWarning, Message: "markup in code"},
			{ID: "A", Kind: PatternCall, Value: "startMiner"},
		},
		RevokedSigners: []string{"key-2", "key-1"},
	}
}

func hexOf(b [32]byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 64)
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}

func TestDefinitionsRoundTrip(t *testing.T) {
	pub, priv := testKey(t, 1)
	raw, err := SignDefinitions(sampleDefs(), priv)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDefinitions(raw, pub)
	if err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	if d.Version != 7 || !d.Issued.Equal(time.Date(2025, 3, 4, 4, 6, 7, 0, time.UTC)) || d.Issued.Location() != time.UTC {
		t.Errorf("version/issued: %d %v", d.Version, d.Issued)
	}
	if len(d.MaliciousSHA256) != 2 || !d.Malicious(evilSum) || d.Malicious(sha256.Sum256([]byte("good"))) {
		t.Errorf("digests: %v", d.MaliciousSHA256)
	}
	if len(d.BannedPatterns) != 2 || d.BannedPatterns[0].ID != "A" || d.BannedPatterns[0].Severity != SeverityError {
		t.Errorf("patterns (sorted by id, empty severity read as error): %+v", d.BannedPatterns)
	}
	if !d.SignerRevoked("key-1") || d.SignerRevoked("key-3") {
		t.Errorf("revoked: %v", d.RevokedSigners)
	}
	// Signing what was parsed gives the same file: the canonical form is a fixed point.
	again, err := SignDefinitions(*d, priv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, again) {
		t.Errorf("re-signing changed the file:\n%s\n%s", raw, again)
	}
	// Reformatting the file (whitespace, key order) changes nothing that is signed.
	var generic map[string]any
	if err := json.Unmarshal(raw, &generic); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(generic)
	if _, err := ParseDefinitions(compact, pub); err != nil {
		t.Errorf("reformatted file refused: %v", err)
	}
}

// edit decodes the signed file, lets f change it, and encodes it again.
func edit(t *testing.T, raw []byte, f func(file map[string]any, defs map[string]any)) []byte {
	t.Helper()
	var file map[string]any
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	f(file, file["definitions"].(map[string]any))
	out, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDefinitionsRefused(t *testing.T) {
	pub, priv := testKey(t, 1)
	otherPub, otherPriv := testKey(t, 2)
	raw, err := SignDefinitions(sampleDefs(), priv)
	if err != nil {
		t.Fatal(err)
	}
	signedByOther, err := SignDefinitions(sampleDefs(), otherPriv)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		raw  []byte
		pub  ed25519.PublicKey
		want string
	}{
		{"version raised", edit(t, raw, func(_, d map[string]any) { d["version"] = 8 }), pub, "signature does not verify"},
		{"digest removed", edit(t, raw, func(_, d map[string]any) { d["maliciousSha256"] = []any{strings.Repeat("f", 64)} }), pub, "signature does not verify"},
		{"signer un-revoked", edit(t, raw, func(_, d map[string]any) { d["revokedSigners"] = []any{"key-2"} }), pub, "signature does not verify"},
		{"pattern weakened", edit(t, raw, func(_, d map[string]any) {
			d["bannedPatterns"].([]any)[0].(map[string]any)["severity"] = "info"
		}), pub, "signature does not verify"},
		{"issued moved", edit(t, raw, func(_, d map[string]any) { d["issued"] = "2030-01-01T00:00:00Z" }), pub, "signature does not verify"},
		{"signature flipped", edit(t, raw, func(f, _ map[string]any) {
			s := []byte(f["signature"].(string))
			s[3] ^= 1
			f["signature"] = string(s)
		}), pub, "signature"},
		{"signature missing", edit(t, raw, func(f, _ map[string]any) { delete(f, "signature") }), pub, "signature: missing"},
		{"wrong key", signedByOther, pub, "signature does not verify"},
		{"right file, other key", raw, otherPub, "signature does not verify"},
		{"unknown field in file", edit(t, raw, func(f, _ map[string]any) { f["keyId"] = "x" }), pub, "unknown field"},
		{"unknown field in definitions", edit(t, raw, func(_, d map[string]any) { d["allow"] = true }), pub, "unknown field"},
		{"trailing data", append(append([]byte{}, raw...), []byte("{}")...), pub, "trailing data"},
		{"not JSON", []byte("defs"), pub, "definitions:"},
		{"definitions missing", []byte(`{"signature":""}`), pub, "definitions: missing"},
		{"bad digest", edit(t, raw, func(_, d map[string]any) { d["maliciousSha256"] = []any{"abc"} }), pub, "maliciousSha256[0]"},
		{"bad kind", edit(t, raw, func(_, d map[string]any) {
			d["bannedPatterns"].([]any)[0].(map[string]any)["kind"] = "regex"
		}), pub, `kind "regex"`},
		{"version 0", edit(t, raw, func(_, d map[string]any) { d["version"] = 0 }), pub, "version 0"},
		{"short key", raw, pub[:10], "public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDefinitions(tt.raw, tt.pub)
			if err == nil {
				t.Fatalf("accepted: %+v", d)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestSignDefinitionsRefusesInvalid(t *testing.T) {
	_, priv := testKey(t, 1)
	tests := []struct {
		name string
		edit func(*Definitions)
		want string
	}{
		{"no issued", func(d *Definitions) { d.Issued = time.Time{} }, "issued"},
		{"duplicate id", func(d *Definitions) { d.BannedPatterns[1].ID = "B" }, `id "B" appears twice`},
		{"empty value", func(d *Definitions) { d.BannedPatterns[0].Value = "" }, "value"},
		{"bad severity", func(d *Definitions) { d.BannedPatterns[0].Severity = "fatal" }, "severity"},
		{"empty signer", func(d *Definitions) { d.RevokedSigners = []string{" "} }, "revokedSigners[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sampleDefs()
			tt.edit(&d)
			if _, err := SignDefinitions(d, priv); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := SignDefinitions(sampleDefs(), priv[:5]); err == nil {
		t.Error("short private key accepted")
	}
}

func TestSupersedes(t *testing.T) {
	v := func(n int) *Definitions { return &Definitions{Version: n} }
	if err := v(1).Supersedes(nil); err != nil {
		t.Error(err)
	}
	if err := v(3).Supersedes(v(2)); err != nil {
		t.Error(err)
	}
	for _, cur := range []int{3, 4} {
		if err := v(3).Supersedes(v(cur)); err == nil {
			t.Errorf("version 3 replaced version %d", cur)
		}
	}
}

// A signed file's patterns and digests reach the checks.
func TestDefinitionsDriveRun(t *testing.T) {
	pub, priv := testKey(t, 1)
	raw, err := SignDefinitions(sampleDefs(), priv)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ParseDefinitions(raw, pub)
	if err != nil {
		t.Fatal(err)
	}
	fsys := mapFS(map[string]string{
		"evil.bin": "evil",
		"a.js":     "miner.startMiner()\nvar s = '<script>'\n",
	})
	got, err := Run(fsys, Config{Domains: []string{}, Declared: map[string]bool{}, Defs: d})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.js:1:1 defs/banned error", "a.js:2:9 defs/banned warning", "evil.bin:0:0 defs/malicious error"}
	if s := brief(got); strings.Join(s, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(s, "\n"), strings.Join(want, "\n"))
	}
}
