package lint

import (
	"strings"
)

// domainRule is one entry of app.json network.domains, read the way netapi reads it
// (netapi's parser is its own; an entry it would refuse is a load error there, and is
// simply skipped here).
type domainRule struct {
	host     string // lower case; for a wildcard, the part after "*."
	wildcard bool   // "*.example.com": names under example.com, not example.com itself
	port     string // "" allows only the default port
}

func parseDomains(domains []string) []domainRule {
	var out []domainRule
	for _, d := range domains {
		s := strings.ToLower(strings.TrimSpace(d))
		s = strings.TrimPrefix(s, "https://")
		s = strings.TrimSuffix(s, "/")
		var r domainRule
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			s, r.port = s[:i], s[i+1:]
		}
		s = strings.TrimSuffix(s, ".")
		if rest, ok := strings.CutPrefix(s, "*."); ok {
			r.wildcard, s = true, rest
		}
		if s == "" || strings.ContainsAny(s, "/?#@[]: ") {
			continue
		}
		r.host = s
		out = append(out, r)
	}
	return out
}

func (r domainRule) matches(host, port string) bool {
	if r.wildcard {
		if !strings.HasSuffix(host, "."+r.host) {
			return false
		}
	} else if host != r.host {
		return false
	}
	return port == r.port
}

// urlAt is one URL found inside a string.
type urlAt struct {
	off    int    // byte offset of the scheme in the string
	scheme string // lower case
	host   string // lower case, no trailing dot
	port   string // "" for the scheme's default
}

// urlSchemes are the schemes a URL in a string is recognised by. Protocol-relative
// "//host" is not: in JavaScript it is as likely a comment-like string as a URL.
var urlSchemes = []string{"https://", "http://", "wss://", "ws://"}

// findURLs finds every absolute http(s)/ws(s) URL inside s (text, not code: this runs
// on a string literal's value).
func findURLs(s string) []urlAt {
	var out []urlAt
	lower := strings.ToLower(s)
	for i := 0; i < len(lower); {
		j := strings.Index(lower[i:], "://")
		if j < 0 {
			break
		}
		at := i + j
		i = at + 3
		var scheme string
		for _, sc := range urlSchemes {
			name := sc[:len(sc)-3]
			if at >= len(name) && lower[at-len(name):at] == name &&
				(at == len(name) || !isSchemeChar(lower[at-len(name)-1])) {
				scheme = name
				break
			}
		}
		if scheme == "" {
			continue
		}
		end := i
		for end < len(lower) && !strings.ContainsRune("/?#\\ \t\r\n\"'`<>()", rune(lower[end])) {
			end++
		}
		auth := lower[i:end]
		if k := strings.LastIndexByte(auth, '@'); k >= 0 {
			auth = auth[k+1:]
		}
		host, port := auth, ""
		if strings.HasPrefix(auth, "[") {
			if k := strings.IndexByte(auth, ']'); k >= 0 {
				host, port = auth[:k+1], strings.TrimPrefix(auth[k+1:], ":")
			}
		} else if k := strings.LastIndexByte(auth, ':'); k >= 0 {
			host, port = auth[:k], auth[k+1:]
		}
		host = strings.TrimSuffix(host, ".")
		if host == "" || strings.ContainsAny(host, "${}+") {
			continue // built at run time: "https://" + host, `https://${host}`
		}
		if port == defaultPort(scheme) {
			port = ""
		}
		out = append(out, urlAt{off: at - len(scheme), scheme: scheme, host: host, port: port})
	}
	return out
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func defaultPort(scheme string) string {
	if scheme == "http" || scheme == "ws" {
		return "80"
	}
	return "443"
}

// namespaceHosts are hosts whose URLs are names, never fetched (XML namespaces).
var namespaceHosts = map[string]bool{"www.w3.org": true}

// urlProblem says what is wrong with u for an app that declares rules, or "".
func urlProblem(u urlAt, rules []domainRule) string {
	if namespaceHosts[u.host] {
		return ""
	}
	hp := u.host
	if u.port != "" {
		hp += ":" + u.port
	}
	if u.scheme == "http" || u.scheme == "ws" {
		return "URL " + u.scheme + "://" + hp + " is plain " + u.scheme + ": apps reach only https hosts declared in app.json network.domains (plain http only loopback, in dev mode)"
	}
	for _, r := range rules {
		if r.matches(u.host, u.port) {
			return ""
		}
	}
	return "URL host " + hp + " is not declared in app.json network.domains: declare it (\"network\": {\"domains\": [\"" + hp + "\"]}) or remove the URL; requests to it are refused"
}
