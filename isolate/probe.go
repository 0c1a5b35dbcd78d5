package isolate

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/sandframe/sandframe/bridge"
)

// ProbeConfinement starts a child (exe args…, as Options.Exe and Args) that confines
// itself exactly as before an app, reports what it applied and exits, loading nothing.
// It is what `shell version` prints: the kernel's answer, not what the code asks for.
func ProbeConfinement(exe string, args, env []string) (Confinement, error) {
	dir, err := os.MkdirTemp("", "sandframe-probe-")
	if err != nil {
		return Confinement{}, fmt.Errorf("isolate: probe: %w", err)
	}
	defer os.RemoveAll(dir)
	rt, err := Start(Options{
		Exe: exe, Args: args, Env: env, Dir: dir, Send: func(bridge.Envelope) {},
		Logger: slog.New(slog.DiscardHandler), probe: true,
	})
	if err != nil {
		return Confinement{}, fmt.Errorf("isolate: probe: %w", err)
	}
	defer rt.Stop()
	return rt.Confinement(), nil
}
