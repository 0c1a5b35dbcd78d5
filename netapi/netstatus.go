package netapi

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sandframe/sandframe/bridge"
	"github.com/sandframe/sandframe/internal/hostapi"
)

// NetworkStatus is what wx.getNetworkType and onNetworkStatusChange report.
type NetworkStatus struct {
	Type      string // WeChat's values: wifi, 2g, 3g, 4g, 5g, unknown, none
	Connected bool
}

// SystemNetwork reads the desktop's connectivity from the kernel's routing tables
// (cheap: two small files under /proc, one stat under /sys): no default route (IPv4 or
// IPv6) is "none"; a default route through a wireless interface is "wifi"; through a
// wired one also "wifi" (WeChat has no wired type, and apps read "wifi" as "not
// metered", which a wired link is); through a mobile-broadband or point-to-point link
// (wwan*, ppp*, wwp*) "unknown" (the generation cannot be told). On a system without
// /proc/net/route (not Linux) it says "unknown", connected.
func SystemNetwork() NetworkStatus {
	iface, ok := defaultRoute("/proc/net/route", "/proc/net/ipv6_route")
	if !ok {
		return NetworkStatus{Type: "unknown", Connected: true}
	}
	if iface == "" {
		return NetworkStatus{Type: "none"}
	}
	for _, p := range []string{"wwan", "wwp", "ppp"} {
		if strings.HasPrefix(iface, p) {
			return NetworkStatus{Type: "unknown", Connected: true}
		}
	}
	return NetworkStatus{Type: "wifi", Connected: true}
}

// defaultRoute names the interface of a default route ("" when there is none); false
// when the routing table cannot be read.
func defaultRoute(v4, v6 string) (string, bool) {
	readable := false
	if f, err := os.Open(v4); err == nil {
		readable = true
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// Iface Destination Gateway Flags RefCnt Use Metric Mask ...
			fs := strings.Fields(sc.Text())
			if len(fs) >= 8 && fs[1] == "00000000" && fs[7] == "00000000" && fs[0] != "lo" && up(fs[0]) {
				f.Close()
				return fs[0], true
			}
		}
		f.Close()
	}
	if f, err := os.Open(v6); err == nil {
		readable = true
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			// dest plen src splen nexthop metric refcnt use flags iface
			fs := strings.Fields(sc.Text())
			if len(fs) == 10 && fs[0] == strings.Repeat("0", 32) && fs[1] == "00" && fs[9] != "lo" && up(fs[9]) {
				return fs[9], true
			}
		}
	}
	return "", readable
}

// up reports whether the interface is not known to be down (a virtual interface may
// report "unknown").
func up(iface string) bool {
	b, err := os.ReadFile(filepath.Join("/sys/class/net", filepath.Base(iface), "operstate"))
	return err != nil || strings.TrimSpace(string(b)) != "down"
}

// probeNetwork and netPoll are seams for tests.
var (
	probeNetwork = SystemNetwork
	netPoll      = 3 * time.Second
)

// getNetworkType answers from the desktop's connectivity; "none" also when the shell
// has no network client at all.
var _ = hostapi.Register(
	hostapi.Decl{Name: "getNetworkType", Class: hostapi.ClassLocal, Handler: networkType},
	// onNetworkStatusChange subscribes the session: the task layer keeps the app's
	// listeners and calls it once; changes arrive as its "change" events.
	hostapi.Decl{Name: "onNetworkStatusChange", Class: hostapi.ClassLocal, Handler: watchNetworkAPI,
		Events: []string{"change"}},
)

func networkType(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	h, err := hostapi.HostAs[Host](c)
	if err != nil {
		return nil, nil, err
	}
	st := probeNetwork()
	if cl, _ := h.Network(); cl == nil {
		st = NetworkStatus{Type: "none"}
	}
	return map[string]any{"networkType": st.Type, "signalStrength": 0, "hasSystemProxy": false}, nil, nil
}

func watchNetworkAPI(c hostapi.Call) (map[string]any, *bridge.Nav, error) {
	n, err := appNet(c)
	if err != nil {
		return nil, nil, err
	}
	n.WatchNetwork()
	return nil, nil, nil
}

// WatchNetwork sends the session a "change" event of onNetworkStatusChange whenever
// the desktop's connectivity changes, until the session ends. One watcher polls for
// every subscribed session (every 3 s), and only while one is subscribed.
func (n *AppNet) WatchNetwork() {
	n.mu.Lock()
	if n.netSub || n.ctx.Err() != nil {
		n.mu.Unlock()
		return
	}
	n.netSub = true
	n.mu.Unlock()
	watcher.add(n)
	context.AfterFunc(n.ctx, func() { watcher.remove(n) })
}

// netWatcher polls the connectivity for its subscribers.
type netWatcher struct {
	mu   sync.Mutex
	subs map[*AppNet]bool
	stop chan struct{}
	done chan struct{}
}

var watcher = &netWatcher{subs: map[*AppNet]bool{}}

func (w *netWatcher) add(n *AppNet) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subs[n] = true
	if w.stop == nil {
		w.stop, w.done = make(chan struct{}), make(chan struct{})
		go w.run(w.stop, w.done, probeNetwork())
	}
}

func (w *netWatcher) remove(n *AppNet) {
	w.mu.Lock()
	delete(w.subs, n)
	var stop, done chan struct{}
	if len(w.subs) == 0 && w.stop != nil {
		stop, done = w.stop, w.done
		w.stop, w.done = nil, nil
	}
	w.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
}

func (w *netWatcher) run(stop <-chan struct{}, done chan<- struct{}, last NetworkStatus) {
	defer close(done)
	t := time.NewTicker(netPoll)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		st := probeNetwork()
		if st == last {
			continue
		}
		last = st
		w.mu.Lock()
		subs := make([]*AppNet, 0, len(w.subs))
		for n := range w.subs {
			subs = append(subs, n)
		}
		w.mu.Unlock()
		for _, n := range subs {
			n.send("onNetworkStatusChange", 0, "change", map[string]any{"isConnected": st.Connected, "networkType": st.Type})
		}
	}
}
