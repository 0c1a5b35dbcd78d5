package main

import (
	"context"
	"log/slog"

	"github.com/sandframe/sandframe/devtools"
	"github.com/sandframe/sandframe/host"
)

// openDevTools opens the DevTools window of sess once its UI loop runs (`shell run
// --devtools`; `shell dev` calls devtools.Open the same way). With automation on, the
// window is served at SOCK.devtools. It closes with the session.
func openDevTools(sess *host.Session, hub *devtools.Hub, opts host.Options, automationSock string, log *slog.Logger) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-sess.Done()
		cancel()
	}()
	o := devtools.Options{Audit: opts.Audit, Logger: log, Debug: opts.Config.Window.Debug}
	if automationSock != "" {
		o.Automation = automationSock + ".devtools"
	}
	go func() {
		if _, err := devtools.Open(ctx, hub, sess, o); err != nil {
			log.Error("DevTools did not open", "err", err)
		}
	}()
}
