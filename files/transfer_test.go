package files

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/netapi"
)

// netHost is fakeHost with the network: dev mode, where loopback over http is allowed.
type netHost struct {
	*fakeHost
	cl      *netapi.Client
	domains []string
}

func (n netHost) Network() (*netapi.Client, netapi.App) {
	return n.cl, netapi.App{ID: appKey, Domains: n.domains}
}

func newNetHost(t *testing.T) netHost {
	s := newStore(t, Config{})
	cl := netapi.New(netapi.Config{DevMode: true})
	t.Cleanup(cl.Close)
	return netHost{fakeHost: &fakeHost{af: s.App(appKey, AppOptions{Limit: 1 << 20})}, cl: cl}
}

// goCall runs one API through the registry on its own goroutine, as the gateway does.
func goCall(h any, name, args string) chan error {
	done := make(chan error, 1)
	go func() {
		d, _ := hostapi.Lookup(name)
		if err := d.Check(json.RawMessage(args)); err != nil {
			done <- err
			return
		}
		_, _, err := d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: appKey},
			Args: json.RawMessage(args), Host: h})
		done <- err
	}()
	return done
}

func TestDownloadAndUpload(t *testing.T) {
	body := strings.Repeat("x", 100_000)
	var got struct {
		sync.Mutex
		name, file, field, cookie string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/file.txt":
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1"})
			w.Header().Set("Content-Length", "100000")
			io.WriteString(w, body)
		case "/upload":
			f, fh, err := r.FormFile("photo")
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			b, _ := io.ReadAll(f)
			c, _ := r.Cookie("sid")
			got.Lock()
			got.name, got.file, got.field = fh.Filename, string(b), r.FormValue("user")
			if c != nil {
				got.cookie = c.Value
			}
			got.Unlock()
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	defer srv.Close()
	h := newNetHost(t)

	res, err := call(t, h, "downloadFile", `{"url":"`+srv.URL+`/file.txt"}`)
	if err != nil {
		t.Fatal(err)
	}
	tmp := res["tempFilePath"].(string)
	if b, err := h.af.ReadFile(tmp); err != nil || string(b) != body || res["statusCode"] != 200 || !strings.HasSuffix(tmp, ".txt") {
		t.Fatalf("downloaded %s: %v %v", tmp, err, res["statusCode"])
	}
	res, err = call(t, h, "downloadFile", `{"url":"`+srv.URL+`/file.txt","filePath":"wxfile://usr/f.txt"}`)
	if err != nil || res["filePath"] != "wxfile://usr/f.txt" {
		t.Fatal(res, err)
	}
	if _, err := call(t, h, "downloadFile", `{"url":"`+srv.URL+`/file.txt","filePath":"/etc/f.txt"}`); err == nil ||
		!strings.HasPrefix(err.Error(), ReasonPermission) {
		t.Errorf("download outside the app: %v", err)
	}
	h.af.WriteFile("wxfile://usr/photo.jpg", []byte("JPEGDATA"), false)
	res, err = call(t, h, "uploadFile", `{"url":"`+srv.URL+`/upload","filePath":"wxfile://usr/photo.jpg","name":"photo","formData":{"user":"ann"}}`)
	if err != nil || res["data"] != `{"ok":true}` || res["statusCode"] != 200 {
		t.Fatal(res, err)
	}
	got.Lock()
	if got.name != "photo.jpg" || got.file != "JPEGDATA" || got.field != "ann" || got.cookie != "s1" {
		t.Errorf("the server got %q %q %q cookie %q", got.name, got.file, got.field, got.cookie)
	}
	got.Unlock()
	// The same rules as wx.request.
	for args, want := range map[string]string{
		`{"url":"http://example.com/x"}`:                                             "",
		`{"url":"` + srv.URL + `/file.txt","header":{"Cookie":"a=b"}}`:               "header Cookie is not allowed",
		`{"url":"` + srv.URL + `/upload","filePath":"wxfile://usr/none","name":"f"}`: "no such file or directory",
	} {
		name := "downloadFile"
		if strings.Contains(args, "/upload") {
			name = "uploadFile"
		}
		_, err := call(t, h, name, args)
		if err == nil || (want != "" && !strings.Contains(err.Error(), want)) {
			t.Errorf("%s %s: %v", name, args, err)
		}
	}
	if _, err := call(t, h, "uploadFile", `{"url":"`+srv.URL+`/upload","filePath":"wxfile://usr/photo.jpg"}`); err == nil ||
		err.Error() != "parameter error: parameter.name should be String instead of Undefined;" {
		t.Errorf("upload without a name: %v", err)
	}
}

// TestDownloadTaskProgressAndAbort: task.progress answers as the bytes arrive, and
// task.abort ends the download with "abort"; another app cannot reach the task.
func TestDownloadTaskProgressAndAbort(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2000")
		io.WriteString(w, strings.Repeat("a", 1000))
		w.(http.Flusher).Flush()
		select {
		case <-release:
			io.WriteString(w, strings.Repeat("b", 1000))
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	h := newNetHost(t)
	done := goCall(h, "downloadFile", `{"url":"`+srv.URL+`/big","taskId":"t1"}`)
	d, _ := hostapi.Lookup("task.progress")
	var res map[string]any
	var err error
	for seen := int64(0); ; seen = res["seen"].(int64) {
		res, _, err = d.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: appKey},
			Args: json.RawMessage(`{"taskId":"t1","seen":` + jsonInt(seen) + `}`), Host: h})
		if err != nil {
			t.Fatal(err)
		}
		if res["done"] == int64(1000) {
			break
		}
	}
	if res["progress"] != 50 || res["total"] != int64(2000) || res["finished"] != false {
		t.Errorf("progress %v", res)
	}
	// Another app's abort names another task.
	ab, _ := hostapi.Lookup("task.abort")
	ab.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: "dev.example.other@unverified"},
		Args: json.RawMessage(`{"taskId":"t1"}`), Host: h})
	tasks.Lock()
	tk := tasks.m[taskKey(bridge.Sender{App: appKey}, "t1")]
	tasks.Unlock()
	tk.mu.Lock()
	if tk.aborted {
		t.Error("another app's abort reached this app's task")
	}
	tk.mu.Unlock()
	ab.Handler(hostapi.Call{Ctx: context.Background(), Sender: bridge.Sender{App: appKey}, Args: json.RawMessage(`{"taskId":"t1"}`), Host: h})
	select {
	case err := <-done:
		if err == nil || err.Error() != "abort" {
			t.Errorf("aborted: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("abort did not end the download")
	}
	if ents, _ := os.ReadDir(filepath.Join(h.af.dir, "tmp")); len(ents) != 0 {
		t.Errorf("the aborted download left %v", ents)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestTaskTableIsPerApp: one app's made-up task ids fill its own share of the table,
// not another app's.
func TestTaskTableIsPerApp(t *testing.T) {
	a, b := bridge.Sender{App: "dev.example.a@unverified"}, bridge.Sender{App: "dev.example.b@unverified"}
	var made []string
	for i := 0; i < maxTasks; i++ {
		k := taskKey(a, "x"+jsonInt(int64(i)))
		if _, err := taskOf(k); err != nil {
			t.Fatal(i, err)
		}
		made = append(made, k)
	}
	if _, err := taskOf(taskKey(a, "one more")); err == nil || err.Error() != "too many transfers" {
		t.Errorf("past the bound: %v", err)
	}
	if _, err := taskOf(taskKey(b, "x1")); err != nil {
		t.Errorf("another app was crowded out: %v", err)
	}
	tasks.Lock()
	ts := map[string]*task{}
	for _, k := range append(made, taskKey(b, "x1")) {
		ts[k] = tasks.m[k]
	}
	tasks.Unlock()
	for k, tk := range ts {
		dropTask(k, tk)
	}
	tasks.Lock()
	defer tasks.Unlock()
	if n := tasks.perApp[a.App] + tasks.perApp[b.App]; n != 0 {
		t.Errorf("counts left: %v", tasks.perApp)
	}
}
