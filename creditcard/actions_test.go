package creditcard_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

// TestEveryBadRequestIsRefusedWithItsCodeAndNothingChanges: each rule refuses with its own code, and the credit
// account, Alice's account and the card's settings are as they were.
func TestEveryBadRequestIsRefusedWithItsCodeAndNothingChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, c := f.open(t)
		f.purchase(t, cr, 300000)
		bobCredit, bobCard, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: f.bob.ID, Limit: 500000,
			Cycle: creditcard.CycleStart, Type: card.Mastercard, PIN: "5820"})
		if err != nil {
			t.Fatal(err)
		}
		_ = bobCredit
		alice, cardID := f.alice.ID, c.ID
		pay := func(r creditcard.PayRequest) error {
			_, err := f.s.Pay(f.ctx, alice, cardID, r)
			return err
		}
		cash := func(amount int64) error {
			_, err := f.s.CashAdvance(f.ctx, alice, cardID, creditcard.CashAdvanceRequest{ToAccountID: f.current.ID,
				Amount: amount, Confirm: true, IdempotencyKey: "k"})
			return err
		}
		for _, tc := range []struct {
			name, code string
			do         func() error
		}{
			{"internet limit above 100", "credit_internet_percent_invalid", func() error {
				return f.s.SetInternetLimit(f.ctx, alice, cardID, 101, "4739")
			}},
			{"internet limit below 0", "credit_internet_percent_invalid", func() error {
				return f.s.SetInternetLimit(f.ctx, alice, cardID, -1, "4739")
			}},
			{"internet limit with a wrong PIN", "card_pin_invalid", func() error {
				return f.s.SetInternetLimit(f.ctx, alice, cardID, 50, "1111")
			}},
			{"supplementary limit above 100", "credit_supplementary_percent_invalid", func() error {
				return f.s.SetSupplementaryLimit(f.ctx, alice, cardID, 150)
			}},
			{"auto-payment of 50 %", "credit_auto_percent_invalid", func() error {
				return f.s.SetAutoPayment(f.ctx, alice, cardID, 50, f.current.ID)
			}},
			{"auto-payment from Bob's account", "credit_account_invalid", func() error {
				return f.s.SetAutoPayment(f.ctx, alice, cardID, 25, f.bobAcc.ID)
			}},
			{"auto-payment from the credit account itself", "credit_account_invalid", func() error {
				return f.s.SetAutoPayment(f.ctx, alice, cardID, 100, cr.AccountID)
			}},
			{"Bob's card", "credit_card_not_found", func() error {
				return f.s.SetSupplementaryLimit(f.ctx, alice, bobCard.ID, 50)
			}},
			{"payment above the debt", "credit_payment_above_debt", func() error {
				return pay(creditcard.PayRequest{FromAccountID: f.current.ID, Kind: creditcard.PayOther, Amount: 300001, IdempotencyKey: "p1"})
			}},
			{"payment above the balance", "credit_payment_above_balance", func() error {
				f.purchase(t, cr, 5000000) // the debt is now 5300000, more than Alice's 5000000
				defer f.pay(t, cardID, creditcard.PayOther, 5000000)
				return pay(creditcard.PayRequest{FromAccountID: f.current.ID, Kind: creditcard.PayRemaining, IdempotencyKey: "p2"})
			}},
			{"payment of nothing", "amount_not_positive", func() error {
				return pay(creditcard.PayRequest{FromAccountID: f.current.ID, Kind: creditcard.PayOther, IdempotencyKey: "p3"})
			}},
			{"a payment kind unknown", "credit_payment_kind_invalid", func() error {
				return pay(creditcard.PayRequest{FromAccountID: f.current.ID, Kind: "half", IdempotencyKey: "p4"})
			}},
			{"the minimum with no statement yet", "credit_nothing_to_pay", func() error {
				return pay(creditcard.PayRequest{FromAccountID: f.current.ID, Kind: creditcard.PayMinimum, IdempotencyKey: "p5"})
			}},
			{"payment from Bob's account", "credit_account_invalid", func() error {
				return pay(creditcard.PayRequest{FromAccountID: f.bobAcc.ID, Kind: creditcard.PayOther, Amount: 100, IdempotencyKey: "p6"})
			}},
			{"cash advance above the cash limit", "credit_cash_above_limit", func() error { return cash(2000001) }},
			{"cash advance of nothing", "amount_not_positive", func() error { return cash(0) }},
			{"cash advance into Bob's account", "credit_account_invalid", func() error {
				_, err := f.s.CashAdvance(f.ctx, alice, cardID, creditcard.CashAdvanceRequest{ToAccountID: f.bobAcc.ID,
					Amount: 1000, Confirm: true, IdempotencyKey: "k2"})
				return err
			}},
			{"a limit of nothing", "credit_limit_invalid", func() error {
				_, _, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: alice, Cycle: creditcard.CycleEnd,
					Type: card.Visa, PIN: "4739"})
				return err
			}},
			{"a cash limit above the limit", "credit_limit_invalid", func() error {
				_, _, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: alice, Limit: 100, CashLimit: 101,
					Cycle: creditcard.CycleEnd, Type: card.Visa, PIN: "4739"})
				return err
			}},
			{"a first cycle from tomorrow", "credit_cycle_invalid", func() error {
				_, _, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: alice, Limit: 100, Cycle: creditcard.CycleEnd,
					Type: card.Visa, PIN: "4739", OpenedOn: date("2026-01-06")})
				return err
			}},
			{"a cycle mid-month", "credit_cycle_invalid", func() error {
				_, _, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: alice, Limit: 100, Cycle: "15",
					Type: card.Visa, PIN: "4739"})
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.balance(t, cr.AccountID)
				if err := tc.do(); code(err) != tc.code {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				if tc.name != "payment above the balance" && f.balance(t, cr.AccountID) != before {
					t.Fatal("the credit account moved")
				}
			})
		}
		got, err := f.s.Get(f.ctx, alice, cardID)
		if err != nil || got.InternetPercent != 100 || got.SupplementaryPercent != 100 || got.AutoPercent != 0 {
			t.Fatalf("settings changed: %+v, %v", got, err)
		}
		if _, err := f.s.Summary(f.ctx, alice, bobCard.ID); code(err) != "credit_card_not_found" {
			t.Fatalf("Bob's card's summary: %v", err)
		}
		if _, err := f.s.Statements(f.ctx, alice, bobCard.ID); code(err) != "credit_card_not_found" {
			t.Fatalf("Bob's card's statements: %v", err)
		}
		f.sound(t)
	})
}

// TestTheInternetLimitIsSetWithTheCardsPINAndCounted: 40 % of a 100,000.00 limit is 40,000.00 for internet
// purchases, set with the right PIN; the wrong PIN counts towards the card's three tries.
func TestTheInternetLimitIsSetWithTheCardsPINAndCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, c := f.open(t)
		if err := f.s.SetInternetLimit(f.ctx, f.alice.ID, c.ID, 40, "4739"); err != nil {
			t.Fatal(err)
		}
		cr, _ := f.s.Get(f.ctx, f.alice.ID, c.ID)
		if cr.InternetPercent != 40 || cr.InternetLimit() != 4000000 {
			t.Fatalf("internet %d%% = %d", cr.InternetPercent, cr.InternetLimit())
		}
		for i, want := range []string{"card_pin_invalid", "card_pin_invalid", "card_pin_blocked", "card_pin_blocked"} {
			if err := f.s.SetInternetLimit(f.ctx, f.alice.ID, c.ID, 0, "1379"); code(err) != want {
				t.Fatalf("try %d: %v, want %s", i+1, err, want)
			}
		}
		if cr, _ := f.s.Get(f.ctx, f.alice.ID, c.ID); cr.InternetPercent != 40 {
			t.Fatalf("changed with a wrong PIN: %d", cr.InternetPercent)
		}
	})
}

// TestACashAdvanceShowsItsFeeFirstAndIsMadeOnce: the preview moves nothing and shows the fee (3 % of 2,000,000 =
// 60,000, above the 50,000 floor); the confirmation moves the amount into Alice's account and the fee to the
// bank, once however often it is sent; the remaining cash limit falls by the amount.
func TestACashAdvanceShowsItsFeeFirstAndIsMadeOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, c := f.open(t)
		r := creditcard.CashAdvanceRequest{ToAccountID: f.current.ID, Amount: 1500000, IdempotencyKey: "adv-1"}
		pre, err := f.s.CashAdvance(f.ctx, f.alice.ID, c.ID, r)
		if err != nil || pre.Fee != 45000+5000 || pre.CashRemaining != 2000000 || pre.EntryID != "" {
			// 3 % of 1,500,000 is 45,000, below the floor of 50,000.
			t.Fatalf("preview %+v, %v", pre, err)
		}
		if f.balance(t, cr.AccountID) != 0 {
			t.Fatal("the preview moved money")
		}
		r.Confirm = true
		for range 2 {
			done, err := f.s.CashAdvance(f.ctx, f.alice.ID, c.ID, r)
			if err != nil || done.EntryID == "" || done.Fee != 50000 {
				t.Fatalf("confirm %+v, %v", done, err)
			}
		}
		if b := f.balance(t, cr.AccountID); b != -1550000 {
			t.Fatalf("credit account %d, want -1550000", b)
		}
		if b := f.balance(t, f.current.ID); b != 6500000 {
			t.Fatalf("current account %d, want 6500000", b)
		}
		sum, _ := f.s.Summary(f.ctx, f.alice.ID, c.ID)
		if sum.CashRemaining != 500000 {
			t.Fatalf("cash remaining %d, want 500000", sum.CashRemaining)
		}
		_, err = f.s.CashAdvance(f.ctx, f.alice.ID, c.ID, creditcard.CashAdvanceRequest{ToAccountID: f.current.ID,
			Amount: 500001, Confirm: true, IdempotencyKey: "adv-2"})
		if code(err) != "credit_cash_above_limit" {
			t.Fatalf("above the remaining cash: %v", err)
		}
		f.sound(t)
	})
}

// TestAnotherCardOfTheBankIsPaidByItsNumberWithItsHolderMasked (Y17): Alice finds Bob's credit card by its number,
// sees its masked number and Bob's name masked, and pays part of its debt; a debit card's number, a wrong number
// and more than Bob owes are refused.
func TestAnotherCardOfTheBankIsPaidByItsNumberWithItsHolderMasked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bobCr, bobCard, err := f.s.Open(f.ctx, creditcard.OpenRequest{CustomerID: f.bob.ID, Limit: 500000,
			Cycle: creditcard.CycleStart, Type: card.Mastercard, PIN: "5820"})
		if err != nil {
			t.Fatal(err)
		}
		f.purchase(t, bobCr, 200000)
		pan, err := f.cards.Reveal(f.ctx, bobCard.ID)
		if err != nil {
			t.Fatal(err)
		}
		spaced := pan[:4] + " " + pan[4:8] + " " + pan[8:12] + " " + pan[12:]
		payee, _, err := f.s.FindPayee(f.ctx, spaced)
		if err != nil || payee.CardID != bobCard.ID || payee.Masked != bobCard.Masked || payee.Holder != "A**** H****" {
			t.Fatalf("payee %+v, %v", payee, err)
		}
		r := creditcard.PayRequest{FromAccountID: f.current.ID, Amount: 200001, IdempotencyKey: "y17"}
		if _, err := f.s.PayByNumber(f.ctx, f.alice.ID, pan, r); code(err) != "credit_payment_above_debt" {
			t.Fatalf("above Bob's debt: %v", err)
		}
		r.Amount = 120000
		if p, err := f.s.PayByNumber(f.ctx, f.alice.ID, pan, r); err != nil || p.Amount != 120000 {
			t.Fatalf("pay %+v, %v", p, err)
		}
		if b := f.balance(t, bobCr.AccountID); b != -80000 {
			t.Fatalf("Bob's card %d, want -80000", b)
		}
		debit, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: f.bob.ID, AccountID: f.bobAcc.ID,
			Type: card.Visa, PIN: "5820"})
		if err != nil {
			t.Fatal(err)
		}
		debitPAN, _ := f.cards.Reveal(f.ctx, debit.ID)
		wrong := pan[:len(pan)-1] + string('0'+(pan[len(pan)-1]-'0'+1)%10)
		for _, n := range []string{debitPAN, wrong, "4000", ""} {
			if _, _, err := f.s.FindPayee(f.ctx, n); code(err) != "credit_card_not_found" {
				t.Fatalf("FindPayee(%d digits) = %v", len(n), err)
			}
		}
		f.sound(t)
	})
}

// TestInstalmentsAreOfferedOnlyForACompletedPurchaseOnceAndCloseEarly (F20): the offers price the purchase (6
// months with a 5 % fee on 600,000: 30,000 fee, 100,000 + 5,000 a month); a pending purchase (a hold), a
// purchase split already, another card's purchase and an unknown offer are refused. Closed early after the first
// statement, the next statement bills the remaining 500,000 at once and no more fee.
func TestInstalmentsAreOfferedOnlyForACompletedPurchaseOnceAndCloseEarly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, c := f.open(t)
		f.clk.Set(at(2026, 1, 10, 10))
		buy := f.purchase(t, cr, 600000)
		offers, err := f.s.Offers(f.ctx, f.alice.ID, c.ID, buy)
		if err != nil || len(offers) != 2 || offers[1].Fee != 30000 || offers[1].Monthly != 105000 {
			t.Fatalf("offers %+v, %v", offers, err)
		}
		var hold string
		if err := f.ledger.Run(f.ctx, ledger.Op{Accounts: []string{cr.AccountID}, Run: func(b *ledger.Batch) error {
			h, err := b.PlaceHold(cr.AccountID, 1000, "card_authorisation", "auth-1", f.clk.Now().Add(time.Hour))
			hold = h.ID
			return err
		}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Split(f.ctx, f.alice.ID, c.ID, buy, "9m"); code(err) != "credit_offer_not_found" {
			t.Fatalf("unknown offer: %v", err)
		}
		if _, err := f.s.Offers(f.ctx, f.alice.ID, c.ID, hold); code(err) != "credit_transaction_pending" {
			t.Fatalf("pending: %v", err)
		}
		if _, err := f.s.Split(f.ctx, f.bob.ID, c.ID, buy, "6m"); code(err) != "credit_card_not_found" {
			t.Fatalf("Bob splitting Alice's purchase: %v", err)
		}
		plan, err := f.s.Split(f.ctx, f.alice.ID, c.ID, buy, "6m")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Split(f.ctx, f.alice.ID, c.ID, buy, "3m"); code(err) != "credit_transaction_split" {
			t.Fatalf("split twice: %v", err)
		}
		for day := date("2026-01-10"); !day.After(date("2026-01-31")); day = day.AddDays(1) {
			f.endOfDay(t, day)
		}
		// January: first instalment 100000 + fee 5000; closing 605000, unbilled 500000, total due 105000.
		if err := f.s.CloseEarly(f.ctx, f.alice.ID, c.ID, plan.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.CloseEarly(f.ctx, f.alice.ID, c.ID, plan.ID); code(err) != "credit_plan_closed" {
			t.Fatalf("closed twice: %v", err)
		}
		for day := date("2026-02-01"); !day.After(date("2026-02-28")); day = day.AddDays(1) {
			f.endOfDay(t, day)
		}
		// February (grace lost: nothing paid by 20 Feb, so a late fee of 150000 on 20 Feb, and interest on the
		// revolving balance: 1–19 Feb 105000 (19 days), 20–28 Feb 255000 (9 days); Σ = 1995000 + 2295000 =
		// 4290000 → 4290). Billed: the remaining 500000, no fee. Closing 605000 + 150000 + 4290 = 759290, total due
		// = closing (nothing unbilled).
		sts, err := f.s.Statements(f.ctx, f.alice.ID, c.ID)
		if err != nil || len(sts) != 2 {
			t.Fatalf("statements %v, %v", len(sts), err)
		}
		jan, feb := sts[1], sts[0]
		if jan.TotalDue != 105000 || jan.LateFee != 150000 || jan.Unbilled != 500000 || jan.Instalments != 100000 || jan.Fees != 5000 {
			t.Errorf("January %+v", jan)
		}
		if feb.Instalments != 500000 || feb.Unbilled != 0 || feb.Interest != 4290 || feb.LateFee != 0 ||
			feb.ClosingBalance != 759290 || feb.TotalDue != 759290 || feb.Fees != 150000 {
			t.Errorf("February %+v", feb)
		}
		plans, _ := f.s.Plans(f.ctx, f.alice.ID, c.ID)
		if len(plans) != 1 || plans[0].Status != creditcard.PlanDone || plans[0].BilledPrincipal != 600000 {
			t.Errorf("plans %+v", plans)
		}
		f.sound(t)
	})
}

// TestOnlyTheCardsOwnOperationsMoveItsAccount: a transfer from the credit account (cash without the cash limit or
// its fee) and one into it (a payment the statement would not see) are both refused; a card entry goes through.
func TestOnlyTheCardsOwnOperationsMoveItsAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cr, _ := f.open(t)
		for _, amount := range []int64{-1000, 1000} {
			_, err := f.ledger.Post(f.ctx, ledger.Entry{Kind: "transfer", Legs: []ledger.Leg{
				{AccountID: cr.AccountID, Amount: amount}, {AccountID: f.current.ID, Amount: -amount}}})
			if code(err) != "account_card_only" {
				t.Fatalf("a transfer of %d: %v", amount, err)
			}
		}
		f.purchase(t, cr, 1000)
		if f.balance(t, cr.AccountID) != -1000 {
			t.Fatal("the purchase did not post")
		}
	})
}
