package transfer_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// transferRow is a transfers row as stored.
type transferRow struct {
	customerID, typ, from, to string
	amount                    int64
	currency, desc, status    string
	entryID                   string
}

func (f *fixture) transferRow(t *testing.T, id string) transferRow {
	t.Helper()
	var r transferRow
	if err := f.d.QueryRow(f.ctx, `SELECT customer_id, type, from_account_id, to_account_id, amount, currency,
		description, status, COALESCE(entry_id, '') FROM transfers WHERE id = ?`, id).
		Scan(&r.customerID, &r.typ, &r.from, &r.to, &r.amount, &r.currency, &r.desc, &r.status, &r.entryID); err != nil {
		t.Fatalf("transfers row %s: %v", id, err)
	}
	return r
}

// wantPosted checks that the transfer's entry exists, refers to it, and moved amount from one account to the
// other, with each side naming the other party.
func (f *fixture) wantPosted(t *testing.T, tr transfer.Transfer, payer, payee string) {
	t.Helper()
	var kind, ref string
	if err := f.d.QueryRow(f.ctx, "SELECT kind, reference FROM journal_entries WHERE id = ?", tr.EntryID).
		Scan(&kind, &ref); err != nil {
		t.Fatalf("journal entry %s: %v", tr.EntryID, err)
	}
	if kind != "transfer" || ref != tr.ID {
		t.Errorf("journal entry kind %q reference %q, want transfer %s", kind, ref, tr.ID)
	}
	for _, leg := range []struct {
		account      string
		amount       int64
		counterparty string
	}{{tr.FromAccountID, -tr.Amount.Minor, payee}, {tr.ToAccountID, tr.Amount.Minor, payer}} {
		var amount int64
		var cp string
		if err := f.d.QueryRow(f.ctx, "SELECT amount, counterparty FROM postings WHERE entry_id = ? AND account_id = ?",
			tr.EntryID, leg.account).Scan(&amount, &cp); err != nil {
			t.Fatalf("posting of %s on %s: %v", tr.EntryID, leg.account, err)
		}
		if amount != leg.amount || cp != leg.counterparty {
			t.Errorf("posting on %s = %d to %q, want %d to %q", leg.account, amount, cp, leg.amount, leg.counterparty)
		}
	}
}

func TestCreateOwnTransferMovesMoneyAndRecordsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		current := f.account(t, c.ID, money.ALL, 100000)
		savings := f.account(t, c.ID, money.ALL, 0)

		tr, replayed, err := f.svc.Create(f.ctx, c.ID, "own-1", transfer.Request{Type: transfer.Own,
			FromAccountID: current.ID, ToAccountID: savings.ID, Amount: "250.50", Currency: "ALL",
			Description: "Kursime për pushimet"})
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if replayed {
			t.Error("first Create reported a replay")
		}
		if tr.ID == "" || tr.EntryID == "" || tr.Status != transfer.Completed || tr.Type != transfer.Own ||
			tr.Amount != money.New(25050, money.ALL) || tr.FromIBAN != current.IBAN || tr.ToIBAN != savings.IBAN ||
			tr.ToName != "Arben Hoxha" || !tr.CreatedAt.Equal(t0) {
			t.Errorf("Create returned %+v", tr)
		}
		if got := f.balance(t, current.ID); got != 100000-25050 {
			t.Errorf("source balance %d, want %d", got, 100000-25050)
		}
		if got := f.balance(t, savings.ID); got != 25050 {
			t.Errorf("destination balance %d, want 25050", got)
		}
		want := transferRow{customerID: c.ID, typ: transfer.Own, from: current.ID, to: savings.ID, amount: 25050,
			currency: "ALL", desc: "Kursime për pushimet", status: transfer.Completed, entryID: tr.EntryID}
		if got := f.transferRow(t, tr.ID); got != want {
			t.Errorf("transfers row = %+v, want %+v", got, want)
		}
		f.wantPosted(t, tr, "Arben Hoxha", "Arben Hoxha")
		got, err := f.svc.Get(f.ctx, c.ID, tr.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.ID != tr.ID || got.EntryID != tr.EntryID || got.Amount != tr.Amount || got.ToName != tr.ToName ||
			got.FromIBAN != tr.FromIBAN || got.ToIBAN != tr.ToIBAN || !got.CreatedAt.Equal(tr.CreatedAt) {
			t.Errorf("Get = %+v, want %+v", got, tr)
		}
		f.sound(t)
	})
}

func TestCreateInternalTransferPaysAnotherCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		payer := f.person(t, "Elira", "Shehu")
		payee := f.person(t, "Dritan", "Çela")
		from := f.account(t, payer.ID, money.EUR, 50000)
		to := f.account(t, payee.ID, money.EUR, 0)
		for i, c := range []struct {
			name string
			req  transfer.Request
		}{
			{"by account id", transfer.Request{ToAccountID: to.ID}},
			{"by IBAN", transfer.Request{ToIBAN: to.IBAN}},
			{"by printed lower-case IBAN", transfer.Request{ToIBAN: strings.ToLower(iban.IBAN(to.IBAN).Printable())}},
			{"by account number", transfer.Request{ToAccountID: to.Number}},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := c.req
				r.Type, r.FromAccountID, r.Amount, r.Currency, r.Description = transfer.Internal, from.ID, "100", "EUR", "Bileta"
				before := f.balance(t, to.ID)
				tr, _, err := f.svc.Create(f.ctx, payer.ID, fmt.Sprintf("internal-%d", i), r)
				if err != nil {
					t.Fatalf("Create: %v", err)
				}
				if tr.ToAccountID != to.ID || tr.ToIBAN != to.IBAN || tr.ToName != "D***** Ç***" || tr.CustomerID != payer.ID {
					t.Errorf("Create returned %+v", tr)
				}
				if got := f.balance(t, to.ID) - before; got != 10000 {
					t.Errorf("payee received %d, want 10000", got)
				}
				row := f.transferRow(t, tr.ID)
				if row.typ != transfer.Internal || row.customerID != payer.ID || row.to != to.ID || row.entryID != tr.EntryID ||
					row.entryID == "" {
					t.Errorf("transfers row = %+v", row)
				}
				f.wantPosted(t, tr, "Elira Shehu", "Dritan Çela")
				// The payee sees the money arrive but not the payer's transfer.
				if _, err := f.svc.Get(f.ctx, payee.ID, tr.ID); kumbara.CodeOf(err) != "transfer_not_found" {
					t.Errorf("payee's Get of the payer's transfer: %v, want transfer_not_found", err)
				}
			})
		}
		if got := f.balance(t, from.ID); got != 50000-4*10000 {
			t.Errorf("payer balance %d, want %d", got, 50000-4*10000)
		}
		f.sound(t)
	})
}

func TestCreateReplaysARepeatedKeyAndMovesMoneyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		other := f.person(t, "Elira", "Shehu")
		from := f.account(t, c.ID, money.ALL, 100000)
		to := f.account(t, other.ID, money.ALL, 0)
		otherFrom := f.account(t, other.ID, money.ALL, 100000)
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToAccountID: to.ID, Amount: "100",
			Currency: "ALL", Description: "Qira"}
		first, replayed, err := f.svc.Create(f.ctx, c.ID, "key-1", req)
		if err != nil || replayed {
			t.Fatalf("first Create: %v, replayed %v", err, replayed)
		}
		for i := range 3 {
			again, replayed, err := f.svc.Create(f.ctx, c.ID, "key-1", req)
			if err != nil {
				t.Fatalf("repeat %d: %v", i, err)
			}
			if !replayed || again.ID != first.ID || again.EntryID != first.EntryID || again.Amount != first.Amount {
				t.Fatalf("repeat %d = %+v (replayed %v), want the first transfer %s", i, again, replayed, first.ID)
			}
		}
		if got := f.balance(t, from.ID); got != 100000-10000 {
			t.Errorf("payer balance %d after a request and 3 repeats, want %d", got, 100000-10000)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM transfers"); n != 1 {
			t.Errorf("%d transfers rows, want 1", n)
		}

		for _, c2 := range []struct {
			name   string
			change func(r *transfer.Request)
		}{
			{"other amount", func(r *transfer.Request) { r.Amount = "100.01" }},
			{"other description", func(r *transfer.Request) { r.Description = "Qira e tetorit" }},
			{"other beneficiary form", func(r *transfer.Request) { r.ToAccountID, r.ToIBAN = "", to.IBAN }},
			{"other type", func(r *transfer.Request) { r.Type = transfer.Own }},
		} {
			t.Run(c2.name, func(t *testing.T) {
				r := req
				c2.change(&r)
				_, _, err := f.svc.Create(f.ctx, c.ID, "key-1", r)
				wantCode(t, err, kumbara.KindConflict, "idempotency_key_reused")
			})
		}
		if got := f.balance(t, from.ID); got != 100000-10000 {
			t.Errorf("payer balance %d after conflicting keys, want %d", got, 100000-10000)
		}

		// Keys are the customer's own: another customer may use the same string for their own transfer.
		theirs, replayed, err := f.svc.Create(f.ctx, other.ID, "key-1", transfer.Request{Type: transfer.Own,
			FromAccountID: otherFrom.ID, ToAccountID: to.ID, Amount: "5", Currency: "ALL"})
		if err != nil || replayed || theirs.ID == first.ID {
			t.Fatalf("other customer's Create with the same key = %+v, replayed %v, %v", theirs, replayed, err)
		}
		f.sound(t)
	})
}

func TestConcurrentCreatesWithOneKeyMakeOneTransfer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		payee := f.person(t, "Elira", "Shehu")
		from := f.account(t, c.ID, money.ALL, 1000000)
		to := f.account(t, payee.ID, money.ALL, 0)
		const rounds, callers = 20, 2
		for round := range rounds {
			key := fmt.Sprintf("double-tap-%d", round)
			req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN,
				Amount: "10", Currency: "ALL", Description: "Pagesë"}
			var wg sync.WaitGroup
			start := make(chan struct{})
			results := make([]transfer.Transfer, callers)
			replays := make([]bool, callers)
			errs := make([]error, callers)
			for i := range callers {
				wg.Go(func() {
					<-start
					results[i], replays[i], errs[i] = f.svc.Create(f.ctx, c.ID, key, req)
				})
			}
			close(start)
			wg.Wait()
			firsts := 0
			for i := range callers {
				if errs[i] != nil {
					t.Fatalf("round %d caller %d: %v", round, i, errs[i])
				}
				if results[i].ID != results[0].ID || results[i].EntryID != results[0].EntryID {
					t.Fatalf("round %d: callers got transfers %s and %s", round, results[0].ID, results[i].ID)
				}
				if !replays[i] {
					firsts++
				}
			}
			if firsts != 1 {
				t.Errorf("round %d: %d callers were told they made the transfer, want exactly 1", round, firsts)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM transfers"); n != rounds {
			t.Errorf("%d transfers rows, want %d", n, rounds)
		}
		if got := f.balance(t, to.ID); got != rounds*1000 {
			t.Errorf("payee received %d, want %d", got, rounds*1000)
		}
		f.sound(t)
	})
}

func TestCreateRefusesInvalidRequestsWithoutMovingMoney(t *testing.T) {
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
		theirs := f.account(t, other.ID, money.ALL, 100000)
		theirBlocked := f.account(t, other.ID, money.ALL, 0)
		f.setStatus(t, theirBlocked.ID, ledger.Blocked)
		theirClosed := f.account(t, other.ID, money.ALL, 0)
		f.setStatus(t, theirClosed.ID, ledger.Closed)
		vault, err := f.l.GL(f.ctx, ledger.GLCode(ledger.TypeVault, money.ALL))
		if err != nil {
			t.Fatal(err)
		}
		unknownIBAN, err := iban.NewAlbanian(bank.Code, bank.Branch, "9999999999999999")
		if err != nil {
			t.Fatal(err)
		}
		own := func(to string) transfer.Request {
			return transfer.Request{Type: transfer.Own, FromAccountID: main.ID, ToAccountID: to, Amount: "10", Currency: "ALL"}
		}
		internal := func(r transfer.Request) transfer.Request {
			r.Type, r.FromAccountID, r.Amount, r.Currency = transfer.Internal, main.ID, "10", "ALL"
			return r
		}
		with := func(r transfer.Request, change func(*transfer.Request)) transfer.Request { change(&r); return r }
		before, err := f.l.Totals(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		balances := map[string]int64{}
		for _, a := range []ledger.Account{main, second, euro, blocked, theirs} {
			balances[a.ID] = f.balance(t, a.ID)
		}

		for _, tc := range []struct {
			name string
			req  transfer.Request
			kind kumbara.Kind
			code string
		}{
			{"missing type", with(own(second.ID), func(r *transfer.Request) { r.Type = "" }), kumbara.KindInvalid, "type_invalid"},
			{"unknown type", with(own(second.ID), func(r *transfer.Request) { r.Type = "sepa" }), kumbara.KindInvalid, "type_invalid"},
			{"internal to own account", internal(transfer.Request{ToAccountID: second.ID}), kumbara.KindInvalid, "type_invalid"},
			{"missing source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = "" }), kumbara.KindInvalid, "field_required"},
			{"missing beneficiary", own(""), kumbara.KindInvalid, "field_required"},
			{"both beneficiary forms", internal(transfer.Request{ToAccountID: theirs.ID, ToIBAN: theirs.IBAN}), kumbara.KindInvalid, "validation_failed"},
			{"own transfer by IBAN", with(own(""), func(r *transfer.Request) { r.ToIBAN = second.IBAN }), kumbara.KindInvalid, "validation_failed"},
			{"unknown currency", with(own(second.ID), func(r *transfer.Request) { r.Currency = "XXX" }), kumbara.KindInvalid, "unknown_currency"},
			{"zero amount", with(own(second.ID), func(r *transfer.Request) { r.Amount = "0" }), kumbara.KindInvalid, "amount_not_positive"},
			{"negative amount", with(own(second.ID), func(r *transfer.Request) { r.Amount = "-10" }), kumbara.KindInvalid, "amount_not_positive"},
			{"three decimals", with(own(second.ID), func(r *transfer.Request) { r.Amount = "1.001" }), kumbara.KindInvalid, "amount_too_many_decimals"},
			{"malformed amount", with(own(second.ID), func(r *transfer.Request) { r.Amount = "1e3" }), kumbara.KindInvalid, "invalid_amount"},
			{"markup in description", with(own(second.ID), func(r *transfer.Request) { r.Description = "<b>qira</b>" }), kumbara.KindInvalid, "description_invalid_characters"},
			{"description of 141 characters", with(own(second.ID), func(r *transfer.Request) { r.Description = strings.Repeat("ë", 141) }), kumbara.KindInvalid, "description_too_long"},
			{"malformed IBAN", internal(transfer.Request{ToIBAN: "AL00 0000"}), kumbara.KindInvalid, "iban_invalid"},
			{"same account", own(main.ID), kumbara.KindUnprocessable, "same_account"},
			{"currency of the request differs from the accounts'", with(own(second.ID), func(r *transfer.Request) { r.Currency = "EUR" }), kumbara.KindUnprocessable, "currency_mismatch"},
			{"accounts in different currencies", with(own(euro.ID), func(r *transfer.Request) { r.Currency = "ALL" }), kumbara.KindUnprocessable, "transfer_needs_exchange"},
			{"more than the balance", with(own(second.ID), func(r *transfer.Request) { r.Amount = "1000.01" }), kumbara.KindUnprocessable, "insufficient_funds"},
			{"blocked source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = blocked.ID }), kumbara.KindUnprocessable, "account_blocked"},
			{"blocked own beneficiary", own(blocked.ID), kumbara.KindUnprocessable, "account_blocked"},
			{"blocked beneficiary of another customer", internal(transfer.Request{ToIBAN: theirBlocked.IBAN}), kumbara.KindUnprocessable, "account_blocked"},
			{"closed source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = closed.ID }), kumbara.KindUnprocessable, "account_closed"},
			{"closed own beneficiary", own(closed.ID), kumbara.KindUnprocessable, "account_closed"},
			{"closed beneficiary of another customer", internal(transfer.Request{ToAccountID: theirClosed.ID}), kumbara.KindUnprocessable, "account_closed"},
			{"unknown IBAN", internal(transfer.Request{ToIBAN: unknownIBAN.String()}), kumbara.KindNotFound, "payee_not_found"},
			{"another customer's source", with(internal(transfer.Request{ToAccountID: second.ID}), func(r *transfer.Request) { r.FromAccountID = theirs.ID }), kumbara.KindNotFound, "account_not_found"},
			{"unknown source", with(own(second.ID), func(r *transfer.Request) { r.FromAccountID = "no-such-account" }), kumbara.KindNotFound, "account_not_found"},
			{"own transfer to another customer's account", own(theirs.ID), kumbara.KindNotFound, "account_not_found"},
			{"internal to an unknown account id", internal(transfer.Request{ToAccountID: "no-such-account"}), kumbara.KindNotFound, "account_not_found"},
			{"internal to the bank's vault", internal(transfer.Request{ToAccountID: vault.ID}), kumbara.KindNotFound, "account_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := "k-" + strings.ReplaceAll(tc.name, " ", "-")
				tr, _, err := f.svc.Create(f.ctx, c.ID, key, tc.req)
				if err == nil {
					t.Fatalf("Create succeeded with %+v, want %s", tr, tc.code)
				}
				wantCode(t, err, tc.kind, tc.code)
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM transfers"); n != 0 {
			t.Errorf("%d transfers rows after refused requests, want 0", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM idempotency_keys"); n != 0 {
			t.Errorf("%d idempotency keys kept for refused requests, want 0", n)
		}
		for id, want := range balances {
			if got := f.balance(t, id); got != want {
				t.Errorf("balance of %s changed from %d to %d", id, want, got)
			}
		}
		after, err := f.l.Totals(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("totals changed from %v to %v", before, after)
		}
		f.sound(t)
	})
}

func TestCreateRefusesMalformedIdempotencyKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		from := f.account(t, c.ID, money.ALL, 1000)
		to := f.account(t, c.ID, money.ALL, 0)
		req := transfer.Request{Type: transfer.Own, FromAccountID: from.ID, ToAccountID: to.ID, Amount: "1", Currency: "ALL"}
		for _, key := range []string{"", "a b", "tab\tkey", "kyç", "\x7f", strings.Repeat("k", 65)} {
			_, _, err := f.svc.Create(f.ctx, c.ID, key, req)
			wantCode(t, err, kumbara.KindInvalid, "idempotency_key_invalid")
		}
		if _, _, err := f.svc.Create(f.ctx, c.ID, strings.Repeat("k", 64), req); err != nil {
			t.Errorf("a key of 64 characters: %v", err)
		}
		if got := f.balance(t, to.ID); got != 100 {
			t.Errorf("balance %d, want 100 from the one valid request", got)
		}
	})
}

func TestRefusedKeyCanBeUsedAgainOnceTheRequestIsValid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Arben", "Hoxha")
		from := f.account(t, c.ID, money.ALL, 1000)
		to := f.account(t, c.ID, money.ALL, 0)
		req := transfer.Request{Type: transfer.Own, FromAccountID: from.ID, ToAccountID: to.ID, Amount: "20", Currency: "ALL"}
		_, _, err := f.svc.Create(f.ctx, c.ID, "retry", req)
		wantCode(t, err, kumbara.KindUnprocessable, "insufficient_funds")
		req.Amount = "5"
		if _, replayed, err := f.svc.Create(f.ctx, c.ID, "retry", req); err != nil || replayed {
			t.Fatalf("Create after a refusal under the same key: %v, replayed %v", err, replayed)
		}
		if got := f.balance(t, to.ID); got != 500 {
			t.Errorf("balance %d, want 500", got)
		}
	})
}

func TestFindPayeeShowsMaskedNameAndActiveAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.person(t, "Ëndri", "Çela")
		all := f.account(t, p.ID, money.ALL, 100)
		eur := f.account(t, p.ID, money.EUR, 0)
		blocked := f.account(t, p.ID, money.ALL, 0)
		f.setStatus(t, blocked.ID, ledger.Blocked)
		closed := f.account(t, p.ID, money.USD, 0)
		f.setStatus(t, closed.ID, ledger.Closed)
		nobody := f.person(t, "Besa", "Kola")
		f.setStatus(t, f.account(t, nobody.ID, money.ALL, 0).ID, ledger.Closed)
		unknownIBAN, err := iban.NewAlbanian(bank.Code, bank.Branch, "9999999999999999")
		if err != nil {
			t.Fatal(err)
		}
		payer := f.person(t, "Arben", "Hoxha")
		active := []transfer.PayeeAccount{{IBAN: all.IBAN, Currency: money.ALL}, {IBAN: eur.IBAN, Currency: money.EUR}}

		for _, c := range []struct {
			name, by, value string
			want            []transfer.PayeeAccount
		}{
			{"client number", transfer.ByClientNumber, p.ClientNumber, active},
			{"client number with spaces around", transfer.ByClientNumber, " " + p.ClientNumber + " ", active},
			{"national ID", transfer.ByNationalID, p.NationalID, active},
			{"national ID in lower case", transfer.ByNationalID, strings.ToLower(p.NationalID), active},
			{"IBAN", transfer.ByIBAN, eur.IBAN, active[1:]},
			{"printed IBAN", transfer.ByIBAN, iban.IBAN(all.IBAN).Printable(), active[:1]},
			{"account number", transfer.ByAccount, eur.Number, active[1:]},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := f.svc.FindPayee(f.ctx, payer.ID, c.by, c.value)
				if err != nil {
					t.Fatalf("FindPayee: %v", err)
				}
				if got.MaskedName != "Ë**** Ç***" {
					t.Errorf("masked name %q, want %q", got.MaskedName, "Ë**** Ç***")
				}
				if fmt.Sprint(got.Accounts) != fmt.Sprint(c.want) {
					t.Errorf("accounts %v, want %v", got.Accounts, c.want)
				}
			})
		}

		for _, c := range []struct {
			name, by, value string
			kind            kumbara.Kind
			code            string
		}{
			{"blocked account's IBAN", transfer.ByIBAN, blocked.IBAN, kumbara.KindNotFound, "payee_not_found"},
			{"closed account's IBAN", transfer.ByIBAN, closed.IBAN, kumbara.KindNotFound, "payee_not_found"},
			{"customer without active accounts", transfer.ByClientNumber, nobody.ClientNumber, kumbara.KindNotFound, "payee_not_found"},
			{"unknown client number", transfer.ByClientNumber, "999999999", kumbara.KindNotFound, "payee_not_found"},
			{"unknown national ID", transfer.ByNationalID, "J00101999W", kumbara.KindNotFound, "payee_not_found"},
			{"unknown IBAN", transfer.ByIBAN, unknownIBAN.String(), kumbara.KindNotFound, "payee_not_found"},
			{"malformed IBAN", transfer.ByIBAN, "AL47 1234", kumbara.KindInvalid, "iban_invalid"},
			{"unknown way to search", "name", "Çela", kumbara.KindInvalid, "invalid_query"},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := f.svc.FindPayee(f.ctx, payer.ID, c.by, c.value)
				if err == nil {
					t.Fatalf("FindPayee = %+v, want %s", got, c.code)
				}
				wantCode(t, err, c.kind, c.code)
				if got.MaskedName != "" || len(got.Accounts) != 0 {
					t.Errorf("FindPayee returned %+v with its error", got)
				}
			})
		}
	})
}
