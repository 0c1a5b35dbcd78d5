package netapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Transfers: wx.downloadFile and wx.uploadFile, under the same rules as Request (https
// to declared domains, the address policy, redirects re-checked, the app's cookie jar,
// forbidden headers, the timeout). The files service (files/) owns where the bytes come
// from and go to; this side only moves them.

// Progress reports bytes moved so far and the total expected (-1: unknown).
type Progress func(done, total int64)

// Transfer is one downloadFile or uploadFile call.
type Transfer struct {
	URL     string
	Header  json.RawMessage // the app's header object, checked as Request's
	Timeout float64         // ms; 0: the client's
	Max     int64           // download: body cap (0: MaxResponseBytes)
	// Upload only: the multipart field name of the file, its file name, and formData.
	Name     string
	FileName string
	FormData json.RawMessage
}

// TransferResult is the answer's status and headers (and, for an upload, its body).
type TransferResult struct {
	StatusCode int
	Header     map[string]any
	Body       string // upload only
	Bytes      int64  // download: the bytes written
}

// prepare checks url and header as Request does and builds the http client.
func (c *Client) prepare(ctx context.Context, app App, t Transfer) (*url.URL, [][2]string, *http.Client, context.Context, context.CancelFunc, error) {
	fail := func(err error) (*url.URL, [][2]string, *http.Client, context.Context, context.CancelFunc, error) {
		return nil, nil, nil, nil, nil, err
	}
	if app.ID == "" {
		return fail(errors.New("no app id"))
	}
	rules, err := parseDomains(app.Domains)
	if err != nil {
		return fail(fmt.Errorf("app.json %w", err))
	}
	u, err := url.Parse(t.URL)
	if err != nil || !u.IsAbs() {
		return fail(refusef("invalid url %q", t.URL))
	}
	u.Fragment, u.RawFragment = "", ""
	if err := checkURL(u, rules, c.cfg.DevMode); err != nil {
		return fail(err)
	}
	header, err := parseHeader(t.Header)
	if err != nil {
		return fail(err)
	}
	timeout := c.cfg.Timeout
	if ms := t.Timeout; ms > 0 && float64(timeout.Milliseconds()) > ms {
		timeout = timeoutOf(ms)
	}
	tctx, cancel := context.WithTimeoutCause(ctx, timeout, errTimeout)
	return u, header, c.appClient(app.ID, rules), tctx, cancel, nil
}

// Download fetches t.URL into w, reporting progress; any HTTP status is a success (the
// body is written whatever it is), as in WeChat.
func (c *Client) download(ctx context.Context, app App, t Transfer, w io.Writer, progress Progress) (TransferResult, error) {
	u, header, client, tctx, cancel, err := c.prepare(ctx, app, t)
	if err != nil {
		return TransferResult{}, err
	}
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, "GET", u.String(), nil)
	if err != nil {
		return TransferResult{}, refusef("invalid request: %v", err)
	}
	for _, h := range header {
		req.Header.Add(h[0], h[1])
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Sandframe")
	}
	resp, err := client.Do(req)
	if err != nil {
		return TransferResult{}, c.reason(ctx, tctx, err)
	}
	defer resp.Body.Close()
	limit := t.Max
	if limit <= 0 {
		limit = c.cfg.MaxResponseBytes
	}
	if resp.ContentLength > limit {
		return TransferResult{}, refusef("exceed max file size")
	}
	total := resp.ContentLength
	var done int64
	buf := make([]byte, 32<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if done+int64(n) > limit {
				return TransferResult{}, refusef("exceed max file size")
			}
			if _, werr := w.Write(buf[:n]); werr != nil {
				return TransferResult{}, fmt.Errorf("write file: %v", werr)
			}
			done += int64(n)
			if progress != nil {
				progress(done, total)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return TransferResult{}, c.reason(ctx, tctx, rerr)
		}
	}
	return TransferResult{StatusCode: resp.StatusCode, Header: headerMap(resp), Bytes: done}, nil
}

// Upload posts file (size bytes) as a multipart/form-data body: formData's fields
// first, then the file under t.Name; the answer's body is returned as text.
func (c *Client) upload(ctx context.Context, app App, t Transfer, file io.Reader, size int64, progress Progress) (TransferResult, error) {
	if t.Name == "" {
		return TransferResult{}, refusef("name is required")
	}
	u, header, client, tctx, cancel, err := c.prepare(ctx, app, t)
	if err != nil {
		return TransferResult{}, err
	}
	defer cancel()
	var fields []field
	if d := strings.TrimSpace(string(t.FormData)); d != "" && d != "null" {
		if fields, err = orderedObject(t.FormData); err != nil {
			return TransferResult{}, refusef("formData must be an object")
		}
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	// The body's length is known ahead: the multipart frame around the file is
	// rendered once to count it, so the server gets a Content-Length.
	frame, err := multipartFrame(mw.Boundary(), fields, t.Name, t.FileName)
	if err != nil {
		return TransferResult{}, err
	}
	go func() {
		var err error
		defer func() { pw.CloseWithError(err) }()
		for _, f := range fields {
			v, ok := scalarString(f.value)
			if !ok {
				v = string(compactJSON(f.value))
			}
			if err = mw.WriteField(f.key, v); err != nil {
				return
			}
		}
		var part io.Writer
		if part, err = mw.CreateFormFile(t.Name, t.FileName); err != nil {
			return
		}
		var done int64
		buf := make([]byte, 32<<10)
		for {
			n, rerr := file.Read(buf)
			if n > 0 {
				if _, err = part.Write(buf[:n]); err != nil {
					return
				}
				done += int64(n)
				if progress != nil {
					progress(done, size)
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				err = rerr
				return
			}
		}
		err = mw.Close()
	}()
	req, err := http.NewRequestWithContext(tctx, "POST", u.String(), pr)
	if err != nil {
		pr.Close()
		return TransferResult{}, refusef("invalid request: %v", err)
	}
	req.ContentLength = frame + size
	for _, h := range header {
		if !strings.EqualFold(h[0], "content-type") {
			req.Header.Add(h[0], h[1])
		}
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Sandframe")
	}
	resp, err := client.Do(req)
	pr.Close()
	if err != nil {
		return TransferResult{}, c.reason(ctx, tctx, err)
	}
	defer resp.Body.Close()
	body, err := c.readBody(resp)
	if err != nil {
		return TransferResult{}, c.reason(ctx, tctx, err)
	}
	return TransferResult{StatusCode: resp.StatusCode, Header: headerMap(resp), Body: string(body), Bytes: size}, nil
}

// multipartFrame is the byte count of the multipart body without the file's bytes.
func multipartFrame(boundary string, fields []field, name, fileName string) (int64, error) {
	var cw countWriter
	mw := multipart.NewWriter(&cw)
	if err := mw.SetBoundary(boundary); err != nil {
		return 0, err
	}
	for _, f := range fields {
		v, ok := scalarString(f.value)
		if !ok {
			v = string(compactJSON(f.value))
		}
		if err := mw.WriteField(f.key, v); err != nil {
			return 0, err
		}
	}
	if _, err := mw.CreateFormFile(name, fileName); err != nil {
		return 0, err
	}
	if err := mw.Close(); err != nil {
		return 0, err
	}
	return cw.n, nil
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func headerMap(resp *http.Response) map[string]any {
	header := make(map[string]any, len(resp.Header))
	for k, vs := range resp.Header {
		header[k] = strings.Join(vs, ", ")
	}
	return header
}

func timeoutOf(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
