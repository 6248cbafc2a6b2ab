package httpx

import (
	"container/list"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"golang.org/x/time/rate"
)

// DefaultMaxKeys bounds a Limiter's memory when NewLimiter is given no bound: about 200 bytes a key, so some 20 MB.
const DefaultMaxKeys = 100_000

// Limiter is an in-memory token bucket per key (a client IP, a customer, a phone number). Memory is bounded twice:
// keys idle long enough to have refilled are dropped, and past maxKeys the least recently used key is dropped.
// Dropping a key only ever hands it a full bucket again, which is the state it would have reached anyway for an idle
// key, and for a busy one is the price of a bound an attacker with many addresses cannot push us past.
//
// Each instance counts on its own, so behind a load balancer the effective limit is per instance.
type Limiter struct {
	// Now is the clock; tests replace it before the first call.
	Now func() time.Time

	limit   rate.Limit
	burst   int
	maxKeys int
	idle    time.Duration

	mu      sync.Mutex
	entries map[string]*list.Element
	lru     *list.List // front = most recently used
}

type limiterEntry struct {
	key      string
	bucket   *rate.Limiter
	lastSeen time.Time
}

// NewLimiter allows each key burst requests at once and then one more per every. maxKeys ≤ 0 means
// DefaultMaxKeys; every ≤ 0 means no limit.
func NewLimiter(every time.Duration, burst, maxKeys int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	if maxKeys <= 0 {
		maxKeys = DefaultMaxKeys
	}
	limit := rate.Inf
	idle := time.Minute
	if every > 0 {
		limit = rate.Every(every)
		// A bucket left alone this long is full again, so forgetting it loses nothing.
		idle = every * time.Duration(burst)
	}
	return &Limiter{
		Now:     time.Now,
		limit:   limit,
		burst:   burst,
		maxKeys: maxKeys,
		idle:    idle,
		entries: make(map[string]*list.Element),
		lru:     list.New(),
	}
}

// Allow takes a token for key and reports whether there was one.
func (l *Limiter) Allow(key string) bool {
	ok, _ := l.take(key)
	return ok
}

// Len is the number of keys currently tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// take takes a token for key; when there is none it also says how long until there will be.
func (l *Limiter) take(key string) (bool, time.Duration) {
	now := l.Now()
	l.mu.Lock()
	defer l.mu.Unlock()

	l.evictIdle(now)
	var e *limiterEntry
	if el, ok := l.entries[key]; ok {
		l.lru.MoveToFront(el)
		e = el.Value.(*limiterEntry)
	} else {
		if l.lru.Len() >= l.maxKeys {
			l.remove(l.lru.Back())
		}
		e = &limiterEntry{key: key, bucket: rate.NewLimiter(l.limit, l.burst)}
		l.entries[key] = l.lru.PushFront(e)
	}
	e.lastSeen = now

	if e.bucket.AllowN(now, 1) {
		return true, 0
	}
	missing := 1 - e.bucket.TokensAt(now)
	return false, time.Duration(missing / float64(l.limit) * float64(time.Second))
}

// evictIdle drops keys from the least recently used end until one is still in use. Amortised O(1): each key is
// dropped once.
func (l *Limiter) evictIdle(now time.Time) {
	for el := l.lru.Back(); el != nil; el = l.lru.Back() {
		if now.Sub(el.Value.(*limiterEntry).lastSeen) < l.idle {
			return
		}
		l.remove(el)
	}
}

func (l *Limiter) remove(el *list.Element) {
	delete(l.entries, el.Value.(*limiterEntry).key)
	l.lru.Remove(el)
}

// Limit refuses a request once the key that key(r) returns has used up its tokens in l: refuse answers it with a
// rate_limited error whose retry_after parameter says in how many seconds a token will be there.
func Limit(l *Limiter, key func(*http.Request) string, refuse func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ok, wait := l.take(key(r))
			if !ok {
				refuse(w, r, rateLimited(wait))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// rateLimited is the refusal of a request that must wait: 429 rate_limited with a Retry-After rounded up, so a
// client retrying at the advertised second finds a token.
func rateLimited(wait time.Duration) *kumbara.Error {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	return kumbara.ErrRateLimited.With("rate limit").WithParam("retry_after", strconv.Itoa(secs))
}

// LimitByIP limits by client address (ClientKey), answering a refusal as a problem.
func (s *Responder) LimitByIP(l *Limiter) func(http.Handler) http.Handler {
	return Limit(l, ClientKey, s.Error)
}
