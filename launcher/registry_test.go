package launcher

// The shell links every host API declaration in (through host); so do these tests, so
// that the permission checks they make know the APIs.
import _ "github.com/sandframe/sandframe/internal/hostapi/all"
