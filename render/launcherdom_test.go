package render

import (
	"os"
	"testing"
	"time"
)

// TestLauncherSyncKeepsWhatDidNotChange runs the launcher's sync (assets/launcher/dom.js)
// in a real page: refreshing a list keeps every node equal to its replacement (the page
// restyles and repaints only what changed), replaces the one that changed, adds and
// removes at the end, and leaves the children in the new order.
func TestLauncherSyncKeepsWhatDidNotChange(t *testing.T) {
	needWindow(t)
	dom, err := os.ReadFile("../assets/launcher/dom.js")
	if err != nil {
		t.Fatal(err)
	}
	script := string(dom) + `
document.addEventListener('DOMContentLoaded', function () {
  var ul = document.getElementById('l');
  function row(id, state) { return h('li', { 'data-id': id, class: 'tile' }, h('span', { text: id + ':' + state })); }
  sync(ul, [row('a', 'stopped'), row('b', 'stopped'), row('c', 'stopped')]);
  var before = Array.prototype.slice.call(ul.children);
  sync(ul, [row('a', 'stopped'), row('b', 'running'), row('c', 'stopped'), row('d', 'stopped')]);
  var kept = [ul.children[0] === before[0], ul.children[1] === before[1], ul.children[2] === before[2]];
  var text1 = ul.textContent;
  sync(ul, [row('a', 'stopped')]);
  window.__sf_post(JSON.stringify({ kept: kept, text1: text1, text2: ul.textContent, same: ul.children[0] === before[0] }));
});`
	got := make(chan string, 4)
	w := openSpoken(t, WindowOptions{Width: 200, Height: 200, HTML: "<!doctype html><ul id=l></ul>", Script: script,
		OnMessage: func(raw string) { got <- raw }})
	defer w.Close()
	want := `{"kept":[true,false,true],"text1":"a:stoppedb:runningc:stoppedd:stopped","text2":"a:stopped","same":true}`
	select {
	case raw := <-got:
		if raw != want {
			t.Fatalf("got %s\nwant %s", raw, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the page said nothing")
	}
}
