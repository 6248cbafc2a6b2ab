package httpx

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func mustProxies(t *testing.T, list string) Proxies {
	t.Helper()
	p, err := ParseProxies(list)
	if err != nil {
		t.Fatalf("ParseProxies(%q): %v", list, err)
	}
	return p
}

func TestParseProxiesRefusesWhatIsNotAnAddress(t *testing.T) {
	for _, list := range []string{"proxy.example", "10.0.0.0/33", "10.0.0.1-10.0.0.9", "fe80::1%eth0"} {
		if _, err := ParseProxies(list); err == nil {
			t.Errorf("ParseProxies(%q) accepted it", list)
		}
	}
	p := mustProxies(t, " 10.0.0.0/8 ,192.0.2.7,, 2001:db8::/48, ::ffff:198.51.100.0/120")
	if len(p.prefixes) != 4 {
		t.Errorf("%d prefixes, want 4", len(p.prefixes))
	}
}

func TestClientAddressHonoursXForwardedForOnlyFromATrustedProxy(t *testing.T) {
	p := mustProxies(t, "10.0.0.0/8, 2001:db8:ffff::/48")
	tests := []struct {
		name   string
		peer   string
		xff    []string
		client string
	}{
		{"a client that writes the header itself is its own address", "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},
		{"a proxy that says who it forwards for", "10.1.2.3:443", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a client's own entries left of the proxy's are not believed", "10.1.2.3:443", []string{"192.0.2.66, 198.51.100.1"}, "198.51.100.1"},
		{"a chain of trusted proxies is walked to the first outside hop", "10.1.2.3:443", []string{"192.0.2.66, 198.51.100.1, 10.9.9.9"}, "198.51.100.1"},
		{"several header lines are one list", "10.1.2.3:443", []string{"192.0.2.66", "198.51.100.1", "10.9.9.9"}, "198.51.100.1"},
		{"a hop with a port", "10.1.2.3:443", []string{"198.51.100.1:4711"}, "198.51.100.1"},
		{"an IPv6 hop in brackets", "[2001:db8:ffff::1]:443", []string{"[2001:db8:1::7]:443"}, "2001:db8:1::7"},
		{"garbage from the proxy counts as the proxy", "10.1.2.3:443", []string{"unknown"}, "10.1.2.3"},
		{"garbage left of a good hop stops there", "10.1.2.3:443", []string{"junk, 198.51.100.1"}, "198.51.100.1"},
		{"a trusted proxy without the header is itself", "10.1.2.3:443", nil, "10.1.2.3"},
		{"only proxies in the chain: the farthest", "10.1.2.3:443", []string{"10.7.7.7"}, "10.7.7.7"},
		{"an IPv4-mapped peer is compared unmapped", "[::ffff:10.1.2.3]:443", []string{"198.51.100.1"}, "198.51.100.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := ClientAddress(p)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tt.client {
				t.Errorf("client %q, want %q", got, tt.client)
			}
		})
	}
}

func TestWithoutTrustedProxiesXForwardedForIsIgnored(t *testing.T) {
	var got string
	h := ClientAddress(Proxies{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.1.2.3:443"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "10.1.2.3" {
		t.Errorf("client %q, want the peer 10.1.2.3", got)
	}
}

// TestRateLimitsAndLogsCountTheClientBehindATrustedProxy checks both uses of the address through the whole stack:
// behind a trusted proxy two clients have a bucket each and the log names each; without the setting the proxy's
// single address is limited and logged, whatever the header says.
func TestRateLimitsAndLogsCountTheClientBehindATrustedProxy(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted string
		// the status of the second client's first request, and the address logged for it
		second int
		logged string
	}{
		{"trusted", "10.0.0.0/8", http.StatusOK, "198.51.100.2"},
		{"not trusted", "", http.StatusTooManyRequests, "10.1.2.3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var logs bytes.Buffer
			f.s.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			l := NewLimiter(time.Hour, 1, 0)
			mux := NewMux()
			mux.Handle("POST /login", f.s.LimitByIP(l)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
			h := f.s.Handler(mux, mustProxies(t, tt.trusted))
			send := func(client string) int {
				r := httptest.NewRequest(http.MethodPost, "/login", nil)
				r.RemoteAddr = "10.1.2.3:443"
				r.Header.Set("X-Forwarded-For", client)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				return rec.Code
			}
			if got := send("198.51.100.1"); got != http.StatusOK {
				t.Fatalf("first client: %d", got)
			}
			logs.Reset()
			if got := send("198.51.100.2"); got != tt.second {
				t.Errorf("second client: %d, want %d", got, tt.second)
			}
			var line struct {
				RemoteIP string `json:"remote_ip"`
			}
			if err := json.Unmarshal(logs.Bytes(), &line); err != nil {
				t.Fatalf("log %q: %v", logs.String(), err)
			}
			if line.RemoteIP != tt.logged {
				t.Errorf("logged remote_ip %q, want %q", line.RemoteIP, tt.logged)
			}
		})
	}
}
