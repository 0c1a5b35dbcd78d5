// Package assets holds Sandframe's embedded web assets: the render runtime that is the
// only script a mini-app's WebView runs, and the document it runs in. The runtime
// interprets compiled templates (docs/template.md) and speaks the bridge protocol
// (docs/protocol.md); its decisions are in docs/render-runtime.md.
package assets

import (
	"embed"
	"encoding/json"
	"io/fs"
	"strings"
	"sync"
)

//go:embed runtime
var files embed.FS

// runtimeOrder is the order the runtime's files are concatenated in: pure helpers
// first (they are also loaded alone by the tests), then the DOM layers that use them,
// then the chrome, transport and boot.
var runtimeOrder = []string{
	// pure: no DOM
	"util.js", "expr.js", "wxs.js", "value.js", "path.js", "keyed.js", "paths.js", "scope.js", "memo.js", "build.js", "pickers.js", "richtext.js",
	"regions.js", "pickregion.js", "widgetmath.js",
	// DOM: elements, patching, owners
	"dom.js", "patch.js", "owners.js", "stack.js",
	// events
	"events.js", "pointer.js",
	// built-in components
	"ctl-text.js", "ctl-button.js", "ctl-input.js", "ctl-choice.js", "ctl-switch.js", "ctl-label.js", "ctl-pagemeta.js",
	"ctl-image.js", "ctl-icon.js", "ctl-scroll.js", "ctl-navigator.js", "ctl-form.js",
	"ctl-swiper.js", "ctl-picker.js", "ctl-slider.js", "ctl-progress.js", "ctl-rich-text.js", "ctl-placeholder.js",
	"ctl-canvas.js",
	"ctl-picker-view.js", "ctl-movable.js", "ctl-cover.js", "ctl-match-media.js", "ctl-page-container.js", "ctl-media.js",
	// shell chrome
	"chrome-shell.js", "chrome-navbar.js", "chrome-tabbar.js", "chrome-toast.js", "chrome-modal.js",
	"chrome-sheet.js", "chrome-preview.js", "chrome-page.js",
	// queries and motion (docs/queries.md)
	"query.js", "motion.js",
	// DevTools' WXML panel (docs/devtools.md)
	"devtools.js",
	// transport and boot
	"automator.js", "probe.js", "paint.js", "subpackages.js", "transport.js", "warm.js", "main.js",
	// shell dev (docs/dev.md)
	"dev.js",
}

// contentSecurityPolicy is the launcher's policy: no script but its own, no network,
// inline styles and data: images and fonts only.
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

// pagePolicy is a mini-app document's policy: the same, plus images from the shell's
// own image scheme (render.ImageScheme: remote images the shell fetched for the page),
// and audio and video as data: URLs (the host sends them: docs/components.md).
const pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data: sfimg:; media-src data:; font-src data:"

// Files returns the embedded files (runtime/*.js, runtime/*.css).
func Files() fs.FS {
	sub, err := fs.Sub(files, "runtime")
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return sub
}

// RuntimeScript returns the whole render runtime: every file of runtimeOrder in
// order, with the chrome's CSS as a string constant, inside one strict-mode IIFE so
// nothing but the transport hooks becomes global.
func RuntimeScript() string { return runtimeScript() }

// runtimeScript and pageHTML are built once: every app window (each launch, the
// pre-warmed pool's windows) asks for them, and building the script cost 2 ms and 2.9 MB
// each time.
var (
	runtimeScript = sync.OnceValue(buildRuntimeScript)
	pageHTML      = sync.OnceValue(buildPageHTML)
)

func buildRuntimeScript() string {
	var b strings.Builder
	b.WriteString("(function () {\n\"use strict\";\n")
	css, err := json.Marshal(mustRead("chrome.css")) // JSON strings are JS string literals
	if err != nil {
		panic(err)
	}
	b.WriteString("var CHROME_CSS = ")
	b.Write(css)
	b.WriteString(";\n")
	for _, name := range runtimeOrder {
		b.WriteString("\n// ---- " + name + " ----\n")
		b.WriteString(mustRead(name))
	}
	b.WriteString("\n})();\n")
	return b.String()
}

// PageHTML returns the document the host loads: the CSP, the base CSS of built-in
// components and page layout, and an empty body the runtime fills.
func PageHTML() string { return pageHTML() }

func buildPageHTML() string {
	return "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n" +
		"<meta http-equiv=\"Content-Security-Policy\" content=\"" + pagePolicy + "\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<title>Sandframe</title>\n" +
		"<style id=\"sf-base\">\n" + mustRead("base.css") + "</style>\n" +
		"</head><body></body></html>\n"
}

func mustRead(name string) string {
	data, err := fs.ReadFile(files, "runtime/"+name)
	if err != nil {
		panic(err) // every listed file is embedded; a missing one is a build mistake the tests catch
	}
	return string(data)
}
