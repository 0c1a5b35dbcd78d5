package main

import (
	"context"
	"log/slog"
	"net"

	"github.com/sandframe/sandframe/automator"
	"github.com/sandframe/sandframe/host"
)

// listenAutomator binds --auto-port (loopback only) before anything starts, so a port
// in use or a non-loopback address is reported at once; "" serves nothing.
func listenAutomator(port string) (net.Listener, error) {
	if port == "" {
		return nil, nil
	}
	return automator.Listen(port)
}

// serveAutomator serves WeChat's automator protocol for sess on ln until the returned
// stop is called (nil ln: nothing to serve).
func serveAutomator(ln net.Listener, sess *host.Session, log *slog.Logger) (stop func()) {
	if ln == nil {
		return func() {}
	}
	sess.EnableProbes()
	log.Warn("automator: tests on this machine may drive the app and run code in its logic (a developer's tool: never for users)")
	srv := automator.ServeListener(context.Background(), ln, sess, log)
	return func() { srv.Close() }
}
