package netapi

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestTransferRules: downloads and uploads follow wx.request's rules (declared https
// domains, redirects re-checked, forbidden headers, the size cap) and carry the app's
// cookies.
func TestTransferRules(t *testing.T) {
	f := newTLSFixture(t)
	c := f.client(t, Config{})
	app := f.app("a", "api.example.test")
	var out bytes.Buffer
	var last, total int64
	res, err := c.Download(context.Background(), app, Transfer{URL: f.url("api.example.test", "/big?n=1000")}, &out,
		func(done, tot int64) { last, total = done, tot })
	if err != nil || res.StatusCode != 200 || out.Len() != 1000 || last != 1000 || total != 1000 || res.Bytes != 1000 {
		t.Fatalf("download: %v %+v len %d progress %d/%d", err, res, out.Len(), last, total)
	}
	for _, tc := range []struct {
		t    Transfer
		want string
	}{
		{Transfer{URL: f.url("evil.example.test", "/big?n=1")}, "url not in domain list: evil.example.test"},
		{Transfer{URL: "http://api.example.test:" + f.port + "/big?n=1"}, "url must use https"},
		{Transfer{URL: f.url("api.example.test", "/redirect?to="+f.url("evil.example.test", "/big"))}, "refused: url not in domain list"},
		{Transfer{URL: f.url("api.example.test", "/big?n=1"), Header: []byte(`{"Cookie":"x=1"}`)}, "header Cookie is not allowed"},
		{Transfer{URL: f.url("api.example.test", "/big?n=5000"), Max: 100}, "exceed max file size"},
		{Transfer{URL: f.url("api.example.test", "/big?n=5000&chunked=1"), Max: 100}, "exceed max file size"},
	} {
		out.Reset()
		_, err := c.Download(context.Background(), app, tc.t, &out, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("download %s: %v, want %q", tc.t.URL, err, tc.want)
		}
	}

	// The app's jar: a cookie set by a request goes with its upload.
	if _, err := c.Request(context.Background(), app, args(t, map[string]any{"url": f.url("api.example.test", "/set?v=s1")})); err != nil {
		t.Fatal(err)
	}
	up, err := c.Upload(context.Background(), app, Transfer{URL: f.url("api.example.test", "/echo"), Name: "file", FileName: "a.txt",
		FormData: []byte(`{"n":1,"who":"me"}`), Header: []byte(`{"X-Test":"yes"}`)}, strings.NewReader("FILEBYTES"), 9, nil)
	if err != nil || up.StatusCode != 200 {
		t.Fatal(up, err)
	}
	for _, want := range []string{`name=\"n\"\r\n\r\n1\r\n`, `name=\"who\"\r\n\r\nme\r\n`, `filename=\"a.txt\"`, "FILEBYTES",
		`"Cookie":"sid=s1`, `"X-Test":"yes"`, `"ContentType":"multipart/form-data; boundary=`} {
		if !strings.Contains(up.Body, want) {
			t.Errorf("the server saw no %q in %s", want, up.Body)
		}
	}
	if _, err := c.Upload(context.Background(), app, Transfer{URL: f.url("evil.example.test", "/echo"), Name: "f"},
		strings.NewReader("x"), 1, nil); err == nil || !strings.Contains(err.Error(), "url not in domain list") {
		t.Errorf("upload to an undeclared domain: %v", err)
	}
}
