package transfer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// wantField fails unless err names field in its field errors.
func wantField(t testing.TB, err error, field string) {
	t.Helper()
	e, _ := kumbara.As(err)
	if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != field {
		t.Fatalf("error %v is about %+v, want the field %q", err, e, field)
	}
}

// rowCounts counts the rows of every table a transfer, a preview or a payee check could write.
func (f *fixture) rowCounts(t *testing.T) string {
	t.Helper()
	var out []string
	for _, table := range []string{"transfers", "pending_transfers", "journal_entries", "postings", "idempotency_keys",
		"outbox", "payee_checks"} {
		out = append(out, fmt.Sprintf("%s=%d", table, f.count(t, "SELECT COUNT(*) FROM "+table)))
	}
	return strings.Join(out, " ")
}

func TestPreviewRefusesWhatCreateRefusesAndWhatTheLedgerWouldWithTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		main := f.account(t, c.ID, money.ALL, 100000)
		second := f.account(t, c.ID, money.ALL, 0)
		euro := f.account(t, c.ID, money.EUR, 100000)
		blocked := f.account(t, c.ID, money.ALL, 100000)
		f.setStatus(t, blocked.ID, ledger.Blocked)
		closed := f.account(t, c.ID, money.ALL, 0)
		f.setStatus(t, closed.ID, ledger.Closed)
		theirs := f.account(t, other.ID, money.ALL, 0)
		theirBlocked := f.account(t, other.ID, money.ALL, 0)
		f.setStatus(t, theirBlocked.ID, ledger.Blocked)
		theirEuro := f.account(t, other.ID, money.EUR, 0)
		own := func(to string) transfer.Request {
			return transfer.Request{Type: transfer.Own, FromAccountID: main.ID, ToAccountID: to, Amount: "10", Currency: "ALL"}
		}
		internal := func(toIBAN string) transfer.Request {
			return transfer.Request{Type: transfer.Internal, FromAccountID: main.ID, ToIBAN: toIBAN, Amount: "10", Currency: "ALL"}
		}
		with := func(r transfer.Request, change func(*transfer.Request)) transfer.Request { change(&r); return r }
		before := f.rowCounts(t)

		for _, tc := range []struct {
			name        string
			req         transfer.Request
			code, field string
			// checkedAtPosting: Create lets the ledger refuse it when the transfer posts; Preview says it first.
			checkedAtPosting bool
		}{
			{"unknown type", with(own(second.ID), func(r *transfer.Request) { r.Type = "sepa" }), "validation_failed", "type", false},
			{"missing source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = "" }), "validation_failed", "from_account_id", false},
			{"missing beneficiary", own(""), "validation_failed", "to_account_id", false},
			{"phone on an own transfer", with(own(second.ID), func(r *transfer.Request) { r.PayeePhone = "0691234567" }), "validation_failed", "payee_phone", false},
			{"unknown currency", with(own(second.ID), func(r *transfer.Request) { r.Currency = "XXX" }), "unknown_currency", "currency", false},
			{"three decimals", with(own(second.ID), func(r *transfer.Request) { r.Amount = "1.001" }), "amount_too_many_decimals", "amount", false},
			{"markup in description", with(own(second.ID), func(r *transfer.Request) { r.Description = "<b>qira</b>" }), "description_invalid_characters", "description", false},
			{"description of 141 characters", with(own(second.ID), func(r *transfer.Request) { r.Description = strings.Repeat("ë", 141) }), "description_too_long", "description", false},
			{"malformed payee phone", with(internal(theirs.IBAN), func(r *transfer.Request) { r.PayeePhone = "12" }), "mobile_invalid", "payee_phone", false},
			{"malformed IBAN", internal("AL00 0000"), "iban_invalid", "iban", false},
			{"unknown source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = "no-such-account" }), "account_not_found", "from_account_id", false},
			{"own transfer to another customer's account", own(theirs.ID), "account_not_found", "to_account_id", false},
			{"same account", own(main.ID), "same_account", "to_account_id", false},
			{"internal to own account", internal(second.IBAN), "type_invalid", "type", false},
			{"request in another currency than the source", with(own(second.ID), func(r *transfer.Request) { r.Currency = "EUR" }), "currency_mismatch", "currency", false},
			{"beneficiary in another currency", internal(theirEuro.IBAN), "currency_mismatch", "to_iban", false},
			{"own beneficiary in another currency", own(euro.ID), "transfer_needs_exchange", "to_account_id", false},
			{"blocked source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = blocked.ID }), "account_blocked", "from_account_id", true},
			{"closed source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = closed.ID }), "account_closed", "from_account_id", true},
			{"blocked own beneficiary", own(blocked.ID), "account_blocked", "to_account_id", true},
			{"closed own beneficiary", own(closed.ID), "account_closed", "to_account_id", true},
			{"blocked beneficiary of another customer", internal(theirBlocked.IBAN), "account_blocked", "to_iban", true},
			{"more than the available balance", with(own(second.ID), func(r *transfer.Request) { r.Amount = "1000.01" }), "insufficient_funds", "amount", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p, err := f.svc.Preview(f.ctx, c.ID, tc.req)
				if err == nil {
					t.Fatalf("Preview passed %+v, want %s", p, tc.code)
				}
				if got := kumbara.CodeOf(err); got != tc.code {
					t.Fatalf("Preview: %v, want %s", err, tc.code)
				}
				wantField(t, err, tc.field)
				// Create refuses it with the same code: it runs the same checks, and the ledger checks the rest.
				_, _, cerr := f.svc.Create(f.ctx, c.ID, "k-"+strings.ReplaceAll(tc.name, " ", "-"), tc.req)
				if got := kumbara.CodeOf(cerr); got != tc.code {
					t.Fatalf("Create: %v, want %s as Preview said", cerr, tc.code)
				}
				if !tc.checkedAtPosting {
					wantField(t, cerr, tc.field)
				}
			})
		}
		if after := f.rowCounts(t); after != before {
			t.Errorf("refused previews and transfers wrote: %s, then %s", before, after)
		}
		f.sound(t)
	})
}

func TestAPreviewThatPassesShowsTheTransferAndCreateMakesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer := f.person(t, "Arben", "Hoxha")
		payee := f.person(t, "Dritan", "Çela")
		current := f.account(t, payer.ID, money.ALL, 100000)
		savings := f.account(t, payer.ID, money.ALL, 0)
		theirs := f.account(t, payee.ID, money.ALL, 0)
		for _, tc := range []struct {
			name   string
			req    transfer.Request
			to     ledger.Account
			toName string
		}{
			{"own", transfer.Request{Type: transfer.Own, FromAccountID: current.ID, ToAccountID: savings.ID,
				Amount: "250.50", Currency: "ALL", Description: "  Kursime  "}, savings, "Arben Hoxha"},
			{"in-bank", transfer.Request{Type: transfer.Internal, FromAccountID: current.ID, ToIBAN: theirs.IBAN,
				Amount: "250.50", Currency: "ALL", Description: "Qira", PayeePhone: "069 123 4567"}, theirs, "D***** Ç***"},
			{"the whole available balance", transfer.Request{Type: transfer.Own, FromAccountID: current.ID,
				ToAccountID: savings.ID, Amount: "499.00", Currency: "ALL"}, savings, "Arben Hoxha"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := f.rowCounts(t)
				balance := f.balance(t, current.ID)
				p, err := f.svc.Preview(f.ctx, payer.ID, tc.req)
				if err != nil {
					t.Fatalf("Preview: %v", err)
				}
				if after := f.rowCounts(t); after != before || f.balance(t, current.ID) != balance {
					t.Errorf("Preview wrote: %s, then %s", before, after)
				}
				wantDesc := strings.TrimSpace(tc.req.Description)
				wantPhone := ""
				if tc.req.PayeePhone != "" {
					wantPhone = "+355691234567"
				}
				if p.Type != tc.req.Type || p.From.ID != current.ID || p.From.IBAN != current.IBAN || p.From.Balance != balance ||
					p.To.ID != tc.to.ID || p.To.IBAN != tc.to.IBAN || p.ToName != tc.toName ||
					p.Amount.Decimal() != tc.req.Amount || p.Amount.Currency != money.ALL ||
					p.Description != wantDesc || p.PayeePhone != wantPhone {
					t.Errorf("Preview = %+v", p)
				}
				if tc.req.Type == transfer.Internal && (p.To.Balance != 0 || p.To.CustomerID != "" || p.To.Name != "") {
					t.Errorf("an in-bank preview shows the payee's account beyond its identifiers: %+v", p.To)
				}
				tr, _, err := f.svc.Create(f.ctx, payer.ID, "after-preview-"+strings.ReplaceAll(tc.name, " ", "-"), tc.req)
				if err != nil {
					t.Fatalf("Create after a preview that passed: %v", err)
				}
				if tr.Amount != p.Amount || tr.ToIBAN != p.To.IBAN || tr.ToName != p.ToName || tr.Description != p.Description ||
					tr.PayeePhone != p.PayeePhone {
					t.Errorf("Create made %+v, the preview showed %+v", tr, p)
				}
			})
		}
		f.sound(t)
	})
}
