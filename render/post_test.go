package render

import (
	"testing"
	"time"
)

// The page's one way out is window.__sf_post(text): only text crosses, and page code
// can neither replace nor remove the function (it would then see or drop every post).
func TestPostTakesOnlyTextAndCannotBeReplaced(t *testing.T) {
	needWindow(t)
	drain()
	script := `(function () {
  window.__sf_post(42);
  window.__sf_post({a: 1});
  try { window.__sf_post = function () {}; } catch (e) {}
  try { delete window.__sf_post; } catch (e) {}
  try { Object.defineProperty(window, "__sf_post", {value: function () {}}); } catch (e) {}
  window.__sf_post("after: " + (typeof window.__sf_post));
})();`
	if err := testWin.Eval(script); err != nil {
		t.Fatal(err)
	}
	var got []string
	deadline := time.After(10 * time.Second)
	for len(got) < 3 {
		select {
		case raw := <-received:
			got = append(got, raw)
			if raw == "after: function" {
				// The two non-text posts came before it: they must not have arrived.
				if len(got) != 1 {
					t.Fatalf("posts received: %q, want only the text one", got)
				}
				return
			}
		case <-deadline:
			t.Fatalf("posts received: %q; the text post after the attempts never came", got)
		}
	}
	t.Fatalf("posts received: %q", got)
}
