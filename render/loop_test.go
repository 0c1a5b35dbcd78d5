package render

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
)

// A second window opened while the loop runs works on its own, its close button goes to
// OnClose instead of closing it, it hides and shows, and Close destroys it without
// ending the loop the other windows share.
func TestOpenWindowSharesTheLoop(t *testing.T) {
	needWindow(t)
	got := make(chan string, 10)
	closeAsked := make(chan struct{}, 1)
	w, err := OpenWindow(WindowOptions{
		Title: "second", Width: 300, Height: 200, HTML: echoHTML, Script: echoScript,
		OnMessage: func(raw string) { got <- raw },
		OnClose:   func() { closeAsked <- struct{}{} },
	})
	if err != nil {
		t.Fatal(err)
	}
	waitMsg := func(want string) {
		t.Helper()
		select {
		case raw := <-got:
			if want != "" && raw != want {
				t.Fatalf("second window posted %q, want %q", raw, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the second window's page did not answer")
		}
	}
	waitMsg("loaded")
	env, _ := bridge.NewEnvelope("echo", map[string]string{"text": "to the second"})
	if err := w.Send(env); err != nil {
		t.Fatal(err)
	}
	var back bridge.Envelope
	select {
	case raw := <-got:
		if err := json.Unmarshal([]byte(raw), &back); err != nil || string(back.Payload) != `{"text":"to the second"}` {
			t.Fatalf("echo = %s (%v)", raw, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no echo from the second window")
	}

	// The close button (a delete-event, as the window manager sends it) asks OnClose
	// and the window stays.
	if err := w.onUI(func() { closeButton(w) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closeAsked:
	case <-time.After(10 * time.Second):
		t.Fatal("OnClose was not called")
	}
	if err := w.Hide(); err != nil {
		t.Fatal(err)
	}
	if err := w.Show(); err != nil {
		t.Fatal(err)
	}
	if err := w.Send(env); err != nil {
		t.Fatalf("send after hide and show: %v", err)
	}
	waitMsg("")

	w.Close()
	if err := w.Send(env); err != ErrClosed {
		t.Fatalf("send after close = %v, want ErrClosed", err)
	}
	// The shared loop still runs: the first window still answers.
	if err := testWin.Eval("window.__sf_post('still here')"); err != nil {
		t.Fatalf("the first window stopped with the second: %v", err)
	}
	deadline := time.After(20 * time.Second)
	for {
		select {
		case raw := <-received:
			if raw == "still here" {
				return
			}
		case <-deadline:
			t.Fatal("the first window no longer answers after the second closed")
		}
	}
}

// BenchmarkOpenWindow: a further window opened in the running loop until its page has
// loaded and spoken, then closed: what launching an app from the launcher costs the UI.
func BenchmarkOpenWindow(b *testing.B) {
	needWindow(b)
	for b.Loop() {
		openLoaded(b).Close()
	}
}

// BenchmarkWindowMemory: what one more open window costs in memory, this process and
// the WebKit processes it starts together (the cost of one more app running from the
// launcher, before the app's own page content). Proportional set size, so libraries
// shared between the processes count once. WebKit keeps the web process of a closed
// window for the next one: run it with -benchtime 1x to see fresh windows.
func BenchmarkWindowMemory(b *testing.B) {
	needWindow(b)
	const windows = 3
	var total float64
	for range b.N {
		before := treeRSS(b, os.Getpid())
		var open []*Window
		for range windows {
			open = append(open, openLoaded(b))
		}
		total += float64(treeRSS(b, os.Getpid())-before) / windows

		for _, w := range open {
			w.Close()
		}
	}
	b.ReportMetric(total/float64(b.N)/(1<<20), "PSS-MiB/window")
}

// treeRSS sums the proportional set size of pid and every process below it (Linux
// /proc).
func treeRSS(tb testing.TB, pid int) int64 {
	tb.Helper()
	children := map[int][]int{}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		tb.Skip("no /proc")
	}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		raw, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so read after its ')'.
		fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
		if len(fields) > 1 {
			if ppid, err := strconv.Atoi(fields[1]); err == nil {
				children[ppid] = append(children[ppid], p)
			}
		}
	}
	var sum int64
	var walk func(int)
	walk = func(p int) {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/smaps_rollup")
		if err == nil {
			for _, line := range strings.Split(string(raw), "\n") {
				if v, ok := strings.CutPrefix(line, "Pss:"); ok {
					kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
					sum += kb << 10
				}
			}
		}
		for _, c := range children[p] {
			walk(c)
		}
	}
	walk(pid)
	return sum
}

// openLoaded opens a further window in the running loop and waits until its page has
// loaded and spoken.
func openLoaded(tb testing.TB) *Window {
	tb.Helper()
	return openSpoken(tb, WindowOptions{Title: "further", Width: 300, Height: 200, HTML: echoHTML, Script: echoScript})
}

// openSpoken opens a window with o in the running loop and waits for its page's first
// post (o.OnMessage, if any, hears every post too).
func openSpoken(tb testing.TB, o WindowOptions) *Window {
	tb.Helper()
	spoke := make(chan struct{}, 1)
	then := o.OnMessage
	o.OnMessage = func(raw string) {
		select {
		case spoke <- struct{}{}:
		default:
		}
		if then != nil {
			then(raw)
		}
	}
	w, err := OpenWindow(o)
	if err != nil {
		tb.Fatal(err)
	}
	select {
	case <-spoke:
	case <-time.After(20 * time.Second):
		tb.Fatal("the window's page never spoke")
	}
	return w
}
