// Package netapi is the host side of wx.request (capability network:request): HTTPS to
// the domains an app declares, with the shell, not the app, owning hosts, addresses,
// redirects, cookies, timeouts and response sizes. It knows nothing of the bridge: the
// gateway handler passes the app and the raw options and turns the error into
// "request:fail REASON".
package netapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Defaults for a zero Config field.
const (
	DefaultTimeout          = 60 * time.Second // WeChat's default
	DefaultMaxResponseBytes = 10 << 20
	maxRedirects            = 10
)

// Resolver looks up a host's addresses (*net.Resolver satisfies it).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config configures a Client.
type Config struct {
	Timeout          time.Duration  // whole request, body included; 0: DefaultTimeout. An app's smaller timeout wins.
	MaxResponseBytes int64          // body cap after decompression; 0: DefaultMaxResponseBytes
	DevMode          bool           // allow http and https to loopback without declaring it
	RootCAs          *x509.CertPool // nil: the system roots (tests pass their server's)

	// Seams for tests; nil means the real thing.
	Resolver  Resolver   // nil: net.DefaultResolver
	AllowAddr AddrPolicy // nil: DefaultAddrPolicy
}

// App is what the client needs to know of the calling app.
type App struct {
	ID      string
	Domains []string // app.json "network": {"domains": [...]}
}

// Client makes requests for all apps, each with its own cookie jar. Safe for concurrent use.
type Client struct {
	cfg       Config
	transport *http.Transport

	mu   sync.Mutex
	jars map[string]*cookiejar.Jar

	obs atomic.Pointer[observerBox] // DevTools' Network panel (observe.go); nil: off
}

// New makes a client.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	if cfg.AllowAddr == nil {
		cfg.AllowAddr = DefaultAddrPolicy
	}
	c := &Client{cfg: cfg, jars: map[string]*cookiejar.Jar{}}
	c.transport = &http.Transport{
		Proxy:                  nil, // a proxy would dial for us, past the address policy
		DialContext:            c.dial,
		TLSClientConfig:        &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           64,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return c
}

// Close drops idle connections. The client stays usable.
func (c *Client) Close() { c.transport.CloseIdleConnections() }

// ForgetApp drops the app's cookie jar (uninstall, wipe).
func (c *Client) ForgetApp(appID string) {
	c.mu.Lock()
	delete(c.jars, appID)
	c.mu.Unlock()
}

func (c *Client) jar(appID string) *cookiejar.Jar {
	c.mu.Lock()
	defer c.mu.Unlock()
	j, ok := c.jars[appID]
	if !ok {
		// No public suffix list is available to this build (golang.org/x/net is not a
		// dependency), so a server may set a cookie for a parent domain; the jar is the
		// app's own and only reaches its declared domains, which bounds the harm.
		j, _ = cookiejar.New(nil)
		c.jars[appID] = j
	}
	return j
}

// refusal is an error whose text is the whole fail reason, kept intact through the
// wrapping of net/http.
type refusal struct{ reason string }

func (r *refusal) Error() string { return r.reason }

func refusef(format string, args ...any) error { return &refusal{fmt.Sprintf(format, args...)} }

// Request performs one wx.request for app with the raw RequestOption args and returns
// the success result {data, statusCode, header, cookies}. Any HTTP status is a success,
// as in WeChat. An error's text is the reason to put after "request:fail ".
// With responseType "arraybuffer", data is the body in standard base64: the logic side
// turns it into an ArrayBuffer.
func (c *Client) request(ctx context.Context, app App, args json.RawMessage) (map[string]any, error) {
	if app.ID == "" {
		return nil, errors.New("no app id")
	}
	rules, err := parseDomains(app.Domains)
	if err != nil {
		return nil, fmt.Errorf("app.json %w", err)
	}
	a, err := parseArgs(args)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(a.url)
	if err != nil || !u.IsAbs() {
		return nil, refusef("invalid url %q", a.url)
	}
	u.Fragment, u.RawFragment = "", ""
	if err := checkURL(u, rules, c.cfg.DevMode); err != nil {
		return nil, err
	}
	body, err := c.encodeData(u, &a)
	if err != nil {
		return nil, err
	}

	timeout := c.cfg.Timeout
	if a.timeout > 0 && a.timeout < timeout {
		timeout = a.timeout
	}
	tctx, cancel := context.WithTimeoutCause(ctx, timeout, errTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(tctx, a.method, u.String(), body)
	if err != nil {
		return nil, refusef("invalid request: %v", err)
	}
	for _, h := range a.header {
		req.Header.Add(h[0], h[1])
	}
	if body != nil && a.contentType == "" {
		req.Header.Set("Content-Type", "application/json") // WeChat's default
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Sandframe")
	}
	resp, err := c.appClient(app.ID, rules).Do(req)
	if err != nil {
		return nil, c.reason(ctx, tctx, err)
	}
	defer resp.Body.Close()
	data, err := c.readBody(resp)
	if err != nil {
		return nil, c.reason(ctx, tctx, err)
	}
	return result(resp, data, a), nil
}

var errTimeout = errors.New("timeout")

// encodeData puts a.data where WeChat puts it: in the query for GET and HEAD, otherwise
// in the body, as a form for an object with content-type x-www-form-urlencoded and as
// JSON text for any other non-string value.
func (c *Client) encodeData(u *url.URL, a *requestArgs) (io.Reader, error) {
	if a.data == nil {
		return nil, nil
	}
	isString := a.data[0] == '"'
	var s string
	if isString {
		if err := json.Unmarshal(a.data, &s); err != nil {
			return nil, refusef("data: %v", err)
		}
	}
	if a.method == "GET" || a.method == "HEAD" {
		q := s
		if !isString {
			fields, err := orderedObject(a.data)
			if err != nil {
				return nil, refusef("data for %s must be an object or a string", a.method)
			}
			q = encodeQuery(fields)
		}
		if q != "" {
			if u.RawQuery != "" {
				u.RawQuery += "&"
			}
			u.RawQuery += q
		}
		return nil, nil
	}
	if isString {
		return strings.NewReader(s), nil
	}
	if strings.HasPrefix(a.contentType, "application/x-www-form-urlencoded") {
		if fields, err := orderedObject(a.data); err == nil {
			return strings.NewReader(encodeQuery(fields)), nil
		}
	}
	return bytes.NewReader(compactJSON(a.data)), nil
}

// readBody reads at most MaxResponseBytes of the (decompressed) body.
func (c *Client) readBody(resp *http.Response) ([]byte, error) {
	limit := c.cfg.MaxResponseBytes
	if resp.ContentLength > limit {
		return nil, refusef("response exceeds %d bytes", limit)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, refusef("response exceeds %d bytes", limit)
	}
	return data, nil
}

// reason turns a failure into the text after "request:fail ": the shell's own refusal
// as written, "timeout", "abort" when the app's context ended, or what failed and why.
func (c *Client) reason(parent, tctx context.Context, err error) error {
	var r *refusal
	switch {
	case errors.As(err, &r):
		return r
	case parent.Err() != nil:
		return errors.New("abort")
	case errors.Is(context.Cause(tctx), errTimeout):
		return errTimeout
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		err = ue.Err
	}
	var (
		ce  *tls.CertificateVerificationError
		rhe tls.RecordHeaderError
		oe  *net.OpError
	)
	switch {
	case errors.As(err, &ce):
		return fmt.Errorf("tls handshake failed: %v", ce.Err)
	case errors.As(err, &rhe):
		return errors.New("tls handshake failed: the server did not answer with TLS")
	case errors.As(err, &oe) && oe.Op == "dial":
		return fmt.Errorf("connect failed: %v", oe.Err)
	case err == nil:
		// Never report success for a failed request.
		return errors.New("request failed")
	}
	return err
}

// dial resolves addr itself, keeps only the addresses the policy allows, and connects to
// them in turn; the dialer's Control checks the address actually dialled once more.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = c.cfg.Resolver.LookupNetIP(ctx, "ip", host); err != nil {
		var dnsErr *net.DNSError
		if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
			return nil, refusef("%s: no such host", host)
		}
		return nil, refusef("%s: lookup failed: %v", host, err)
	}
	var allowed []netip.Addr
	var refused error
	for _, ip := range ips {
		if err := c.cfg.AllowAddr(ip.Unmap(), c.cfg.DevMode); err != nil {
			refused = err
			continue
		}
		allowed = append(allowed, ip.Unmap())
	}
	if len(allowed) == 0 {
		if refused == nil {
			return nil, refusef("%s: no addresses", host)
		}
		return nil, refusef("%s resolves to an address that is not allowed: %v", host, refused)
	}
	d := &net.Dialer{Timeout: 30 * time.Second, Control: c.controlDial}
	var lastErr error
	for _, ip := range allowed {
		conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return conn, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func (c *Client) controlDial(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refusef("dial %s: %v", address, err)
	}
	if err := c.cfg.AllowAddr(ap.Addr().Unmap(), c.cfg.DevMode); err != nil {
		return refusef("connection refused by policy: %v", err)
	}
	return nil
}

// result builds RequestSuccessCallbackResult.
func result(resp *http.Response, body []byte, a requestArgs) map[string]any {
	var data any
	switch {
	case a.responseType == "arraybuffer":
		data = base64.StdEncoding.EncodeToString(body)
	case a.dataType == "json" && len(bytes.TrimSpace(body)) > 0:
		var v any
		if err := json.Unmarshal(body, &v); err == nil {
			data = v
		} else {
			data = string(body) // WeChat falls back to the text
		}
	default:
		data = string(body)
	}
	header := make(map[string]any, len(resp.Header))
	for k, vs := range resp.Header {
		header[k] = strings.Join(vs, ", ")
	}
	cookies := make([]any, 0, len(resp.Header["Set-Cookie"]))
	for _, sc := range resp.Header["Set-Cookie"] {
		cookies = append(cookies, sc)
	}
	return map[string]any{"data": data, "statusCode": resp.StatusCode, "header": header, "cookies": cookies}
}

// appClient is the HTTP client of one app's request or transfer: the app's cookie jar,
// and every redirect checked against its declared domains again, at most maxRedirects.
func (c *Client) appClient(appID string, rules []domainRule) *http.Client {
	return &http.Client{
		Transport: c.transport,
		Jar:       c.jar(appID),
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return refusef("stopped after %d redirects", maxRedirects)
			}
			if err := checkURL(next.URL, rules, c.cfg.DevMode); err != nil {
				return refusef("redirect to %s refused: %v", next.URL.Redacted(), err)
			}
			return nil
		},
	}
}
