package vop_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/vop"
)

// A check of one of the bank's own IBANs is answered from its accounts: the holder's name compared with the name
// typed, for individuals and businesses; an account the bank does not hold and a closed one cannot be checked.
func TestCheckAnswersForTheBanksOwnIBANs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		me := f.person(t, "Arben", "Hoxha")
		elira := f.account(t, f.person(t, "Elira", "Shehu").ID)
		dritan := f.account(t, f.person(t, "Dritan", "Çela").ID)
		alfa := f.account(t, f.company(t, "Alfa Ndërtim SHPK", me).ID)
		closed := f.account(t, f.person(t, "Mirela", "Kuçi").ID)
		f.setStatus(t, closed.ID, ledger.Closed)
		blocked := f.account(t, f.person(t, "Gëzim", "Zeqiri").ID)
		f.setStatus(t, blocked.ID, ledger.Blocked)
		nobody, err := iban.NewAlbanian(bank.Code, bank.Branch, "77777777")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			why    string
			ib     string
			name   string
			result vop.Result
			shown  string
		}{
			{"an individual's name", elira.IBAN, "Elira Shehu", vop.Match, ""},
			{"typed without ç, surname first", dritan.IBAN, "cela dritan", vop.Match, ""},
			{"an initial", elira.IBAN, "E. Shehu", vop.CloseMatch, "Elira Shehu"},
			{"a typo", dritan.IBAN, "Dritan Cella", vop.CloseMatch, "Dritan Çela"},
			{"another person's name", elira.IBAN, "Arben Hoxha", vop.NoMatch, ""},
			{"a business without its legal form", alfa.IBAN, "Alfa Ndertim", vop.Match, ""},
			{"a business with another spelling of it", alfa.IBAN, "ALFA NDERTIM sh.p.k.", vop.Match, ""},
			{"a business's name with a typo", alfa.IBAN, "Alfa Ndertin", vop.CloseMatch, "Alfa Ndërtim SHPK"},
			{"a business's name wrong", alfa.IBAN, "Beta Ndertim", vop.NoMatch, ""},
			{"a closed account", closed.IBAN, "Mirela Kuçi", vop.NotPossible, ""},
			{"a blocked account is still its holder's", blocked.IBAN, "Gezim Zeqiri", vop.Match, ""},
			{"no such account", nobody.String(), "Arben Hoxha", vop.NotPossible, ""},
			{"the IBAN as printed", iban.IBAN(elira.IBAN).Printable(), "Elira Shehu", vop.Match, ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				o, err := f.svc.Check(f.ctx, me.ID, iban.IBAN(tc.ib), tc.name)
				f.wantOutcome(t, o, err, tc.result, tc.shown)
			})
		}
		if n := f.other.asked.Load(); n != 0 {
			t.Errorf("the other banks were asked %d times about this bank's IBANs", n)
		}
	})
}

// A check of another bank's IBAN is that bank's answer, routed by the directory's BIC; whatever goes wrong there
// — no answer in time, an error, an answer the scheme does not have, no directory entry, no responder at all — the
// customer is told it was not possible, never an error, and a name comes only with a close match.
func TestCheckAsksAnotherBankAndIsNeverFailedByIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		me := f.person(t, "Arben", "Hoxha")
		routed := directory{"212": "CDISALTR"}
		for _, tc := range []struct {
			why       string
			ib        iban.IBAN
			responder *stubResponder
			dir       vop.Directory
			none      bool
			result    vop.Result
			shown     string
		}{
			{"a match", albanianIBAN, &stubResponder{outcome: vop.Outcome{Result: vop.Match}}, routed, false,
				vop.Match, ""},
			{"a close match names the account", germanIBAN,
				&stubResponder{outcome: vop.Outcome{Result: vop.CloseMatch, Name: "Jürgen Müller"}}, nil, false,
				vop.CloseMatch, "Jürgen Müller"},
			{"a name given with a match is not passed on", albanianIBAN,
				&stubResponder{outcome: vop.Outcome{Result: vop.Match, Name: "Besnik Gjoka"}}, routed, false,
				vop.Match, ""},
			{"a name given with no match is not passed on", albanianIBAN,
				&stubResponder{outcome: vop.Outcome{Result: vop.NoMatch, Name: "Besnik Gjoka"}}, routed, false,
				vop.NoMatch, ""},
			{"the other bank is down", albanianIBAN, &stubResponder{err: errDown}, routed, false,
				vop.NotPossible, ""},
			{"the other bank is slow", albanianIBAN,
				&stubResponder{outcome: vop.Outcome{Result: vop.Match}, delay: 2 * time.Second}, routed, false,
				vop.NotPossible, ""},
			{"an answer the scheme does not have", albanianIBAN,
				&stubResponder{outcome: vop.Outcome{Result: "maybe", Name: "Besnik Gjoka"}}, routed, false,
				vop.NotPossible, ""},
			{"a bank the directory does not know", germanIBAN,
				&stubResponder{outcome: vop.Outcome{Result: vop.Match}}, routed, false, vop.NotPossible, ""},
			{"no responder", albanianIBAN, nil, routed, true, vop.NotPossible, ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				svc := f.instance()
				svc.Timeout = 50 * time.Millisecond
				svc.Directory = tc.dir
				if tc.none {
					svc.Other = nil
				} else {
					svc.Other = tc.responder
				}
				start := time.Now()
				o, err := svc.Check(f.ctx, me.ID, tc.ib, "Besnik Gjokaj")
				f.wantOutcome(t, o, err, tc.result, tc.shown)
				if took := time.Since(start); took > time.Second {
					t.Errorf("the check took %v, past its timeout", took)
				}
				if tc.dir != nil && tc.result != vop.NotPossible {
					if bic, _ := tc.responder.lastBIC.Load().(string); bic != "CDISALTR" {
						t.Errorf("asked with BIC %q, want the directory's CDISALTR", bic)
					}
				}
			})
		}
	})
}

// A check names what is wrong with the IBAN and the name, and spends nothing of the allowance.
func TestCheckRefusesBadInputWithTheFieldsCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		me := f.person(t, "Arben", "Hoxha")
		long := ""
		for range 15 {
			long += "Aleksandër "
		}
		for _, tc := range []struct {
			why, ib, name string
			want          []string
		}{
			{"nothing", "", " ", []string{"iban:field_required", "name:field_required"}},
			{"a wrong check digit", "AL47212110090000000235698742", "Elira Shehu", []string{"iban:iban_invalid"}},
			{"not an IBAN", "hello", "Elira Shehu", []string{"iban:iban_invalid"}},
			{"a name too long", string(albanianIBAN), long, []string{"name:description_too_long"}},
			{"a control character", string(albanianIBAN), "Elira\u202eShehu", []string{"name:description_invalid_characters"}},
			{"invalid UTF-8", string(germanIBAN), "Elira \xff", []string{"name:description_invalid_characters"}},
		} {
			t.Run(tc.why, func(t *testing.T) {
				_, err := f.svc.Check(f.ctx, me.ID, iban.IBAN(tc.ib), tc.name)
				if got := fieldCodes(t, err); !slices.Equal(got, tc.want) {
					t.Errorf("fields %v, want %v", got, tc.want)
				}
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM vop_allowances"); n != 0 {
			t.Errorf("refused checks spent the allowance (%d rows)", n)
		}
		_, err := f.svc.Answer(f.ctx, "not a bic", albanianIBAN, "Elira Shehu")
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"bic:bic_invalid"}) {
			t.Errorf("Answer's fields %v", got)
		}
		_, err = f.svc.Answer(f.ctx, "", "", "")
		if got := fieldCodes(t, err); !slices.Equal(got, []string{"bic:field_required", "iban:field_required",
			"name:field_required"}) {
			t.Errorf("Answer's fields %v", got)
		}
	})
}

// A name check tells whether a name is an account's, so each customer has an allowance: 20 at once, then one every
// 6 seconds, counted in the database, so two instances of the bank (and a restart) share it. Checks of other
// banks' IBANs count too.
func TestChecksAreLimitedPerCustomerAcrossInstances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payee := f.account(t, f.person(t, "Elira", "Shehu").ID)
		me := f.person(t, "Arben", "Hoxha")
		someoneElse := f.person(t, "Dritan", "Çela")
		instances := []*vop.Service{f.svc, f.instance()}
		check := func(svc *vop.Service, customerID string) error {
			_, err := svc.Check(f.ctx, customerID, iban.IBAN(payee.IBAN), "Elira Shehu")
			return err
		}
		burst := vop.DefaultCustomerAllowance.Burst
		for i := range burst {
			if err := check(instances[i%2], me.ID); err != nil {
				t.Fatalf("check %d: %v", i+1, err)
			}
		}
		for _, svc := range instances {
			wantRefused(t, check(svc, me.ID), "6")
		}
		if _, err := f.svc.Check(f.ctx, me.ID, germanIBAN, "Jürgen Müller"); err == nil {
			t.Error("a check of another bank's IBAN past the allowance was answered")
		}
		if err := check(f.svc, someoneElse.ID); err != nil {
			t.Errorf("another customer's first check: %v", err)
		}
		f.clk.Advance(4 * time.Second)
		wantRefused(t, check(instances[1], me.ID), "2")
		f.clk.Advance(2 * time.Second)
		if err := check(instances[1], me.ID); err != nil {
			t.Fatalf("a check 6 s later: %v", err)
		}
		wantRefused(t, check(f.svc, me.ID), "6")

		// Two minutes on, the allowance is whole again, and the rows that say nothing more are gone.
		f.clk.Advance(time.Duration(burst) * vop.DefaultCustomerAllowance.Every)
		for i := range burst {
			if err := check(instances[i%2], me.ID); err != nil {
				t.Fatalf("check %d of the new allowance: %v", i+1, err)
			}
		}
		wantRefused(t, check(f.svc, me.ID), "6")
		if n := f.count(t, "SELECT COUNT(*) FROM vop_allowances"); n != 1 {
			t.Errorf("%d allowance rows, want only the customer's whose allowance is not whole", n)
		}
	})
}

// Checks made at once, on several instances, never pass the allowance together.
func TestConcurrentChecksNeverPassTheAllowance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payee := f.account(t, f.person(t, "Elira", "Shehu").ID)
		me := f.person(t, "Arben", "Hoxha")
		instances := []*vop.Service{f.svc, f.instance(), f.instance()}
		const tries = 60
		var wg sync.WaitGroup
		var mu sync.Mutex
		answered, refused := 0, 0
		for i := range tries {
			wg.Go(func() {
				_, err := instances[i%len(instances)].Check(f.ctx, me.ID, iban.IBAN(payee.IBAN), "Elira Shehu")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					answered++
				case vopRateLimited(err):
					refused++
				default:
					t.Errorf("check: %v", err)
				}
			})
		}
		wg.Wait()
		if burst := vop.DefaultCustomerAllowance.Burst; answered != burst || refused != tries-burst {
			t.Errorf("%d answered and %d refused of %d checks at once, want %d answered", answered, refused, tries,
				burst)
		}
	})
}

// Another bank asking about this bank's IBANs has an allowance of its own, shared by its branches and by every
// instance of this bank; another bank's allowance is apart.
func TestAnswersAreLimitedPerRequestingBank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payee := f.account(t, f.person(t, "Elira", "Shehu").ID)
		limit := vop.Allowance{Burst: 3, Every: 10 * time.Second}
		a, b := f.instance(), f.instance()
		a.BankAllowance, b.BankAllowance = limit, limit
		answer := func(svc *vop.Service, bic string) error {
			_, err := svc.Answer(f.ctx, bic, iban.IBAN(payee.IBAN), "Elira Shehu")
			return err
		}
		for i, bic := range []string{"CDISALTR", "CDISALTRXXX", "cdis al tr 123"} {
			if err := answer([]*vop.Service{a, b}[i%2], bic); err != nil {
				t.Fatalf("answer %d to %s: %v", i+1, bic, err)
			}
		}
		wantRefused(t, answer(a, "CDISALTR"), "10")
		wantRefused(t, answer(b, "CDISALTR456"), "10")
		if err := answer(a, "NCBAALTX"); err != nil {
			t.Errorf("another bank's first question: %v", err)
		}
		f.clk.Advance(7 * time.Second)
		wantRefused(t, answer(b, "CDISALTR"), "3")
		f.clk.Advance(3 * time.Second)
		if err := answer(b, "CDISALTR"); err != nil {
			t.Errorf("a question 10 s later: %v", err)
		}
	})
}

// Another bank learns the holder's name only on a close match, as the scheme allows: never on a match, a no match,
// or about an account that is closed, unknown or not this bank's.
func TestAnswerNamesTheHolderOnlyOnACloseMatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rep := f.person(t, "Arben", "Hoxha")
		elira := f.account(t, f.person(t, "Elira", "Shehu").ID)
		alfa := f.account(t, f.company(t, "Alfa Ndërtim SHPK", rep).ID)
		closed := f.account(t, f.person(t, "Mirela", "Kuçi").ID)
		f.setStatus(t, closed.ID, ledger.Closed)
		nobody, err := iban.NewAlbanian(bank.Code, bank.Branch, "77777777")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			why    string
			ib     iban.IBAN
			name   string
			result vop.Result
			shown  string
		}{
			{"a match", iban.IBAN(elira.IBAN), "Elira Shehu", vop.Match, ""},
			{"a close match", iban.IBAN(elira.IBAN), "Elira Shehi", vop.CloseMatch, "Elira Shehu"},
			{"no match", iban.IBAN(elira.IBAN), "Arben Hoxha", vop.NoMatch, ""},
			{"a surname alone", iban.IBAN(elira.IBAN), "Shehu", vop.NoMatch, ""},
			{"a business", iban.IBAN(alfa.IBAN), "Alfa Ndertim Sh.p.k.", vop.Match, ""},
			{"a business close", iban.IBAN(alfa.IBAN), "Alfa Ndertimi", vop.CloseMatch, "Alfa Ndërtim SHPK"},
			{"a closed account", iban.IBAN(closed.IBAN), "Mirela Kuçi", vop.NotPossible, ""},
			{"an account the bank does not hold", nobody, "Elira Shehu", vop.NotPossible, ""},
			{"another bank's IBAN", albanianIBAN, "Elira Shehu", vop.NotPossible, ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				o, err := f.svc.Answer(f.ctx, "CDISALTR", tc.ib, tc.name)
				f.wantOutcome(t, o, err, tc.result, tc.shown)
			})
		}
		if n := f.other.asked.Load(); n != 0 {
			t.Errorf("answering another bank asked the other banks %d times", n)
		}
	})
}
