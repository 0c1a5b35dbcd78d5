// Package all links in every package that declares host APIs, so that the registry
// (internal/hostapi) is complete wherever this package is imported: the host, the lint,
// and the tests that walk the registry.
package all

import (
	"github.com/sandframe/sandframe/internal/hostapi"

	_ "github.com/sandframe/sandframe/appinfo"
	_ "github.com/sandframe/sandframe/canvas"
	_ "github.com/sandframe/sandframe/device"
	_ "github.com/sandframe/sandframe/files"
	_ "github.com/sandframe/sandframe/identity"
	_ "github.com/sandframe/sandframe/netapi"
	_ "github.com/sandframe/sandframe/perms"
	_ "github.com/sandframe/sandframe/profile"
	_ "github.com/sandframe/sandframe/share"
	_ "github.com/sandframe/sandframe/storage"
	_ "github.com/sandframe/sandframe/subpackages"
	_ "github.com/sandframe/sandframe/ui"
)

// Decls lists every declaration, sorted by name.
func Decls() []hostapi.Decl { return hostapi.All() }

// Shapes lists the JS shapes of the implemented APIs, for logic to build wx/sf from.
func Shapes() []hostapi.Shape { return hostapi.Shapes() }
