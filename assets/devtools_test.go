package assets

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestDevToolsScriptsListEveryFileOnce(t *testing.T) {
	names, err := fs.Glob(devtoolsFiles, "devtools/*.js")
	if err != nil {
		t.Fatal(err)
	}
	for i := range names {
		names[i] = path.Base(names[i])
	}
	var listed []string
	for _, n := range devtoolsScripts {
		if !strings.HasPrefix(n, "launcher/") {
			listed = append(listed, n)
		}
	}
	slices.Sort(listed)
	slices.Sort(names)
	if !slices.Equal(listed, names) {
		t.Errorf("devtoolsScripts = %v, files = %v", listed, names)
	}
}

// The DevTools page is trusted UI like the launcher's: its own script only, by hash,
// nothing from outside, no markup sinks, and it parses.
func TestDevToolsPageIsLockedDown(t *testing.T) {
	html := DevToolsHTML()
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no CSP meta")
	}
	script := devtoolsScript()
	sum := sha256.Sum256([]byte(script))
	if !strings.Contains(m[1], "default-src 'none'") || !strings.Contains(m[1], "script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
		t.Errorf("CSP %q does not pin the script", m[1])
	}
	if !strings.Contains(html, "<script>"+script+"</script>") {
		t.Error("the inline script is not the hashed one")
	}
	for _, u := range regexp.MustCompile(`https?://[^\s"')]+`).FindAllString(html, -1) {
		if u != "http://www.w3.org/2000/svg" {
			t.Errorf("DevToolsHTML mentions %s", u)
		}
	}
	for _, banned := range []string{"<link", "<iframe", "<object", "<embed", "<base", "@import", "url("} {
		if strings.Contains(strings.ToLower(html), banned) {
			t.Errorf("DevToolsHTML contains %q", banned)
		}
	}
	for _, name := range devtoolsScripts {
		if strings.HasPrefix(name, "launcher/") {
			continue
		}
		for i, line := range strings.Split(readDevTools(name), "\n") {
			for _, sink := range forbiddenSinks {
				if sink.re.MatchString(line) {
					t.Errorf("%s:%d uses %s: %s", name, i+1, sink.name, strings.TrimSpace(line))
				}
			}
		}
	}
	if m := regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`).FindString(readDevTools("devtools.html")); m != "" {
		t.Errorf("devtools.html has an inline handler: %s", m)
	}
	if _, err := goja.Compile("devtools.js", script, true); err != nil {
		t.Fatalf("the DevTools script does not parse: %v", err)
	}
	for _, marker := range []string{"{{CSP}}", "{{STYLE}}", "{{SCRIPT}}"} {
		if strings.Contains(html, marker) {
			t.Errorf("DevToolsHTML still holds %s", marker)
		}
	}
}

// The page's helpers run: a ring copy grows by what the host sends after its cursor.
func TestDevToolsStreamAndFormat(t *testing.T) {
	vm := goja.New()
	if _, err := vm.RunString(`var window = {}; var sent = []; window.__sf_post = function (t) { sent.push(JSON.parse(t)); };
		Object.defineProperty = function (o, k, d) { o[k] = d.value; };`); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunScript("channel.js", readLauncher("channel.js")); err != nil {
		t.Fatal(err)
	}
	if _, err := vm.RunScript("transport.js", readDevTools("transport.js")); err != nil {
		t.Fatal(err)
	}
	v, err := vm.RunString(`
		var s = newStream("console.since", 3), out = [];
		pollStream(s).then(function (items) { out.push(items.length); });
		window.__sf_recv(JSON.stringify({v: 1, kind: "devtoolsResult", payload: {id: sent[0].payload.id, ok: true, result: {items: [1, 2, 3, 4], last: 4}}}));
		JSON.stringify([sent[0].kind, sent[0].payload.op, sent[0].payload.args.after, bytes(2048), bytes(12)])`)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.String(); got != `["devtools","console.since",0,"2.0 KB","12 B"]` {
		t.Errorf("got %s", got)
	}
	// Promise jobs run once the script returns.
	v, _ = vm.RunString(`JSON.stringify([out, s.items, s.last])`)
	if got := v.String(); got != `[[4],[2,3,4],4]` {
		t.Errorf("stream after one poll: %s", got)
	}
}
