package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// openCredit opens Arben a credit card of 100,000.00 ALL (cash 20,000.00) cut at the end of the month, PIN 4739,
// and posts a settled purchase of 3,000.00 on it.
func (b *bank) openCredit(t *testing.T) (creditcard.Credit, card.Card, string) {
	t.Helper()
	ctx := context.Background()
	cr, c, err := b.services.Credit.Open(ctx, creditcard.OpenRequest{CustomerID: b.customer(t, arben).ID,
		Limit: 10000000, CashLimit: 2000000, Cycle: creditcard.CycleEnd, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	clearing, err := b.ledger.GL(ctx, ledger.GLCode(ledger.TypeClearing, money.ALL))
	if err != nil {
		t.Fatal(err)
	}
	buy, err := b.ledger.Post(ctx, ledger.Entry{Kind: creditcard.KindPurchase, Description: "Dyqani", Legs: []ledger.Leg{
		{AccountID: cr.AccountID, Amount: -300000, Description: "Dyqani"},
		{AccountID: clearing.ID, Amount: 300000, Description: "Dyqani"}}})
	if err != nil {
		t.Fatal(err)
	}
	return cr, c, buy
}

// TestACreditCardIsReadPaidAndSplitThroughTheAPI: Arben reads his card (F11), sets its internet limit with its PIN
// (F12), previews and takes a cash advance (F16), pays it (F17), splits the purchase (F20) and reads the month's
// statement (F18); every refusal has its code, and Elira gets 404 for each of his card's routes.
func TestACreditCardIsReadPaidAndSplitThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		_, c, buy := b.openCredit(t)
		cur := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		tok := b.login(t, arben)
		base := "/api/v1/cards/" + c.ID

		r := b.do(t, "GET", base+"/credit", tok, nil)
		wantStatus(t, r, http.StatusOK)
		wantFields(t, r, map[string]string{"limit": "100000.00", "cash_limit": "20000.00", "debt": "3000.00",
			"available": "97000.00", "cash_available": "20000.00", "masked_pan": c.Masked})

		b.expectProblem(t, "PATCH", base+"/limits", tok, map[string]any{"internet_percent": 101, "pin": "4739"},
			http.StatusBadRequest, "credit_internet_percent_invalid")
		r = b.do(t, "PATCH", base+"/limits", tok, map[string]any{"internet_percent": 40, "pin": "4739"})
		wantStatus(t, r, http.StatusOK)
		wantFields(t, r, map[string]string{"internet_limit": "40000.00"})

		// The preview: 3 % of 10,000.00 is 300.00, below the floor of 500.00.
		adv := map[string]any{"to_account_id": cur.ID, "amount": "10000"}
		r = b.do(t, "POST", base+"/cash-advance", tok, adv)
		wantStatus(t, r, http.StatusOK)
		wantFields(t, r, map[string]string{"fee.amount": "500.00", "total.amount": "10500.00", "entry_id": ""})
		adv["confirm"] = true
		b.expectProblem(t, "POST", base+"/cash-advance", tok, adv, http.StatusBadRequest, "idempotency_key_missing")
		r = b.do(t, "POST", base+"/cash-advance", tok, adv, "Idempotency-Key", "adv-1")
		wantStatus(t, r, http.StatusCreated)
		if b.fresh(t, cur.ID).Balance != cur.Balance+1000000 {
			t.Fatal("the advance did not reach the account")
		}
		adv["amount"] = "10000.01"
		r = b.do(t, "POST", base+"/cash-advance", tok, adv, "Idempotency-Key", "adv-2")
		if r.status != http.StatusUnprocessableEntity || r.str("code") != "credit_cash_above_limit" {
			t.Fatalf("above the cash limit: %s", r.body)
		}

		// The debt is 3,000.00 + 10,000.00 + 500.00 = 13,500.00.
		pay := map[string]any{"from_account_id": cur.ID, "kind": "other", "amount": "13500.01"}
		r = b.do(t, "POST", base+"/payments", tok, pay, "Idempotency-Key", "pay-1")
		if r.status != http.StatusUnprocessableEntity || r.str("code") != "credit_payment_above_debt" {
			t.Fatalf("above the debt: %s", r.body)
		}
		b.expectProblem(t, "POST", base+"/payments", tok, map[string]any{"from_account_id": cur.ID, "kind": "half"},
			http.StatusBadRequest, "credit_payment_kind_invalid", "Idempotency-Key", "pay-2")
		pay["amount"] = "10500"
		r = b.do(t, "POST", base+"/payments", tok, pay, "Idempotency-Key", "pay-3")
		wantStatus(t, r, http.StatusCreated)
		wantFields(t, r, map[string]string{"amount.amount": "10500.00"})

		r = b.do(t, "GET", base+"/transactions/"+buy+"/instalments", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if offers, _ := r.json["offers"].([]any); len(offers) != 3 {
			t.Fatalf("offers %s", r.body)
		}
		r = b.do(t, "POST", base+"/transactions/"+buy+"/instalments", tok, map[string]any{"offer_id": "3m"})
		wantStatus(t, r, http.StatusCreated)
		b.expectProblem(t, "POST", base+"/transactions/"+buy+"/instalments", tok, map[string]any{"offer_id": "3m"},
			http.StatusConflict, "credit_transaction_split")

		// The end of March draws the statement.
		b.clock.Set(time.Date(2026, 3, 31, 20, 0, 0, 0, time.UTC))
		if _, err := b.services.Credit.RunStatements(context.Background(), calendar.Date{Year: 2026, Month: 3, Day: 31}); err != nil {
			t.Fatal(err)
		}
		tok = b.login(t, arben) // a month on, the session has expired
		r = b.do(t, "GET", base+"/statements", tok, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["statements"].([]any)
		if len(list) != 1 {
			t.Fatalf("statements %s", r.body)
		}
		st, _ := list[0].(map[string]any)
		sid, _ := st["id"].(string)
		r = b.do(t, "GET", base+"/statements/"+sid, tok, nil)
		wantStatus(t, r, http.StatusOK)
		if lines, _ := r.json["transactions"].([]any); len(lines) < 4 {
			t.Fatalf("statement %s", r.body)
		}
		b.expectProblem(t, "GET", base+"/statements/nope", tok, nil, http.StatusNotFound, "credit_statement_not_found")

		other := b.login(t, elira)
		for _, rt := range []struct{ method, path string }{{"GET", base + "/credit"}, {"GET", base + "/statements"},
			{"GET", base + "/statements/" + sid}, {"GET", base + "/instalments"}} {
			b.expectProblem(t, rt.method, rt.path, other, nil, http.StatusNotFound, "credit_card_not_found")
		}
		b.expectProblem(t, "POST", base+"/payments", other, map[string]any{"from_account_id": cur.ID, "kind": "remaining"},
			http.StatusNotFound, "credit_card_not_found", "Idempotency-Key", "e-1")
	})
}

// TestAnotherCardIsFoundByItsNumberMaskedAndPaid (Y17): Elira finds Arben's credit card by its number — masked,
// his name masked — and pays part of it; an unknown number is 404.
func TestAnotherCardIsFoundByItsNumberMaskedAndPaid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		cr, c, _ := b.openCredit(t)
		pan, err := b.cards.Reveal(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok := b.login(t, elira)
		r := b.do(t, "POST", "/api/v1/card-payees", tok, map[string]any{"number": pan})
		wantStatus(t, r, http.StatusOK)
		if r.str("masked_pan") != c.Masked || r.str("holder") == "" || r.str("holder") == "Arben" {
			t.Fatalf("payee %s", r.body)
		}
		b.expectProblem(t, "POST", "/api/v1/card-payees", tok, map[string]any{"number": "4000001234567899"},
			http.StatusNotFound, "credit_card_not_found")
		from := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		r = b.do(t, "POST", "/api/v1/card-payments", tok, map[string]any{"number": pan, "from_account_id": from.ID,
			"amount": "1000"}, "Idempotency-Key", "y17-1")
		wantStatus(t, r, http.StatusCreated)
		if b.fresh(t, cr.AccountID).Balance != -200000 {
			t.Fatal("the card was not paid")
		}
	})
}

// TestTheHolderSeesASupplementaryCardAmongTheirCards: a supplementary card (F13) staff issue on Arben's credit card
// is his: GET /api/v1/cards lists it as a credit card marked supplementary, with the other holder's name, and the
// main card unmarked; Elira does not see it.
func TestTheHolderSeesASupplementaryCardAmongTheirCards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		_, c, _ := b.openCredit(t)
		supp, err := b.services.Credit.IssueSupplementary(context.Background(),
			creditcard.SupplementaryRequest{CardID: c.ID, Holder: "Drita Hoxha"})
		if err != nil {
			t.Fatal(err)
		}
		r := b.do(t, "GET", "/api/v1/cards/"+supp.ID, b.login(t, arben), nil)
		wantStatus(t, r, http.StatusOK)
		if r.json["kind"] != "credit" || r.json["supplementary"] != true || r.json["holder"] != "DRITA HOXHA" {
			t.Fatalf("the supplementary card: %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/cards/"+c.ID, b.login(t, arben), nil)
		wantStatus(t, r, http.StatusOK)
		if r.json["supplementary"] != false {
			t.Fatalf("the main card: %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/cards/"+supp.ID, b.login(t, elira), nil)
		wantStatus(t, r, http.StatusNotFound)
	})
}
