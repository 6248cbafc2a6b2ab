package ledger_test

import (
	"math"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

func TestPostMovesMoneyAndWritesRunningBalances(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		vault := f.gl(t, ledger.TypeVault)

		f.clk.Advance(time.Second)
		first, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 2_500))
		if err != nil {
			t.Fatalf("post: %v", err)
		}
		if _, err := f.l.Post(f.ctx, transfer(b.ID, a.ID, 1_000)); err != nil {
			t.Fatalf("post back: %v", err)
		}

		f.assertBalance(t, a.ID, 8_500, 0)
		f.assertBalance(t, b.ID, 1_500, 0)
		f.assertBalance(t, vault.ID, -10_000, 0)
		if got := f.entryPostings(t, first); len(got) != 2 || got[a.ID] != -2_500 || got[b.ID] != 2_500 {
			t.Errorf("entry postings %v, want a -2500 and b +2500", got)
		}

		type line struct {
			seq, amount, after int64
			at                 time.Time
		}
		t1 := t0.Add(time.Second)
		for _, tc := range []struct {
			name string
			id   string
			want []line
		}{
			{"payer", a.ID, []line{{1, 10_000, 10_000, t0}, {2, -2_500, 7_500, t1}, {3, 1_000, 8_500, t1}}},
			{"payee", b.ID, []line{{1, 2_500, 2_500, t1}, {2, -1_000, 1_500, t1}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				lines := f.postings(t, tc.id)
				if len(lines) != len(tc.want) {
					t.Fatalf("%d postings, want %d", len(lines), len(tc.want))
				}
				for i, l := range lines {
					if got := (line{l.Seq, l.Amount, l.BalanceAfter, l.PostedAt}); got != tc.want[i] {
						t.Errorf("posting %d: %+v, want %+v", i, got, tc.want[i])
					}
					if l.Currency != money.ALL || l.AccountID != tc.id {
						t.Errorf("posting %d: currency %s account %s", i, l.Currency, l.AccountID)
					}
				}
			})
		}
		if got := f.get(t, a.ID).LastSeq; got != 3 {
			t.Errorf("last_seq %d, want 3", got)
		}
		f.assertSound(t)
	})
}

func TestPostRefusesMalformedEntries(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		eur, err := f.l.GL(f.ctx, ledger.GLCode(ledger.TypeVault, money.EUR))
		if err != nil {
			t.Fatal(err)
		}
		leg := func(id string, amt int64) ledger.Leg { return ledger.Leg{AccountID: id, Amount: amt} }
		for _, tc := range []struct {
			name string
			legs []ledger.Leg
			code string
		}{
			{"unbalanced", []ledger.Leg{leg(a.ID, -100), leg(b.ID, 99)}, "internal"},
			{"single leg", []ledger.Leg{leg(a.ID, -100)}, "internal"},
			{"no legs", nil, "internal"},
			{"zero leg", []ledger.Leg{leg(a.ID, -100), leg(b.ID, 100), leg(b.ID, 0)}, "internal"},
			{"balanced across currencies only", []ledger.Leg{leg(a.ID, -100), leg(eur.ID, 100)}, "internal"},
			{"unknown account", []ledger.Leg{leg(a.ID, -100), leg("no-such-account", 100)}, "account_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, a.ID, b.ID)
				_, err := f.l.Post(f.ctx, ledger.Entry{Kind: "transfer", Legs: tc.legs})
				if err == nil {
					t.Fatal("malformed entry posted")
				}
				wantCode(t, err, tc.code)
				f.assertUnchanged(t, before, a.ID, b.ID)
			})
		}
		f.assertSound(t)
	})
}

func TestPostRefusesDebitBeyondAvailable(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 1_000), f.open(t, 0)

		before := f.state(t, a.ID, b.ID)
		_, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 1_001))
		wantCode(t, err, "insufficient_funds")
		if kumbara.KindOf(err) != kumbara.KindUnprocessable {
			t.Errorf("kind %v, want unprocessable", kumbara.KindOf(err))
		}
		f.assertUnchanged(t, before, a.ID, b.ID)

		// Exactly the available amount may go.
		if _, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 1_000)); err != nil {
			t.Fatalf("debit of the whole balance: %v", err)
		}
		f.assertBalance(t, a.ID, 0, 0)
		f.assertBalance(t, b.ID, 1_000, 0)
		f.assertSound(t)
	})
}

func TestPostAllowsOverdraftUpToTheLimitAndNotBeyond(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.open(t, 500), f.open(t, 0)
		f.deposit(t, a.ID, 1_000)

		for _, tc := range []struct {
			name        string
			amount      int64
			code        string
			wantBalance int64
		}{
			{"beyond balance and limit", 1_501, "insufficient_funds", 1_000},
			{"into the overdraft", 1_200, "", -200},
			{"to the limit exactly", 300, "", -500},
			{"one past the limit", 1, "insufficient_funds", -500},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, tc.amount))
				if tc.code == "" && err != nil {
					t.Fatalf("post: %v", err)
				}
				if tc.code != "" {
					wantCode(t, err, tc.code)
				}
				if got := f.get(t, a.ID); got.Balance != tc.wantBalance || got.Available() != tc.wantBalance+500 {
					t.Errorf("balance %d available %d, want %d and %d", got.Balance, got.Available(),
						tc.wantBalance, tc.wantBalance+500)
				}
			})
		}

		// The limit cannot be cut below what is used.
		err := d.InTx(f.ctx, func(tx *db.Tx) error { return ledger.SetOverdraft(f.ctx, tx, a.ID, 499) })
		wantCode(t, err, "overdraft_exceeded")
		f.assertSound(t)
	})
}

func TestPostRefusesBlockedAndClosedAccountsInBothDirections(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		other := f.funded(t, 100_000)
		blocked := f.funded(t, 5_000)
		if err := f.setStatus(t, blocked.ID, ledger.Blocked); err != nil {
			t.Fatalf("block: %v", err)
		}
		closed := f.open(t, 0)
		if err := f.setStatus(t, closed.ID, ledger.Closed); err != nil {
			t.Fatalf("close empty account: %v", err)
		}
		f.clk.Advance(time.Second)

		for _, tc := range []struct {
			name  string
			entry ledger.Entry
			code  string
		}{
			{"debit blocked", transfer(blocked.ID, other.ID, 100), "account_blocked"},
			{"credit blocked", transfer(other.ID, blocked.ID, 100), "account_blocked"},
			{"debit closed", transfer(closed.ID, other.ID, 100), "account_closed"},
			{"credit closed", transfer(other.ID, closed.ID, 100), "account_closed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, other.ID, blocked.ID, closed.ID)
				_, err := f.l.Post(f.ctx, tc.entry)
				wantCode(t, err, tc.code)
				f.assertUnchanged(t, before, other.ID, blocked.ID, closed.ID)
			})
		}
		_, err := f.l.CashDeposit(f.ctx, blocked.ID, money.New(100, money.ALL), "")
		wantCode(t, err, "account_blocked")

		// Unblocking lets money move again; a closed account stays closed.
		if err := f.setStatus(t, blocked.ID, ledger.Active); err != nil {
			t.Fatalf("unblock: %v", err)
		}
		if _, err := f.l.Post(f.ctx, transfer(blocked.ID, other.ID, 100)); err != nil {
			t.Fatalf("post after unblocking: %v", err)
		}
		wantCode(t, f.setStatus(t, closed.ID, ledger.Active), "account_closed")
		f.assertSound(t)
	})
}

func TestSetStatusClosesOnlyEmptyAccounts(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 1_000), f.open(t, 0)

		wantCode(t, f.setStatus(t, a.ID, ledger.Closed), "account_not_empty")
		if _, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 1_000)); err != nil {
			t.Fatal(err)
		}
		h, err := f.placeHold(t, b.ID, 10, t0.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.l.Post(f.ctx, transfer(b.ID, a.ID, 990)); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.setStatus(t, b.ID, ledger.Closed), "account_not_empty") // balance 10, all of it held
		if err := f.l.Run(f.ctx, ledger.Op{Accounts: []string{b.ID}, Holds: []string{h.ID}, Run: func(bt *ledger.Batch) error {
			return bt.ReleaseHold(h.ID, ledger.HoldReleased)
		}}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.setStatus(t, b.ID, "frozen"), "validation_failed")
		if _, err := f.l.Post(f.ctx, transfer(b.ID, a.ID, 10)); err != nil {
			t.Fatal(err)
		}
		if err := f.setStatus(t, b.ID, ledger.Closed); err != nil {
			t.Fatalf("close empty account: %v", err)
		}
		if got := f.get(t, b.ID); got.Status != ledger.Closed || !got.StatusAt.Equal(f.clk.Now()) {
			t.Errorf("status %s at %v, want closed at %v", got.Status, got.StatusAt, f.clk.Now())
		}
		wantCode(t, f.setStatus(t, b.ID, ledger.Blocked), "account_closed")
		wantCode(t, f.setStatus(t, "no-such-account", ledger.Blocked), "account_not_found")
		f.assertSound(t)
	})
}

func TestPostRefusesAmountOverflow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.open(t, 0), f.open(t, 0)
		vault, fees := f.gl(t, ledger.TypeVault), f.gl(t, ledger.TypeFees)
		const big = math.MaxInt64 - 5
		f.deposit(t, a.ID, big)

		for _, tc := range []struct {
			name string
			legs []ledger.Leg
		}{
			{"balance beyond int64", []ledger.Leg{{AccountID: a.ID, Amount: 10}, {AccountID: vault.ID, Amount: -10}}},
			{"legs sum beyond int64", []ledger.Leg{
				{AccountID: b.ID, Amount: math.MaxInt64}, {AccountID: b.ID, Amount: 1},
				{AccountID: fees.ID, Amount: -math.MaxInt64}, {AccountID: fees.ID, Amount: -1}}},
			{"one account's legs beyond int64", []ledger.Leg{
				{AccountID: b.ID, Amount: math.MaxInt64}, {AccountID: fees.ID, Amount: -math.MaxInt64},
				{AccountID: b.ID, Amount: 1}, {AccountID: fees.ID, Amount: -1}}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.state(t, a.ID, b.ID, vault.ID, fees.ID)
				_, err := f.l.Post(f.ctx, ledger.Entry{Kind: "transfer", Legs: tc.legs})
				wantCode(t, err, "amount_out_of_range")
				f.assertUnchanged(t, before, a.ID, b.ID, vault.ID, fees.ID)
			})
		}
		f.assertBalance(t, a.ID, big, 0)
		f.assertSound(t)
	})
}

func TestCashDepositAndWithdrawalMoveMoneyThroughTheVault(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.open(t, 0)
		vault := f.gl(t, ledger.TypeVault)
		f.deposit(t, a.ID, 5_000)
		if _, err := f.l.CashWithdrawal(f.ctx, a.ID, money.New(2_000, money.ALL), "ATM Skanderbeg"); err != nil {
			t.Fatal(err)
		}
		f.assertBalance(t, a.ID, 3_000, 0)
		f.assertBalance(t, vault.ID, -3_000, 0)
		lines := f.postings(t, a.ID)
		if len(lines) != 2 || lines[1].Description != "Tërheqje cash në degë - ATM Skanderbeg" {
			t.Errorf("postings %+v", lines)
		}

		for _, tc := range []struct {
			name   string
			id     string
			amount money.Amount
			code   string
		}{
			{"zero", a.ID, money.New(0, money.ALL), "amount_not_positive"},
			{"negative", a.ID, money.New(-1, money.ALL), "amount_not_positive"},
			{"other currency", a.ID, money.New(100, money.EUR), "currency_mismatch"},
			{"unknown account", "no-such-account", money.New(100, money.ALL), "account_not_found"},
			{"GL account", vault.ID, money.New(100, money.ALL), "account_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.l.CashDeposit(f.ctx, tc.id, tc.amount, "")
				wantCode(t, err, tc.code)
			})
		}
		_, err := f.l.CashWithdrawal(f.ctx, a.ID, money.New(3_001, money.ALL), "")
		wantCode(t, err, "insufficient_funds")
		f.assertSound(t)
	})
}

func TestEnsureGLIsIdempotentAndOpensEveryCurrency(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if err := f.l.EnsureGL(f.ctx); err != nil {
			t.Fatalf("second EnsureGL: %v", err)
		}
		gls, err := f.l.ListGL(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		// vault, clearing, fees, FX position, suspense, settlement and card settlement in every currency; FX
		// income, rounding and revaluation in ALL.
		if want := 7*len(money.Currencies()) + 3; len(gls) != want {
			t.Fatalf("%d GL accounts, want %d", len(gls), want)
		}
		for _, a := range gls {
			if !a.IsGL() || !a.AllowNegative || a.Status != ledger.Active {
				t.Errorf("GL account %s: gl %v allow_negative %v status %s", a.GLCode, a.IsGL(), a.AllowNegative, a.Status)
			}
		}
	})
}
