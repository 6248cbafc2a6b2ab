package payment_test

import (
	"math/big"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// withFX gives the fixture's payments the FX service, with EUR at 97.80/99.40 and USD at 91.25/93.15.
func (f *fixture) withFX(t *testing.T, d *db.DB) {
	t.Helper()
	f.svc.FX = &fx.Service{DB: d, Clock: f.clk, Ledger: f.l, Customers: f.cs}
	for _, r := range []fx.Rate{{Currency: money.EUR, Buy: "97.80", Sell: "99.40"}, {Currency: money.USD, Buy: "91.25",
		Sell: "93.15"}} {
		r.PublishedBy, r.ApprovedBy = "desk", "manager"
		if _, err := f.svc.FX.Publish(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

func sepaFrom(account, amount string) payment.Request {
	r := domestic(account, "DE89370400440532013000", amount)
	r.Type, r.Currency = payment.SEPA, "EUR"
	r.Beneficiary.Address.Country, r.Beneficiary.Address.City = "DE", "Berlin"
	return r
}

// halfUpTimes is minor × rate rounded half-up to a minor unit.
func halfUpTimes(minor int64, rate string) int64 {
	r, _ := new(big.Rat).SetString(rate)
	x := new(big.Rat).Mul(big.NewRat(minor, 1), r)
	x.Add(x, big.NewRat(1, 2))
	return new(big.Int).Quo(x.Num(), x.Denom()).Int64()
}

// TestAPaymentInAnotherCurrencyIsBoughtAtTheBanksRate: a SEPA payment in euros from a lek account is priced at the
// bank's sell rate when it is accepted (the rate, and what leaves the account, shown before confirming): the lek
// are held, and sending posts them through the FX positions, the spread to FX income. A rejection gives back
// exactly the lek that left; a return after settlement buys the returned euros at the bank's rate then.
func TestAPaymentInAnotherCurrencyIsBoughtAtTheBanksRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.at(t, "2026-03-06", 10, 0) // a Friday
		f.withFX(t, d)
		c := f.person(t, "Alda", "Meta")
		const start = 1_000_000_00
		a := f.account(t, c.ID, money.ALL, start)

		q, err := f.svc.Preview(f.ctx, c.ID, sepaFrom(a.ID, "100"))
		if err != nil {
			t.Fatal(err)
		}
		if q.Exchange.Rate != "99.40" || q.Exchange.Base != money.EUR || q.Debited.Currency != money.EUR ||
			q.Charged() != money.New(halfUpTimes(q.Debited.Minor, "99.40"), money.ALL) {
			t.Fatalf("preview: rate %s, debited %s, charged %s", q.Exchange.Rate, q.Debited, q.Charged())
		}

		// Rejected: everything back, at the rate it left at.
		if err := f.ch.Reject(f.ctx, iban.IBAN("DE89370400440532013000"), "AC04"); err != nil {
			t.Fatal(err)
		}
		r := sepaFrom(a.ID, "100")
		r.Instant = true
		rejected := f.pay(t, c.ID, r)
		if want := money.New(halfUpTimes(rejected.Debited().Minor, "99.40"), money.ALL); !rejected.Converted() ||
			rejected.Charged() != want {
			t.Fatalf("payment charged %s, want %s", rejected.Charged(), want)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, c.ID, rejected.ID); st != payment.Rejected {
			t.Fatalf("status %s, want rejected", st)
		}
		if acc := f.get(t, a.ID); acc.Balance != start || acc.Held != 0 {
			t.Fatalf("after the rejection: balance %d held %d, want %d and nothing held", acc.Balance, acc.Held, start)
		}
		for _, g := range []struct {
			typ string
			c   money.Currency
		}{{ledger.TypeFXPosition, money.ALL}, {ledger.TypeFXPosition, money.EUR}, {ledger.TypeFXIncome, money.ALL}} {
			if b := f.gl(t, g.typ, g.c).Balance; b != 0 {
				t.Errorf("%s:%s = %d after the rejection, want 0", g.typ, g.c, b)
			}
		}
		f.sound(t)

		// Settled, then returned.
		if err := f.ch.Reject(f.ctx, iban.IBAN("DE89370400440532013000"), ""); err != nil {
			t.Fatal(err)
		}
		r.Description = "Fatura 12"
		p := f.pay(t, c.ID, r)
		if acc := f.get(t, a.ID); acc.Held != 0 && acc.Balance != start-p.Charged().Minor {
			t.Fatalf("sent at once: balance %d held %d", acc.Balance, acc.Held)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if st, _ := f.status(t, c.ID, p.ID); st != payment.Settled {
			t.Fatalf("status %s, want settled", st)
		}
		if acc := f.get(t, a.ID); acc.Balance != start-p.Charged().Minor {
			t.Fatalf("after settlement: balance %d, want %d", acc.Balance, start-p.Charged().Minor)
		}
		// The bank sold Debited euros at 99.40 against a mid of 98.60: 0.80 a euro, less the rounding's share.
		if got, want := f.gl(t, ledger.TypeFXIncome, money.ALL).Balance+f.gl(t, ledger.TypeFXRounding, money.ALL).Balance,
			p.Charged().Minor-halfUpTimes(p.Debited().Minor, "98.60"); got < want-1 || got > want+1 {
			t.Errorf("FX income and rounding %d, want about %d", got, want)
		}
		f.sound(t)
		if _, err := f.ch.Return(f.ctx, p.TxID, "AC04"); err != nil {
			t.Fatalf("Return: %v", err)
		}
		got, err := f.svc.Get(f.ctx, c.ID, p.ID)
		if err != nil || got.Status != payment.Returned {
			t.Fatalf("status %s (%v), want returned", got.Status, err)
		}
		// The euros that reached the beneficiary's bank come back bought at 97.80.
		back := halfUpTimes(p.SentAmount().Minor, "97.80")
		if acc := f.get(t, a.ID); acc.Balance != start-p.Charged().Minor+back {
			t.Fatalf("after the return: balance %d, want %d", acc.Balance, start-p.Charged().Minor+back)
		}
		f.sound(t)
	})
}

// TestABulkLineInAnotherCurrencyIsStillRefused: a file's batch is signed over one total in the account's
// currency, so a line that would need an exchange is refused with payment_currency_conversion.
func TestABulkLineInAnotherCurrencyIsStillRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.withFX(t, d)
		c := f.person(t, "Dritan", "Kola")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		_, err := f.svc.PreviewAuthorized(f.ctx, c.ID, sepaFrom(a.ID, "10"))
		if code := kumbara.CodeOf(err); code != "payment_currency_conversion" {
			t.Fatalf("PreviewAuthorized = %v, want payment_currency_conversion", err)
		}
		if _, _, err := f.svc.CreateAuthorized(f.ctx, c.ID, key(), sepaFrom(a.ID, "10")); kumbara.CodeOf(err) != "payment_currency_conversion" {
			t.Fatalf("CreateAuthorized = %v, want payment_currency_conversion", err)
		}
		if acc := f.get(t, a.ID); acc.Held != 0 {
			t.Fatalf("held %d", acc.Held)
		}
	})
}
