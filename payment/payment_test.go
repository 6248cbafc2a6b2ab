package payment_test

import (
	"slices"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// TestADomesticPaymentWaitsForTheSessionThenSettles follows a payment through the clearing house's session: held
// with its fee when accepted, posted to outgoing clearing when the session sends it, moved to the settlement
// account when the clearing house settles it; every step an event the customer sees.
func TestADomesticPaymentWaitsForTheSessionThenSettles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Elira", "Çela")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		p := f.pay(t, c.ID, domestic(a.ID, credins, "25000"))
		if p.Scheme != payment.AECH || p.Status != payment.Waiting || p.Fee.Minor != 100_00 {
			t.Fatalf("payment = %s %s fee %d, want aech waiting with 100 ALL", p.Scheme, p.Status, p.Fee.Minor)
		}
		if got := f.get(t, a.ID); got.Held != 25_100_00 || got.Balance != 100_000_00 {
			t.Fatalf("account held %d balance %d, want 25,100.00 held and nothing posted", got.Held, got.Balance)
		}
		n, err := f.svc.RunSession(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("RunSession = %d, %v; want 1 sent", n, err)
		}
		if st, _ := f.status(t, c.ID, p.ID); st != payment.Sent {
			t.Fatalf("after the session status = %s, want sent", st)
		}
		if got := f.gl(t, ledger.TypeClearing, money.ALL); got.Balance != 25_000_00 {
			t.Fatalf("outgoing clearing = %d, want 25,000.00", got.Balance)
		}
		if n, err := f.ch.Work(f.ctx); err != nil || n != 1 {
			t.Fatalf("clearing house answered %d, %v", n, err)
		}
		st, seen := f.status(t, c.ID, p.ID)
		want := []string{payment.PendingConfirmation, payment.Confirmed, payment.Accepted, payment.Waiting,
			payment.Sent, payment.Settled}
		if st != payment.Settled || !slices.Equal(seen, want) {
			t.Fatalf("status %s through %v, want settled through %v", st, seen, want)
		}
		got := f.get(t, a.ID)
		if got.Balance != 74_900_00 || got.Held != 0 {
			t.Errorf("account balance %d held %d, want 74,900.00 and nothing held", got.Balance, got.Held)
		}
		if g := f.gl(t, ledger.TypeClearing, money.ALL); g.Balance != 0 {
			t.Errorf("outgoing clearing = %d after settlement, want 0", g.Balance)
		}
		if g := f.gl(t, ledger.TypeSettlement, money.ALL); g.Balance != 25_000_00 {
			t.Errorf("settlement account = %d, want 25,000.00 paid out", g.Balance)
		}
		if g := f.gl(t, ledger.TypeFees, money.ALL); g.Balance != 100_00 {
			t.Errorf("fee income = %d, want 100.00", g.Balance)
		}
		f.sound(t)
	})
}

// TestTheRoutingPolicy: instant when asked and the bank takes it, AIPS from 1,500,000 ALL or when urgent, AECH
// otherwise; SEPA by SCT or SCT Inst; international by SWIFT.
func TestTheRoutingPolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arta", "Leka")
		all := f.account(t, c.ID, money.ALL, 5_000_000_00)
		eur := f.account(t, c.ID, money.EUR, 10_000_00)
		sepa := func(instant bool) payment.Request {
			r := domestic(eur.ID, "DE89370400440532013000", "100")
			r.Type, r.Currency, r.Instant = payment.SEPA, "EUR", instant
			r.Beneficiary.Address.Country, r.Beneficiary.Address.City = "DE", "Berlin"
			return r
		}
		for _, tt := range []struct {
			name string
			r    func() payment.Request
			want string
		}{
			{"below the threshold", func() payment.Request { return domestic(all.ID, otherBank, "1499999.99") }, payment.AECH},
			{"at the threshold", func() payment.Request { return domestic(all.ID, otherBank, "1500000") }, payment.AIPS},
			{"urgent", func() payment.Request { r := domestic(all.ID, otherBank, "100"); r.Urgent = true; return r }, payment.AIPS},
			{"instant to a bank that takes it", func() payment.Request {
				r := domestic(all.ID, credins, "100")
				r.Instant = true
				return r
			}, payment.Instant},
			{"instant to a bank that does not", func() payment.Request {
				r := domestic(all.ID, otherBank, "100")
				r.Instant = true
				return r
			}, payment.AECH},
			{"SEPA", func() payment.Request { return sepa(false) }, payment.SCT},
			{"SEPA instant", func() payment.Request { return sepa(true) }, payment.SCTInst},
		} {
			q, err := f.svc.Preview(f.ctx, c.ID, tt.r())
			if err != nil {
				t.Fatalf("%s: Preview: %v", tt.name, err)
			}
			if q.Scheme != tt.want {
				t.Errorf("%s: scheme %s, want %s", tt.name, q.Scheme, tt.want)
			}
		}
	})
}

// TestTheCutOffValueDatesTheNextWorkingDay: 13:59 is today, 14:01 the next working day, Friday evening the
// Monday, a holiday the next working day; instant payments are today whenever; and a payment asked for today
// after the cut-off is refused with the day it could have.
func TestTheCutOffValueDatesTheNextWorkingDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Dritan", "Koci")
		a := f.account(t, c.ID, money.ALL, 1_000_000_00)
		for _, tt := range []struct {
			day          string
			hour, minute int
			instant      bool
			want         string
		}{
			{"2026-03-03", 13, 59, false, "2026-03-03"},
			{"2026-03-03", 14, 1, false, "2026-03-04"},
			{"2026-03-06", 17, 0, false, "2026-03-09"}, // Friday evening: Monday
			{"2026-03-16", 10, 0, false, "2026-03-17"}, // Summer Day (14 March, a Saturday) observed on Monday
			{"2026-03-03", 15, 0, true, "2026-03-03"},  // instant: the day itself
		} {
			f.at(t, tt.day, tt.hour, tt.minute)
			r := domestic(a.ID, credins, "100")
			r.Instant = tt.instant
			q, err := f.svc.Preview(f.ctx, c.ID, r)
			if err != nil {
				t.Fatalf("%s %02d:%02d: %v", tt.day, tt.hour, tt.minute, err)
			}
			if q.ValueDate.String() != tt.want || q.Today != (tt.want == tt.day) {
				t.Errorf("%s %02d:%02d: value date %s (today %v), want %s", tt.day, tt.hour, tt.minute, q.ValueDate,
					q.Today, tt.want)
			}
		}
		f.at(t, "2026-03-03", 14, 1)
		r := domestic(a.ID, credins, "100")
		r.RequireToday = true
		_, err := f.svc.Preview(f.ctx, c.ID, r)
		wantCode(t, err, kumbara.KindUnprocessable, "payment_cutoff_passed")
		if e, _ := kumbara.As(err); e.Params["value_date"] != "2026-03-04" {
			t.Errorf("value_date = %q, want 2026-03-04", e.Params["value_date"])
		}
	})
}

// TestARejectedPaymentGivesTheMoneyAndTheFeeBack: the clearing house rejects a payment to an account it does not
// know (AC01); the customer gets the amount and the fee back, is told by SMS, and the books balance.
func TestARejectedPaymentGivesTheMoneyAndTheFeeBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Besa", "Marku")
		a := f.account(t, c.ID, money.ALL, 50_000_00)
		if err := f.ch.Reject(f.ctx, iban.IBAN(otherBank), "AC01"); err != nil {
			t.Fatal(err)
		}
		p := f.pay(t, c.ID, domestic(a.ID, otherBank, "10000"))
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Get(f.ctx, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != payment.Rejected || got.Reason != "AC01" {
			t.Fatalf("status %s reason %s, want rejected AC01", got.Status, got.Reason)
		}
		if acc := f.get(t, a.ID); acc.Balance != 50_000_00 || acc.Held != 0 {
			t.Errorf("account balance %d held %d, want everything back", acc.Balance, acc.Held)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE ?", c.Mobile, "%refuzua%"); n != 1 {
			t.Errorf("%d SMS about the rejection, want 1", n)
		}
		f.sound(t)
	})
}

// TestTheClearingHouseDownKeepsPaymentsWaiting: while it is down a session's payments wait with their money in
// outgoing clearing; once it is up the dispatcher sends the same message once and they settle.
func TestTheClearingHouseDownKeepsPaymentsWaiting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Genti", "Dervishi")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		p := f.pay(t, c.ID, domestic(a.ID, credins, "1000"))
		q := f.pay(t, c.ID, domestic(a.ID, otherBank, "2000"))
		if err := f.ch.Set(f.ctx, clearinghouse.Settings{Down: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunSession(f.ctx); err == nil {
			t.Fatal("a session with the clearing house down succeeded")
		}
		for _, id := range []string{p.ID, q.ID} {
			if st, _ := f.status(t, c.ID, id); st != payment.Waiting {
				t.Fatalf("status %s while the clearing house is down, want waiting", st)
			}
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatalf("Dispatch while down: %v", err)
		}
		if err := f.ch.Set(f.ctx, clearinghouse.Settings{}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{p.ID, q.ID} {
			if st, _ := f.status(t, c.ID, id); st != payment.Settled {
				t.Errorf("status %s once the clearing house is back, want settled", st)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM clearinghouse_messages WHERE direction = 'from_bank'"); n != 1 {
			t.Errorf("the clearing house took %d messages, want the session's one", n)
		}
		if acc := f.get(t, a.ID); acc.Balance != 100_000_00-3000_00-200_00 {
			t.Errorf("balance %d, want each payment and fee debited once", acc.Balance)
		}
		f.sound(t)
	})
}

// TestAnInstantPaymentLeavesAtOnce: to a bank that takes instant payments it is sent within the request and
// settled at the clearing house's answer, on a Sunday too.
func TestAnInstantPaymentLeavesAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.at(t, "2026-03-08", 22, 30) // a Sunday night
		c := f.person(t, "Klea", "Shehu")
		a := f.account(t, c.ID, money.ALL, 10_000_00)
		r := domestic(a.ID, credins, "2000")
		r.Instant = true
		p := f.pay(t, c.ID, r)
		if p.Scheme != payment.Instant {
			t.Fatalf("scheme %s, want instant", p.Scheme)
		}
		if st, _ := f.status(t, c.ID, p.ID); st != payment.Sent {
			t.Fatalf("status %s after confirmation, want sent", st)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, c.ID, p.ID); st != payment.Settled {
			t.Fatalf("status %s, want settled", st)
		}
		if acc := f.get(t, a.ID); acc.Balance != 10_000_00-2000_00-50_00 {
			t.Errorf("balance %d, want 2,000 and the 50 ALL fee debited", acc.Balance)
		}
		f.sound(t)
	})
}

// TestAnIncomingPaymentPostsOnceAndUnknownAccountsGoBack: a payment from another bank credits the customer once
// however often its message arrives; one to an account the bank does not have is returned (AC01) in a pacs.004.
func TestAnIncomingPaymentPostsOnceAndUnknownAccountsGoBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Ilir", "Gjoka")
		a := f.account(t, c.ID, money.ALL, 0)
		id, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: iban.IBAN(a.IBAN), Amount: money.New(7_500_00, money.ALL),
			Name: "Alba Trade", Remittance: "Fatura 12"})
		if err != nil {
			t.Fatalf("Inject: %v", err)
		}
		err = f.ch.Resend(f.ctx, id)
		wantCode(t, err, kumbara.KindConflict, "clearing_message_duplicate")
		if acc := f.get(t, a.ID); acc.Balance != 7_500_00 {
			t.Fatalf("balance %d, want 7,500.00 credited once", acc.Balance)
		}
		ps, err := f.svc.List(f.ctx, c.ID, payment.Filter{})
		if err != nil || len(ps) != 1 || ps[0].Direction != payment.In || ps[0].Status != payment.Credited ||
			ps[0].Beneficiary.Name != "Alba Trade" {
			t.Fatalf("List = %+v, %v; want the credited payment from Alba Trade", ps, err)
		}
		unknown, _ := iban.NewAlbanian(bank.Code, bank.Branch, "0000000099999999")
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: unknown, Amount: money.New(100_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatalf("Inject to an unknown account: %v", err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM clearing_messages WHERE direction = 'out' AND name = 'pacs.004.001.09' AND document LIKE '%AC01%'"); n != 1 {
			t.Fatalf("%d returns with AC01 queued, want 1", n)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM clearinghouse_messages WHERE name = 'pacs.004.001.09'"); n != 1 {
			t.Errorf("the clearing house got %d returns, want 1", n)
		}
		f.sound(t)
	})
}

// TestBadPaymentsAreRefusedAndChangeNothing: each a 4xx with its code, nothing held.
func TestBadPaymentsAreRefusedAndChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Mira", "Basha")
		other := f.person(t, "Sokol", "Hysa")
		a := f.account(t, c.ID, money.ALL, 10_000_00)
		eur := f.account(t, c.ID, money.EUR, 1_000_00)
		theirs := f.account(t, other.ID, money.ALL, 10_000_00)
		own, _ := iban.NewAlbanian(bank.Code, bank.Branch, "0000000012345678")
		for _, tt := range []struct {
			name string
			r    func() payment.Request
			kind kumbara.Kind
			code string
		}{
			{"invalid IBAN", func() payment.Request { return domestic(a.ID, "AL47212110090000000235698742", "10") }, kumbara.KindInvalid, "iban_invalid"},
			{"foreign IBAN at home", func() payment.Request { return domestic(a.ID, "DE89370400440532013000", "10") }, kumbara.KindInvalid, "payment_not_domestic"},
			{"EUR at home", func() payment.Request { r := domestic(eur.ID, credins, "10"); r.Currency = "EUR"; return r }, kumbara.KindUnprocessable, "payment_currency_unsupported"},
			{"to this bank", func() payment.Request { return domestic(a.ID, own.String(), "10") }, kumbara.KindUnprocessable, "payment_own_bank"},
			{"too many decimals", func() payment.Request { return domestic(a.ID, credins, "10.001") }, kumbara.KindInvalid, "amount_too_many_decimals"},
			{"beyond the balance", func() payment.Request { return domestic(a.ID, credins, "20000") }, kumbara.KindUnprocessable, "insufficient_funds"},
			{"another customer's account", func() payment.Request { return domestic(theirs.ID, credins, "10") }, kumbara.KindNotFound, "account_not_found"},
			{"forbidden characters", func() payment.Request { r := domestic(a.ID, credins, "10"); r.Description = "<script>"; return r }, kumbara.KindInvalid, "description_invalid_characters"},
			{"no city", func() payment.Request { r := domestic(a.ID, credins, "10"); r.Beneficiary.Address.City = ""; return r }, kumbara.KindInvalid, "field_required"},
			{"charges", func() payment.Request { r := domestic(a.ID, credins, "10"); r.Charges = "ALL"; return r }, kumbara.KindInvalid, "payment_charges_invalid"},
			{"SEPA with OUR", func() payment.Request {
				r := domestic(eur.ID, "DE89370400440532013000", "10")
				r.Type, r.Currency, r.Charges = payment.SEPA, "EUR", "OUR"
				r.Beneficiary.Address.Country = "DE"
				return r
			}, kumbara.KindInvalid, "payment_charges_unsupported"},
			{"SEPA outside SEPA", func() payment.Request {
				r := domestic(eur.ID, "TR330006100519786457841326", "10")
				r.Type, r.Currency = payment.SEPA, "EUR"
				r.Beneficiary.Address.Country = "TR"
				return r
			}, kumbara.KindInvalid, "payment_not_sepa"},
			{"international in another currency", func() payment.Request {
				r := international(a.ID)
				r.Currency = "EUR"
				return r
			}, kumbara.KindUnprocessable, "payment_currency_conversion"},
			{"international without terms", func() payment.Request {
				r := international(eur.ID)
				r.TermsAccepted = false
				return r
			}, kumbara.KindInvalid, "payment_terms_not_accepted"},
			{"international without purpose", func() payment.Request {
				r := international(eur.ID)
				r.PurposeCategory = ""
				return r
			}, kumbara.KindInvalid, "field_required"},
		} {
			_, err := f.svc.Preview(f.ctx, c.ID, tt.r())
			if err == nil {
				t.Fatalf("%s: Preview accepted it", tt.name)
			}
			wantCode(t, err, tt.kind, tt.code)
			_, _, err = f.svc.Create(f.ctx, c.ID, key(), tt.r())
			wantCode(t, err, tt.kind, tt.code)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM payments"); n != 0 {
			t.Errorf("%d payments recorded, want none", n)
		}
		if acc := f.get(t, a.ID); acc.Held != 0 {
			t.Errorf("held %d, want nothing", acc.Held)
		}
	})
}

func international(from string) payment.Request {
	r := domestic(from, "US64SVBKUS6S3300958879", "100")
	r.Type, r.Currency = payment.International, "EUR"
	r.Beneficiary.IBAN, r.Beneficiary.AccountNumber, r.Beneficiary.BIC = "", "3300958879", "SVBKUS6S"
	r.Beneficiary.BankName, r.Beneficiary.BankAddress = "Silicon Valley Bank", "3003 Tasman Drive, Santa Clara, CA"
	r.Beneficiary.Address.Street, r.Beneficiary.Address.City, r.Beneficiary.Address.Country = "3003 Tasman Dr", "Santa Clara", "US"
	r.PurposeCategory, r.Purpose, r.BeneficiaryCategory, r.TermsAccepted = "SCVE", "Software license", "business", true
	return r
}

// TestAnInternationalPaymentTakesATrustedDevice: confirmed by SMS it is refused (T6: a trusted device only);
// nothing is held.
func TestAnInternationalPaymentTakesATrustedDevice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Erion", "Laçi")
		eur := f.account(t, c.ID, money.EUR, 5_000_00)
		p, _, err := f.svc.Create(f.ctx, c.ID, key(), international(eur.ID))
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != payment.PendingConfirmation || p.Scheme != payment.SWIFT {
			t.Fatalf("payment %s %s, want swift waiting for confirmation", p.Scheme, p.Status)
		}
		if slices.Contains(p.Challenge.Methods, sca.MethodSMS) {
			t.Errorf("the challenge offers %v, want no SMS code", p.Challenge.Methods)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", c.Mobile); n != 0 {
			t.Errorf("%d SMS sent, want none: no code can confirm an international payment", n)
		}
		_, err = f.svc.Confirm(f.ctx, c.ID, p.ID, sca.Proof{Method: sca.MethodSMS, Code: "123456"})
		wantCode(t, err, kumbara.KindForbidden, "payment_trusted_device_required")
		if acc := f.get(t, eur.ID); acc.Held != 0 {
			t.Errorf("held %d, want nothing", acc.Held)
		}
	})
}

// TestAPaymentIsIdempotent: the same key twice is one payment and one hold; another customer cannot read it.
func TestAPaymentIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Ana", "Prifti")
		other := f.person(t, "Bledi", "Tola")
		a := f.account(t, c.ID, money.ALL, 10_000_00)
		r := domestic(a.ID, credins, "1000")
		p1, replay1, err := f.svc.Create(f.ctx, c.ID, "same", r)
		if err != nil || replay1 {
			t.Fatalf("Create = %v, replay %v", err, replay1)
		}
		p2, replay2, err := f.svc.Create(f.ctx, c.ID, "same", r)
		if err != nil || !replay2 || p2.ID != p1.ID {
			t.Fatalf("repeat = %s, replay %v, %v; want the first payment", p2.ID, replay2, err)
		}
		r.Amount = "2000"
		_, _, err = f.svc.Create(f.ctx, c.ID, "same", r)
		wantCode(t, err, kumbara.KindConflict, "idempotency_key_reused")
		if acc := f.get(t, a.ID); acc.Held != 1_100_00 {
			t.Errorf("held %d, want one payment and its fee", acc.Held)
		}
		_, err = f.svc.Get(f.ctx, other.ID, p1.ID)
		wantCode(t, err, kumbara.KindNotFound, "payment_not_found")
	})
}

// TestAReturnAfterSettlementGivesTheAmountBack: the beneficiary's bank returns a settled payment (pacs.004, AC04);
// the amount comes back from the settlement account, the fee stays earned, the customer is told, and a second
// copy of the return changes nothing.
func TestAReturnAfterSettlementGivesTheAmountBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Luan", "Berisha")
		a := f.account(t, c.ID, money.ALL, 80_000_00)
		p := f.pay(t, c.ID, domestic(a.ID, credins, "30000"))
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		id, err := f.ch.Return(f.ctx, p.TxID, "AC04")
		if err != nil {
			t.Fatalf("Return: %v", err)
		}
		got, err := f.svc.Get(f.ctx, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != payment.Returned || got.Reason != "AC04" {
			t.Fatalf("status %s reason %s, want returned AC04", got.Status, got.Reason)
		}
		if acc := f.get(t, a.ID); acc.Balance != 80_000_00-100_00 {
			t.Errorf("balance %d, want everything back but the 100 ALL fee", acc.Balance)
		}
		if g := f.gl(t, ledger.TypeSettlement, money.ALL); g.Balance != 0 {
			t.Errorf("settlement account %d, want 0 after the return", g.Balance)
		}
		err = f.ch.Resend(f.ctx, id)
		wantCode(t, err, kumbara.KindConflict, "clearing_message_duplicate")
		if acc := f.get(t, a.ID); acc.Balance != 80_000_00-100_00 {
			t.Errorf("balance %d after the return came twice", acc.Balance)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND body LIKE ?", c.Mobile, "%kthye%"); n != 1 {
			t.Errorf("%d SMS about the return, want 1", n)
		}
		f.sound(t)
	})
}

// TestTwoInstancesSendEachPaymentOnce: two sessions run at once (two instances of the bank) capture, carry and
// deliver each payment once.
func TestTwoInstancesSendEachPaymentOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Teuta", "Rama")
		a := f.account(t, c.ID, money.ALL, 1_000_000_00)
		var ids []string
		for range 30 {
			ids = append(ids, f.pay(t, c.ID, domestic(a.ID, credins, "100")).ID)
		}
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := f.svc.RunSession(f.ctx)
				errs <- err
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if st, _ := f.status(t, c.ID, id); st != payment.Settled {
				t.Fatalf("payment %s is %s, want settled", id, st)
			}
		}
		var txs int
		if err := d.QueryRow(f.ctx, `SELECT COUNT(*) FROM payments WHERE message_id IN
			(SELECT id FROM clearinghouse_messages WHERE direction = 'from_bank')`).Scan(&txs); err != nil {
			t.Fatal(err)
		}
		if txs != 30 {
			t.Errorf("%d payments in the messages the clearing house took, want 30", txs)
		}
		if acc := f.get(t, a.ID); acc.Balance != 1_000_000_00-30*200_00 {
			t.Errorf("balance %d, want 30 payments of 100 ALL and their fees once", acc.Balance)
		}
		f.sound(t)
	})
}

// TestUnsafeOrUnknownMessagesAreRefusedAndChangeNothing: a document with a DTD (an entity bomb or an external
// entity), one that is not XML, and a message the bank does not take from the clearing side.
func TestUnsafeOrUnknownMessagesAreRefusedAndChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, tt := range []struct {
			name, doc string
			kind      kumbara.Kind
			code      string
		}{
			{"an entity bomb", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>` +
				`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">&b;</Document>`, kumbara.KindInvalid, "iso_unsafe"},
			{"an external entity", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>` +
				`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">&x;</Document>`, kumbara.KindInvalid, "iso_unsafe"},
			{"not XML", `{"not": "xml"}`, kumbara.KindInvalid, "iso_malformed"},
		} {
			err := f.svc.Receive(f.ctx, []byte(tt.doc))
			if err == nil {
				t.Fatalf("%s: taken", tt.name)
			}
			if e, ok := kumbara.As(err); !ok || e.Kind != tt.kind || e.Code != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM clearing_messages"); n != 0 {
			t.Errorf("%d messages recorded, want none", n)
		}
	})
}

// TestASEPACreditTransferSettlesTheNextWorkingDay: an SCT sent on a Friday is settled on Monday (D+1); an SCT Inst
// at once.
func TestASEPACreditTransferSettlesTheNextWorkingDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.at(t, "2026-03-06", 10, 0) // a Friday
		c := f.person(t, "Alda", "Meta")
		eur := f.account(t, c.ID, money.EUR, 1_000_00)
		r := domestic(eur.ID, "DE89370400440532013000", "20")
		r.Type, r.Currency = payment.SEPA, "EUR"
		r.Beneficiary.Address.Country, r.Beneficiary.Address.City = "DE", "Berlin"
		sct := f.pay(t, c.ID, r)
		r.Instant = true
		inst := f.pay(t, c.ID, r)
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, c.ID, sct.ID); st != payment.Sent {
			t.Errorf("SCT on Friday: %s, want sent", st)
		}
		if st, _ := f.status(t, c.ID, inst.ID); st != payment.Settled {
			t.Errorf("SCT Inst: %s, want settled", st)
		}
		f.at(t, "2026-03-09", 8, 0)
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, c.ID, sct.ID); st != payment.Settled {
			t.Errorf("SCT on Monday: %s, want settled", st)
		}
		f.sound(t)
	})
}

// TestAPaymentFromAnAccountBlockedSinceFails: the hold is lifted, the payment fails with the refusal's code, and
// the session goes on with the others.
func TestAPaymentFromAnAccountBlockedSinceFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Rudina", "Hoxha")
		a := f.account(t, c.ID, money.ALL, 10_000_00)
		b := f.account(t, c.ID, money.ALL, 10_000_00)
		p := f.pay(t, c.ID, domestic(a.ID, credins, "1000"))
		q := f.pay(t, c.ID, domestic(b.ID, credins, "1000"))
		if err := d.InTx(f.ctx, func(tx *db.Tx) error {
			return ledger.SetStatus(f.ctx, tx, f.clk.Now(), a.ID, ledger.Blocked)
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatalf("RunSession: %v", err)
		}
		got, err := f.svc.Get(f.ctx, c.ID, p.ID)
		if err != nil || got.Status != payment.Failed || got.Reason != "account_blocked" {
			t.Fatalf("payment from the blocked account: %s %s, %v; want failed account_blocked", got.Status, got.Reason, err)
		}
		if acc := f.get(t, a.ID); acc.Held != 0 || acc.Balance != 10_000_00 {
			t.Errorf("blocked account held %d balance %d, want the hold lifted and nothing moved", acc.Held, acc.Balance)
		}
		if st, _ := f.status(t, c.ID, q.ID); st != payment.Sent {
			t.Errorf("the other payment is %s, want sent", st)
		}
		f.sound(t)
	})
}

// TestABeneficiaryIsSavedOnceThePaymentIsConfirmed: asked at the start, saved when the confirmation (another
// request) accepts the payment; saving one already saved is no failure.
func TestABeneficiaryIsSavedOnceThePaymentIsConfirmed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Vesa", "Kola")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		r := domestic(a.ID, otherBank, "20000")
		r.SaveBeneficiary = true
		p, _, err := f.svc.Create(f.ctx, c.ID, key(), r)
		if err != nil || p.Status != payment.PendingConfirmation {
			t.Fatalf("Create: %s, %v", p.Status, err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM beneficiaries WHERE customer_id = ?", c.ID); n != 0 {
			t.Fatalf("%d saved before the confirmation", n)
		}
		if _, err := f.svc.Confirm(f.ctx, c.ID, p.ID, sca.Proof{Method: sca.MethodSMS, Code: f.code(t, c.ID)}); err != nil {
			t.Fatal(err)
		}
		f.pay(t, c.ID, r) // the same beneficiary again
		if n := f.count(t, "SELECT COUNT(*) FROM beneficiaries WHERE customer_id = ? AND iban = ?", c.ID, otherBank); n != 1 {
			t.Errorf("%d saved, want the beneficiary once", n)
		}
	})
}
