package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// T14 through the API: a transfer made after the close of business shows the next working day as its value date,
// on the transfer, its history line and the line's detail: Thursday 19 March 2026 after 20:00 counts from Tuesday
// the 24th, past Eid al-Fitr on Friday and Nevruz, a Sunday, observed on Monday.
func TestATransferAfterTheCloseShowsTheNextWorkingDayAsItsValueDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation()
		b.clock.Set(time.Date(2026, 3, 19, 20, 15, 0, 0, clock.Tirane))
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		paid := b.payElira(t, tok, "100", "after-close")
		wantStatus(t, paid, http.StatusCreated)
		if got := paid.str("value_date"); got != "2026-03-24" {
			t.Errorf("transfer value_date %q, want 2026-03-24", got)
		}
		list := b.do(t, "GET", "/api/v1/accounts/"+from.ID+"/transactions?limit=1", tok, nil)
		wantStatus(t, list, http.StatusOK)
		lines, _ := list.json["transactions"].([]any)
		if len(lines) != 1 {
			t.Fatalf("history %v", list.json)
		}
		line := lines[0].(map[string]any)
		if line["value_date"] != "2026-03-24" {
			t.Errorf("history line value_date %v, want 2026-03-24", line["value_date"])
		}
		detail := b.do(t, "GET", "/api/v1/accounts/"+from.ID+"/transactions/"+line["id"].(string), tok, nil)
		wantStatus(t, detail, http.StatusOK)
		if got := detail.str("value_date"); got != "2026-03-24" {
			t.Errorf("line detail value_date %q, want 2026-03-24", got)
		}
	})
}

// Z7 through the API: the business's representative is refused a payment at 21:30 with business_hours_closed.
func TestABusinessPaymentAt2130IsRefusedThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation()
		if err := b.auth.SetPassword(context.Background(), b.customer(t, arben).ID, arbenOwn, false); err != nil {
			t.Fatal(err)
		}
		b.clock.Set(time.Date(2026, 3, 2, 21, 30, 0, 0, clock.Tirane))
		tok := b.representativeLogin(t, arbenOwn)
		from := b.account(t, business, money.ALL, ledger.TypeCurrent)
		to := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		b.expectProblem(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal", "from_account_id": from.ID,
			"to_iban": to.IBAN, "amount": "10", "currency": "ALL"}, http.StatusUnprocessableEntity, "business_hours_closed",
			"Idempotency-Key", "z7-api")
	})
}
