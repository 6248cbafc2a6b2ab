package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The bank's close of business releases the holds whose time has passed, checks the ledger's invariants and
// revalues the FX positions (none here: nothing to book), for every business date; a transaction after the
// configured close is valued on the next working day.
func TestTheBanksCloseReleasesExpiredHoldsAndVerifiesTheLedger(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := config(d)
		clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, clock.Tirane))
		cfg.Clock, cfg.CloseOfBusiness = clk, 18*time.Hour+30*time.Minute
		b := open(t, cfg)
		if got := b.EOD.Steps(); fmt.Sprint(got) != "[expire_holds card_clearing credit_statements credit_due verify_ledger reconcile_clearing fx_revaluation]" {
			t.Fatalf("steps %v", got)
		}
		_, a := person(t, b, 1)
		if err := b.Ledger.Run(ctx, ledger.Op{Accounts: []string{a.ID}, Run: func(bt *ledger.Batch) error {
			_, err := bt.PlaceHold(a.ID, 500, "card_authorisation", "auth-1", clk.Now().Add(time.Hour))
			return err
		}}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.EOD.BusinessDate(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Set(time.Date(2026, 12, 2, 18, 30, 0, 0, clock.Tirane))
		entry, err := b.Ledger.CashDeposit(ctx, a.ID, money.New(100, money.ALL), "after the close")
		if err != nil {
			t.Fatal(err)
		}
		var valueDate string
		if err := d.QueryRow(ctx, "SELECT value_date FROM journal_entries WHERE id = ?", entry).Scan(&valueDate); err != nil {
			t.Fatal(err)
		}
		if valueDate != "2026-12-03" {
			t.Errorf("value date at the configured close %s, want 2026-12-03", valueDate)
		}
		days, err := b.EOD.RunDue(ctx)
		if err != nil || fmt.Sprint(days) != "[2026-12-02]" {
			t.Fatalf("closed %v (%v)", days, err)
		}
		history, err := b.EOD.History(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 7 || history[0].Result != "1 holds released" || !history[1].Done() ||
			history[2].Result != "0 statements drawn" || history[3].Result != "0 statements settled" || !history[4].Done() ||
			!strings.HasPrefix(history[4].Result, "ledger sound: ") || !history[6].Done() ||
			history[6].Result != "flat at the closing mids (no position in a currency): nothing to book" {
			t.Errorf("history %+v", history)
		}
		if got, _ := b.Ledger.Get(ctx, a.ID); got.Held != 0 {
			t.Errorf("held %d after the close", got.Held)
		}
	})
}
