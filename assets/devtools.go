package assets

import (
	"embed"
	"io/fs"
	"strings"
	"sync"
)

// DevTools' page (docs/devtools.md): trusted UI of `shell dev`, shipped in the binary
// like the launcher's, one document with its styles and script inline, nothing loaded
// from anywhere. It reuses the launcher's DOM helpers and automation probes.
//
//go:embed devtools/*
var devtoolsFiles embed.FS

// devtoolsScripts is the order the page's scripts are concatenated in ("launcher/"
// names a file shared with the launcher's page).
var devtoolsScripts = []string{
	"launcher/dom.js", "launcher/channel.js", "transport.js", "launcher/probe.js", "json.js",
	"console.js", "appdata.js", "wxml.js", "network.js", "storage.js", "bridge.js",
	"perf.js", "perms.js", "main.js",
}

// DevToolsHTML is the DevTools window's whole document, styles and script inline.
func DevToolsHTML() string { return devtoolsHTML() }

var devtoolsHTML = sync.OnceValue(func() string {
	script := devtoolsScript()
	return strings.NewReplacer(
		"{{CSP}}", launcherCSP(script),
		"{{STYLE}}", readDevTools("devtools.css"),
		"{{SCRIPT}}", script,
	).Replace(readDevTools("devtools.html"))
})

// devtoolsScript is every file of devtoolsScripts inside one strict-mode function.
func devtoolsScript() string {
	var b strings.Builder
	b.WriteString("(function () {\n\"use strict\";\n")
	for _, name := range devtoolsScripts {
		b.WriteString("\n// ---- " + name + " ----\n")
		if shared, ok := strings.CutPrefix(name, "launcher/"); ok {
			b.WriteString(readLauncher(shared))
		} else {
			b.WriteString(readDevTools(name))
		}
	}
	b.WriteString("\n})();\n")
	return b.String()
}

func readDevTools(name string) string {
	data, err := fs.ReadFile(devtoolsFiles, "devtools/"+name)
	if err != nil {
		panic(err) // every listed file is embedded; a missing one is a build mistake the tests catch
	}
	return string(data)
}
