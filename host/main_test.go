package host

import (
	"os"
	"testing"

	"github.com/sandframe/sandframe/isolate"
)

// childEnv makes the test binary serve isolated logic instead of running tests.
const childEnv = "SANDFRAME_HOST_TEST_CHILD=1"

func TestMain(m *testing.M) {
	if os.Getenv("SANDFRAME_HOST_TEST_CHILD") == "1" {
		os.Exit(isolate.ServeChild(os.Stdin, os.Stdout, nil))
	}
	os.Exit(runWithLoop(m))
}
