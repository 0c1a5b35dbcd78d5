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
	got := launcherPageSays(t, "dom.js", "<!doctype html><ul id=l></ul>", `
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
});`)
	if want := `{"kept":[true,false,true],"text1":"a:stoppedb:runningc:stoppedd:stopped","text2":"a:stopped","same":true}`; got != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

// launcherPageSays runs one of the launcher's scripts (assets/launcher/NAME), then
// script, in a real page of html, and returns the first thing the page posts.
func launcherPageSays(t *testing.T, name, html, script string) string {
	t.Helper()
	needWindow(t)
	src, err := os.ReadFile("../assets/launcher/" + name)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 4)
	w := openSpoken(t, WindowOptions{Width: 200, Height: 200, HTML: html, Script: string(src) + script,
		OnMessage: func(raw string) { got <- raw }})
	defer w.Close()
	select {
	case raw := <-got:
		return raw
	case <-time.After(20 * time.Second):
		t.Fatal("the page said nothing")
		return ""
	}
}

// TestLauncherKeepsStillWhileAnAppLaunches: while a launch runs, and a moment after, the
// launcher's transitions are off (body.app-launching) and the refresh the launch asks for
// (apps.changed) waits; the tile says it is launching only when the launch is slow
// (assets/launcher/home.js, docs/launcher.md "A launch").
func TestLauncherKeepsStillWhileAnAppLaunches(t *testing.T) {
	got := launcherPageSays(t, "home.js", `<!doctype html><div class=tile id=slow></div><div class=tile id=fast></div>`, `
var listed = 0, launches = [];
function call(op) {
  if (op === 'apps.list') { listed++; return Promise.resolve({ apps: [] }); }
  return new Promise(function (resolve) { launches.push(resolve); });
}
function failed() {}
function appsChanged() {}
renderHome = function () {};
LAUNCH_FEEDBACK_MS = 50; LAUNCH_QUIET_MS = 300;
document.addEventListener('DOMContentLoaded', function () {
  var slow = document.getElementById('slow'), fast = document.getElementById('fast'), body = document.body, r = {};
  launchApp('fast', fast);
  launches[0]({});
  launchApp('slow', slow);
  r.quietAtStart = body.classList.contains('app-launching');
  setTimeout(function () {
    r.slowTileSays = slow.classList.contains('launching');
    r.fastTileSays = fast.classList.contains('launching');
    refreshAfterLaunch(); // apps.changed while a launch runs
    r.listedDuring = listed;
    launches[1]({});
    setTimeout(function () {
      r.listedJustAfter = listed;
      r.quietJustAfter = body.classList.contains('app-launching');
      setTimeout(function () {
        r.listedAfter = listed;
        r.quietAfter = body.classList.contains('app-launching');
        refreshAfterLaunch(); // apps.changed with no launch: at once
        r.listedAtOnce = listed;
        window.__sf_post(JSON.stringify(r));
      }, 500);
    }, 100);
  }, 120);
});`)
	want := `{"quietAtStart":true,"slowTileSays":true,"fastTileSays":false,"listedDuring":0,"listedJustAfter":0,"quietJustAfter":true,"listedAfter":1,"quietAfter":false,"listedAtOnce":2}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
