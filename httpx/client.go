package httpx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the bank's own reverse proxies and load balancers (--trusted-proxies). Only a request that one of
// them sent has its X-Forwarded-For read: anyone else can write that header to dodge a rate limit or to put
// another address into our logs. The zero value trusts nobody.
type Proxies struct {
	prefixes []netip.Prefix
}

// ParseProxies reads a comma-separated list of addresses and CIDR prefixes ("10.0.0.0/8, 192.0.2.7,
// 2001:db8::/48"); an empty list trusts nobody.
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	for part := range strings.SplitSeq(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if prefix, err := netip.ParsePrefix(part); err == nil {
			p.prefixes = append(p.prefixes, unmapPrefix(prefix).Masked())
			continue
		}
		addr, err := netip.ParseAddr(part)
		if err != nil || addr.Zone() != "" {
			return Proxies{}, fmt.Errorf("%q is not an IP address or CIDR prefix", part)
		}
		addr = addr.Unmap()
		p.prefixes = append(p.prefixes, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return p, nil
}

// unmapPrefix turns an IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) into its IPv4 form, as addresses are compared
// unmapped.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if !p.Addr().Is4In6() || p.Bits() < 96 {
		return p
	}
	return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
}

// Trusts reports whether addr is one of the proxies.
func (p Proxies) Trusts(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	for _, prefix := range p.prefixes {
		if prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// Client is the address a request came from: the peer, or behind trusted proxies the nearest address in
// X-Forwarded-For that is not one of them. Read from the right, because each proxy appends the address it was
// reached from, and everything left of the first untrusted hop was written by the client.
func (p Proxies) Client(r *http.Request) (netip.Addr, bool) {
	peer, ok := peerAddr(r)
	if !ok || !p.Trusts(peer) {
		return peer, ok
	}
	var hops []string
	for _, v := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(v, ",")...)
	}
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			// A hop that is not an address: everything left of it is unreliable, so the request counts as the
			// last proxy's own, which shares its bucket with everyone behind it rather than escaping the limit.
			return addr, true
		}
		addr = hop
		if !p.Trusts(hop) {
			return hop, true
		}
	}
	return addr, true
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a port ("192.0.2.1:4711",
// "[2001:db8::1]:443") as some proxies write it.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	addr, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap().WithZone(""), true
}

type clientKey struct{}

// ClientAddress finds each request's client address once (see Proxies.Client) for the rate limits and the logs.
func ClientAddress(p Proxies) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if addr, ok := p.Client(r); ok {
				r = r.WithContext(context.WithValue(r.Context(), clientKey{}, addr))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// ClientIP is the client's address as ClientAddress found it; without that middleware, the peer's. It never reads
// X-Forwarded-For on its own: any client can forge that header.
func ClientIP(r *http.Request) string {
	addr, ok := clientAddr(r)
	if !ok {
		return ""
	}
	return addr.String()
}

func clientAddr(r *http.Request) (netip.Addr, bool) {
	if addr, ok := r.Context().Value(clientKey{}).(netip.Addr); ok {
		return addr, true
	}
	return peerAddr(r)
}

func peerAddr(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap().WithZone(""), true
}

// ClientKey is the key a per-address budget counts a request under: the client's IPv4 address or IPv6 /64, since
// one customer line usually gets a whole /64 and per-address keys would let it rotate through 2^64 fresh buckets.
func ClientKey(r *http.Request) string {
	addr, ok := clientAddr(r)
	if !ok {
		// An address we cannot parse shares one bucket, which errs on the side of limiting.
		return "invalid"
	}
	if addr.Is6() {
		prefix, _ := addr.Prefix(64)
		return prefix.String()
	}
	return addr.String()
}
