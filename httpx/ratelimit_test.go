package httpx

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time          { return c.now }
func (c *fakeClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func newTestLimiter(every time.Duration, burst, maxKeys int) (*Limiter, *fakeClock) {
	clock := &fakeClock{now: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	l := NewLimiter(every, burst, maxKeys)
	l.Now = clock.Now
	return l, clock
}

func TestLimiterRefusesAfterTheBurstAndRefills(t *testing.T) {
	l, clock := newTestLimiter(time.Second, 3, 0)
	steps := []struct {
		advance time.Duration
		want    bool
	}{
		{0, true}, {0, true}, {0, true}, // the burst
		{0, false},                      // used up
		{500 * time.Millisecond, false}, // half a token is not a token
		{500 * time.Millisecond, true},  // one token back
		{0, false},
		{10 * time.Second, true}, {0, true}, {0, true}, // refilled to the burst, no more
		{0, false},
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		if got := l.Allow("203.0.113.7"); got != s.want {
			t.Fatalf("step %d: Allow = %v, want %v", i, got, s.want)
		}
	}
}

func TestLimiterKeysAreIndependent(t *testing.T) {
	l, _ := newTestLimiter(time.Minute, 1, 0)
	if !l.Allow("a") || l.Allow("a") {
		t.Fatal("key a: want one request allowed, then refused")
	}
	if !l.Allow("b") {
		t.Error("key b was refused because of key a")
	}
}

func TestLimiterForgetsIdleKeys(t *testing.T) {
	l, clock := newTestLimiter(time.Second, 5, 0)
	for i := range 100 {
		l.Allow(fmt.Sprint("key-", i))
	}
	if l.Len() != 100 {
		t.Fatalf("Len = %d, want 100", l.Len())
	}
	// After burst × interval every bucket is full again, so forgetting it changes nothing.
	clock.Advance(5 * time.Second)
	l.Allow("fresh")
	if l.Len() != 1 {
		t.Errorf("Len = %d after the idle time, want 1", l.Len())
	}
}

func TestLimiterKeepsAtMostMaxKeys(t *testing.T) {
	l, clock := newTestLimiter(time.Hour, 1, 10)
	l.Allow("busy")
	for i := range 1000 {
		clock.Advance(time.Millisecond)
		l.Allow("busy") // stays the most recently used
		l.Allow(fmt.Sprint("spray-", i))
		if l.Len() > 10 {
			t.Fatalf("Len = %d, want at most 10", l.Len())
		}
	}
	if l.Allow("busy") {
		t.Error("the busy key was evicted by the spray and got a fresh bucket")
	}
}

func TestLimitByIPAnswers429WithRetryAfter(t *testing.T) {
	f := newFixture(t)
	l, clock := newTestLimiter(10*time.Second, 2, 0)
	h := f.s.LimitByIP(l)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.s.JSON(w, r, http.StatusOK, "ok")
	}))
	do := func(remote string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", nil)
		r.RemoteAddr = remote
		r.Header.Set("Accept-Language", "en")
		r.Header.Set("X-Forwarded-For", fmt.Sprint("198.51.100.", time.Now().UnixNano()%250)) // must not help
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}

	for i := range 2 {
		if rec := do("203.0.113.7:1000"); rec.Code != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200", i, rec.Code)
		}
	}
	clock.Advance(3 * time.Second)
	rec := do("203.0.113.7:2000") // another port, same client
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", rec.Code)
	}
	if p := decodeProblem(t, rec); p.Code != "rate_limited" {
		t.Errorf("code %q, want rate_limited", p.Code)
	}
	if got := rec.Header().Get("Retry-After"); got != "7" {
		t.Errorf("Retry-After = %q, want 7 (the 7 s until the next token)", got)
	}
	if rec := do("203.0.113.8:1000"); rec.Code != http.StatusOK {
		t.Errorf("another address: status %d, want 200", rec.Code)
	}
	clock.Advance(7 * time.Second)
	if rec := do("203.0.113.7:1000"); rec.Code != http.StatusOK {
		t.Errorf("after Retry-After: status %d, want 200", rec.Code)
	}
}

func TestLimitByIPGroupsAnIPv6Slash64(t *testing.T) {
	f := newFixture(t)
	l, _ := newTestLimiter(time.Hour, 1, 0)
	h := f.s.LimitByIP(l)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	status := func(remote string) int {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	tests := []struct {
		remote string
		want   int
	}{
		{"[2001:db8:1:2::1]:443", http.StatusOK},
		{"[2001:db8:1:2:ffff::9]:443", http.StatusTooManyRequests}, // same /64
		{"[2001:db8:1:3::1]:443", http.StatusOK},                   // next /64
	}
	for _, tt := range tests {
		if got := status(tt.remote); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.remote, got, tt.want)
		}
	}
}

func TestLimiterIsSafeForConcurrentUse(t *testing.T) {
	l := NewLimiter(time.Hour, 50, 100)
	done := make(chan int)
	for g := range 8 {
		go func() {
			allowed := 0
			for i := range 200 {
				if l.Allow(strconv.Itoa((g*200 + i) % 150)) {
					allowed++
				}
			}
			done <- allowed
		}()
	}
	for range 8 {
		<-done
	}
	if l.Len() > 100 {
		t.Errorf("Len = %d, want at most 100", l.Len())
	}
}
