package automation

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// Client drives a running shell over its automation socket. Safe for concurrent use.
type Client struct {
	mu   sync.Mutex
	conn net.Conn
	rd   *bufio.Reader
	next uint64
}

// Dial connects to the socket at path.
func Dial(path string) (*Client, error) {
	c, err := net.Dial("unix", path)
	if err != nil {
		return nil, fmt.Errorf("automation: dial %s: %w", path, err)
	}
	return &Client{conn: c, rd: bufio.NewReaderSize(c, 64<<10)}, nil
}

// DialWait dials until the socket answers or ctx ends (the shell is still starting).
func DialWait(ctx context.Context, path string) (*Client, error) {
	for {
		c, err := Dial(path)
		if err == nil {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (%v)", err, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Call sends one request and decodes its result into out (which may be nil).
func (c *Client) Call(ctx context.Context, method string, params, out any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	req := Request{ID: c.next, Method: method}
	if params != nil {
		raw, err := json.Marshal(params)
		if err != nil {
			return err
		}
		req.Params = raw
	}
	line, err := json.Marshal(req)
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		c.conn.SetDeadline(dl)
		defer c.conn.SetDeadline(time.Time{})
	}
	if _, err := c.conn.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("automation: %s: %w", method, err)
	}
	respLine, err := c.rd.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("automation: %s: %w", method, err)
	}
	var resp Response
	if err := json.Unmarshal(respLine, &resp); err != nil {
		return fmt.Errorf("automation: %s: bad response: %w", method, err)
	}
	if resp.ID != req.ID {
		return fmt.Errorf("automation: %s: response %d for request %d", method, resp.ID, req.ID)
	}
	if resp.Error != "" {
		return fmt.Errorf("automation: %s: %s", method, resp.Error)
	}
	if out != nil {
		return json.Unmarshal(resp.Result, out)
	}
	return nil
}

// CurrentPage is the page in front.
func (c *Client) CurrentPage(ctx context.Context) (Page, error) {
	var p Page
	err := c.Call(ctx, "page.current", nil, &p)
	return p, err
}

// Stack is the page stack, bottom first.
func (c *Client) Stack(ctx context.Context) ([]Page, error) {
	var p []Page
	err := c.Call(ctx, "page.stack", nil, &p)
	return p, err
}

// PageData decodes the logic-side data of page ("" = in front) into out.
func (c *Client) PageData(ctx context.Context, page string, out any) error {
	return c.Call(ctx, "page.data", map[string]string{"page": page}, out)
}

// Query returns every element matching selector in the page in front.
func (c *Client) Query(ctx context.Context, selector string) ([]Element, error) {
	var els []Element
	err := c.Call(ctx, "element.query", map[string]string{"selector": selector}, &els)
	return els, err
}

// Style returns the computed values of props on the first element matching selector, or
// on its pseudo-element ("::before", "::after"; "" for the element itself).
func (c *Client) Style(ctx context.Context, selector, pseudo string, props ...string) (map[string]string, error) {
	value := strings.Join(props, " ")
	if pseudo != "" {
		value = pseudo + " " + value
	}
	var out map[string]string
	err := c.Call(ctx, "element.style", map[string]string{"selector": selector, "value": value}, &out)
	return out, err
}

// FontStatus says whether the page could load a font family, and the status of each of
// its faces (document.fonts: "loaded", "error", ...).
type FontStatus struct {
	Loaded bool     `json:"loaded"`
	Faces  []string `json:"faces"`
}

// Font loads family in the page in front, as text set in it would, and reports it.
func (c *Client) Font(ctx context.Context, family string) (FontStatus, error) {
	var st FontStatus
	err := c.Call(ctx, "document.font", map[string]string{"family": family}, &st)
	return st, err
}

// Text is the text of the first element matching selector.
func (c *Client) Text(ctx context.Context, selector string) (string, error) {
	els, err := c.Query(ctx, selector)
	if err != nil {
		return "", err
	}
	if len(els) == 0 {
		return "", fmt.Errorf("automation: no element matches %s", selector)
	}
	return els[0].Text, nil
}

// Tap taps the first element matching selector.
func (c *Client) Tap(ctx context.Context, selector string) error {
	return c.Call(ctx, "element.tap", map[string]string{"selector": selector}, nil)
}

// LongPress long-presses the first element matching selector.
func (c *Client) LongPress(ctx context.Context, selector string) error {
	return c.Call(ctx, "element.longpress", map[string]string{"selector": selector}, nil)
}

// Input types value into the first input matching selector.
func (c *Client) Input(ctx context.Context, selector, value string) error {
	return c.Call(ctx, "element.input", map[string]string{"selector": selector, "value": value}, nil)
}

// Press presses key (a KeyboardEvent key name: "Enter", "Escape", "a") with the first
// element matching selector focused.
func (c *Client) Press(ctx context.Context, selector, key string) error {
	return c.Call(ctx, "element.press", map[string]string{"selector": selector, "value": key}, nil)
}

// Drag presses the first element matching selector at its centre, moves the pointer
// by dx, dy px in a few steps and lets go, as a finger or a mouse would.
func (c *Client) Drag(ctx context.Context, selector string, dx, dy int) error {
	return c.Call(ctx, "element.drag", map[string]string{"selector": selector, "value": fmt.Sprintf("%d %d", dx, dy)}, nil)
}

// Submit submits the form matching (or containing) selector.
func (c *Client) Submit(ctx context.Context, selector string) error {
	return c.Call(ctx, "element.submit", map[string]string{"selector": selector}, nil)
}

// Navigate runs a navigation as the page's chrome would (method navigateTo, redirectTo,
// navigateBack, switchTab or reLaunch).
func (c *Client) Navigate(ctx context.Context, method, url string, delta int) (Page, error) {
	var p Page
	err := c.Call(ctx, "app.navigate", map[string]any{"method": method, "url": url, "delta": delta}, &p)
	return p, err
}

// Screenshot saves the window as a PNG at path (absolute).
func (c *Client) Screenshot(ctx context.Context, path string) error {
	return c.Call(ctx, "window.screenshot", map[string]string{"path": path}, nil)
}

// Geometry is the window's place on screen.
func (c *Client) Geometry(ctx context.Context) (Geometry, error) {
	var g Geometry
	err := c.Call(ctx, "window.geometry", nil, &g)
	return g, err
}

// Violations counts the page messages the bridge refused.
func (c *Client) Violations(ctx context.Context) (int, error) {
	var v struct {
		Count int `json:"count"`
	}
	err := c.Call(ctx, "app.violations", nil, &v)
	return v.Count, err
}

// ErrTimeout is returned by WaitFor when the condition never held.
var ErrTimeout = errors.New("automation: condition not met in time")

// WaitFor polls cond until it reports true, returns an error, or ctx ends. The UI
// updates asynchronously, so tests wait for what they expect instead of sleeping.
func WaitFor(ctx context.Context, cond func() (bool, error)) error {
	var last error
	for {
		ok, err := cond()
		if ok && err == nil {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%w: last error: %v", ErrTimeout, last)
			}
			return ErrTimeout
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// WaitText waits until the first element matching selector has exactly text.
func (c *Client) WaitText(ctx context.Context, selector, text string) error {
	var got string
	err := WaitFor(ctx, func() (bool, error) {
		var err error
		got, err = c.Text(ctx, selector)
		return got == text, err
	})
	if err != nil {
		return fmt.Errorf("%s: text %q, want %q: %w", selector, got, text, err)
	}
	return nil
}

// WaitElement waits until selector matches at least one element in the page in front:
// an app's first page renders after the automation socket answers, so a test waits
// for what it will touch instead of assuming it is there.
func (c *Client) WaitElement(ctx context.Context, selector string) error {
	err := WaitFor(ctx, func() (bool, error) {
		els, err := c.Query(ctx, selector)
		return len(els) > 0, err
	})
	if err != nil {
		return fmt.Errorf("wait for %s: %w", selector, err)
	}
	return nil
}

// WaitRoute waits until the page in front has route.
func (c *Client) WaitRoute(ctx context.Context, route string) error {
	var got Page
	err := WaitFor(ctx, func() (bool, error) {
		var err error
		got, err = c.CurrentPage(ctx)
		return got.Route == route, err
	})
	if err != nil {
		return fmt.Errorf("route %q, want %q: %w", got.Route, route, err)
	}
	return nil
}

// Paint is when the page in front was first painted: the first animation frame after
// the first render that showed a page, in Unix milliseconds (docs/performance.md).
type Paint struct {
	Loaded   float64 `json:"loaded"`   // the document's time origin
	Rendered float64 `json:"rendered"` // the first render showing a page was applied
	Painted  float64 `json:"painted"`  // the animation frame after it
	Warmed   bool    `json:"warmed"`   // the page was the launcher's pre-warmed one, warmed up (host/warm.go)
}

// FirstPaint reports the page's first paint, or nil while it has not painted.
func (c *Client) FirstPaint(ctx context.Context) (*Paint, error) {
	var p *Paint
	err := c.Call(ctx, "document.paint", nil, &p)
	return p, err
}
