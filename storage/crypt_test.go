package storage

import (
	"bytes"
	"testing"
)

func TestSealBindsAppVersionAndName(t *testing.T) {
	material, err := newMaterial()
	if err != nil {
		t.Fatal(err)
	}
	keys := func(app string, version int64) *appKeys {
		k, err := newAppKeys(app, version, material)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	a := keys("app.a", 1)
	value := []byte(`{"secret":"v"}`)
	sealed, err := a.sealValue("k", value)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.openValue("k", sealed); err != nil || !bytes.Equal(got, value) {
		t.Fatalf("open own value = %q, %v", got, err)
	}
	// Same key material on purpose: only the associated data differs, so these failures
	// come from the binding, not from a different key.
	tests := []struct {
		name string
		k    *appKeys
		key  string
	}{
		{"other app", keys("app.b", 1), "k"},
		{"other version", keys("app.a", 2), "k"},
		{"other name", a, "k2"},
	}
	for _, tt := range tests {
		if _, err := tt.k.openValue(tt.key, sealed); err == nil {
			t.Errorf("%s: value opened", tt.name)
		}
	}
	h := a.nameHash("k")
	sn, err := a.sealName(h, "k")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys("app.b", 1).openName(h, sn); err == nil {
		t.Error("name opened in another app")
	}
	if _, err := a.openName(a.nameHash("other"), sn); err == nil {
		t.Error("name opened under another row's hash")
	}
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	if _, err := a.openValue("k", flipped); err == nil {
		t.Error("tampered value opened")
	}
	again, _ := a.sealValue("k", value)
	if bytes.Equal(again[:12], sealed[:12]) {
		t.Error("two seals used the same nonce")
	}
}

func TestWrapBindsApp(t *testing.T) {
	raw := bytes.Repeat([]byte{7}, masterKeyLen)
	m, err := newMasterKey(raw)
	if err != nil {
		t.Fatal(err)
	}
	material, _ := newMaterial()
	w, err := m.wrap("app.a", 3, material)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := m.unwrap("app.a", 3, w); err != nil || !bytes.Equal(got, material) {
		t.Fatalf("unwrap = %v", err)
	}
	if _, err := m.unwrap("app.b", 3, w); err == nil {
		t.Error("wrapped key opened for another app")
	}
	if _, err := m.unwrap("app.a", 2, w); err == nil {
		t.Error("wrapped key opened as another version")
	}
	other, _ := newMasterKey(bytes.Repeat([]byte{8}, masterKeyLen))
	if _, err := other.unwrap("app.a", 3, w); err == nil {
		t.Error("wrapped key opened under another master key")
	}
	if _, err := newMasterKey(raw[:16]); err == nil {
		t.Error("a 16-byte master key was accepted")
	}
}
