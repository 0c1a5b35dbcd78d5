package e2e

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sandframe/sandframe/automation"
)

// copyApp copies the test app at dir (relative to the repository) into a temporary
// folder, so a test can add files it generates.
func copyApp(t *testing.T, dir string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(dir))
	src := filepath.Join(repoRoot, dir)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// toneWAV is seconds of a 440 Hz tone as a 16-bit mono 8 kHz WAV file.
func toneWAV(seconds float64) []byte {
	const rate = 8000
	n := int(seconds * rate)
	b := make([]byte, 44+2*n)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], rate*2)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := 0; i < n; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}

// TestMediaComponents plays a bundle WAV (made here) through <video>, <audio> and an
// InnerAudioContext, all driven from logic through the bridge: the page has no
// network and runs none of the app's code, so the files reach it through the shell's
// scheme and the contexts' commands as render ops.
func TestMediaComponents(t *testing.T) {
	dir := copyApp(t, "e2e/testdata/components")
	if err := os.MkdirAll(filepath.Join(dir, "media"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "media", "tone.wav"), toneWAV(0.6), 0o644); err != nil {
		t.Fatal(err)
	}
	r := launch(t, dir)
	// The web process starts GStreamer on the first media element, and a test's fresh
	// home makes it scan its plugins again (several seconds on the shared machine).
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	c := r.client
	if err := c.WaitRoute(ctx, "pages/index/index"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#to-media", "media"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#to-media"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitRoute(ctx, "pages/media/media"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#v-events", "loadedmetadata"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#bad-error", "error"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#vplay"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#v-events", "loadedmetadata play timeupdate ended"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#v-time", "has duration"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#vfull"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#full", `{"fullScreen":true,"direction":"horizontal"}`); err != nil {
		t.Error(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "components-video-fullscreen.png")); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#vexit"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#full", `{"fullScreen":false,"direction":"vertical"}`); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#aplay"); err != nil {
		t.Fatal(err)
	}
	// play comes before canplay when play() was asked before the source arrived.
	if err := waitWords(ctx, c, "#a-events", "canplay", "play", "timeupdate", "ended"); err != nil {
		t.Error(err)
	}
	if err := c.WaitText(ctx, "#a-state", "ended at some time, paused true"); err != nil {
		t.Error(err)
	}
	if err := c.Tap(ctx, "#abad"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#a-error", "code 10003"); err != nil {
		t.Error(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "components-video.png")); err != nil {
		t.Error(err)
	}
	if n, _ := c.Violations(ctx); n != 0 {
		t.Errorf("%d page messages refused in normal use", n)
	}
}

// waitWords waits until the element's text has every word, in any order.
func waitWords(ctx context.Context, c *automation.Client, sel string, words ...string) error {
	var txt string
	err := automation.WaitFor(ctx, func() (bool, error) {
		var err error
		txt, err = c.Text(ctx, sel)
		have := map[string]bool{}
		for _, w := range strings.Fields(txt) {
			have[w] = true
		}
		for _, w := range words {
			if !have[w] {
				return false, err
			}
		}
		return true, err
	})
	if err != nil {
		return fmt.Errorf("%s: text %q, want the words %v: %w", sel, txt, words, err)
	}
	return nil
}
