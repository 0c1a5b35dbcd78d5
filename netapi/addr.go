package netapi

import (
	"fmt"
	"net/netip"
)

// AddrPolicy decides whether a connection to ip may be made; a non-nil error refuses it
// and says why. It is checked on every address a name resolves to and again on the
// address actually dialled, so a declared name that resolves to an internal address
// (DNS rebinding) reaches nothing.
type AddrPolicy func(ip netip.Addr, devMode bool) error

// blockedPrefixes are ranges never reachable from a mini-app, with what they are.
var blockedPrefixes = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "a \"this network\" address"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a carrier-grade NAT address"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "a local NAT64 address"},
	{netip.MustParsePrefix("100::/64"), "a discard address"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
}

// Prefixes that embed an IPv4 address, which is judged in their stead.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// DefaultAddrPolicy allows public unicast addresses only. Loopback is allowed in dev mode;
// private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud
// metadata lives, and fe80::/10), multicast, unspecified and reserved ranges never are.
// IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4 address inside.
func DefaultAddrPolicy(ip netip.Addr, devMode bool) error {
	ip = embeddedV4(ip.Unmap())
	switch {
	case !ip.IsValid():
		return fmt.Errorf("invalid address")
	case ip.IsLoopback():
		if devMode {
			return nil
		}
		return fmt.Errorf("%s is a loopback address (allowed only in dev mode)", ip)
	case ip.IsUnspecified():
		return fmt.Errorf("%s is an unspecified address", ip)
	case ip.IsPrivate():
		return fmt.Errorf("%s is a private address", ip)
	case ip.IsLinkLocalUnicast():
		return fmt.Errorf("%s is a link-local address", ip)
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return fmt.Errorf("%s is a multicast address", ip)
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return fmt.Errorf("%s is the broadcast address", ip)
	}
	for _, b := range blockedPrefixes {
		if b.prefix.Contains(ip) {
			return fmt.Errorf("%s is %s", ip, b.what)
		}
	}
	return nil
}

// embeddedV4 returns the IPv4 address inside a NAT64 or 6to4 address, else ip.
func embeddedV4(ip netip.Addr) netip.Addr {
	if !ip.Is6() {
		return ip
	}
	b := ip.As16()
	switch {
	case nat64.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return ip
}
