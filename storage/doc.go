// Package storage is Sandframe's per-app encrypted key-value storage, the engine behind
// the wx storage APIs (wx.setStorage and friends).
//
// Each app has its own SQLite database in its own folder under Config.Dir, so an app's
// data is physically separate and Wipe removes it with one folder removal. Every key name
// and every value is sealed with AES-256-GCM under the app's random data key; rows are
// found by an HMAC-SHA256 of the name under a second random per-app key. Both keys are
// stored in the app's database wrapped (AES-256-GCM) by the master key, which lives in the
// desktop keyring (Secret Service) or, where there is none, in a 0600 file in
// Config.ConfigDir. See docs/storage.md for the layout and the reasons.
//
// Error texts never contain key names or values: they may end up in logs and in the
// audit log, which must not hold an app's data in plaintext.
package storage
