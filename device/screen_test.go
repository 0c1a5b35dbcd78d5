package device

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// fakeSaver is an org.freedesktop.ScreenSaver on a private session bus.
type fakeSaver struct {
	mu       sync.Mutex
	inhibits map[uint32]string
	next     uint32
	changed  chan struct{}
}

func (f *fakeSaver) Inhibit(app, reason string) (uint32, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.inhibits[f.next] = app + ": " + reason
	f.changed <- struct{}{}
	return f.next, nil
}

func (f *fakeSaver) UnInhibit(cookie uint32) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.inhibits, cookie)
	f.changed <- struct{}{}
	return nil
}

func (f *fakeSaver) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.inhibits)
}

// InhibitScreenSaver holds an inhibition on the session bus's screensaver until
// released; without a session bus it says so instead of pretending.
func TestInhibitScreenSaver(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if _, err := InhibitScreenSaver("a", "b"); err == nil {
		t.Fatal("inhibited without a bus")
	}
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		t.Skip("no dbus-daemon")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", strings.TrimSpace(addr))

	svc, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	saver := &fakeSaver{inhibits: map[uint32]string{}, changed: make(chan struct{}, 4)}
	if err := svc.Export(saver, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"); err != nil {
		t.Fatal(err)
	}
	if reply, err := svc.RequestName("org.freedesktop.ScreenSaver", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own the name: %v %v", reply, err)
	}
	release, err := InhibitScreenSaver("Todo (Sandframe)", "the app keeps the screen on")
	if err != nil {
		t.Fatal(err)
	}
	wait := func() {
		select {
		case <-saver.changed:
		case <-time.After(10 * time.Second): // a hang limit
			t.Fatal("the screensaver heard nothing")
		}
	}
	wait()
	if saver.count() != 1 {
		t.Fatalf("inhibitions %v", saver.inhibits)
	}
	release()
	wait()
	if saver.count() != 0 {
		t.Fatalf("after release: %v", saver.inhibits)
	}
}
