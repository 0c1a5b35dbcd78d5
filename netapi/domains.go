package netapi

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// domainRule is one parsed entry of app.json "network.domains".
type domainRule struct {
	host     string // lower case, no trailing dot; for a wildcard, the part after "*."
	wildcard bool   // "*.example.com": any name under example.com, not example.com itself
	port     string // "" allows only the scheme's default port
}

// ValidateDomains checks app.json "network.domains" at load time. Each entry is a host
// name ("api.example.com"), optionally with a port ("api.example.com:8443", which then
// allows only that port) or a leading "*." ("*.example.com": every name under
// example.com, but not example.com itself); an "https://" prefix is tolerated. IP
// addresses, other schemes, paths and single-label names are errors naming the entry.
func ValidateDomains(domains []string) error {
	_, err := parseDomains(domains)
	return err
}

func parseDomains(domains []string) ([]domainRule, error) {
	rules := make([]domainRule, 0, len(domains))
	for i, d := range domains {
		r, err := parseDomain(d)
		if err != nil {
			return nil, fmt.Errorf("network.domains[%d] %q: %w", i, d, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func parseDomain(d string) (domainRule, error) {
	s := strings.TrimSpace(d)
	if i := strings.Index(s, "://"); i >= 0 {
		if !strings.EqualFold(s[:i], "https") {
			return domainRule{}, fmt.Errorf("scheme %q: only https domains can be declared", s[:i])
		}
		s = s[i+3:]
	}
	s = strings.TrimSuffix(s, "/")
	if s == "" {
		return domainRule{}, errors.New("empty")
	}
	if strings.ContainsAny(s, "/?#@[] ") {
		return domainRule{}, errors.New("must be a host name with an optional port, like api.example.com:8443")
	}
	var r domainRule
	host := s
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, r.port = s[:i], s[i+1:]
		if strings.Contains(host, ":") {
			return domainRule{}, errors.New("IP addresses cannot be declared: declare a domain name")
		}
		if p, err := strconv.Atoi(r.port); err != nil || p < 1 || p > 65535 || r.port[0] == '0' {
			return domainRule{}, fmt.Errorf("port %q is not a number from 1 to 65535", r.port)
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		r.wildcard, host = true, rest
	}
	if isIPLike(host) {
		return domainRule{}, errors.New("IP addresses cannot be declared: declare a domain name")
	}
	if err := checkHostName(host); err != nil {
		return domainRule{}, err
	}
	if !strings.Contains(host, ".") {
		if r.wildcard {
			return domainRule{}, errors.New("a wildcard needs a registrable domain under it, like *.example.com")
		}
		return domainRule{}, errors.New("a single-label name is not a public domain")
	}
	r.host = host
	return r, nil
}

// checkHostName accepts lower-case ASCII host names (letters, digits, hyphens; labels of
// 1 to 63; 253 in all). Internationalized names must be given in punycode.
func checkHostName(h string) error {
	if len(h) == 0 || len(h) > 253 {
		return errors.New("host name must have 1 to 253 characters")
	}
	for _, label := range strings.Split(h, ".") {
		if len(label) == 0 || len(label) > 63 {
			return fmt.Errorf("label %q must have 1 to 63 characters", label)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("label %q must not start or end with a hyphen", label)
		}
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return fmt.Errorf("label %q: only letters, digits and hyphens (use punycode for other letters)", label)
			}
		}
	}
	return nil
}

// matches reports whether host (normalized) and port ("" for the scheme's default) are
// allowed by r. A declared name matches exactly: "example.com" allows neither
// "evil-example.com" nor "a.example.com".
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

// isLoopbackHost reports whether host is a loopback name or address.
func isLoopbackHost(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// checkURL applies the URL rules to one request or redirect target: https only, to a
// declared domain; plain http (and undeclared hosts) only to loopback in dev mode; no IP
// literal otherwise; no credentials in the URL.
func checkURL(u *url.URL, rules []domainRule, dev bool) error {
	if err := checkTarget(u, dev); err != nil {
		return err
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if dev && isLoopbackHost(host) {
		return nil // dev mode: the developer's own machine, over http or https
	}
	port := u.Port()
	if port == "443" {
		port = ""
	}
	hostKnown := false
	for _, r := range rules {
		if r.matches(host, port) {
			return nil
		}
		if r.matches(host, r.port) {
			hostKnown = true
		}
	}
	if hostKnown {
		return refusef("url not in domain list: port %s of %s is not declared in app.json network.domains", displayPort(port), host)
	}
	return refusef("url not in domain list: %s is not declared in app.json network.domains", host)
}

// checkTarget applies the URL rules that hold whatever the domain list says (remote
// images under images.remote: any use it alone): https only, plain http only to
// loopback in dev mode, no IP literal, a valid host name, no credentials.
func checkTarget(u *url.URL, dev bool) error {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return refusef("url scheme %q is not allowed: use https", u.Scheme)
	}
	if u.User != nil {
		return refusef("url must not contain a user name or password")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return refusef("url has no host")
	}
	if isLoopbackHost(host) {
		if dev {
			return nil // dev mode: the developer's own machine, over http or https
		}
		if scheme == "http" {
			return refusef("plain http is allowed only to loopback in dev mode: %s", host)
		}
	}
	if scheme == "http" {
		return refusef("url must use https (plain http is allowed only to loopback in dev mode): %s", host)
	}
	if strings.HasPrefix(u.Host, "[") || isIPLike(host) {
		return refusef("IP address hosts are not allowed: %s (declare a domain name in app.json network.domains)", host)
	}
	if err := checkHostName(host); err != nil {
		return refusef("url host %q: %v", host, err)
	}
	return nil
}

func displayPort(p string) string {
	if p == "" {
		return "443"
	}
	return p
}

// isIPLike reports whether host is an IP address in any spelling a resolver might accept
// ("127.0.0.1", "::1", "127.1", "0x7f.1", "2130706433"): an address or a name whose last
// label is a number (no top-level domain is).
func isIPLike(host string) bool {
	if _, err := netip.ParseAddr(host); err == nil {
		return true
	}
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if l := strings.ToLower(last); strings.HasPrefix(l, "0x") {
		return true
	}
	for _, c := range []byte(last) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
