package issuing_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestEveryDeclineReasonIsAnsweredWithItsReasonAndHoldsNothing: each reason, from the card's state, its controls,
// the PIN, the daily limit and the balance; each decline recorded, nothing held, and a repeat answered the same.
func TestEveryDeclineReasonIsAnsweredWithItsReasonAndHoldsNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		status := func(s card.Status) func(*card.Spendable) { return func(c *card.Spendable) { c.Status = s } }
		controls := func(fn func(*card.Controls)) func(*card.Spendable) {
			return func(c *card.Spendable) { fn(&c.Controls) }
		}
		cases := []struct {
			name    string
			edit    func(*card.Spendable)
			req     func(r *issuing.Request)
			reason  issuing.Reason
			control string
		}{
			{"unknown card", nil, func(r *issuing.Request) { r.CardID = "no-such-card" }, issuing.CardNotFound, ""},
			{"blocked", status(card.Blocked), nil, issuing.CardBlocked, ""},
			{"lost", status(card.Lost), nil, issuing.CardBlocked, ""},
			{"replaced", status(card.Replaced), nil, issuing.CardBlocked, ""},
			{"closed", status(card.Closed), nil, issuing.CardBlocked, ""},
			{"expired", func(c *card.Spendable) { c.Expires = "2026-02" }, nil, issuing.CardExpired, ""},
			{"online off", controls(func(c *card.Controls) { c.Online = false }),
				func(r *issuing.Request) { r.CardPresent = false }, issuing.ControlOff, issuing.ControlOnline},
			{"contactless off", controls(func(c *card.Controls) { c.Contactless = false }),
				func(r *issuing.Request) { r.EntryMode = issuing.EntryContactless }, issuing.ControlOff, issuing.ControlContactless},
			{"atm off", controls(func(c *card.Controls) { c.ATM = false }),
				func(r *issuing.Request) { r.MCC, r.PIN = "6011", "4826" }, issuing.ControlOff, issuing.ControlATM},
			{"magstripe off (the default)", nil, func(r *issuing.Request) { r.EntryMode = issuing.EntryMagstripe },
				issuing.ControlOff, issuing.ControlMagstripe},
			{"abroad off", controls(func(c *card.Controls) { c.Abroad = false }),
				func(r *issuing.Request) { r.Country = "IT" }, issuing.ControlOff, issuing.ControlAbroad},
			{"purchase limit", controls(func(c *card.Controls) { c.DailyPurchaseLimit = 9_999 }), nil, issuing.LimitReached, ""},
			{"atm limit", controls(func(c *card.Controls) { c.DailyATMLimit = 9_999 }),
				func(r *issuing.Request) { r.MCC, r.PIN = "6011", "4826" }, issuing.LimitReached, ""},
			{"wrong pin", nil, func(r *issuing.Request) { r.PIN = "0000" }, issuing.WrongPIN, ""},
			{"no pin at an atm", nil, func(r *issuing.Request) { r.MCC = "6011" }, issuing.WrongPIN, ""},
			{"insufficient funds", nil, func(r *issuing.Request) { r.Amount.Minor = 500_001 }, issuing.InsufficientFunds, ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c, acc := f.holder(t, 500_000)
				if tc.edit != nil {
					f.cards.set(c.ID, tc.edit)
				}
				r := req(c.ID, 10_000)
				if tc.req != nil {
					tc.req(&r)
				}
				got := f.authorise(t, r)
				want := issuing.Answer{Reason: tc.reason, Control: tc.control, AuthorisationID: r.ID}
				if got != want {
					t.Fatalf("answer %+v, want %+v", got, want)
				}
				if again := f.authorise(t, r); again != want {
					t.Errorf("repeat answered %+v", again)
				}
				if a := f.get(t, acc.ID); a.Held != 0 {
					t.Errorf("held %d after a decline", a.Held)
				}
			})
		}
		f.sound(t)
	})
}

// TestTheThirdWrongPINBlocksThePIN: two wrong PINs are wrong_pin, the third and every one after it (the right one
// too) pin_blocked.
func TestTheThirdWrongPINBlocksThePIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, _ := f.holder(t, 500_000)
		for i, pin := range []string{"0000", "1111", "2222", "4826"} {
			r := req(c.ID, 1_000)
			r.PIN = pin
			want := issuing.WrongPIN
			if i >= 2 {
				want = issuing.PINBlocked
			}
			if got := f.authorise(t, r); got.Reason != want {
				t.Errorf("try %d: %+v, want %s", i+1, got, want)
			}
		}
	})
}

// TestAnApprovalHoldsTheAmountOnceByTheNetworksID: approved with the network's id, the amount held on the
// primary account; the same request again is the same answer with one hold; another request under the id is
// card_authorisation_reused; the day's total counts it.
func TestAnApprovalHoldsTheAmountOnceByTheNetworksID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		r := req(c.ID, 12_345)
		r.PIN = "4826"
		for range 2 {
			if got := f.authorise(t, r); got != (issuing.Answer{Approved: true, AuthorisationID: r.ID}) {
				t.Fatalf("answer %+v", got)
			}
		}
		if a := f.get(t, acc.ID); a.Held != 12_345 || a.Balance != 500_000 {
			t.Errorf("balance %d held %d, want 500000 and 12345", a.Balance, a.Held)
		}
		other := r
		other.Amount.Minor = 1
		if _, err := f.svc.Authorise(f.ctx, other); !errors.Is(err, issuing.ErrAuthorisationReused) {
			t.Errorf("another request under the id: %v", err)
		}
		purchases, cash, err := f.svc.SpentToday(f.ctx, c.ID)
		if err != nil || purchases != 12_345 || cash != 0 {
			t.Errorf("spent today %d %d (%v)", purchases, cash, err)
		}
		pending, err := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, issuing.Pending, 0)
		if err != nil || len(pending) != 1 || pending[0].ID != r.ID || pending[0].AccountAmount.Minor != 12_345 {
			t.Errorf("pending %+v (%v)", pending, err)
		}
		f.sound(t)
	})
}

// TestARepeatWithoutPINGetsTheFirstAnswerWhateverChangedSince: a contactless purchase without PIN is not looked
// up before it is decided, so its repeat is found where the answer was written — an approval's repeat is approved
// once though the card was blocked since, a decline's repeat stays declined though the money has arrived since.
func TestARepeatWithoutPINGetsTheFirstAnswerWhateverChangedSince(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 10_000)
		approved := req(c.ID, 6_000)
		approved.EntryMode = issuing.EntryContactless
		declined := req(c.ID, 9_000)
		declined.EntryMode = issuing.EntryContactless
		if got := f.authorise(t, approved); !got.Approved {
			t.Fatalf("first purchase: %+v", got)
		}
		if got := f.authorise(t, declined); got.Approved || got.Reason != issuing.InsufficientFunds {
			t.Fatalf("second purchase: %+v", got)
		}
		f.cards.set(c.ID, func(sp *card.Spendable) { sp.Status = card.Blocked })
		if got := f.authorise(t, approved); !got.Approved {
			t.Errorf("the approval's repeat on a blocked card: %+v", got)
		}
		f.cards.set(c.ID, func(*card.Spendable) {})
		if _, err := f.l.CashDeposit(f.ctx, acc.ID, money.New(100_000, money.ALL), "Depozitë"); err != nil {
			t.Fatal(err)
		}
		if got := f.authorise(t, declined); got.Approved || got.Reason != issuing.InsufficientFunds {
			t.Errorf("the decline's repeat with the money there: %+v", got)
		}
		other := declined
		other.Amount.Minor = 1
		if _, err := f.svc.Authorise(f.ctx, other); !errors.Is(err, issuing.ErrAuthorisationReused) {
			t.Errorf("another request under the declined one's id: %v", err)
		}
		if a := f.get(t, acc.ID); a.Held != 6_000 {
			t.Errorf("held %d, want 6000", a.Held)
		}
		f.sound(t)
	})
}

// TestAPurchaseInAnotherCurrencyIsHeldConvertedAtTheCardRate: a card whose accounts are in lek and euro pays
// euros from the euro account as they are, and dollars from the primary lek account at the card network's rate
// (the bank's sell rate, factor 1):
//
//	12.35 USD × 92.00 = 1,136.20 ALL exactly → 113,620 held;
//	12.35 EUR from the EUR account: 1,235 held there;
//	with only the lek account, 12.35 EUR × 99.55 = 1,229.4425 → 1,229.44 ALL (rounded once, half-up) → 122,944.
func TestAPurchaseInAnotherCurrencyIsHeldConvertedAtTheCardRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 500_000)
		k, lekOnly := f.holder(t, 500_000)
		eur := f.account(t, acc.CustomerID, money.EUR, 10_000)
		f.cards.set(c.ID, func(s *card.Spendable) { s.Accounts = append(s.Accounts, eur.ID) })
		usd := req(c.ID, 1_235)
		usd.Amount.Currency = money.USD
		euro := req(c.ID, 1_235)
		euro.Amount.Currency = money.EUR
		euroLek := req(k.ID, 1_235)
		euroLek.Amount.Currency = money.EUR
		for _, r := range []issuing.Request{usd, euro, euroLek} {
			if got := f.authorise(t, r); !got.Approved {
				t.Fatalf("%+v declined: %+v", r, got)
			}
		}
		for _, w := range []struct {
			id   string
			held int64
		}{{acc.ID, 113_620}, {eur.ID, 1_235}, {lekOnly.ID, 122_944}} {
			if a := f.get(t, w.id); a.Held != w.held {
				t.Errorf("account %s held %d, want %d", a.Currency, a.Held, w.held)
			}
		}
		// Cleared at the same rates: the lek account pays what was held; the bank owes the network 12.35 EUR.
		f.clear(t, "F1", presentment("P1", euroLek.ID, k.ID, issuing.KindPurchase, money.New(1_235, money.EUR)))
		if a := f.get(t, lekOnly.ID); a.Balance != 500_000-122_944 || a.Held != 0 {
			t.Errorf("after clearing: balance %d held %d", a.Balance, a.Held)
		}
		if s := f.gl(t, ledger.TypeCardSettlement, money.EUR); s.Balance != 1_235 {
			t.Errorf("card settlement EUR %d, want 1235", s.Balance)
		}
		f.sound(t)
	})
}

// TestConcurrentAuthorisationsNeverExceedTheBalance: 40 terminals at once ask for 300.00 on an account of
// 10,000.00: exactly 33 are approved, the rest declined for funds, and the holds sum to 9,900.00.
func TestConcurrentAuthorisationsNeverExceedTheBalance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 1_000_000)
		var wg sync.WaitGroup
		var mu sync.Mutex
		approved, declined := 0, 0
		for range 40 {
			wg.Go(func() {
				a, err := f.svc.Authorise(f.ctx, req(c.ID, 30_000))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("Authorise: %v", err)
				case a.Approved:
					approved++
				case a.Reason == issuing.InsufficientFunds:
					declined++
				default:
					t.Errorf("answer %+v", a)
				}
			})
		}
		wg.Wait()
		if approved != 33 || declined != 7 {
			t.Errorf("approved %d declined %d, want 33 and 7", approved, declined)
		}
		if a := f.get(t, acc.ID); a.Held != 990_000 || a.Available() < 0 {
			t.Errorf("held %d available %d", a.Held, a.Available())
		}
		f.sound(t)
	})
}

// TestACreditCardAuthorisesAgainstItsLimit: a credit card's account is its credit account; available is its
// balance plus its limit less its holds.
func TestACreditCardAuthorisesAgainstItsLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, acc := f.holder(t, 0)
		if _, err := d.Exec(f.ctx, "UPDATE accounts SET overdraft_limit = ? WHERE id = ?", 100_000, acc.ID); err != nil {
			t.Fatal(err)
		}
		f.cards.set(c.ID, func(s *card.Spendable) { s.Kind = card.Credit })
		if got := f.authorise(t, req(c.ID, 60_000)); !got.Approved {
			t.Fatalf("within the limit: %+v", got)
		}
		if got := f.authorise(t, req(c.ID, 40_001)); got.Reason != issuing.InsufficientFunds {
			t.Errorf("beyond the limit: %+v", got)
		}
		f.sound(t)
	})
}

// TestABadRequestIsRefusedAndNothingRecorded: a request the issuer cannot read is validation_failed.
func TestABadRequestIsRefusedAndNothingRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, _ := f.holder(t, 500_000)
		for _, edit := range []func(*issuing.Request){
			func(r *issuing.Request) { r.ID = "" },
			func(r *issuing.Request) { r.Amount.Minor = 0 },
			func(r *issuing.Request) { r.Amount.Currency = "XXX" },
			func(r *issuing.Request) { r.MCC = "54a1" },
			func(r *issuing.Request) { r.Country = "alb" },
			func(r *issuing.Request) { r.EntryMode = "telepathy" },
			func(r *issuing.Request) { r.Merchant = "" },
		} {
			r := req(c.ID, 1_000)
			edit(&r)
			if _, err := f.svc.Authorise(f.ctx, r); err == nil {
				t.Errorf("%+v was taken", r)
			}
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM card_authorisations").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d authorisations recorded (%v)", n, err)
		}
	})
}

// TestAnotherCustomersCardHasNoTransactions: the list is the holder's only; another customer's card is
// card_not_found, and a status other than pending and completed is refused.
func TestAnotherCustomersCardHasNoTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, _ := f.holder(t, 500_000)
		other, _ := f.holder(t, 500_000)
		f.authorise(t, req(c.ID, 1_000))
		if _, err := f.svc.Transactions(f.ctx, other.CustomerID, c.ID, issuing.Pending, 0); !errors.Is(err, card.ErrNotFound) {
			t.Errorf("another customer's card: %v", err)
		}
		if _, err := f.svc.Transactions(f.ctx, c.CustomerID, c.ID, "later", 0); !errors.Is(err, issuing.ErrStatusInvalid) {
			t.Errorf("an unknown status: %v", err)
		}
	})
}
