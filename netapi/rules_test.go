package netapi

import (
	"encoding/json"
	"errors"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestValidateDomains(t *testing.T) {
	tests := []struct {
		domain  string
		wantErr string
	}{
		{"api.example.com", ""},
		{"API.Example.com.", ""},
		{"https://api.example.com/", ""},
		{"api.example.com:8443", ""},
		{"*.example.com", ""},
		{"xn--bcher-kva.example", ""},
		{"http://api.example.com", `scheme "http": only https`},
		{"api.example.com/v1", "must be a host name"},
		{"user@api.example.com", "must be a host name"},
		{"api.example.com:0", `port "0"`},
		{"api.example.com:65536", `port "65536"`},
		{"api.example.com:08", `port "08"`},
		{"api.example.com:x", `port "x"`},
		{"127.0.0.1", "IP addresses cannot be declared"},
		{"127.1", "IP addresses cannot be declared"},
		{"[::1]:443", "must be a host name"},
		{"::1", "IP addresses cannot be declared"},
		{"localhost", "single-label"},
		{"*.com", "wildcard needs a registrable domain"},
		{"a.*.example.com", "only letters, digits and hyphens"},
		{"-a.example.com", "must not start or end with a hyphen"},
		{"bücher.example", "use punycode"},
		{"under_score.example.com", "only letters"},
		{"", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.domain, func(t *testing.T) {
			err := ValidateDomains([]string{"ok.example.com", tt.domain})
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "network.domains[1] ") {
				t.Errorf("err %q does not name the entry", err)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	rules, err := parseDomains([]string{"example.com", "api.example.com:8443", "*.cdn.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url     string
		dev     bool
		wantErr string
	}{
		{"https://example.com/x?y=1", false, ""},
		{"https://EXAMPLE.com./x", false, ""},
		{"https://example.com:443/", false, ""},
		{"https://api.example.com:8443/", false, ""},
		{"https://a.cdn.example.net/", false, ""},
		{"https://a.b.cdn.example.net/", false, ""},
		{"https://evil-example.com/", false, "url not in domain list: evil-example.com is not declared"},
		{"https://a.example.com/", false, "url not in domain list: a.example.com"},
		{"https://example.com.evil.net/", false, "url not in domain list"},
		{"https://cdn.example.net/", false, "url not in domain list: cdn.example.net"},
		{"https://example.com:8443/", false, "port 8443 of example.com is not declared"},
		{"https://api.example.com/", false, "port 443 of api.example.com is not declared"},
		{"http://example.com/", false, "url must use https"},
		{"ftp://example.com/", false, `url scheme "ftp" is not allowed`},
		{"https://user:pw@example.com/", false, "must not contain a user name or password"},
		{"https://93.184.216.34/", false, "IP address hosts are not allowed"},
		{"https://[2606:2800::1]/", false, "IP address hosts are not allowed"},
		{"https://2130706433/", false, "IP address hosts are not allowed"},
		{"https://0x7f.1/", false, "IP address hosts are not allowed"},
		{"http://127.0.0.1:8080/", false, "plain http is allowed only to loopback in dev mode"},
		{"http://localhost:8080/", false, "plain http is allowed only to loopback in dev mode"},
		{"https://127.0.0.1/", false, "IP address hosts are not allowed"},
		{"http://127.0.0.1:8080/", true, ""},
		{"http://[::1]:8080/", true, ""},
		{"http://localhost:8080/", true, ""},
		{"https://127.0.0.5/", true, ""},
		{"http://10.0.0.1/", true, "url must use https"},
		{"https://10.0.0.1/", true, "IP address hosts are not allowed"},
		{"http://example.com/", true, "url must use https"},
		{"https://b%C3%BCcher.example.com/", false, "use punycode"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			err = checkURL(u, rules, tt.dev)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("dev=%v: err = %v, want %q", tt.dev, err, tt.wantErr)
			}
		})
	}
}

func TestDefaultAddrPolicy(t *testing.T) {
	tests := []struct {
		ip      string
		dev     bool
		wantErr string
	}{
		{"93.184.216.34", false, ""},
		{"2606:2800:220:1:248:1893:25c8:1946", false, ""},
		{"127.0.0.1", false, "loopback"},
		{"127.0.0.1", true, ""},
		{"127.255.0.9", false, "loopback"},
		{"::1", false, "loopback"},
		{"::1", true, ""},
		{"::ffff:127.0.0.1", false, "loopback"},
		{"::ffff:10.1.2.3", true, "private"},
		{"10.1.2.3", true, "private"},
		{"172.16.0.1", false, "private"},
		{"172.32.0.1", false, ""},
		{"192.168.1.1", false, "private"},
		{"fd00::1", false, "private"},
		{"169.254.169.254", true, "link-local"},
		{"fe80::1", false, "link-local"},
		{"0.0.0.0", true, "unspecified"},
		{"::", false, "unspecified"},
		{"0.1.2.3", false, "this network"},
		{"100.64.0.1", false, "carrier-grade NAT"},
		{"224.0.0.1", false, "multicast"},
		{"ff02::1", false, "multicast"},
		{"255.255.255.255", false, "broadcast"},
		{"240.0.0.1", false, "reserved"},
		{"198.18.0.1", false, "benchmarking"},
		{"64:ff9b::7f00:1", false, "loopback"},     // NAT64 of 127.0.0.1
		{"64:ff9b::a9fe:a9fe", true, "link-local"}, // NAT64 of 169.254.169.254
		{"2002:c0a8:0101::1", false, "private"},    // 6to4 of 192.168.1.1
		{"2002:5db8:d822::1", false, ""},           // 6to4 of 93.184.216.34
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			err := DefaultAddrPolicy(netip.MustParseAddr(tt.ip), tt.dev)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("dev=%v: err = %v, want %q", tt.dev, err, tt.wantErr)
			}
		})
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name    string
		args    string
		wantErr string
		check   func(t *testing.T, a requestArgs)
	}{
		{"defaults", `{"url":"https://x.example/"}`, "", func(t *testing.T, a requestArgs) {
			if a.method != "GET" || a.dataType != "json" || a.responseType != "text" || a.timeout != 0 || a.data != nil {
				t.Errorf("%+v", a)
			}
		}},
		{"unknown WeChat options ignored", `{"url":"https://x.example/","enableHttp2":true,"enableCache":false}`, "", nil},
		{"lower-case method", `{"url":"u","method":"post"}`, "", func(t *testing.T, a requestArgs) {
			if a.method != "POST" {
				t.Errorf("method %q", a.method)
			}
		}},
		{"timeout in ms", `{"url":"u","timeout":1500}`, "", func(t *testing.T, a requestArgs) {
			if a.timeout.Milliseconds() != 1500 {
				t.Errorf("timeout %v", a.timeout)
			}
		}},
		{"header values kept in order and stringified", `{"url":"u","header":{"X-B":"1","x-a":2,"content-type":"Application/JSON"}}`, "", func(t *testing.T, a requestArgs) {
			if len(a.header) != 3 || a.header[0] != [2]string{"X-B", "1"} || a.header[1] != [2]string{"x-a", "2"} || a.contentType != "application/json" {
				t.Errorf("%+v", a.header)
			}
		}},
		{"no args", ``, "url is required", nil},
		{"no url", `{}`, "url is required", nil},
		{"url not a string", `{"url":5}`, "url must be a string", nil},
		{"not an object", `[1]`, "options must be an object", nil},
		{"TRACE", `{"url":"u","method":"TRACE"}`, `method "TRACE" is not supported`, nil},
		{"CONNECT", `{"url":"u","method":"CONNECT"}`, `method "CONNECT" is not supported`, nil},
		{"bad responseType", `{"url":"u","responseType":"blob"}`, `responseType "blob"`, nil},
		{"bad timeout", `{"url":"u","timeout":"soon"}`, "timeout must be a number", nil},
		{"header Host", `{"url":"u","header":{"host":"evil"}}`, "header Host is not allowed: the host comes from url", nil},
		{"header Cookie", `{"url":"u","header":{"Cookie":"sid=1"}}`, "header Cookie is not allowed", nil},
		{"header Cookie2", `{"url":"u","header":{"cookie2":"x"}}`, "header Cookie2 is not allowed", nil},
		{"header Referer", `{"url":"u","header":{"Referer":"x"}}`, "header Referer is not allowed", nil},
		{"header Proxy-Authorization", `{"url":"u","header":{"Proxy-Authorization":"x"}}`, "header Proxy-Authorization is not allowed", nil},
		{"header Sec-Fetch-Site", `{"url":"u","header":{"sec-fetch-site":"x"}}`, "header Sec-Fetch-Site is not allowed", nil},
		{"header Connection", `{"url":"u","header":{"Connection":"upgrade"}}`, "header Connection is not allowed", nil},
		{"header Upgrade", `{"url":"u","header":{"Upgrade":"websocket"}}`, "header Upgrade is not allowed", nil},
		{"header Transfer-Encoding", `{"url":"u","header":{"Transfer-Encoding":"chunked"}}`, "header Transfer-Encoding is not allowed", nil},
		{"header name with space", `{"url":"u","header":{"X A":"1"}}`, `header name "X A" is not a valid`, nil},
		{"header value with newline", `{"url":"u","header":{"X-A":"1\r\nHost: evil"}}`, "header X-A contains a line break", nil},
		{"header value object", `{"url":"u","header":{"X-A":{}}}`, "header X-A must be a string", nil},
		{"header not object", `{"url":"u","header":"x"}`, "header must be an object", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseArgs(json.RawMessage(tt.args))
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			var r *refusal
			if err != nil && !errors.As(err, &r) {
				t.Errorf("error %v is not a refusal", err)
			}
			if tt.check != nil && err == nil {
				tt.check(t, a)
			}
		})
	}
}

func TestEncodeQuery(t *testing.T) {
	fields, err := orderedObject(json.RawMessage(`{"b":"x y&z=1","a":1.5,"ok":true,"n":null,"o":{"k":[1, 2]},"é":"ü"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "b=x%20y%26z%3D1&a=1.5&ok=true&n=null&o=%7B%22k%22%3A%5B1%2C2%5D%7D&%C3%A9=%C3%BC"
	if got := encodeQuery(fields); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// FuzzParseArgs: no input panics the options parser, and every failure is a refusal
// (a reason fit for "request:fail ").
func FuzzParseArgs(f *testing.F) {
	f.Add(`{"url":"https://x.example/","method":"POST","header":{"a":"b"},"data":{"k":1},"timeout":5}`)
	f.Add(`{"url":"u","header":{"Cookie":"x"}}`)
	f.Add(`{"url":"u","data":"s","responseType":"arraybuffer","dataType":"text"}`)
	f.Fuzz(func(t *testing.T, s string) {
		_, err := parseArgs(json.RawMessage(s))
		var r *refusal
		if err != nil && !errors.As(err, &r) {
			t.Errorf("error %v is not a refusal", err)
		}
	})
}
