package uniquecode_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/uniquecode"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var secret = bytes.Repeat([]byte{0x5a}, 32)

type fixture struct {
	ctx        context.Context
	d          *db.DB
	clk        *clock.Fake
	codes      *uniquecode.Service
	alice, bob string // customer ids
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	cs := &customer.Service{DB: d, Clock: clk, Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001",
		BIC: "KUMBALT0XXX"}}
	person := func(n int) string {
		c, err := cs.CreateIndividual(ctx, customer.NewIndividual{
			NationalID: kyc.NewNationalID(time.Date(1985, 5, n, 0, 0, 0, 0, time.UTC), n%2 == 0, n).String(),
			FirstName:  "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", n), ContractVersion: "002"})
		if err != nil {
			t.Fatalf("CreateIndividual: %v", err)
		}
		return c.ID
	}
	return &fixture{ctx: ctx, d: d, clk: clk, alice: person(1), bob: person(2),
		codes: &uniquecode.Service{DB: d, Clock: clk, Key: uniquecode.DeriveKey(secret)}}
}

func (f *fixture) issue(t *testing.T, customerID string, p uniquecode.Purpose) string {
	t.Helper()
	code, expires, err := f.codes.Issue(f.ctx, customerID, p, "staff-1")
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if want := f.clk.Now().Add(uniquecode.DefaultValidity); !expires.Equal(want) {
		t.Fatalf("expires %v, want %v", expires, want)
	}
	if n, ok := uniquecode.Normalize(code); !ok || n != code {
		t.Fatalf("issued code %q is not in canonical form", code)
	}
	return code
}

func wantCode(t *testing.T, err error, kind kumbara.Kind, code string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("got %v, want %s (kind %d)", err, code, kind)
	}
}

// lower, spaced and dashed are forms of a code a customer may type.
func lower(c string) string  { return strings.ToLower(c) }
func spaced(c string) string { return " " + c[:3] + " " + c[3:7] + "  " + c[7:] + " " }
func dashed(c string) string { return uniquecode.Format(strings.ToLower(c[:5]) + c[5:]) }

func TestRedeemAcceptsTheIssuedCodeInTheFormsPeopleType(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tc := range []struct {
			name string
			form func(string) string
		}{
			{"as issued", func(c string) string { return c }},
			{"lower case", lower},
			{"with spaces", spaced},
			{"with dashes", dashed},
			{"with a typographic dash", func(c string) string { return c[:5] + "\u2013" + c[5:] }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code := f.issue(t, f.alice, uniquecode.Registration)
				if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, tc.form(code)); err != nil {
					t.Fatalf("Redeem(%q): %v", tc.form(code), err)
				}
			})
		}
	})
}

func TestRedeemRefusesACodeThatDoesNotFit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		reg := f.issue(t, f.alice, uniquecode.Registration)
		for _, tc := range []struct {
			name     string
			customer string
			purpose  uniquecode.Purpose
			typed    string
			kind     kumbara.Kind
			code     string
		}{
			{"another customer's code", f.bob, uniquecode.Registration, reg, kumbara.KindUnauthorized, "unique_code_invalid"},
			{"a registration code for recovery", f.alice, uniquecode.Recovery, reg, kumbara.KindUnauthorized, "unique_code_invalid"},
			{"an unknown customer", "no-such-customer", uniquecode.Registration, reg, kumbara.KindUnauthorized, "unique_code_invalid"},
			{"a customer id that cannot be stored", "a\x00b", uniquecode.Registration, reg, kumbara.KindUnauthorized, "unique_code_invalid"},
			{"an unknown purpose", f.alice, "login", reg, kumbara.KindInvalid, "validation_failed"},
			{"an empty code", f.alice, uniquecode.Registration, "  - ", kumbara.KindInvalid, "validation_failed"},
			{"a code too short", f.alice, uniquecode.Registration, reg[:9], kumbara.KindInvalid, "validation_failed"},
			{"a look-alike character", f.alice, uniquecode.Registration, "O" + reg[1:], kumbara.KindInvalid, "validation_failed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, f.codes.Redeem(f.ctx, tc.customer, tc.purpose, tc.typed), tc.kind, tc.code)
			})
		}
		// None of those spent or blocked Alice's code (one wrong try was counted on it, well below the limit).
		if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, reg); err != nil {
			t.Fatalf("Redeem after the refusals: %v", err)
		}
	})
}

func TestIssueRefusesBadRequests(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tc := range []struct {
			name     string
			customer string
			purpose  uniquecode.Purpose
			by       string
			kind     kumbara.Kind
			code     string
		}{
			{"no customer", "", uniquecode.Registration, "cli", kumbara.KindInvalid, "validation_failed"},
			{"unknown purpose", f.alice, "login", "cli", kumbara.KindInvalid, "validation_failed"},
			{"no issuer", f.alice, uniquecode.Recovery, " ", kumbara.KindInvalid, "validation_failed"},
			{"unknown customer", "no-such-customer", uniquecode.Recovery, "cli", kumbara.KindNotFound, "customer_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := f.codes.Issue(f.ctx, tc.customer, tc.purpose, tc.by)
				wantCode(t, err, tc.kind, tc.code)
			})
		}
	})
}

func TestACodeExpiresAfterItsValidity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tc := range []struct {
			name  string
			after time.Duration
			code  string // "" means redeemed
		}{
			{"at the last moment of its validity", uniquecode.DefaultValidity, ""},
			{"one second later", uniquecode.DefaultValidity + time.Second, "unique_code_expired"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				f.clk.Set(t0)
				code := f.issue(t, f.alice, uniquecode.Recovery)
				f.clk.Advance(tc.after)
				err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Recovery, code)
				if tc.code == "" {
					if err != nil {
						t.Fatalf("Redeem: %v", err)
					}
					return
				}
				wantCode(t, err, kumbara.KindUnauthorized, tc.code)
			})
		}
	})
}

func TestACodeIsSpentByItsFirstUse(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		code := f.issue(t, f.alice, uniquecode.Registration)
		if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, code); err != nil {
			t.Fatalf("first Redeem: %v", err)
		}
		wantCode(t, f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, lower(code)), kumbara.KindUnauthorized,
			"unique_code_used")
	})
}

func TestANewCodeRevokesTheOlderOneOfTheSamePurposeOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		old := f.issue(t, f.alice, uniquecode.Registration)
		recovery := f.issue(t, f.alice, uniquecode.Recovery)
		f.clk.Advance(time.Minute)
		newer := f.issue(t, f.alice, uniquecode.Registration)
		wantCode(t, f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, old), kumbara.KindUnauthorized,
			"unique_code_invalid")
		if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, newer); err != nil {
			t.Fatalf("Redeem of the newer code: %v", err)
		}
		if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Recovery, recovery); err != nil {
			t.Fatalf("Redeem of the recovery code: %v", err)
		}
	})
}

func TestWrongCodesBlockTheLiveCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		code := f.issue(t, f.alice, uniquecode.Registration)
		wrong := "AAAAAAAAAA"
		if code == wrong {
			wrong = "CCCCCCCCCC"
		}
		for i := 1; i < uniquecode.DefaultMaxAttempts; i++ {
			wantCode(t, f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, wrong), kumbara.KindUnauthorized,
				"unique_code_invalid")
		}
		wantCode(t, f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, wrong), kumbara.KindForbidden,
			"unique_code_blocked")
		// From then on the right code is blocked too, and staff must issue a new one.
		wantCode(t, f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, code), kumbara.KindForbidden,
			"unique_code_blocked")
		var attempts int
		var revoked bool
		if err := d.QueryRow(f.ctx, "SELECT attempts, revoked_at IS NOT NULL FROM unique_codes WHERE customer_id = ?",
			f.alice).Scan(&attempts, &revoked); err != nil {
			t.Fatal(err)
		}
		if attempts != uniquecode.DefaultMaxAttempts || !revoked {
			t.Fatalf("attempts %d, revoked %v", attempts, revoked)
		}
		fresh := f.issue(t, f.alice, uniquecode.Registration)
		if err := f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, fresh); err != nil {
			t.Fatalf("Redeem of a fresh code: %v", err)
		}
	})
}

func TestTheStoredHashIsNotTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		code := f.issue(t, f.alice, uniquecode.Registration)
		var id, hash, by string
		if err := d.QueryRow(f.ctx, "SELECT id, code_hash, issued_by FROM unique_codes WHERE customer_id = ?", f.alice).
			Scan(&id, &hash, &by); err != nil {
			t.Fatal(err)
		}
		if hash == code || strings.Contains(strings.ToUpper(hash), code) || len(hash) != 64 {
			t.Fatalf("stored hash %q for code %q", hash, code)
		}
		if by != "staff-1" {
			t.Fatalf("issued_by = %q", by)
		}
		// A hash under another key, or for another row, customer or purpose, is a different hash.
		other := &uniquecode.Service{DB: d, Clock: f.clk, Key: uniquecode.DeriveKey(bytes.Repeat([]byte{1}, 32))}
		wantCode(t, other.Redeem(f.ctx, f.alice, uniquecode.Registration, code), kumbara.KindUnauthorized,
			"unique_code_invalid")
	})
}

func TestConcurrentRedeemsSpendACodeOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		code := f.issue(t, f.alice, uniquecode.Registration)
		const n = 10
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { errs[i] = f.codes.Redeem(f.ctx, f.alice, uniquecode.Registration, code) })
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case kumbara.CodeOf(err) != "unique_code_used":
				t.Fatalf("Redeem: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d of %d concurrent redeems succeeded, want exactly 1", ok, n)
		}
	})
}

func TestIssuedCodesAreDrawnFromTheAlphabet(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		seen := map[string]bool{}
		for range 20 {
			code := f.issue(t, f.bob, uniquecode.Recovery)
			if len(code) != uniquecode.Length || strings.Trim(code, uniquecode.Alphabet) != "" || seen[code] {
				t.Fatalf("code %q", code)
			}
			seen[code] = true
		}
	})
}
