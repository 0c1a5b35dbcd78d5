package isolate

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sandframe/sandframe/internal/apptest"
)

// readCodeFrames parses concatenated code frames back into files, as the child does.
func readCodeFrames(t *testing.T, frames []byte) (fstest.MapFS, int) {
	t.Helper()
	g, sink, n := newGrowFS(), codeSink{}, 0
	r := strings.NewReader(string(frames))
	for r.Len() > 0 {
		raw, err := readFrame(r, MaxFrameBytes)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parseFrame(raw)
		if err != nil || f.T != tCode {
			t.Fatalf("frame %q: %v", f.T, err)
		}
		if err := sink.add(g, f); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return g.m, n
}

// TestCodeFrames: the parent sends the app's code (what preloadCode reads) in code
// frames of at most maxCodeFrameData file bytes; a file too big for one frame, or too
// much code, means the child reads the folder.
func TestCodeFrames(t *testing.T) {
	files := map[string][]byte{
		"app.js": []byte("App({})"), "pages/a/a.js": []byte("Page({})"), "pages/a/a.wxml": []byte("<view/>"),
		"utils/u.js": []byte(strings.Repeat("x", 100)), "node_modules/m/i.js": []byte("skipped"),
	}
	dir := apptest.Tree(t, files)
	want := []string{"app.js", "pages/a/a.js", "utils/u.js"}
	check := func(frames []byte, wantFrames int) {
		t.Helper()
		got, n := readCodeFrames(t, frames)
		if n != wantFrames {
			t.Errorf("%d code frames, want %d", n, wantFrames)
		}
		var names []string
		for _, p := range want {
			b, err := fs.ReadFile(got, p)
			if err != nil || string(b) != string(files[p]) {
				t.Errorf("%s: %q %v", p, b, err)
			}
		}
		for p := range got {
			names = append(names, p)
		}
		if len(names) != len(want) {
			t.Errorf("files %v, want %v", names, want)
		}
	}
	frames, err := codeFrames(dir)
	if err != nil {
		t.Fatal(err)
	}
	check(frames, 1)

	defer func(n int) { maxCodeFrameData = n }(maxCodeFrameData)
	maxCodeFrameData = 100 // utils/u.js fills a frame of its own
	if frames, err = codeFrames(dir); err != nil {
		t.Fatal(err)
	}
	check(frames, 2)
	maxCodeFrameData = 99
	if _, err := codeFrames(dir); !errors.Is(err, errCodeFile) {
		t.Errorf("a file over a frame: %v, want errCodeFile", err)
	}
	maxCodeFrameData = 8 << 20
	defer func(files int) { maxPreloadFiles = files }(maxPreloadFiles)
	maxPreloadFiles = 2
	if _, err := codeFrames(dir); !errors.Is(err, errPreloadTooBig) {
		t.Errorf("3 files over a bound of 2: %v, want errPreloadTooBig", err)
	}
}

// TestCodeSinkRefuses: the child takes code frames only with file paths inside the app,
// and within preloadCode's bounds.
func TestCodeSinkRefuses(t *testing.T) {
	for _, bad := range []string{"../x.js", "/etc/x.js", "a//b.js", ".", ""} {
		f, err := encodeFrame(tCode, 0, codeBody{Files: map[string][]byte{bad: []byte("x")}})
		if err != nil {
			t.Fatal(err)
		}
		fr, err := parseFrame(f[4:])
		if err != nil {
			t.Fatal(err)
		}
		var sink codeSink
		if err := sink.add(newGrowFS(), fr); err == nil {
			t.Errorf("path %q taken", bad)
		}
	}
	defer func(files int) { maxPreloadFiles = files }(maxPreloadFiles)
	maxPreloadFiles = 1
	f, _ := encodeFrame(tCode, 0, codeBody{Files: map[string][]byte{"a.js": nil, "b.js": nil}})
	fr, _ := parseFrame(f[4:])
	var sink codeSink
	if err := sink.add(newGrowFS(), fr); !errors.Is(err, errPreloadTooBig) {
		t.Errorf("two files over a bound of one: %v", err)
	}
}

// TestAppTooBigToSend: an app with more code than the parent sends runs in a child that
// reads its folder (init's ReadDir) — started cold: the pool's spare, which reads no
// folder, is left for the next app.
func TestAppTooBigToSend(t *testing.T) {
	p := newTestPool(t)
	waitPoolReady(t, p)
	defer func(files int) { maxPreloadFiles = files }(maxPreloadFiles)
	maxPreloadFiles = 1 // in this process, the parent: the child's own bounds are the defaults
	h, logs := newFakeHost(), &logSink{}
	o := childOptions(t, todoApp, h, logs)
	rt, err := p.Start(o)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(rt.Stop)
	if rt.Pooled() {
		t.Error("an app read from its folder was handed the spare")
	}
	if !p.Ready() {
		t.Error("the spare was used up")
	}
	logs.wait(t, func(r map[string]string) bool {
		return r["msg"] == "isolate: the app's code is read from its folder as needed"
	})
	(&testChild{rt: rt, host: h, logs: logs}).launch(t)
}
