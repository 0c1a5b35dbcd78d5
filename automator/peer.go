package automator

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// samePeerUser refuses a loopback peer that another user's process opened: on Linux
// the kernel's socket table (/proc/net/tcp, tcp6) names the owner of the peer's end.
// Elsewhere it allows the peer (loopback is still required).
func samePeerUser(peer, local *net.TCPAddr) error {
	if runtime.GOOS != "linux" {
		return nil
	}
	want := os.Getuid()
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		uid, found, err := socketOwner(table, peer, local)
		if err != nil {
			continue
		}
		if found {
			if uid != want {
				return fmt.Errorf("the peer belongs to another user (uid %d)", uid)
			}
			return nil
		}
	}
	return fmt.Errorf("the peer's socket is not in the kernel's table")
}

// socketOwner finds the row whose local end is peer and remote end is local.
func socketOwner(table string, peer, local *net.TCPAddr) (int, bool, error) {
	f, err := os.Open(table)
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	six := strings.HasSuffix(table, "6")
	want := procAddr(peer.IP, peer.Port, six)
	remote := procAddr(local.IP, local.Port, six)
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 8 || !strings.EqualFold(fields[1], want) || !strings.EqualFold(fields[2], remote) {
			continue
		}
		uid, err := strconv.Atoi(fields[7])
		if err != nil {
			return 0, false, err
		}
		return uid, true, nil
	}
	return 0, false, sc.Err()
}

// procAddr writes an address as the kernel's table does: the IP as 32-bit words in
// host order (little-endian here), then the port in hex.
func procAddr(ip net.IP, port int, six bool) string {
	var b []byte
	if six {
		b = ip.To16()
	} else {
		b = ip.To4()
	}
	if b == nil {
		return ""
	}
	var sb strings.Builder
	for i := 0; i < len(b); i += 4 {
		fmt.Fprintf(&sb, "%08X", binary.LittleEndian.Uint32(b[i:i+4]))
	}
	fmt.Fprintf(&sb, ":%04X", port)
	return sb.String()
}
