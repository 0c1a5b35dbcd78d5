package netapi

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// testCert is a self-signed certificate for the test names and 127.0.0.1.
func testCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "sandframe test"},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames:              []string{"api.example.test", "other.example.test", "evil.example.test", "*.wild.example.test"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// mapResolver answers every name it knows with 127.0.0.1, like DNS pointing the test
// names at the loopback server.
type mapResolver map[string]string

func (m mapResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	ip, ok := m[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return []netip.Addr{netip.MustParseAddr(ip)}, nil
}

var testNames = mapResolver{
	"api.example.test": "127.0.0.1", "other.example.test": "127.0.0.1", "evil.example.test": "127.0.0.1",
	"a.wild.example.test": "127.0.0.1", "internal.example.test": "10.0.0.7",
}

// loopbackForTests is the default policy plus 127.0.0.1, so that outside dev mode the
// declared test names can reach the loopback server.
func loopbackForTests(ip netip.Addr, dev bool) error {
	if ip == netip.MustParseAddr("127.0.0.1") {
		return nil
	}
	return DefaultAddrPolicy(ip, dev)
}

// echo is what the test server says about the request it got.
type echo struct {
	Method, Path, Query, Body, ContentType, Cookie, UserAgent, Host string
	Header                                                          map[string]string
}

func testHandler(release <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h := map[string]string{}
		for k := range r.Header {
			h[k] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Method", r.Method)
		json.NewEncoder(w).Encode(echo{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body),
			ContentType: r.Header.Get("Content-Type"), Cookie: r.Header.Get("Cookie"), UserAgent: r.UserAgent(), Host: r.Host, Header: h})
	})
	mux.HandleFunc("/set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: r.URL.Query().Get("v"), Path: "/"})
		http.SetCookie(w, &http.Cookie{Name: "theme", Value: "dark", Path: "/", HttpOnly: true})
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"a":1,"b":["x"]}`) })
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello {") })
	mux.HandleFunc("/bytes", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte{0, 1, 2, 0xff}) })
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, `{"err":"teapot"}`)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.URL.Query().Get("n"), &n)
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", fmt.Sprint(n))
		}
		for i := 0; i < n; i += 100 {
			io.WriteString(w, strings.Repeat("b", min(100, n-i)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	return mux
}

type fixture struct {
	srv  *httptest.Server
	port string
	pool *x509.CertPool
}

// newTLSFixture starts an HTTPS server on 127.0.0.1 with a certificate for the test names.
func newTLSFixture(t *testing.T) *fixture {
	t.Helper()
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(testHandler(release))
	cert, pool := testCert(t)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the tests make fail on purpose
	srv.StartTLS()
	t.Cleanup(func() { close(release); srv.Close() })
	return &fixture{srv: srv, port: fmt.Sprint(srv.Listener.Addr().(*net.TCPAddr).Port), pool: pool}
}

func (f *fixture) url(host, path string) string { return "https://" + host + ":" + f.port + path }

func (f *fixture) client(t *testing.T, cfg Config) *Client {
	cfg.RootCAs = f.pool
	if cfg.Resolver == nil {
		cfg.Resolver = testNames
	}
	if cfg.AllowAddr == nil {
		cfg.AllowAddr = loopbackForTests
	}
	c := New(cfg)
	t.Cleanup(c.Close)
	return c
}

func (f *fixture) app(id string, domains ...string) App {
	for i, d := range domains {
		domains[i] = d + ":" + f.port
	}
	return App{ID: id, Domains: domains}
}

func args(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func echoOf(t *testing.T, res map[string]any) echo {
	t.Helper()
	b, _ := json.Marshal(res["data"])
	var e echo
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("data %v: %v", res["data"], err)
	}
	return e
}

func TestRequestDomains(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test", "*.wild.example.test")
	tests := []struct {
		name, url, wantErr string
	}{
		{"declared", f.url("api.example.test", "/echo"), ""},
		{"declared wildcard", f.url("a.wild.example.test", "/echo"), ""},
		{"undeclared", f.url("other.example.test", "/echo"), "url not in domain list: other.example.test is not declared in app.json network.domains"},
		{"undeclared port", "https://api.example.test/echo", "port 443 of api.example.test is not declared"},
		{"ip literal", "https://127.0.0.1:" + f.port + "/echo", "IP address hosts are not allowed"},
		{"http to loopback outside dev", "http://127.0.0.1:" + f.port + "/echo", "plain http is allowed only to loopback in dev mode"},
		{"unknown name", f.url("nowhere.wild.example.test", "/echo"), "nowhere.wild.example.test: no such host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Request(context.Background(), app, args(t, map[string]any{"url": tt.url}))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if err == nil && (res["statusCode"] != 200 || echoOf(t, res).Method != "GET") {
				t.Errorf("result %v", res)
			}
		})
	}
	// A manifest error is reported, naming the entry.
	_, err := c.Request(context.Background(), App{ID: "a", Domains: []string{"10.0.0.1"}}, args(t, map[string]any{"url": f.url("api.example.test", "/echo")}))
	if err == nil || !strings.Contains(err.Error(), "app.json network.domains[0]") {
		t.Errorf("bad manifest: %v", err)
	}
}

// TestRequestRebinding: with the real policy outside dev mode, a declared name that
// resolves to loopback or a private address reaches nothing.
func TestRequestRebinding(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{AllowAddr: DefaultAddrPolicy})
	for host, want := range map[string]string{
		"api.example.test":      "api.example.test resolves to an address that is not allowed: 127.0.0.1 is a loopback address (allowed only in dev mode)",
		"internal.example.test": "internal.example.test resolves to an address that is not allowed: 10.0.0.7 is a private address",
	} {
		_, err := c.Request(context.Background(), f.app("a", host), args(t, map[string]any{"url": f.url(host, "/echo")}))
		if err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", host, err, want)
		}
	}
}

func TestRequestPlainHTTPInDevMode(t *testing.T) {
	srv := httptest.NewServer(testHandler(nil))
	t.Cleanup(srv.Close)
	a := args(t, map[string]any{"url": srv.URL + "/echo"}) // http://127.0.0.1:PORT
	for _, dev := range []bool{false, true} {
		c := New(Config{DevMode: dev}) // the real resolver and address policy
		res, err := c.Request(context.Background(), App{ID: "a"}, a)
		c.Close()
		if dev && (err != nil || res["statusCode"] != 200) {
			t.Errorf("dev mode: %v %v", res, err)
		}
		if !dev && (err == nil || !strings.Contains(err.Error(), "plain http is allowed only to loopback in dev mode")) {
			t.Errorf("outside dev mode: err = %v", err)
		}
	}
}

func TestRequestRedirects(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test", "other.example.test")
	redirect := func(to string) string { return f.url("api.example.test", "/redirect?to="+to) }
	tests := []struct {
		name, to, wantErr string
	}{
		{"to a declared domain", f.url("other.example.test", "/echo"), ""},
		{"to an undeclared domain", f.url("evil.example.test", "/echo"), "redirect to https://evil.example.test:" + f.port + "/echo refused: url not in domain list: evil.example.test"},
		{"to plain http", "http://api.example.test:" + f.port + "/echo", "refused: url must use https"},
		{"to an ip", "https://127.0.0.1:" + f.port + "/echo", "refused: IP address hosts are not allowed"},
		{"two hops, the second undeclared", redirect(f.url("evil.example.test", "/echo")), "url not in domain list: evil.example.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Request(context.Background(), app, args(t, map[string]any{"url": redirect(tt.to)}))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if err == nil && echoOf(t, res).Host != "other.example.test:"+f.port {
				t.Errorf("result %v", res)
			}
		})
	}
}

func TestRequestForbiddenHeaders(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test")
	for _, h := range []string{"Host", "cookie", "Cookie2", "Proxy-Authorization", "Sec-Fetch-Mode", "Connection", "Upgrade", "Referer"} {
		_, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo"), "header": map[string]any{h: "x"}}))
		want := "header " + http.CanonicalHeaderKey(h) + " is not allowed"
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", h, err, want)
		}
	}
	// Allowed headers arrive.
	res, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo"),
		"header": map[string]any{"X-Token": "t1", "Authorization": "Bearer z", "User-Agent": "mine"}}))
	if err != nil {
		t.Fatal(err)
	}
	if e := echoOf(t, res); e.Header["X-Token"] != "t1" || e.Header["Authorization"] != "Bearer z" || e.UserAgent != "mine" {
		t.Errorf("headers %v", e.Header)
	}
}

func TestRequestSizeCap(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{MaxResponseBytes: 1000})
	app := f.app("a", "api.example.test")
	tests := []struct {
		query   string
		wantErr string
	}{
		{"n=1000", ""},
		{"n=1000&chunked=1", ""},
		{"n=1001", "response exceeds 1000 bytes"},
		{"n=50000&chunked=1", "response exceeds 1000 bytes"},
	}
	for _, tt := range tests {
		res, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/big?"+tt.query)}))
		if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.query, err, tt.wantErr)
		}
		if err == nil && len(res["data"].(string)) != 1000 {
			t.Errorf("%s: %d bytes", tt.query, len(res["data"].(string)))
		}
	}
}

func TestRequestTimeout(t *testing.T) {
	f := newTLSFixture(t)
	app := f.app("a", "api.example.test")
	slow := f.url("api.example.test", "/slow")
	// The smaller of the config's and the call's timeout applies, either way round.
	for _, tc := range []struct {
		cfg  time.Duration
		call int
	}{{50 * time.Millisecond, 0}, {50 * time.Millisecond, 3_600_000}, {time.Hour, 50}} {
		c := f.client(t, Config{Timeout: tc.cfg})
		a := map[string]any{"url": slow}
		if tc.call > 0 {
			a["timeout"] = tc.call
		}
		_, err := c.Request(context.Background(), app, args(t, a))
		if err == nil || err.Error() != "timeout" {
			t.Errorf("config %v call %dms: err = %v, want timeout", tc.cfg, tc.call, err)
		}
	}
	// The app going away is an abort, not a timeout.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.client(t, Config{}).Request(ctx, app, args(t, map[string]any{"url": slow}))
	if err == nil || err.Error() != "abort" {
		t.Errorf("cancelled: err = %v, want abort", err)
	}
}

func TestRequestCookiesPerApp(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	a, b := f.app("a", "api.example.test"), f.app("b", "api.example.test")
	get := func(app App, path string) map[string]any {
		t.Helper()
		res, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", path)}))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := get(a, "/set?v=alice")
	if cookies := res["cookies"].([]any); len(cookies) != 2 || cookies[0] != "sid=alice; Path=/" || res["statusCode"] != 204 {
		t.Errorf("set result %v", res)
	}
	get(b, "/set?v=bob")
	if got := echoOf(t, get(a, "/echo")).Cookie; got != "sid=alice; theme=dark" {
		t.Errorf("app a sends %q", got)
	}
	if got := echoOf(t, get(b, "/echo")).Cookie; got != "sid=bob; theme=dark" {
		t.Errorf("app b sends %q", got)
	}
	c.ForgetApp("a")
	if got := echoOf(t, get(a, "/echo")).Cookie; got != "" {
		t.Errorf("after ForgetApp, app a sends %q", got)
	}
	if got := echoOf(t, get(b, "/echo")).Cookie; got != "sid=bob; theme=dark" {
		t.Errorf("after ForgetApp(a), app b sends %q", got)
	}
}

func TestRequestDataTypes(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test")
	tests := []struct {
		name string
		args map[string]any
		want any
	}{
		{"json parsed", map[string]any{"url": "/json"}, map[string]any{"a": 1.0, "b": []any{"x"}}},
		{"json requested, text served", map[string]any{"url": "/text"}, "hello {"},
		{"text requested", map[string]any{"url": "/json", "dataType": "text"}, `{"a":1,"b":["x"]}`},
		{"arraybuffer is base64", map[string]any{"url": "/bytes", "responseType": "arraybuffer"}, base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 0xff})},
		{"arraybuffer never parsed", map[string]any{"url": "/json", "responseType": "arraybuffer"}, base64.StdEncoding.EncodeToString([]byte(`{"a":1,"b":["x"]}`))},
		{"error status is a success", map[string]any{"url": "/status"}, map[string]any{"err": "teapot"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.args["url"] = f.url("api.example.test", tt.args["url"].(string))
			res, err := c.Request(context.Background(), app, args(t, tt.args))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(res["data"])
			want, _ := json.Marshal(tt.want)
			if string(got) != string(want) {
				t.Errorf("data %s, want %s", got, want)
			}
			if _, ok := res["header"].(map[string]any)["Content-Type"]; !ok {
				t.Errorf("no Content-Type in header %v", res["header"])
			}
		})
	}
}

func TestRequestMethodsAndData(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test")
	tests := []struct {
		name     string
		args     map[string]any
		want     echo // Method, Query, Body, ContentType
		wantHead bool
	}{
		{"GET object to query, in order", map[string]any{"data": json.RawMessage(`{"q":"a b","n":2}`)},
			echo{Method: "GET", Query: "x=0&q=a%20b&n=2"}, false},
		{"GET string to query", map[string]any{"data": "raw=1"}, echo{Method: "GET", Query: "x=0&raw=1"}, false},
		{"POST object as JSON", map[string]any{"method": "POST", "data": map[string]any{"k": []int{1}}},
			echo{Method: "POST", Query: "x=0", Body: `{"k":[1]}`, ContentType: "application/json"}, false},
		{"POST form", map[string]any{"method": "POST", "data": map[string]any{"k": "v w"}, "header": map[string]any{"content-type": "application/x-www-form-urlencoded"}},
			echo{Method: "POST", Query: "x=0", Body: "k=v%20w", ContentType: "application/x-www-form-urlencoded"}, false},
		{"PUT string as is", map[string]any{"method": "PUT", "data": "plain", "header": map[string]any{"Content-Type": "text/plain"}},
			echo{Method: "PUT", Query: "x=0", Body: "plain", ContentType: "text/plain"}, false},
		{"PATCH", map[string]any{"method": "PATCH", "data": map[string]any{}}, echo{Method: "PATCH", Query: "x=0", Body: "{}", ContentType: "application/json"}, false},
		{"DELETE", map[string]any{"method": "DELETE"}, echo{Method: "DELETE", Query: "x=0"}, false},
		{"OPTIONS", map[string]any{"method": "OPTIONS"}, echo{Method: "OPTIONS", Query: "x=0"}, false},
		{"lower-case post", map[string]any{"method": "post", "data": "1"}, echo{Method: "POST", Query: "x=0", Body: "1", ContentType: "application/json"}, false},
		{"HEAD", map[string]any{"method": "HEAD"}, echo{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.args["url"] = f.url("api.example.test", "/echo?x=0#frag")
			res, err := c.Request(context.Background(), app, args(t, tt.args))
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantHead {
				if res["data"] != "" || res["header"].(map[string]any)["X-Method"] != "HEAD" {
					t.Errorf("HEAD result %v", res)
				}
				return
			}
			e := echoOf(t, res)
			if e.Method != tt.want.Method || e.Query != tt.want.Query || e.Body != tt.want.Body || e.ContentType != tt.want.ContentType {
				t.Errorf("server saw %s ?%s body %q type %q, want %s ?%s body %q type %q",
					e.Method, e.Query, e.Body, e.ContentType, tt.want.Method, tt.want.Query, tt.want.Body, tt.want.ContentType)
			}
		})
	}
	for _, m := range []string{"TRACE", "CONNECT", "BREW"} {
		_, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo"), "method": m}))
		if err == nil || !strings.Contains(err.Error(), "is not supported") {
			t.Errorf("%s: err = %v", m, err)
		}
	}
}

// TestRequestErrorsAreReasons: failures read well after "request:fail ".
func TestRequestErrorsAreReasons(t *testing.T) {
	f := newTLSFixture(t)
	app := f.app("a", "api.example.test")
	// A client that does not trust the test certificate.
	c := New(Config{Resolver: testNames, AllowAddr: loopbackForTests})
	t.Cleanup(c.Close)
	_, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo")}))
	if err == nil || !strings.HasPrefix(err.Error(), "tls handshake failed: x509:") {
		t.Errorf("untrusted cert: %v", err)
	}
	// A port nobody listens on.
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	_, err = f.client(t, Config{}).Request(context.Background(), App{ID: "a", Domains: []string{"api.example.test:" + port}},
		args(t, map[string]any{"url": "https://api.example.test:" + port + "/"}))
	if err == nil || !strings.HasPrefix(err.Error(), "connect failed:") {
		t.Errorf("closed port: %v", err)
	}
	if _, err := f.client(t, Config{}).Request(context.Background(), App{}, args(t, map[string]any{"url": "x"})); err == nil {
		t.Error("no app id accepted")
	}
	var r *refusal
	_, err = f.client(t, Config{}).Request(context.Background(), app, args(t, map[string]any{"url": "not a url"}))
	if !errors.As(err, &r) || !strings.Contains(err.Error(), `invalid url "not a url"`) {
		t.Errorf("bad url: %v", err)
	}
}

// TestRequestConcurrent: apps share the client safely (run with -race).
func TestRequestConcurrent(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			app := f.app(fmt.Sprint("app", i%4), "api.example.test")
			_, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", fmt.Sprintf("/set?v=%d", i))}))
			if err == nil {
				_, err = c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/echo")}))
			}
			if i%5 == 0 {
				c.ForgetApp(app.ID)
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
