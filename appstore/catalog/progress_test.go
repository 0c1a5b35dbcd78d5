package catalog

import (
	"context"
	"testing"
)

// TestDownloadReportsProgress: OnProgress sees the bytes arrive up to the release's size,
// never more, and a cached bundle (no download) reports nothing.
func TestDownloadReportsProgress(t *testing.T) {
	f := newFixture(t)
	var reports [][2]int64
	c := NewClient(ClientConfig{BaseURL: f.srv.URL, Trust: f.trust, CacheDir: f.cache, Logger: quiet,
		OnProgress: func(done, total int64) { reports = append(reports, [2]int64{done, total}) }})
	ctx := context.Background()
	idx, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Resolve(idx, testApp, Stable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Download(ctx, r); err != nil {
		t.Fatal(err)
	}
	if len(reports) == 0 {
		t.Fatal("no progress reported")
	}
	prev := int64(0)
	for _, p := range reports {
		if p[1] != r.Size || p[0] < prev || p[0] > r.Size {
			t.Fatalf("reports %v: want growing counts up to %d", reports, r.Size)
		}
		prev = p[0]
	}
	if last := reports[len(reports)-1]; last[0] != r.Size {
		t.Fatalf("last report %v, want %d of %d", last, r.Size, r.Size)
	}
	reports = nil
	if _, err := c.Download(ctx, r); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 0 {
		t.Fatalf("a cache hit reported %v", reports)
	}
}
