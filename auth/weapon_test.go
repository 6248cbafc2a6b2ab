package auth_test

// The lockout (A14) must not be a weapon: whoever knows a client number can fail five times, so a blocked channel
// must look to them like any wrong password, the customer must hear of it at once, and the attempts an outsider can
// make are throttled before they count (throttle.go).

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/password"
)

// wantBlockedSMS delivers the outbox and fails unless the newest SMS on the phone says the channel was blocked
// and how to unblock it.
func (f *fixture) wantBlockedSMS(t testing.TB, mobile string) {
	t.Helper()
	f.flush(t)
	msgs, err := f.inbox.InboxFor(f.ctx, mobile, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 || !strings.Contains(msgs[0].Body, "u bllokua") || !strings.Contains(msgs[0].Body, "kartën dhe PIN-in") {
		t.Fatalf("newest SMS on %s = %+v, want the one saying the channel is blocked", mobile, msgs)
	}
}

// blockedSMS counts the messages waiting in the outbox that tell the customer their channel is blocked.
func (f *fixture) blockedSMS(t testing.TB, mobile string) int {
	t.Helper()
	return f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE ?", mobile, "%u bllokua%")
}

// from is ctx of a login from the address addr.
func (f *fixture) from(addr string) context.Context {
	return auth.WithClient(f.ctx, auth.Client{Channel: auth.ChannelAPI, Address: addr})
}

// failures is the customer's count of consecutive failed factors.
func (f *fixture) failures(t testing.TB, c customer.Customer) int {
	t.Helper()
	return f.count(t, "SELECT failed_attempts FROM credentials WHERE customer_id = ?", c.ID)
}

// block blocks the customer's channel with five wrong passwords and delivers the SMS that says so.
func (f *fixture) block(t testing.TB, c customer.Customer) {
	t.Helper()
	for range auth.DefaultConfig().MaxFailures {
		_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Gabim1234x")
	}
	if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
		t.Fatalf("Blocked = %v, %v after five wrong passwords", blocked, err)
	}
	f.flush(t)
}

func TestABlockedChannelLooksLikeAWrongPasswordToWhoeverLogsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		open := f.person(t, "Arben", "Hoxha")
		blocked := f.person(t, "Elira", "Shehu")
		f.loginOn(t, blocked, auth.Client{DeviceID: "phone-b"}) // so that partial login would be allowed
		f.block(t, blocked)
		phone := auth.WithClient(f.ctx, auth.Client{DeviceID: "phone-b"})
		told := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", blocked.Mobile)
		steps := []struct {
			name string
			try  func(username, pw string) error
		}{
			{"login", func(u, pw string) error { _, err := f.auth.Login(f.ctx, u, pw); return err }},
			{"business login without a NIPT", func(u, pw string) error {
				_, err := f.auth.LoginBusiness(f.ctx, u, "", pw)
				return err
			}},
			{"partial login", func(u, pw string) error { _, _, err := f.auth.LoginPartial(phone, u, pw); return err }},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				var first error
				for _, tc := range []struct{ name, username, pw string }{
					{"a wrong password", open.ClientNumber, "Gabim1234x"},
					{"an unknown user", "999999999", pw1},
					{"a blocked channel and the right password", blocked.ClientNumber, pw1},
					{"a blocked channel and a wrong password", blocked.ClientNumber, "Gabim1234x"},
					{"a blocked channel by national ID", blocked.NationalID, pw1},
				} {
					err := step.try(tc.username, tc.pw)
					e, ok := kumbara.As(err)
					if !ok || e.Kind != kumbara.KindUnauthorized || e.Code != "login_failed" || len(e.Fields) != 0 ||
						len(e.Params) != 0 {
						t.Fatalf("%s: %#v, want a bare login_failed", tc.name, err)
					}
					if first == nil {
						first = err
					} else if !reflect.DeepEqual(e, first) {
						t.Errorf("%s: %#v differs from %#v", tc.name, e, first)
					}
				}
				if n := f.failures(t, open); n > 4 {
					t.Fatalf("%d failures on the open channel", n)
				}
				f.login(t, open, pw1) // its count starts again for the next step
			})
		}
		// A blocked channel counts nothing more and sends nothing: no code, no second alert.
		if n := f.failures(t, blocked); n != auth.DefaultConfig().MaxFailures {
			t.Errorf("failures on the blocked channel = %d, want the %d that blocked it", n, auth.DefaultConfig().MaxFailures)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", blocked.Mobile); n != told {
			t.Errorf("%d messages sent to the blocked customer for the attempts after the block", n-told)
		}
	})
}

// countingHasher counts the passwords checked, which is what a login's time is made of.
type countingHasher struct {
	password.Hasher
	verified *atomic.Int64
}

func (h countingHasher) Verify(encoded, pw string) (bool, error) {
	h.verified.Add(1)
	return h.Hasher.Verify(encoded, pw)
}

func TestEveryRefusedPasswordCostsOneHash(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		var verified atomic.Int64
		f.auth.Hasher = countingHasher{Hasher: password.ForTests, verified: &verified}
		open := f.person(t, "Arben", "Hoxha")
		blocked := f.person(t, "Elira", "Shehu")
		p := f.representative(t, "Arta", "Leka")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p)
		f.block(t, blocked)
		for _, tc := range []struct{ name, username, nipt, pw string }{
			{"a wrong password", open.ClientNumber, "", "Gabim1234x"},
			{"the right password", open.ClientNumber, "", pw1},
			{"an unknown user", "999999999", "", "Gabim1234x"},
			{"a blocked channel", blocked.ClientNumber, "", pw1},
			{"a NIPT that does not fit", p.ClientNumber, "L99999999A", pw2},
			{"a business without its NIPT", biz.ClientNumber, "", pw1},
		} {
			before := verified.Load()
			_, _ = f.auth.LoginBusiness(f.ctx, tc.username, tc.nipt, tc.pw)
			if n := verified.Load() - before; n != 1 {
				t.Errorf("%s: %d passwords checked, want 1", tc.name, n)
			}
		}
	})
}

func TestTheCustomerIsToldByTheTransactionThatBlocksTheChannel(t *testing.T) {
	for _, tc := range []struct {
		name  string
		block func(t testing.TB, f *fixture, c customer.Customer)
	}{
		{"wrong passwords", func(_ testing.TB, f *fixture, c customer.Customer) {
			for range 5 {
				_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Gabim1234x")
			}
		}},
		{"wrong login codes", func(t testing.TB, f *fixture, c customer.Customer) {
			ch, err := f.auth.Login(f.ctx, c.ClientNumber, pw1)
			if err != nil {
				t.Fatal(err)
			}
			for range 5 {
				_, _, _ = f.auth.VerifyOTP(f.ctx, ch.ID, "1234567")
			}
		}},
		{"failed factors counted after their check", func(_ testing.TB, f *fixture, c customer.Customer) {
			for range 5 {
				_ = f.auth.FailFactor(f.ctx, c.ID)
			}
		}},
		{"failed factors counted before their check", func(_ testing.TB, f *fixture, c customer.Customer) {
			for range 5 {
				if f.auth.ReserveFactor(f.ctx, c.ID) == nil {
					_ = f.auth.SettleFactor(f.ctx, c.ID, false)
				}
			}
		}},
		{"wrong passwords typed again in a session", func(_ testing.TB, f *fixture, c customer.Customer) {
			for range 5 {
				_ = f.auth.CheckPassword(f.ctx, c.ID, "Gabim1234x")
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d, auth.DefaultConfig())
				c := f.person(t, "Arben", "Hoxha")
				f.flush(t)
				before := f.sent.Load()
				tc.block(t, f, c)
				if blocked, err := f.auth.Blocked(f.ctx, c.ID); err != nil || !blocked {
					t.Fatalf("Blocked = %v, %v", blocked, err)
				}
				// Queued with the block, not by a later step; once, however the attempts went on.
				if n := f.blockedSMS(t, c.Mobile); n != 1 {
					t.Fatalf("%d SMS saying the channel is blocked, want 1", n)
				}
				if f.sent.Load() == before {
					t.Error("the dispatcher was not woken for the SMS")
				}
				_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Gabim1234x")
				if n := f.blockedSMS(t, c.Mobile); n != 1 {
					t.Errorf("%d SMS after another attempt, want still 1", n)
				}
				f.wantBlockedSMS(t, c.Mobile)
			})
		})
	}
}

func TestAWrongNIPTDoesNotCountAgainstThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		p := f.representative(t, "Arta", "Leka")
		biz := f.company(t, "Ëmbëlsira Tirana Shpk", p)
		for i := range 3 * auth.DefaultConfig().MaxFailures {
			pw := pw2
			if i%2 == 1 {
				pw = "Gabim1234x"
			}
			_, err := f.auth.LoginBusiness(f.ctx, p.ClientNumber, fmt.Sprintf("K%08dB", 30000000+i), pw)
			wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		}
		if n := f.failures(t, p); n != 0 {
			t.Fatalf("the person's failures = %d after wrong NIPTs, want 0", n)
		}
		f.loginFor(t, p, biz, pw2)
	})
}

func TestAttemptsAgainstManyUsersFromOneAddressAreThrottledBeforeTheyCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		f := newFixture(t, d, cfg)
		limit := cfg.Throttle.AddressTargets
		spray := f.from("203.0.113.7")
		var tried []customer.Customer
		for i := range limit {
			if i%4 == 3 {
				_, err := f.auth.Login(spray, fmt.Sprintf("9999%05d", i), pw1) // users nobody is count too
				wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
				continue
			}
			c := f.person(t, "Arben", fmt.Sprintf("Hoxha%c", 'a'+i))
			_, err := f.auth.Login(spray, c.ClientNumber, "Gabim1234x")
			wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
			tried = append(tried, c)
		}
		next := f.person(t, "Elira", "Shehu")
		for _, tc := range []struct {
			name string
			c    customer.Customer
			pw   string
		}{
			{"a new user", next, "Gabim1234x"},
			{"a new user with the right password", next, pw1},
			{"a user tried before", tried[0], "Gabim1234x"},
		} {
			_, err := f.auth.Login(spray, tc.c.ClientNumber, tc.pw)
			wantCode(t, err, kumbara.KindRateLimited, "login_throttled")
			if e, _ := kumbara.As(err); e.Params["retry_after"] != "3600" {
				t.Errorf("%s: retry_after = %q, want 3600", tc.name, e.Params["retry_after"])
			}
		}
		_, err := f.auth.Login(spray, "999999999", pw1)
		wantCode(t, err, kumbara.KindRateLimited, "login_throttled") // an unknown user is refused the same way
		if n := f.failures(t, next); n != 0 {
			t.Errorf("refused attempts counted %d failures", n)
		}
		if n := f.failures(t, tried[0]); n != 1 {
			t.Errorf("the user tried before has %d failures, want the 1 from before the throttle", n)
		}
		// Another address is not held back, and the window passes.
		if _, err := f.auth.Login(f.from("198.51.100.9"), next.ClientNumber, pw1); err != nil {
			t.Fatalf("login from another address: %v", err)
		}
		f.clk.Advance(cfg.Throttle.AddressWindow)
		if _, err := f.auth.Login(spray, next.ClientNumber, pw1); err != nil {
			t.Fatalf("login after the window: %v", err)
		}
	})
}

func TestRepeatedAttemptsFromAddressesTheCustomerNeverUsedAreThrottledBeforeTheyCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		f := newFixture(t, d, cfg)
		c := f.person(t, "Arben", "Hoxha")
		home := auth.Client{Channel: auth.ChannelWeb, Address: "192.0.2.10"}
		f.loginOn(t, c, home)
		stranger := func(i int) context.Context { return f.from(fmt.Sprintf("203.0.113.%d", i)) }
		// The manual's five still block, from wherever they come.
		for i := range cfg.MaxFailures {
			_, err := f.auth.Login(stranger(i), c.ClientNumber, "Gabim1234x")
			wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		}
		f.wantBlockedSMS(t, c.Mobile)
		if err := f.auth.Unblock(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		// No new five for strangers that day: refused before the password is checked or counted.
		for i := range 3 {
			_, err := f.auth.Login(stranger(100+i), c.ClientNumber, pw1)
			wantCode(t, err, kumbara.KindRateLimited, "login_throttled")
			_, err = f.auth.Login(stranger(100+i), c.ClientNumber, "Gabim1234x")
			wantCode(t, err, kumbara.KindRateLimited, "login_throttled")
		}
		if n := f.failures(t, c); n != 0 {
			t.Fatalf("refused attempts counted %d failures", n)
		}
		// An unknown user is refused just the same after as many failures.
		for i := range cfg.Throttle.StrangerFailures {
			_, err := f.auth.Login(stranger(i), "999999999", pw1)
			wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		}
		for _, spelling := range []string{"999999999", " 999999999 "} { // read as a client number is, for anyone
			_, err := f.auth.Login(stranger(100), spelling, pw1)
			wantCode(t, err, kumbara.KindRateLimited, "login_throttled")
		}
		// The customer's own address is not held back: a wrong password counts, the right one logs in.
		_, err := f.auth.Login(auth.WithClient(f.ctx, home), c.ClientNumber, "Gabim1234x")
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		if n := f.failures(t, c); n != 1 {
			t.Errorf("failures = %d after a wrong password from home, want 1", n)
		}
		f.loginOn(t, c, home)
		// A day after the failures, strangers are heard again.
		f.clk.Advance(cfg.Throttle.StrangerWindow)
		if _, err := f.auth.Login(stranger(200), c.ClientNumber, pw1); err != nil {
			t.Fatalf("login from a new address a day later: %v", err)
		}
	})
}

func TestOnlyTheLastFullLoginsAddressesAreTheCustomersOwn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := auth.DefaultConfig()
		cfg.Throttle.KnownAddresses = 2
		cfg.Throttle.StrangerFailures = 1
		f := newFixture(t, d, cfg)
		c := f.person(t, "Arben", "Hoxha")
		at := func(addr string) auth.Client { return auth.Client{Address: addr} }
		for _, addr := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
			f.loginOn(t, c, at(addr))
			f.clk.Advance(time.Minute)
		}
		// One failure from a stranger uses up what strangers get; the oldest address is a stranger's again.
		_, err := f.auth.Login(f.from("203.0.113.1"), c.ClientNumber, "Gabim1234x")
		wantCode(t, err, kumbara.KindUnauthorized, "login_failed")
		for _, tc := range []struct {
			addr string
			own  bool
		}{{"192.0.2.1", false}, {"192.0.2.2", true}, {"192.0.2.3", true}} {
			_, err := f.auth.Login(f.from(tc.addr), c.ClientNumber, pw1)
			if got := err == nil; got != tc.own {
				t.Errorf("login from %s: %v; want it admitted %v", tc.addr, err, tc.own)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM login_addresses WHERE customer_id = ?", c.ID); n != 2 {
			t.Errorf("%d addresses kept, want 2", n)
		}
	})
}

func TestConcurrentAttemptsNeverGetPastTheThrottle(t *testing.T) {
	const tries = 20
	for _, tc := range []struct {
		name   string
		adjust func(*auth.Throttle)
		guess  func(f *fixture, cs []customer.Customer, i int) error
		limit  int // failures counted at most, over every customer
	}{
		{"one customer from many strangers' addresses", func(th *auth.Throttle) { th.StrangerFailures = 2 },
			func(f *fixture, cs []customer.Customer, i int) error {
				_, err := f.auth.Login(f.from(fmt.Sprintf("203.0.113.%d", i)), cs[0].ClientNumber, "Gabim1234x")
				return err
			}, 2},
		{"many customers from one address", func(th *auth.Throttle) { th.AddressTargets = 3 },
			func(f *fixture, cs []customer.Customer, i int) error {
				_, err := f.auth.Login(f.from("203.0.113.7"), cs[i].ClientNumber, "Gabim1234x")
				return err
			}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				cfg := auth.DefaultConfig()
				tc.adjust(&cfg.Throttle)
				f := newFixture(t, d, cfg)
				f.auth.Hasher = slowHasher
				var cs []customer.Customer
				for i := range tries {
					cs = append(cs, f.person(t, "Arben", fmt.Sprintf("Hoxha%c", 'a'+i)))
				}
				errs := make([]error, tries)
				var wg sync.WaitGroup
				for i := range tries {
					wg.Go(func() { errs[i] = tc.guess(f, cs, i) })
				}
				wg.Wait()
				limited := 0
				for _, err := range errs {
					switch kumbara.CodeOf(err) {
					case "login_throttled":
						limited++
					case "login_failed":
					default:
						t.Errorf("attempt: %v", err)
					}
				}
				total := f.count(t, "SELECT SUM(failed_attempts) FROM credentials")
				if total > tc.limit {
					t.Errorf("%d failures counted, want at most %d", total, tc.limit)
				}
				if limited < tries-tc.limit {
					t.Errorf("%d attempts throttled, want at least %d", limited, tries-tc.limit)
				}
			})
		})
	}
}

func TestAPartialSessionCannotEndOtherSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		phone := auth.Client{DeviceID: "phone-a"}
		fullToken, full := f.loginOn(t, c, phone)
		partialToken, partial, err := f.auth.LoginPartial(auth.WithClient(f.ctx, phone), c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		err = f.auth.EndSession(f.ctx, partial, full.ID)
		wantCode(t, err, kumbara.KindForbidden, "assurance_insufficient")
		if _, err := f.auth.Authenticate(f.ctx, fullToken); err != nil {
			t.Fatalf("the full session after the partial one tried to end it: %v", err)
		}
		// It may end itself, and a full session may end the others.
		if err := f.auth.EndSession(f.ctx, partial, partial.ID); err != nil {
			t.Fatalf("a partial session ending itself: %v", err)
		}
		_, err = f.auth.Authenticate(f.ctx, partialToken)
		wantCode(t, err, kumbara.KindUnauthorized, "session_expired")
		_, again, err := f.auth.LoginPartial(auth.WithClient(f.ctx, phone), c.ClientNumber, pw1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.auth.EndSession(f.ctx, full, again.ID); err != nil {
			t.Fatalf("a full session ending a partial one: %v", err)
		}
	})
}
