package miniapp

import "context"

// SubpackageFetcher makes the files of a subpackage present. A nil fetcher means every
// subpackage is present (sideloaded folder, bundled app).
type SubpackageFetcher interface {
	// Present reports whether the subpackage with this root is available now.
	Present(root string) bool
	// Fetch downloads, verifies and installs root; progress may be nil. After it returns
	// nil, the fs.FS the app was opened with serves root's files.
	Fetch(ctx context.Context, root string, progress func(done, total int64)) error
}
