package lint

// RuleInfo describes one rule, for docs and `shell lint --rules`.
type RuleInfo struct {
	ID          string   `json:"id"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
}

// rules is every rule the package reports. A rule has one severity, except
// defs/banned, whose patterns carry their own.
var rules = []RuleInfo{
	{"app/manifest", SeverityError, "app.json is missing or is not valid JSON, so declared capabilities and domains are unknown"},
	{"file/too-large", SeverityError, "a file is larger than the checks read (MaxFileBytes)"},

	{"js/syntax", SeverityError, "a JavaScript file does not parse"},
	{"js/too-complex", SeverityError, "JavaScript nested or chained too deeply to parse safely (over 1000 open brackets, 5000 chained operators): the file is not checked"},
	{"js/eval", SeverityError, "eval, called directly, indirectly ((0, eval)(s), aliases) or through the global object (window.eval, globalThis['eval'])"},
	{"js/function-constructor", SeverityError, "the Function constructor (Function(s), new Function(s), globalThis.Function, or Function passed around as a value)"},
	{"js/constructor-access", SeverityError, "reaching a function's constructor: x.constructor.constructor, (function(){}).constructor, Object.getPrototypeOf(f).constructor, x.__proto__.constructor"},
	{"js/with", SeverityError, "a with statement"},
	{"js/string-timer", SeverityError, "setTimeout/setInterval/setImmediate with a string of code instead of a function"},
	{"js/dynamic-global", SeverityWarning, "a computed property of the global object (globalThis[x], window[a + b]), which can reach eval or Function by a name the checks cannot see"},
	{"js/interpreter", SeverityError, "an embedded JavaScript interpreter: a known interpreter library, or an evaluator dispatching on many ESTree node types"},
	{"js/opcode-loop", SeverityWarning, "a bytecode-style dispatch loop: a loop around a switch with many numeric cases"},
	{"js/string-table", SeverityError, "obfuscation: a large table of strings read through a decoder function"},
	{"js/escaped-literal", SeverityWarning, "obfuscation: a string literal written mostly as \\x/\\u escapes"},
	{"js/obfuscated-names", SeverityWarning, "obfuscation: many _0x-style generated identifiers in one file"},
	{"js/prototype-write", SeverityWarning, "changing a built-in prototype or an object's prototype: __proto__ writes, Array.prototype.x = ..., Object.defineProperty(Object.prototype, ...), Object.setPrototypeOf (old snippets like Date.prototype.Format, and compilers' class helpers, do it; it changes only the app's own runtime)"},
	{"js/require", SeverityWarning, "require of a path that names no module inside the mini-app (resolved as WeChat does: relative, from the root, miniprogram_npm/); the app fails to load"},
	{"js/require-dynamic", SeverityWarning, "require with a computed path, which the checks cannot follow"},
	{"js/url-domain", SeverityWarning, "a URL in a string whose host (and port) app.json network.domains does not declare, or that is not https"},
	{"js/unsupported-api", SeverityInfo, "a method of WeChat's wx that Sandframe does not implement: it answers fail / throws \"not supported on this platform\", as an old WeChat client would (docs/apis.md)"},
	{"js/capability", SeverityWarning, "a wx/sf API (or authorize scope) whose capability app.json does not declare (in \"capabilities\", or WeChat's \"permission\" / \"requiredPrivateInfos\"): refused at run time with a fail"},

	{"wxml/syntax", SeverityError, "WXML markup the scanner cannot read (unclosed comment, tag or quote)"},
	{"wxml/javascript-url", SeverityWarning, "a javascript: or vbscript: URL in an attribute: inert (the page runs no script, a navigator with it does nothing)"},
	{"wxml/inline-handler", SeverityWarning, "an on* attribute (an inline handler never runs: the render runtime drops them)"},
	{"wxml/remote-resource", SeverityWarning, "a resource attribute (src, href, poster, style url(), ...) pointing outside the bundle, except https images (<image> src, style url()), which the shell fetches"},

	{"wxss/remote-url", SeverityWarning, "a url() outside the bundle (plain http, or another scheme than data:; https images are fetched by the shell)"},
	{"wxss/remote-import", SeverityWarning, "an @import of a file outside the bundle"},

	{"defs/malicious", SeverityError, "a file whose SHA-256 the security definitions list as known-malicious"},
	{"defs/banned", SeverityError, "a banned pattern of the security definitions (severity per pattern; error by default)"},
}

var ruleSev = func() map[string]Severity {
	m := make(map[string]Severity, len(rules))
	for _, r := range rules {
		m[r.ID] = r.Severity
	}
	return m
}()

// ruleSeverity is the severity of rule id; it panics on an id not in rules, so a typo
// fails every test that reaches it.
func ruleSeverity(id string) Severity {
	s, ok := ruleSev[id]
	if !ok {
		panic("lint: unknown rule " + id)
	}
	return s
}

// Rules lists every rule, in a stable order (grouped by file kind).
func Rules() []RuleInfo { return append([]RuleInfo(nil), rules...) }
