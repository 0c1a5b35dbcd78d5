package registry

import (
	"bytes"
	"testing"
)

// bundle5MB is a signed bundle of 80 files of 64 KiB that do not compress (5.0 MiB).
func bundle5MB(b *testing.B) []byte {
	return pack(b, app{id: testApp, version: "1.0.0", key: key(1), extra: randomFiles(80, 64<<10, 5)})
}

// BenchmarkInstall5MB measures verify + install of a 5 MB bundle: bundle.Open (every
// digest and the signature), the trust check, extract with fsync, rename, the
// transaction, and removing the version it replaces (each round reinstalls the same
// version, a repair).
func BenchmarkInstall5MB(b *testing.B) {
	data := bundle5MB(b)
	r := newEnv(b).open(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.Install(bytes.NewReader(data), int64(len(data)), InstallOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyInstalled5MB measures the launch check of an installed 5 MB app: trust,
// signature, and every file re-hashed.
func BenchmarkVerifyInstalled5MB(b *testing.B) {
	data := bundle5MB(b)
	r := newEnv(b).open(b)
	install(b, r, data, InstallOptions{})
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := r.Verify(testApp); err != nil {
			b.Fatal(err)
		}
	}
}
