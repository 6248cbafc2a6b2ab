package vopsandbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/vop"
	"github.com/kumbara/kumbara/vop/vopsandbox"
)

var _ vop.Responder = (*vopsandbox.Sandbox)(nil)

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

// Other banks' accounts: at Credins (212, the IBAN registry's example), at another Albanian bank, and in Germany
// and Italy.
var (
	credins = mustIBAN("AL47 2121 1009 0000 0002 3569 8741")
	bkt     = mustIBAN(must(iban.NewAlbanian("205", "1001", "1234567890")))
	german  = mustIBAN("DE89 3704 0044 0532 0130 00")
	italian = mustIBAN("IT60 X054 2811 1010 0000 0123 456")
)

func must(ib iban.IBAN, err error) string {
	if err != nil {
		panic(err)
	}
	return ib.String()
}

func mustIBAN(s string) iban.IBAN {
	ib, err := iban.Parse(s)
	if err != nil {
		panic(err)
	}
	return ib
}

// sandbox holds four accounts at other banks, one of a business.
func sandbox() *vopsandbox.Sandbox {
	s := &vopsandbox.Sandbox{}
	s.Add(credins, "Besnik Gjokaj")
	s.Add(iban.IBAN(german.Printable()), "Jürgen Müller")
	s.AddBusiness(bkt, "Ëmbëlsira Tirana SHPK")
	s.Add(italian, "Giuseppe D'Amico")
	return s
}

// The sandbox answers as a responding bank: the matching rule, the holder's name on a close match only, and "not
// possible" for an account it does not hold; a request a responder would reject is an error.
func TestTheSandboxAnswersAsTheResponderBank(t *testing.T) {
	s := sandbox()
	ctx := context.Background()
	unknown := mustIBAN(must(iban.NewAlbanian("202", "1001", "55555")))
	for _, tc := range []struct {
		why    string
		ib     iban.IBAN
		name   string
		result vop.Result
		shown  string
	}{
		{"a match", credins, "besnik gjokaj", vop.Match, ""},
		{"a close match", credins, "B. Gjokaj", vop.CloseMatch, "Besnik Gjokaj"},
		{"no match", credins, "Arben Hoxha", vop.NoMatch, ""},
		{"an IBAN added as printed", german, "Jurgen Muller", vop.Match, ""},
		{"a business without its legal form", bkt, "Embelsira Tirana", vop.Match, ""},
		{"an apostrophe", italian, "Giuseppe Damico", vop.Match, ""},
		{"an account it does not hold", unknown, "Besnik Gjokaj", vop.NotPossible, ""},
	} {
		t.Run(tc.why, func(t *testing.T) {
			o, err := s.Verify(ctx, "CDISALTR", tc.ib, tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if o.Result != tc.result || o.Name != tc.shown {
				t.Errorf("Verify = %s %q, want %s %q", o.Result, o.Name, tc.result, tc.shown)
			}
		})
	}
	for _, tc := range []struct {
		why, bic string
		ib       iban.IBAN
		name     string
	}{
		{"an IBAN that does not parse", "", "AL00", "Besnik Gjokaj"},
		{"a BIC that does not parse", "CDIS", credins, "Besnik Gjokaj"},
		{"no name", "", credins, "  "},
	} {
		if _, err := s.Verify(ctx, tc.bic, tc.ib, tc.name); !errors.Is(err, vopsandbox.ErrRequest) {
			t.Errorf("%s: %v, want ErrRequest", tc.why, err)
		}
	}
}

// A slow sandbox answers when its caller stops waiting, not later; a sandbox that is down answers nothing.
func TestTheSandboxCanBeSlowOrDown(t *testing.T) {
	s := sandbox()
	s.SetDelay(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := s.Verify(ctx, "", credins, "Besnik Gjokaj"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a slow answer: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a slow sandbox held its caller %v past its deadline", d)
	}
	s.SetDelay(10 * time.Millisecond)
	if o, err := s.Verify(context.Background(), "", credins, "Besnik Gjokaj"); err != nil || o.Result != vop.Match {
		t.Errorf("a sandbox a little slow: %v %v", o, err)
	}
	s.SetDelay(0)
	s.SetDown(true)
	if _, err := s.Verify(context.Background(), "", credins, "Besnik Gjokaj"); !errors.Is(err, vopsandbox.ErrDown) {
		t.Errorf("a sandbox down: %v", err)
	}
	s.SetDown(false)
	if _, err := s.Verify(context.Background(), "", credins, "Besnik Gjokaj"); err != nil {
		t.Errorf("a sandbox up again: %v", err)
	}
}

// Through the bank's name check, another bank's accounts are answered by the sandbox; when it is down or slower
// than the check's Timeout, the customer is told the check was not possible, at once and without an error.
func TestChecksOfOtherBanksGoThroughTheSandbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(t0)
		s := sandbox()
		svc := &vop.Service{DB: d, Clock: clk, Own: bank, Accounts: &ledger.Store{DB: d, Clock: clk},
			Customers: &customer.Service{DB: d, Clock: clk, Bank: bank}, Other: s, Timeout: 50 * time.Millisecond}
		check := func(t *testing.T, ib iban.IBAN, name string, result vop.Result, shown string) {
			t.Helper()
			start := time.Now()
			o, err := svc.Check(ctx, "customer-1", ib, name)
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if o.Result != result || o.Name != shown || !o.CheckedAt.Equal(clk.Now()) {
				t.Errorf("check = %s %q at %v, want %s %q at %v", o.Result, o.Name, o.CheckedAt, result, shown,
					clk.Now())
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("the check took %v", took)
			}
		}
		check(t, credins, "Besnik Gjokaj", vop.Match, "")
		check(t, credins, "Besnik Gjoka", vop.CloseMatch, "Besnik Gjokaj")
		check(t, german, "Hans Schmidt", vop.NoMatch, "")
		check(t, bkt, "Embelsira Tirana sh.p.k.", vop.Match, "")
		check(t, mustIBAN(must(iban.NewAlbanian("202", "1001", "55555"))), "Besnik Gjokaj", vop.NotPossible, "")

		s.SetDown(true)
		check(t, credins, "Besnik Gjokaj", vop.NotPossible, "")
		s.SetDown(false)
		s.SetDelay(time.Hour)
		check(t, credins, "Besnik Gjokaj", vop.NotPossible, "")
		s.SetDelay(0)
		check(t, credins, "Besnik Gjokaj", vop.Match, "")
	})
}
