package api_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// balanceOf reads an account's ledger balance through the API, as the app shows it.
func (b *bank) balanceOf(t *testing.T, token, accountID string) string {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/accounts/"+accountID, token, nil)
	wantStatus(t, r, http.StatusOK)
	bal, _ := r.json["balance"].(map[string]any)
	s, _ := bal["ledger"].(string)
	return s
}

func minorOf(t *testing.T, s string) int64 {
	t.Helper()
	a, err := money.ParseDecimal(s, money.ALL)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return a.Minor
}

func TestOwnTransferMovesMoneyAndHasAReceipt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, arben, money.ALL, ledger.TypeSavings)
		fromBefore, toBefore := b.balanceOf(t, tok, from.ID), b.balanceOf(t, tok, to.ID)

		r := b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "own", "from_account_id": from.ID,
			"to_account_id": to.ID, "amount": "1250.50", "currency": "ALL", "description": "Për kursim"},
			"Idempotency-Key", "own-1")
		wantStatus(t, r, http.StatusCreated)
		id := r.str("id")
		if r.header.Get("Location") != "/api/v1/transfers/"+id || r.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("Location %q, Idempotent-Replayed %q", r.header.Get("Location"), r.header.Get("Idempotent-Replayed"))
		}
		want := map[string]string{"status": "completed", "type": "own", "from_account_id": from.ID, "from_iban": from.IBAN,
			"to_account_id": to.ID, "to_iban": to.IBAN, "to_name": "Arben Hoxha", "amount": "1250.50", "currency": "ALL",
			"description": "Për kursim", "created_at": "2026-03-02T09:00:00Z"}
		for k, v := range want {
			if r.str(k) != v {
				t.Errorf("%s = %q, want %q", k, r.str(k), v)
			}
		}
		if got := minorOf(t, b.balanceOf(t, tok, from.ID)); got != minorOf(t, fromBefore)-125050 {
			t.Errorf("source balance %d, was %s", got, fromBefore)
		}
		if got := minorOf(t, b.balanceOf(t, tok, to.ID)); got != minorOf(t, toBefore)+125050 {
			t.Errorf("destination balance %d, was %s", got, toBefore)
		}

		got := b.do(t, "GET", "/api/v1/transfers/"+id, tok, nil)
		wantStatus(t, got, http.StatusOK)
		for k, v := range want {
			if got.str(k) != v {
				t.Errorf("GET: %s = %q, want %q", k, got.str(k), v)
			}
		}

		for _, lang := range []string{"", "en"} {
			pdf := b.do(t, "GET", "/api/v1/transfers/"+id+"/receipt", tok, nil, "Accept-Language", lang)
			wantStatus(t, pdf, http.StatusOK)
			if ct := pdf.header.Get("Content-Type"); ct != "application/pdf" {
				t.Errorf("receipt Content-Type %q", ct)
			}
			if !bytes.HasPrefix(pdf.body, []byte("%PDF")) {
				t.Errorf("receipt starts %q", pdf.body[:min(16, len(pdf.body))])
			}
		}
	})
}

func TestInternalTransferByIBANReachesThePayee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		payee := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		payeeBefore := b.fresh(t, payee.ID).Balance

		// The IBAN as people write it: grouped, lower case.
		var grouped []string
		for i := 0; i < len(payee.IBAN); i += 4 {
			grouped = append(grouped, payee.IBAN[i:min(i+4, len(payee.IBAN))])
		}
		r := b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "internal", "from_account_id": from.ID,
			"to_iban": strings.ToLower(strings.Join(grouped, " ")), "amount": "2000", "currency": "ALL",
			"description": "Qira e prillit"}, "Idempotency-Key", "rent-april")
		wantStatus(t, r, http.StatusCreated)
		if r.str("to_name") != "E**** S****" || r.str("to_iban") != payee.IBAN || r.str("to_account_id") != "" {
			t.Errorf("answer shows the payee as %q %q and account %q", r.str("to_name"), r.str("to_iban"), r.str("to_account_id"))
		}
		if got := b.fresh(t, payee.ID).Balance; got != payeeBefore+200000 {
			t.Errorf("payee balance %d, want %d", got, payeeBefore+200000)
		}

		eliraTok := b.login(t, elira)
		page := b.historyPage(t, eliraTok, payee.ID, url.Values{"limit": {"1"}})
		if len(page.Transactions) != 1 {
			t.Fatalf("payee history %v", page.Transactions)
		}
		line := page.Transactions[0]
		if line.Amount != "2000.00" || line.Direction != "in" || line.Counterparty != "Arben Hoxha" ||
			line.CounterpartyIBAN != from.IBAN || line.Description != "Qira e prillit" {
			t.Errorf("payee sees %+v", line)
		}
		// The payer's transfer is the payer's: the payee cannot read it.
		b.expectProblem(t, "GET", "/api/v1/transfers/"+r.str("id"), eliraTok, nil, http.StatusNotFound, "transfer_not_found")
	})
}

// TestTransferRefusals covers transfers that are well-formed but refused by a business rule. Nothing may move.
func TestTransferRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation()
		ctx := context.Background()
		current := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		savings := b.account(t, arben, money.ALL, ledger.TypeSavings)
		eliraAcc := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		arbenEuro := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		eliraEuro := b.account(t, elira, money.EUR, ledger.TypeCurrent)

		// Accounts in every state: opened for this test, so the demo accounts stay usable.
		open := func(client string, deposit int64, status ledger.Status) ledger.Account {
			t.Helper()
			a, err := b.customers.OpenAccount(ctx, b.customer(t, client).ID, money.ALL, ledger.TypeCurrent, "Test")
			if err != nil {
				t.Fatal(err)
			}
			if deposit > 0 {
				if _, err := b.ledger.CashDeposit(ctx, a.ID, money.New(deposit, money.ALL), ""); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.db.InTx(ctx, func(tx *db.Tx) error {
				return ledger.SetStatus(ctx, tx, b.clock.Now(), a.ID, status)
			}); err != nil {
				t.Fatalf("set %s: %v", status, err)
			}
			return b.fresh(t, a.ID)
		}
		blockedOwn := open(arben, 500000, ledger.Blocked)
		closedOwn := open(arben, 0, ledger.Closed)
		blockedTheirs := open(elira, 0, ledger.Blocked)
		closedTheirs := open(elira, 0, ledger.Closed)
		tok := b.login(t, arben)

		req := func(typ, from, to, amount string) map[string]any {
			m := map[string]any{"type": typ, "from_account_id": from, "amount": amount, "currency": "ALL"}
			if strings.HasPrefix(to, "AL") {
				m["to_iban"] = to
			} else {
				m["to_account_id"] = to
			}
			return m
		}
		const unknownID = "0190c6f0-0000-7000-8000-000000000000"
		tests := []struct {
			name   string
			body   map[string]any
			status int
			code   string
		}{
			{"an unknown source account", req("own", unknownID, savings.ID, "10"), 404, "account_not_found"},
			{"another customer's account as the source", req("internal", eliraAcc.ID, current.ID, "10"), 404, "account_not_found"},
			{"another customer's account as the source of an own transfer", req("own", eliraAcc.ID, current.ID, "10"), 404, "account_not_found"},
			{"another customer's account as the destination of an own transfer", req("own", current.ID, eliraAcc.ID, "10"), 404, "account_not_found"},
			{"an unknown destination account", req("own", current.ID, unknownID, "10"), 404, "account_not_found"},
			{"a bank account as the destination", req("internal", current.ID, b.glAccount(t), "10"), 404, "account_not_found"},
			{"an IBAN no account has", req("internal", current.ID, unusedIBAN(t), "10"), 404, "payee_not_found"},
			{"an IBAN for an own transfer", req("own", current.ID, savings.IBAN, "10"), 400, "validation_failed"},
			{"an internal transfer to an own account", req("internal", current.ID, savings.IBAN, "10"), 400, "type_invalid"},
			{"an internal transfer to an own account by id", req("internal", current.ID, savings.ID, "10"), 400, "type_invalid"},
			{"the same account on both sides", req("own", current.ID, current.ID, "10"), 422, "same_account"},
			{"more than the balance", req("own", current.ID, savings.ID, dec(b.fresh(t, current.ID).Available()+1)), 422, "insufficient_funds"},
			{"more than the balance of a euro account", with(req("internal", arbenEuro.ID, eliraEuro.IBAN, "1000000"),
				map[string]any{"currency": "EUR"}), 422, "insufficient_funds"},
			{"a blocked source", req("own", blockedOwn.ID, savings.ID, "10"), 422, "account_blocked"},
			{"a blocked destination", req("internal", current.ID, blockedTheirs.IBAN, "10"), 422, "account_blocked"},
			{"a blocked own destination", req("own", current.ID, blockedOwn.ID, "10"), 422, "account_blocked"},
			{"a closed source", req("own", closedOwn.ID, savings.ID, "10"), 422, "account_closed"},
			{"a closed destination", req("internal", current.ID, closedTheirs.IBAN, "10"), 422, "account_closed"},
			{"a closed own destination", req("own", current.ID, closedOwn.ID, "10"), 422, "account_closed"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := b.money(t)
				b.expectProblem(t, "POST", "/api/v1/transfers", tok, tt.body, tt.status, tt.code,
					"Idempotency-Key", fmt.Sprintf("refused-%d", i))
				b.expectNothingMoved(t, before)
			})
		}
	})
}

// unusedIBAN is a valid IBAN of this bank that no account has.
func unusedIBAN(t *testing.T) string {
	t.Helper()
	ib, err := iban.NewAlbanian(testBank.Code, testBank.Branch, "9999999991999008")
	if err != nil {
		t.Fatal(err)
	}
	return ib.String()
}

// glAccount returns the id of one of the bank's own accounts.
func (b *bank) glAccount(t *testing.T) string {
	t.Helper()
	gl, err := b.ledger.GL(context.Background(), ledger.GLCode(ledger.TypeVault, money.ALL))
	if err != nil {
		t.Fatal(err)
	}
	return gl.ID
}

func TestIdempotencyKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, arben, money.ALL, ledger.TypeSavings)
		body := map[string]any{"type": "own", "from_account_id": from.ID, "to_account_id": to.ID, "amount": "100.00",
			"currency": "ALL", "description": "Një herë"}
		transfers := func(t *testing.T) int { return b.money(t).transfers }

		t.Run("the same key and body replay the first transfer", func(t *testing.T) {
			start, n := b.fresh(t, from.ID).Balance, transfers(t)
			first := b.do(t, "POST", "/api/v1/transfers", tok, body, "Idempotency-Key", "once")
			wantStatus(t, first, http.StatusCreated)
			b.clock.Advance(30 * time.Second)
			again := b.do(t, "POST", "/api/v1/transfers", tok, body, "Idempotency-Key", "once")
			wantStatus(t, again, http.StatusCreated)
			if again.str("id") != first.str("id") || again.header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("replay: id %q (first %q), Idempotent-Replayed %q", again.str("id"), first.str("id"),
					again.header.Get("Idempotent-Replayed"))
			}
			if again.str("created_at") != first.str("created_at") || again.str("amount") != first.str("amount") {
				t.Errorf("replay differs: %s vs %s", again.body, first.body)
			}
			if got := b.fresh(t, from.ID).Balance; got != start-10000 {
				t.Errorf("balance %d, want %d: the money moved more than once", got, start-10000)
			}
			if got := transfers(t); got != n+1 {
				t.Errorf("%d transfers, want %d", got, n+1)
			}
		})
		t.Run("the same key with another body is a conflict", func(t *testing.T) {
			before := b.money(t)
			other := with(body, map[string]any{"amount": "200.00"})
			b.expectProblem(t, "POST", "/api/v1/transfers", tok, other, http.StatusConflict, "idempotency_key_reused",
				"Idempotency-Key", "once")
			b.expectNothingMoved(t, before)
		})
		t.Run("no key is refused", func(t *testing.T) {
			before := b.money(t)
			b.expectProblem(t, "POST", "/api/v1/transfers", tok, body, http.StatusBadRequest, "idempotency_key_missing",
				invalidOnPurpose, "no Idempotency-Key")
			b.expectNothingMoved(t, before)
		})
		t.Run("keys are per customer", func(t *testing.T) {
			eliraTok := b.login(t, elira)
			eliraBody := map[string]any{"type": "own", "from_account_id": b.account(t, elira, money.ALL, ledger.TypeCurrent).ID,
				"to_account_id": b.account(t, elira, money.ALL, ledger.TypeSavings).ID, "amount": "100.00", "currency": "ALL"}
			r := b.do(t, "POST", "/api/v1/transfers", eliraTok, eliraBody, "Idempotency-Key", "once")
			wantStatus(t, r, http.StatusCreated)
			if r.header.Get("Idempotent-Replayed") != "" {
				t.Errorf("another customer's key was replayed")
			}
		})
		t.Run("concurrent requests with one key move the money once", func(t *testing.T) {
			start, n := b.fresh(t, from.ID).Balance, transfers(t)
			const clients = 12
			var wg sync.WaitGroup
			replies := make([]reply, clients)
			errs := make([]error, clients)
			for i := range clients {
				wg.Go(func() {
					replies[i], errs[i] = b.send("POST", "/api/v1/transfers", tok, body, "Idempotency-Key", "concurrent")
				})
			}
			wg.Wait()
			var ids []string
			for i, r := range replies {
				if errs[i] != nil {
					t.Fatal(errs[i])
				}
				if r.status != http.StatusCreated {
					t.Fatalf("request %d: %d %s", i, r.status, r.body)
				}
				ids = append(ids, r.str("id"))
			}
			if distinct := slices.Compact(slices.Sorted(slices.Values(ids))); len(distinct) != 1 {
				t.Errorf("ids %v: want one transfer", ids)
			}
			if got := b.fresh(t, from.ID).Balance; got != start-10000 {
				t.Errorf("balance %d, want %d", got, start-10000)
			}
			if got := transfers(t); got != n+1 {
				t.Errorf("%d transfers, want %d", got, n+1)
			}
		})
	})
}

func TestConcurrentTransfersKeepTheBooksBalanced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withoutConfirmation()
		tokens := map[string]string{arben: b.login(t, arben), elira: b.login(t, elira)}
		accounts := map[string]ledger.Account{arben: b.account(t, arben, money.ALL, ledger.TypeCurrent),
			elira: b.account(t, elira, money.ALL, ledger.TypeCurrent)}
		before := map[string]int64{arben: b.fresh(t, accounts[arben].ID).Balance, elira: b.fresh(t, accounts[elira].ID).Balance}
		const each = 15
		var wg sync.WaitGroup
		errs := make(chan error, 2*each)
		for _, pair := range [][2]string{{arben, elira}, {elira, arben}} {
			for i := range each {
				wg.Go(func() {
					r, err := b.send("POST", "/api/v1/transfers", tokens[pair[0]], map[string]any{"type": "internal",
						"from_account_id": accounts[pair[0]].ID, "to_iban": accounts[pair[1]].IBAN,
						"amount": fmt.Sprintf("%d.00", i+1), "currency": "ALL"}, "Idempotency-Key", fmt.Sprintf("c-%d", i))
					if err == nil && r.status != http.StatusCreated {
						err = fmt.Errorf("%d %s", r.status, r.body)
					}
					if err != nil {
						errs <- err
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		// Both sent the same amounts to each other: the balances are back where they were.
		for c, a := range accounts {
			if got := b.fresh(t, a.ID).Balance; got != before[c] {
				t.Errorf("%s: balance %d, want %d", c, got, before[c])
			}
		}
		breaks, err := b.ledger.Verify(context.Background())
		if err != nil || len(breaks) > 0 {
			t.Errorf("ledger verify: %v %v", breaks, err)
		}
	})
}

// TestAnotherCustomersResourcesAreNotFound checks authorization by ownership: another customer's ids answer exactly
// like ids that do not exist.
func TestAnotherCustomersResourcesAreNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ctx := context.Background()
		theirs := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		theirTransfer, _, err := b.transfers.Create(ctx, b.customer(t, elira).ID, "theirs", transfer.Request{Type: transfer.Own,
			FromAccountID: theirs.ID, ToAccountID: b.account(t, elira, money.ALL, ledger.TypeSavings).ID, Amount: "5",
			Currency: "ALL"})
		if err != nil {
			t.Fatal(err)
		}
		tok := b.login(t, arben)
		const unknown = "0190c6f0-0000-7000-8000-000000000000"
		tests := []struct {
			name, method, path string
			body               any
			code               string
		}{
			{"their account", "GET", "/api/v1/accounts/" + theirs.ID, nil, "account_not_found"},
			{"their account's history", "GET", "/api/v1/accounts/" + theirs.ID + "/transactions", nil, "account_not_found"},
			{"their account's statement", "GET", "/api/v1/accounts/" + theirs.ID + "/statement?from=2026-03-01&to=2026-03-31", nil, "account_not_found"},
			{"renaming their account", "PATCH", "/api/v1/accounts/" + theirs.ID, map[string]string{"name": "Imja"}, "account_not_found"},
			{"their transfer", "GET", "/api/v1/transfers/" + theirTransfer.ID, nil, "transfer_not_found"},
			{"their transfer's receipt", "GET", "/api/v1/transfers/" + theirTransfer.ID + "/receipt", nil, "transfer_not_found"},
			{"an unknown account", "GET", "/api/v1/accounts/" + unknown, nil, "account_not_found"},
			{"an unknown account's history", "GET", "/api/v1/accounts/" + unknown + "/transactions", nil, "account_not_found"},
			{"an unknown transfer", "GET", "/api/v1/transfers/" + unknown, nil, "transfer_not_found"},
			{"a bank account", "GET", "/api/v1/accounts/" + b.glAccount(t), nil, "account_not_found"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b.expectProblem(t, tt.method, tt.path, tok, tt.body, http.StatusNotFound, tt.code)
			})
		}
		if got := b.fresh(t, theirs.ID).Name; got == "Imja" {
			t.Errorf("another customer renamed the account")
		}
	})
}

func TestPayeeCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		ctx := context.Background()
		payee := b.customer(t, elira)
		all, err := b.ledger.ListByCustomer(ctx, payee.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ibans []string
		for _, a := range all {
			ibans = append(ibans, a.IBAN)
		}
		lookup := func(t *testing.T, token, by, value string) reply {
			t.Helper()
			return b.do(t, "GET", "/api/v1/payees?"+url.Values{"by": {by}, "value": {value}}.Encode(), token, nil)
		}
		found := func(r reply) []string {
			var out []string
			list, _ := r.json["accounts"].([]any)
			for _, a := range list {
				out = append(out, fmt.Sprint(a.(map[string]any)["iban"]))
			}
			return out
		}
		tests := []struct {
			name, by, value string
			want            []string
		}{
			{"by client number", "client_number", elira, ibans},
			{"by national ID", "national_id", payee.NationalID, ibans},
			{"by national ID in lower case", "national_id", strings.ToLower(payee.NationalID), ibans},
			{"by IBAN shows that account only", "iban", ibans[1], ibans[1:2]},
			{"by IBAN typed in lower case, grouped by four", "iban", strings.ToLower(iban.IBAN(ibans[1]).Printable()), ibans[1:2]},
			{"by IBAN pasted with no-break spaces", "iban", strings.ReplaceAll(iban.IBAN(ibans[1]).Printable(), " ", "\u00a0"), ibans[1:2]},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := lookup(t, tok, tt.by, tt.value)
				wantStatus(t, r, http.StatusOK)
				if name := r.str("masked_name"); name != kyc.MaskName("Elira Shehu") || strings.Contains(name, "Elira") ||
					strings.Contains(name, "Shehu") {
					t.Errorf("masked_name %q", name)
				}
				if got := found(r); !slices.Equal(got, tt.want) {
					t.Errorf("IBANs %v, want %v", got, tt.want)
				}
			})
		}
		refusals := []struct {
			name, query string
			status      int
			code        string
		}{
			{"an unknown client number", "by=client_number&value=999999999", 404, "payee_not_found"},
			{"an unknown national ID", "by=national_id&value=J00000000A", 404, "payee_not_found"},
			{"an unknown IBAN", "by=iban&value=" + unusedIBAN(t), 404, "payee_not_found"},
			{"a malformed IBAN", "by=iban&value=AL00", 400, "iban_invalid"},
			{"an unknown way to look up", "by=name&value=Elira", 400, "invalid_query"},
			{"no value", "by=client_number", 400, "validation_failed"},
			{"an unknown parameter", "by=client_number&value=100000002&x=1", 400, "invalid_query"},
		}
		// Every lookup counts towards the limit, refused ones too: these use another customer's allowance.
		other := b.login(t, business)
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				b.expectProblem(t, "GET", "/api/v1/payees?"+tt.query, other, nil, tt.status, tt.code, invalidOnPurpose, tt.name)
			})
		}
		t.Run("lookups are limited per customer", func(t *testing.T) {
			dritanTok := b.login(t, dritan)
			for i := 1; i <= 20; i++ {
				if r := lookup(t, dritanTok, "client_number", elira); r.status != http.StatusOK {
					t.Fatalf("lookup %d: %d %s", i, r.status, r.body)
				}
			}
			r := b.expectProblem(t, "GET", "/api/v1/payees?by=client_number&value="+elira, dritanTok, nil,
				http.StatusTooManyRequests, "rate_limited")
			if got := r.header.Get("Retry-After"); got != "6" {
				t.Errorf("Retry-After %q, want the payee check's 6 seconds", got)
			}
			// Another customer still has their own allowance.
			wantStatus(t, lookup(t, tok, "client_number", elira), http.StatusOK)
		})
	})
}
