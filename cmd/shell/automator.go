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

// automatorConsole puts the automator's console tee on the session's logger, so that
// clients hear the app's console (App.logAdded); nil when nothing is served.
func automatorConsole(ln net.Listener, opts *host.Options, log *slog.Logger) *automator.Console {
	if ln == nil {
		return nil
	}
	if opts.Logger == nil {
		opts.Logger = log
	}
	c := automator.NewConsole(opts.Logger.Handler())
	opts.Logger = slog.New(c)
	return c
}

// serveAutomator serves WeChat's automator protocol for sess on ln until the returned
// stop is called (nil ln: nothing to serve).
func serveAutomator(ln net.Listener, sess *host.Session, log *slog.Logger, console *automator.Console) (stop func()) {
	if ln == nil {
		return func() {}
	}
	log.Warn("automator: tests on this machine may drive the app and run code in its logic (a developer's tool: never for users)")
	srv := automator.ServeListener(context.Background(), ln, sess, log, automator.WithConsole(console))
	return func() { srv.Close() }
}
