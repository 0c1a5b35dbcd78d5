package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
)

func TestLauncherScriptsListEveryFileOnce(t *testing.T) {
	names, err := fs.Glob(launcherFiles, "launcher/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for i := range names {
		names[i] = path.Base(names[i])
	}
	listed := slices.Clone(launcherScripts)
	slices.Sort(listed)
	slices.Sort(names)
	if !slices.Equal(listed, names) {
		t.Errorf("launcherScripts = %v, files = %v", listed, names)
	}
	if launcherScripts[len(launcherScripts)-1] != "main.js" {
		t.Error("main.js boots the page and must come last")
	}
}

// launcherCSPOf returns the policy in LauncherHTML's meta element.
func launcherCSPOf(t *testing.T, html string) string {
	t.Helper()
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("LauncherHTML has no Content-Security-Policy meta")
	}
	return m[1]
}

func TestLauncherHTMLHasAStrictCSP(t *testing.T) {
	html := LauncherHTML()
	csp := launcherCSPOf(t, html)
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	script := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindStringSubmatch(html)
	if script == nil {
		t.Fatal("LauncherHTML has no inline script")
	}
	sum := sha256.Sum256([]byte(script[1]))
	tests := []struct{ directive, want string }{
		{"default-src", "'none'"},
		{"style-src", "'unsafe-inline'"},
		{"img-src", "data:"},
		{"font-src", "data:"},
		// the one inline script, by its hash: nothing else can run
		{"script-src", "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"},
		{"base-uri", "'none'"},
		{"form-action", "'none'"},
	}
	for _, tc := range tests {
		if got, ok := directives[tc.directive]; !ok || got != tc.want {
			t.Errorf("CSP %s = %q, want %q (policy %q)", tc.directive, got, tc.want, csp)
		}
	}
	if len(directives) != len(tests) {
		t.Errorf("CSP has directives beyond the expected ones: %q", csp)
	}
	if strings.Index(html, "Content-Security-Policy") > strings.Index(html, "<style") {
		t.Error("the CSP must come before anything it governs")
	}
	if n := strings.Count(html, "<script"); n != 1 {
		t.Errorf("LauncherHTML has %d script elements, want 1", n)
	}
}

func TestLauncherLoadsNothingFromOutside(t *testing.T) {
	html := LauncherHTML()
	url := regexp.MustCompile(`https?://[^\s"')]+`)
	for _, u := range url.FindAllString(html, -1) {
		if u != "http://www.w3.org/2000/svg" { // the SVG namespace name, never fetched
			t.Errorf("LauncherHTML mentions %s", u)
		}
	}
	// Every src or href in the markup or set by the script is data: or dynamic.
	for _, m := range regexp.MustCompile(`\s(src|href|srcset|action|poster)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[2], "data:") {
			t.Errorf("LauncherHTML has %s=%q", m[1], m[2])
		}
	}
	for _, banned := range []string{"<link", "<iframe", "<object", "<embed", "<base", "@import", "url(", "<meta http-equiv=\"refresh\""} {
		if strings.Contains(strings.ToLower(html), banned) {
			t.Errorf("LauncherHTML contains %q", banned)
		}
	}
}

func TestLauncherHasNoForbiddenSinks(t *testing.T) {
	// The page shows what bundles say (names, reasons, domains): text only, never markup.
	for _, name := range append(slices.Clone(launcherScripts), "launcher.html", "launcher.css") {
		for i, line := range strings.Split(readLauncher(name), "\n") {
			for _, sink := range forbiddenSinks {
				if sink.re.MatchString(line) {
					t.Errorf("%s:%d uses %s: %s", name, i+1, sink.name, strings.TrimSpace(line))
				}
			}
		}
	}
	// Inline handlers in the markup would also be refused by the CSP.
	if m := regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`).FindString(readLauncher("launcher.html")); m != "" {
		t.Errorf("launcher.html has an inline handler: %s", m)
	}
}

func TestLauncherScriptCompilesAndStaysInItsElement(t *testing.T) {
	script := launcherScript()
	if _, err := goja.Compile("launcher.js", script, true); err != nil {
		t.Fatalf("launcher script does not parse: %v", err)
	}
	if strings.Contains(strings.ToLower(script), "</script") {
		t.Error("the script would close its <script> element")
	}
	if strings.Contains(strings.ToLower(readLauncher("launcher.css")), "</style") {
		t.Error("launcher.css would close its <style> element")
	}
	if !strings.HasPrefix(script, "(function () {\n\"use strict\";\n") || !strings.HasSuffix(script, "\n})();\n") {
		t.Error("the script must be one strict-mode IIFE")
	}
	html := LauncherHTML()
	for _, marker := range []string{"{{CSP}}", "{{STYLE}}", "{{SCRIPT}}"} {
		if strings.Contains(html, marker) {
			t.Errorf("LauncherHTML still holds %s", marker)
		}
	}
}

// The ids the launcher's tests and the integrator address (docs/launcher.md); the ones
// the script creates are looked up in it.
func TestLauncherHasEveryNamedElement(t *testing.T) {
	html := readLauncher("launcher.html")
	ids := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(html, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	for _, id := range []string{
		"search", "install-file", "open-catalog", "profile", "running", "apps", "details", "details-back",
		"confirm", "confirm-ok", "confirm-cancel", "offer", "offer-install", "offer-cancel", "progress",
		"catalog", "profile-sheet", "profile-name", "profile-save", "toast",
	} {
		if ids[id] != 1 {
			t.Errorf("launcher.html has no element with id %q", id)
		}
	}
	script := launcherScript()
	for _, created := range []string{`id: "offer-sideload"`, `"data-action": "switch"`, `"data-action": "close"`, `"data-action": "details"`,
		`"data-action": "update"`, `"data-action": "rollback"`, `"data-action": "uninstall"`, `"data-action": "revoke"`,
		`"data-action": "reset"`, `"data-action": "clear-storage"`, `"data-action": "install"`, `class: "catalog-app"`,
		`class: "cap"`, `"data-cap": c.name`, `class: "badge unverified"`} {
		if !strings.Contains(script, created) {
			t.Errorf("the script never creates %s", created)
		}
	}
}

// launcherJS is a goja runtime with some of the page's files loaded over stubs.
func launcherJS(t *testing.T, prelude string, files ...string) *goja.Runtime {
	t.Helper()
	vm := goja.New()
	if _, err := vm.RunString(prelude); err != nil {
		t.Fatalf("prelude: %v", err)
	}
	for _, name := range files {
		if _, err := vm.RunScript(name, readLauncher(name)); err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
	}
	return vm
}

func TestLauncherFormatHelpers(t *testing.T) {
	vm := launcherJS(t, "", "format.js")
	stamp := "2025-03-02T10:04:05.123456789Z"
	local := time.Date(2025, 3, 2, 10, 4, 5, 0, time.UTC).Local()
	tests := []struct{ expr, want string }{
		{`decisionLabel("granted")`, `"Allowed"`},
		{`decisionLabel("once")`, `"Allowed once"`},
		{`decisionLabel("denied")`, `"Denied"`},
		{`decisionLabel("")`, `"Not asked"`},
		{`decisionLabel(undefined)`, `"Not asked"`},
		{`[isGranted("granted"), isGranted("once"), isGranted("denied"), isGranted("")]`, `[true,true,false,false]`},
		{`["ok", "denied", "refused", "rate-limited", "error", "other"].map(auditTone)`, `["ok","bad","bad","bad","warn",""]`},
		{`[0, 512, 1024, 1536, 12800, 5242880, 1073741824, -3, "x"].map(formatBytes)`, `["0 B","512 B","1 KB","1.5 KB","13 KB","5 MB","1 GB","0 B","0 B"]`},
		{`formatBytes(1048575)`, `"1 MB"`}, // rounds up into the next unit, not "1024 KB"
		{`[storagePercent(0, 100), storagePercent(25, 100), storagePercent(300, 100), storagePercent(5, 0)]`, `[0,25,100,0]`},
		{`[progressPercent(1, 3), progressPercent(3, 3), progressPercent(5, 0), progressPercent(0, 10)]`, `[33,100,-1,0]`},
		{`formatClock("` + stamp + `")`, `"` + local.Format("15:04:05") + `"`},
		{`formatClock("2025-03-02T10:04:05+02:00")`, `"` + time.Date(2025, 3, 2, 8, 4, 5, 0, time.UTC).Local().Format("15:04:05") + `"`},
		{`[formatClock("yesterday"), formatClock(""), formatClock(null)]`, `["","",""]`},
		{`formatDate("` + stamp + `")`, `"` + local.Format("2 Jan 2006") + `"`},
		{`[initial("notes", "x"), initial("  ", "com.x"), initial("", ""), initial("😀 Smile", "")]`, `["N","C","?","😀"]`},
		{`avatarColour("com.example.notes") === avatarColour("com.example.notes")`, `true`},
		{`[isDataImage("data:image/png;base64,AAA"), isDataImage("data:image/svg+xml,<svg/>"), isDataImage("https://x/y.png"), isDataImage("data:text/html,x"), isDataImage(null)]`, `[true,true,false,false,false]`},
		{`[matchesQuery({name: "Notes", id: "com.example.notes"}, "NOT"), matchesQuery({name: "Notes", id: "com.example.notes"}, "example.no"), matchesQuery({name: "Notes", id: "x"}, "todo"), matchesQuery({name: "Notes"}, "  ")]`, `[true,true,false,true]`},
		{`[isActive({state: "running"}), isActive({state: "hidden"}), isActive({state: "stopped"}), isActive(null)]`, `[true,true,false,false]`},
		{`[nickNameProblem("Alex"), nickNameProblem("   "), nickNameProblem("` + strings.Repeat("é", 64) + `"), nickNameProblem("` + strings.Repeat("é", 65) + `")]`, `["","Enter a name.","","Use at most 64 characters (this has 65)."]`},
		{`domainRows({request: ["a.com", ""], socket: [], uploadFile: ["u.com"], extra: ["x"]})`, `[{"kind":"request","label":"Requests","domains":["a.com"]},{"kind":"uploadFile","label":"Uploads","domains":["u.com"]}]`},
		{`domainRows(null)`, `[]`},
		{`[errorText(new Error("uninstall com.x: not installed")), errorText("plain"), errorText(null)]`, `["uninstall com.x: not installed","plain","Something went wrong."]`},
		{`[plural(1, "key", "keys"), plural(2, "key", "keys")]`, `["1 key","2 keys"]`},
	}
	for _, tc := range tests {
		v, err := vm.RunString("JSON.stringify(" + tc.expr + ")")
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got := v.String(); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.expr, got, tc.want)
		}
	}
}

// transportPrelude stubs what channel.js and transport.js touch: a window without __sf_post yet,
// and an interval the test ticks by hand.
const transportPrelude = `
var window = {};
var ticks = [];
function setInterval(fn) { ticks.push(fn); return ticks.length; }
function clearInterval(id) { ticks[id - 1] = null; }
function tick() { ticks.forEach(function (f) { if (f) f(); }); }
var logged = [];
var console = { error: function (m) { logged.push(String(m)); }, warn: function (m) { logged.push(String(m)); }, log: function () {} };
var probes = [];
function handleProbe(p) { probes.push(p); }
var outcome = {};
`

func TestLauncherTransport(t *testing.T) {
	vm := launcherJS(t, transportPrelude, "channel.js", "transport.js")
	steps := []struct {
		name, script, want string
	}{
		{"installs __sf_recv", `installTransport(); typeof window.__sf_recv`, `function`},
		{"__sf_recv cannot be replaced", `(function () { "use strict"; try { window.__sf_recv = null; return "replaced"; } catch (e) { return "kept"; } })()`, `kept`},
		{"calls wait for __sf_post",
			`call("apps.list").then(function (r) { outcome.list = r; });
			 call("app.launch", {id: "com.x"}).then(null, function (e) { outcome.launch = e.message; });
			 tick(); JSON.stringify([ticks.filter(Boolean).length])`, `[1]`},
		{"a call made as __sf_post appears waits behind the queue",
			`window.sent = []; window.__sf_post = function (s) { window.sent.push(s); };
			 call("profile.get"); window.sent.length`, `0`},
		{"they go out in order at the next poll",
			`tick(); JSON.stringify([window.sent, ticks.filter(Boolean).length])`,
			`[["{\"v\":1,\"kind\":\"launcher\",\"payload\":{\"id\":1,\"op\":\"apps.list\",\"args\":{}}}","{\"v\":1,\"kind\":\"launcher\",\"payload\":{\"id\":2,\"op\":\"app.launch\",\"args\":{\"id\":\"com.x\"}}}","{\"v\":1,\"kind\":\"launcher\",\"payload\":{\"id\":3,\"op\":\"profile.get\",\"args\":{}}}"],0]`},
		{"a later call goes at once",
			`call("profile.get"); window.sent.length`, `4`},
		{"answers settle by id, out of order",
			`window.__sf_recv('{"v":1,"kind":"launcherResult","payload":{"id":2,"ok":false,"error":"launch com.x: not installed"}}');
			 window.__sf_recv('{"v":1,"kind":"launcherResult","payload":{"id":1,"ok":true,"result":{"apps":[],"catalog":""}}}');
			 "sent"`, `sent`},
		// (promise callbacks run when a script returns: the next step sees them, in the order the answers came)
		{"results and errors reach the caller", `JSON.stringify(outcome)`, `{"launch":"launch com.x: not installed","list":{"apps":[],"catalog":""}}`},
		{"an answer without result resolves to {}",
			`call("app.close", {id: "a"}).then(function (r) { outcome.close = r; }); "sent"`, `sent`},
		{"answer without result", `window.__sf_recv('{"v":1,"kind":"launcherResult","payload":{"id":5,"ok":true}}'); "answered"`, `answered`},
		{"resolved to {}", `JSON.stringify(outcome.close)`, `{}`},
		{"an error without text names the op",
			`call("storage.clear", {id: "a"}).then(null, function (e) { outcome.clear = e.message; }); "sent"`, `sent`},
		{"failure without text", `window.__sf_recv('{"v":1,"kind":"launcherResult","payload":{"id":6,"ok":false}}'); "answered"`, `answered`},
		{"rejected naming the op", `outcome.clear`, `storage.clear failed`},
		{"events reach their handler",
			`onEvent("install.progress", function (d) { outcome.progress = d; });
			 window.__sf_recv('{"v":1,"kind":"launcherEvent","payload":{"event":"install.progress","data":{"id":"a","stage":"verify","done":0,"total":0}}}');
			 JSON.stringify(outcome.progress)`, `{"id":"a","stage":"verify","done":0,"total":0}`},
		{"probes go to the probe handler",
			`window.__sf_recv('{"v":1,"kind":"probe","payload":{"id":9,"op":"query","selector":"#apps"}}'); JSON.stringify(probes)`,
			`[{"id":9,"op":"query","selector":"#apps"}]`},
		{"bad messages are logged, not thrown",
			`logged = []; window.__sf_recv("{"); window.__sf_recv('{"v":2,"kind":"launcherResult","payload":{}}'); window.__sf_recv('{"v":1,"kind":"render","payload":{}}');
			 window.__sf_recv('{"v":1,"kind":"launcherResult","payload":{"id":77,"ok":true}}'); logged.length`, `4`},
	}
	runSteps(t, vm, steps)
}

// The requests the page sends must pass the host's strict launcher decoder's shape:
// only id, op and args, args always an object.
func TestLauncherRequestsHaveTheDecodersShape(t *testing.T) {
	vm := launcherJS(t, transportPrelude+`window.sent = []; window.__sf_post = function (s) { window.sent.push(s); };`, "channel.js", "transport.js")
	v, err := vm.RunString(`call("apps.list"); call("perm.reset", {id: "a", capability: "c"}); JSON.stringify(window.sent)`)
	if err != nil {
		t.Fatal(err)
	}
	var sent []string
	if err := json.Unmarshal([]byte(v.String()), &sent); err != nil {
		t.Fatal(err)
	}
	for _, raw := range sent {
		var env struct {
			V       int            `json:"v"`
			Kind    string         `json:"kind"`
			Payload map[string]any `json:"payload"`
		}
		if err := json.Unmarshal([]byte(raw), &env); err != nil {
			t.Fatal(err)
		}
		if env.V != 1 || env.Kind != "launcher" {
			t.Errorf("%s: wrong version or kind", raw)
		}
		for k := range env.Payload {
			if k != "id" && k != "op" && k != "args" {
				t.Errorf("%s: payload field %q", raw, k)
			}
		}
		if _, ok := env.Payload["args"].(map[string]any); !ok {
			t.Errorf("%s: args is not an object", raw)
		}
	}
}
