package automation

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// maxLine bounds one request line.
const maxLine = 1 << 20

// Server serves the automation protocol for one Target.
type Server struct {
	ln     net.Listener
	target Target
	log    *slog.Logger
	wg     sync.WaitGroup

	mu    sync.Mutex
	conns map[net.Conn]bool
	done  bool
}

// Listen opens the socket at path, readable and writable by its owner only. A stale
// socket left by a dead shell is replaced; any other file there is an error.
func Listen(path string, t Target, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("automation socket %s: %w", path, err)
	}
	if st, err := os.Lstat(path); err == nil {
		if st.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("automation socket %s: a file that is not a socket is in the way", path)
		}
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return nil, fmt.Errorf("automation socket %s: another shell is listening on it", path)
		}
		os.Remove(path)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("automation socket %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("automation socket %s: %w", path, err)
	}
	s := &Server{ln: ln, target: t, log: log, conns: map[net.Conn]bool{}}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Close stops serving and waits for the connections to end.
func (s *Server) Close() error {
	s.mu.Lock()
	s.done = true
	for c, busy := range s.conns {
		if busy {
			// A call in flight (often the very one that ends the session: a prompt
			// answered, a window closed) still gets its answer; the connection then
			// reads nothing more and closes.
			c.SetReadDeadline(time.Now())
			continue
		}
		c.Close()
	}
	s.mu.Unlock()
	err := s.ln.Close()
	s.wg.Wait()
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.done {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go s.serve(c)
	}
}

func (s *Server) serve(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.Close()
	}()
	sc := bufio.NewScanner(c)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	enc := json.NewEncoder(c)
	for sc.Scan() {
		var req Request
		resp := Response{}
		if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
			resp.Error = "bad request: " + err.Error()
		} else {
			resp.ID = req.ID
			s.setBusy(c, true)
			result, err := s.handle(req)
			if err != nil {
				resp.Error = err.Error()
			} else if resp.Result, err = json.Marshal(result); err != nil {
				resp.Error = err.Error()
			}
		}
		err := enc.Encode(resp)
		if !s.setBusy(c, false) || err != nil {
			return
		}
	}
}

// setBusy marks c as serving a call (or done with one); false once the server closes.
func (s *Server) setBusy(c net.Conn, busy bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[c]; ok {
		s.conns[c] = busy
	}
	return !s.done
}

type selectorParams struct {
	Selector string `json:"selector"`
	Value    string `json:"value"`
}

func (s *Server) handle(req Request) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	decode := func(v any) error {
		if len(req.Params) == 0 {
			return nil
		}
		if err := json.Unmarshal(req.Params, v); err != nil {
			return fmt.Errorf("%s: bad params: %w", req.Method, err)
		}
		return nil
	}
	switch req.Method {
	case "page.current":
		return s.target.CurrentPage()
	case "page.stack":
		return s.target.Stack(), nil
	case "page.data":
		var p struct {
			Page string `json:"page"`
		}
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.target.PageData(ctx, p.Page)
	case "document.font":
		var p struct {
			Family string `json:"family"`
		}
		if err := decode(&p); err != nil {
			return nil, err
		}
		if p.Family == "" {
			return nil, errors.New("document.font: family is empty")
		}
		return s.target.Probe(ctx, "font", "", p.Family)
	case "document.paint":
		// When the page was first painted (docs/performance.md): null until then.
		return s.target.Probe(ctx, "paint", "", "")
	case "element.query", "element.style", "element.tap", "element.longpress", "element.input", "element.press", "element.submit", "element.drag":
		var p selectorParams
		if err := decode(&p); err != nil {
			return nil, err
		}
		if p.Selector == "" {
			return nil, fmt.Errorf("%s: selector is empty", req.Method)
		}
		op := req.Method[len("element."):]
		raw, err := s.target.Probe(ctx, op, p.Selector, p.Value)
		if err != nil {
			return nil, err
		}
		if op == "query" || op == "style" {
			return raw, nil
		}
		return struct{}{}, nil
	case "app.navigate":
		var p struct {
			Method string `json:"method"`
			URL    string `json:"url"`
			Delta  int    `json:"delta"`
		}
		if err := decode(&p); err != nil {
			return nil, err
		}
		return s.target.Navigate(ctx, p.Method, p.URL, p.Delta)
	case "window.screenshot":
		var p struct {
			Path string `json:"path"`
		}
		if err := decode(&p); err != nil {
			return nil, err
		}
		if !filepath.IsAbs(p.Path) {
			return nil, errors.New("window.screenshot: path must be absolute")
		}
		return struct{}{}, s.target.Screenshot(p.Path)
	case "window.geometry":
		return s.target.Geometry()
	case "app.violations":
		return map[string]int{"count": s.target.Violations()}, nil
	}
	if m, ok := extraMethods[req.Method]; ok {
		return m(ctx, s.target, req.Params)
	}
	return nil, fmt.Errorf("unknown method %q", req.Method)
}
