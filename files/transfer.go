package files

import (
	"context"
	"encoding/json"
	"errors"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
	"github.com/sandframe/sandframe/netapi"
)

// wx.downloadFile and wx.uploadFile: the network side is netapi's (the same domain,
// https, address, cookie and header rules as wx.request, capability network:request);
// the bytes come from and go to the app's files. The DownloadTask/UploadTask object is
// built by logic/js/files.js: its onProgressUpdate asks task.progress, which answers
// when the transfer moved on, and its abort calls task.abort. A task is named by the
// calling app and an id the logic side chose, so no app reaches another's task.

var _ = hostapi.Register(
	hostapi.Decl{Name: "downloadFile", Capability: "network:request", Class: hostapi.ClassNetwork, Handler: download,
		Args: []hostapi.Field{{Name: "url", Type: hostapi.String, Required: true}, {Name: "header", Type: hostapi.Object},
			{Name: "timeout", Type: hostapi.Number}, {Name: "filePath", Type: hostapi.String}}},
	hostapi.Decl{Name: "uploadFile", Capability: "network:request", Class: hostapi.ClassNetwork, Handler: upload,
		Args: []hostapi.Field{{Name: "url", Type: hostapi.String, Required: true}, fPath,
			{Name: "name", Type: hostapi.String, Required: true}, {Name: "header", Type: hostapi.Object},
			{Name: "formData", Type: hostapi.Object}, {Name: "timeout", Type: hostapi.Number}}},
	hostapi.Decl{Name: "task.progress", Hidden: true, Class: hostapi.ClassLocal, Handler: progressWait,
		Args: []hostapi.Field{{Name: "taskId", Type: hostapi.String, Required: true}, {Name: "seen", Type: hostapi.Number}}},
	hostapi.Decl{Name: "task.abort", Hidden: true, Class: hostapi.ClassLocal, Handler: abortTask,
		Args: []hostapi.Field{{Name: "taskId", Type: hostapi.String, Required: true}}},
)

// task is one transfer's progress, shared by its call and its progress waits.
type task struct {
	mu       sync.Mutex
	seq      int64 // bumps on every reported change
	done     int64
	total    int64
	finished bool
	started  bool
	aborted  bool
	cancel   context.CancelFunc
	changed  chan struct{} // closed on a change, then replaced
}

var tasks = struct {
	sync.Mutex
	m      map[string]*task
	perApp map[string]int
}{m: map[string]*task{}, perApp: map[string]int{}}

// maxTasks bounds each app's entries in the table: ids come from apps, and one app's
// made-up ids must not crowd out another's transfers.
const maxTasks = 256

func taskKey(snd bridge.Sender, id string) string { return snd.App + "\x00" + id }

func appOfKey(key string) string { return key[:strings.IndexByte(key, 0)] }

func taskOf(key string) (*task, error) {
	tasks.Lock()
	defer tasks.Unlock()
	t, ok := tasks.m[key]
	if !ok {
		if tasks.perApp[appOfKey(key)] >= maxTasks {
			return nil, errors.New("too many transfers")
		}
		t = &task{total: -1, changed: make(chan struct{})}
		tasks.m[key] = t
		tasks.perApp[appOfKey(key)]++
		// An entry nobody finishes (a wait for a task that never started) goes.
		time.AfterFunc(taskLinger, func() {
			t.mu.Lock()
			idle := !t.started
			t.mu.Unlock()
			if idle {
				dropTask(key, t)
			}
		})
	}
	return t, nil
}

func dropTask(key string, t *task) {
	tasks.Lock()
	if tasks.m[key] == t {
		delete(tasks.m, key)
		if app := appOfKey(key); tasks.perApp[app] <= 1 {
			delete(tasks.perApp, app)
		} else {
			tasks.perApp[app]--
		}
	}
	tasks.Unlock()
}

// taskLinger is how long a finished task still answers its waits.
var taskLinger = 30 * time.Second

func (t *task) signal() {
	t.seq++
	close(t.changed)
	t.changed = make(chan struct{})
}

// begin starts the transfer of key: a context its abort cancels.
func beginTask(ctx context.Context, snd bridge.Sender, id string) (context.Context, func(), *task, error) {
	if id == "" {
		return ctx, func() {}, nil, nil
	}
	key := taskKey(snd, id)
	t, err := taskOf(key)
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	t.mu.Lock()
	t.started, t.cancel = true, cancel
	if t.aborted {
		cancel()
	}
	t.mu.Unlock()
	end := func() {
		cancel()
		t.mu.Lock()
		t.finished = true
		t.signal()
		t.mu.Unlock()
		time.AfterFunc(taskLinger, func() { dropTask(key, t) })
	}
	return ctx, end, t, nil
}

// progress reports to t's waiters at most once per percent.
func (t *task) progress() netapi.Progress {
	if t == nil {
		return nil
	}
	last := -1
	return func(done, total int64) {
		t.mu.Lock()
		defer t.mu.Unlock()
		t.done, t.total = done, total
		pct := 0
		if total > 0 {
			pct = int(done * 100 / total)
		}
		if pct != last || total <= 0 {
			last = pct
			t.signal()
		}
	}
}

type transferArgs struct {
	URL      string          `json:"url"`
	Header   json.RawMessage `json:"header"`
	Timeout  float64         `json:"timeout"`
	FilePath string          `json:"filePath"`
	Name     string          `json:"name"`
	FormData json.RawMessage `json:"formData"`
	TaskID   string          `json:"taskId"`
}

func network(c hostapi.Call) (*netapi.Client, netapi.App, *AppFiles, error) {
	nh, err := hostapi.HostAs[netapi.Host](c)
	if err != nil {
		return nil, netapi.App{}, nil, err
	}
	cl, app := nh.Network()
	if cl == nil {
		return nil, app, nil, errors.New("no network in this shell")
	}
	af, err := appFiles(c)
	return cl, app, af, err
}

func download(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a transferArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	cl, app, af, err := network(c)
	if err != nil {
		return nil, nil, err
	}
	if a.FilePath != "" {
		if _, err := af.writable(a.FilePath, "open"); err != nil {
			return nil, nil, err
		}
	}
	ctx, end, t, err := beginTask(c.Ctx, c.Sender, a.TaskID)
	if err != nil {
		return nil, nil, err
	}
	defer end()
	ext := path.Ext(strings.SplitN(strings.SplitN(a.URL, "?", 2)[0], "#", 2)[0])
	if len(ext) > 6 {
		ext = ""
	}
	f, tmp, err := af.CreateTemp(ext)
	if err != nil {
		return nil, nil, err
	}
	res, err := cl.Download(ctx, app, netapi.Transfer{URL: a.URL, Header: a.Header, Timeout: a.Timeout, Max: af.s.cfg.MaxTempBytes},
		f, t.progress())
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		af.Unlink(tmp)
		return nil, nil, err
	}
	af.TrimTemp()
	out := map[string]any{"statusCode": res.StatusCode, "header": res.Header, "dataLength": res.Bytes}
	if a.FilePath != "" {
		if err := af.Rename(tmp, a.FilePath); err != nil {
			af.Unlink(tmp)
			return nil, nil, err
		}
		out["filePath"] = a.FilePath
		return out, nil, nil
	}
	out["tempFilePath"] = tmp
	return out, nil, nil
}

func upload(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a transferArgs
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	cl, app, af, err := network(c)
	if err != nil {
		return nil, nil, err
	}
	f, size, err := af.Open(a.FilePath)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	ctx, end, t, err := beginTask(c.Ctx, c.Sender, a.TaskID)
	if err != nil {
		return nil, nil, err
	}
	defer end()
	name := a.FilePath[strings.LastIndex(a.FilePath, "/")+1:]
	if i := strings.Index(name, "://"); i >= 0 {
		name = name[i+3:]
	}
	res, err := cl.Upload(ctx, app, netapi.Transfer{URL: a.URL, Header: a.Header, Timeout: a.Timeout, Name: a.Name,
		FileName: name, FormData: a.FormData}, f, size, t.progress())
	if err != nil {
		return nil, nil, err
	}
	return map[string]any{"data": res.Body, "statusCode": res.StatusCode, "header": res.Header}, nil, nil
}

// progressWait answers when the task moved past what the caller saw (seen), or ended.
func progressWait(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		TaskID string `json:"taskId"`
		Seen   int64  `json:"seen"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	t, err := taskOf(taskKey(c.Sender, a.TaskID))
	if err != nil {
		return nil, nil, err
	}
	timer := time.NewTimer(taskLinger)
	defer timer.Stop()
	for {
		t.mu.Lock()
		seq, done, total, finished, ch := t.seq, t.done, t.total, t.finished, t.changed
		t.mu.Unlock()
		if seq > a.Seen || finished {
			pct := 0
			if total > 0 {
				pct = int(done * 100 / total)
			} else if finished {
				pct = 100
			}
			return map[string]any{"seen": seq, "finished": finished, "progress": pct, "done": done, "total": total}, nil, nil
		}
		select {
		case <-ch:
		case <-c.Ctx.Done():
			return nil, nil, errors.New("abort")
		case <-timer.C:
			return map[string]any{"seen": seq, "finished": true, "progress": 0, "done": done, "total": total}, nil, nil
		}
	}
}

func abortTask(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	var a struct {
		TaskID string `json:"taskId"`
	}
	if err := c.Decode(&a); err != nil {
		return nil, nil, err
	}
	t, err := taskOf(taskKey(c.Sender, a.TaskID))
	if err != nil {
		return nil, nil, err
	}
	t.mu.Lock()
	t.aborted = true
	if t.cancel != nil {
		t.cancel()
	}
	t.mu.Unlock()
	return map[string]any{}, nil, nil
}
