package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"strings"
	"sync"
)

// The launcher's page (docs/launcher.md): trusted UI shipped in the binary, one
// document with its styles and script inline, nothing loaded from anywhere.
//
//go:embed launcher/*
var launcherFiles embed.FS

// launcherScripts is the order the page's scripts are concatenated in: pure helpers
// first (the tests load format.js alone), then DOM helpers and the transport, then the
// views, and main.js, which boots, last.
var launcherScripts = []string{
	"format.js", "dom.js", "channel.js", "transport.js", "probe.js", "overlay.js",
	"home.js", "details.js", "install.js", "catalog.js", "profile.js",
	"main.js",
}

// LauncherHTML is the launcher window's whole document, styles and script inline.
func LauncherHTML() string {
	return launcherHTML()
}

var launcherHTML = sync.OnceValue(func() string {
	script := launcherScript()
	return strings.NewReplacer(
		"{{CSP}}", launcherCSP(script),
		"{{STYLE}}", readLauncher("launcher.css"),
		"{{SCRIPT}}", script,
	).Replace(readLauncher("launcher.html"))
})

// launcherScript is every file of launcherScripts inside one strict-mode function, so
// nothing but the transport hook becomes global.
func launcherScript() string {
	var b strings.Builder
	b.WriteString("(function () {\n\"use strict\";\n")
	for _, name := range launcherScripts {
		b.WriteString("\n// ---- " + name + " ----\n")
		b.WriteString(readLauncher(name))
	}
	b.WriteString("\n})();\n")
	return b.String()
}

// launcherCSP is contentSecurityPolicy (a mini-app page's without the image scheme)
// plus the launcher's own script, allowed by its hash rather than by 'unsafe-inline'
// (markup that ever slipped into the page could not run script), and no <base> or form
// submission. The host's binding and its Eval calls are not subject to the CSP.
func launcherCSP(script string) string {
	sum := sha256.Sum256([]byte(script))
	return contentSecurityPolicy + "; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

func readLauncher(name string) string {
	data, err := fs.ReadFile(launcherFiles, "launcher/"+name)
	if err != nil {
		panic(err) // every listed file is embedded; a missing one is a build mistake the tests catch
	}
	return string(data)
}
