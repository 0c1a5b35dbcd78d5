package logic

// Warm compiles what every runtime runs before an app's code (the hardening and
// framework scripts and the extension scripts) so that the first New in this process
// does not pay for it. It runs no script and reads nothing of any app: a pre-started
// logic child (isolate's spare, docs/isolate.md) calls it before it knows its app, and
// the launcher calls it for in-process apps. Safe to call more than once, from any
// goroutine.
func Warm() error {
	if _, _, err := compiledSetup(); err != nil {
		return err
	}
	_, err := compiledExtensions()
	return err
}
