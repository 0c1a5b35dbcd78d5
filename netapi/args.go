package netapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// requestArgs is a parsed wx.request option object. Fields of RequestOption this package
// does not use (enableHttp2, enableCache, ...) are ignored, as WeChat ignores unknown ones.
type requestArgs struct {
	url          string
	method       string
	header       [][2]string // in the order given
	contentType  string      // the header's content-type, lower case, "" if none
	data         json.RawMessage
	dataType     string // "json" parses the body when it is JSON
	responseType string // "text" or "arraybuffer"
	timeout      time.Duration
}

// methods are the ones wx.request accepts: WeChat's list without TRACE and CONNECT
// (which only help an attacker), plus PATCH.
var methods = map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true, "OPTIONS": true, "PATCH": true}

// forbiddenHeaders are the request headers a mini-app may not set, lower case, with why.
// They follow the browsers' forbidden request headers: the shell owns the connection,
// the host and the cookies.
var forbiddenHeaders = map[string]string{
	"host": "the host comes from url", "cookie": "the shell keeps each app's cookies",
	"cookie2": "the shell keeps each app's cookies", "set-cookie": "it is a response header",
	"referer": "the shell does not send one", "origin": "the shell does not send one",
	"connection": "the shell owns the connection", "keep-alive": "the shell owns the connection",
	"upgrade": "the shell owns the connection", "http2-settings": "the shell owns the connection",
	"te": "the shell owns the connection", "trailer": "the shell owns the connection",
	"transfer-encoding": "the shell owns the connection", "content-length": "the shell computes it",
	"expect": "the shell owns the connection", "accept-encoding": "the shell decompresses responses itself",
	"accept-charset": "it is set by the shell", "date": "it is set by the shell", "dnt": "it is set by the shell",
	"via": "it is set by proxies", "access-control-request-headers": "it belongs to CORS preflights",
	"access-control-request-method": "it belongs to CORS preflights",
}

// headerRefusal returns why name may not be set, or "".
func headerRefusal(name string) string {
	l := strings.ToLower(name)
	if why, ok := forbiddenHeaders[l]; ok {
		return why
	}
	if strings.HasPrefix(l, "proxy-") {
		return "the shell talks to no proxy on an app's behalf"
	}
	if strings.HasPrefix(l, "sec-") {
		return "Sec- headers are the shell's"
	}
	return ""
}

func parseArgs(raw json.RawMessage) (requestArgs, error) {
	var in struct {
		URL          json.RawMessage `json:"url"`
		Method       json.RawMessage `json:"method"`
		Header       json.RawMessage `json:"header"`
		Data         json.RawMessage `json:"data"`
		DataType     json.RawMessage `json:"dataType"`
		ResponseType json.RawMessage `json:"responseType"`
		Timeout      json.RawMessage `json:"timeout"`
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return requestArgs{}, refusef("url is required")
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		return requestArgs{}, refusef("options must be an object: %v", err)
	}
	a := requestArgs{method: "GET", dataType: "json", responseType: "text"}
	var err error
	if a.url, err = optString(in.URL, "url"); err != nil {
		return a, err
	}
	if a.url == "" {
		return a, refusef("url is required")
	}
	if m, err := optString(in.Method, "method"); err != nil {
		return a, err
	} else if m != "" {
		a.method = strings.ToUpper(m)
		if !methods[a.method] {
			return a, refusef("method %q is not supported (use GET, HEAD, POST, PUT, DELETE, OPTIONS or PATCH)", m)
		}
	}
	if dt, err := optString(in.DataType, "dataType"); err != nil {
		return a, err
	} else if dt != "" {
		a.dataType = dt
	}
	if rt, err := optString(in.ResponseType, "responseType"); err != nil {
		return a, err
	} else if rt != "" {
		if rt != "text" && rt != "arraybuffer" {
			return a, refusef("responseType %q is not text or arraybuffer", rt)
		}
		a.responseType = rt
	}
	if t := bytes.TrimSpace(in.Timeout); len(t) > 0 && string(t) != "null" {
		var ms float64
		if err := json.Unmarshal(t, &ms); err != nil || math.IsNaN(ms) {
			return a, refusef("timeout must be a number of milliseconds")
		}
		if ms > 0 {
			a.timeout = time.Duration(math.Min(ms, float64(math.MaxInt64/int64(time.Millisecond)))) * time.Millisecond
		}
	}
	if a.header, err = parseHeader(in.Header); err != nil {
		return a, err
	}
	for _, h := range a.header {
		if strings.EqualFold(h[0], "content-type") {
			a.contentType = strings.ToLower(h[1])
		}
	}
	if d := bytes.TrimSpace(in.Data); len(d) > 0 && string(d) != "null" {
		a.data = d
	}
	return a, nil
}

// optString decodes an optional string field, naming it when it is not a string.
func optString(raw json.RawMessage, field string) (string, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", refusef("%s must be a string", field)
	}
	return s, nil
}

// parseHeader decodes the header object in order. Values may be strings, numbers or
// booleans (JS code often passes numbers); forbidden and malformed names are refused.
func parseHeader(raw json.RawMessage) ([][2]string, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil, nil
	}
	fields, err := orderedObject(raw)
	if err != nil {
		return nil, refusef("header must be an object")
	}
	out := make([][2]string, 0, len(fields))
	for _, f := range fields {
		name := f.key
		if !validHeaderName(name) {
			return nil, refusef("header name %q is not a valid HTTP header name", name)
		}
		if why := headerRefusal(name); why != "" {
			return nil, refusef("header %s is not allowed: %s", http.CanonicalHeaderKey(name), why)
		}
		v, ok := scalarString(f.value)
		if !ok {
			return nil, refusef("header %s must be a string", name)
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return nil, refusef("header %s contains a line break or NUL", name)
		}
		out = append(out, [2]string{name, v})
	}
	return out, nil
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

type field struct {
	key   string
	value json.RawMessage
}

// orderedObject decodes a JSON object's members in their order (JS objects keep
// insertion order, and query strings built from them should too).
func orderedObject(raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("not an object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{key, v})
	}
	return out, nil
}

// scalarString renders a JSON string, number, boolean or null as JS's String() would;
// ok is false for objects and arrays.
func scalarString(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false
	}
	switch v[0] {
	case '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		return "", false
	}
	return string(v), true // number, true, false, null as written
}

// encodeQuery renders an object as k=v&k=v with encodeURIComponent, as WeChat does for
// GET data; nested objects and arrays are sent as JSON text.
func encodeQuery(fields []field) string {
	var b strings.Builder
	for i, f := range fields {
		if i > 0 {
			b.WriteByte('&')
		}
		v, ok := scalarString(f.value)
		if !ok {
			v = string(compactJSON(f.value))
		}
		b.WriteString(encodeURIComponent(f.key))
		b.WriteByte('=')
		b.WriteString(encodeURIComponent(v))
	}
	return b.String()
}

func compactJSON(v json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, v) != nil {
		return v
	}
	return buf.Bytes()
}

// encodeURIComponent escapes every byte but A-Z a-z 0-9 - _ . ! ~ * ' ( ).
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
