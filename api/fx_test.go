package api_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// TestTheRatesAreReadWithoutASession: anyone reads the rates valid now against ALL, or against another currency
// with ?cross, as decimal strings with when they stop being current and when the latest was published; an expired
// rate is left out; an unknown or unpriced cross currency is refused with its code.
func TestTheRatesAreReadWithoutASession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		r := b.do(t, "GET", "/api/v1/fx/rates", "", nil)
		wantStatus(t, r, http.StatusOK)
		if rates, _ := r.json["rates"].([]any); r.json["base"] != "ALL" || len(rates) != 0 || r.json["published_at"] != nil {
			t.Fatalf("no rates yet: %v", r.json)
		}
		ctx, s := context.Background(), b.services.FX
		if _, err := s.Publish(ctx, fx.Rate{Currency: money.EUR, Buy: "98", Sell: "100"}); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(time.Hour)
		if _, err := s.Publish(ctx, fx.Rate{Currency: money.USD, Buy: "90", Sell: "92"}); err != nil {
			t.Fatal(err)
		}
		r = b.do(t, "GET", "/api/v1/fx/rates", "", nil)
		wantStatus(t, r, http.StatusOK)
		rates, _ := r.json["rates"].([]any)
		if len(rates) != 2 || r.json["published_at"] != b.clock.Now().UTC().Format(time.RFC3339) {
			t.Fatalf("rates %v", r.json)
		}
		eur, _ := rates[0].(map[string]any)
		want := map[string]any{"currency": "EUR", "buy": "98.00", "sell": "100.00", "mid": "99.00",
			"valid_until": b.clock.Now().Add(23 * time.Hour).UTC().Format(time.RFC3339)}
		for k, v := range want {
			if eur[k] != v {
				t.Errorf("EUR %s = %v, want %v", k, eur[k], v)
			}
		}

		r = b.do(t, "GET", "/api/v1/fx/rates?cross=eur", "", nil)
		wantStatus(t, r, http.StatusOK)
		rates, _ = r.json["rates"].([]any)
		if r.json["base"] != "EUR" || len(rates) != 2 {
			t.Fatalf("against EUR: %v", r.json)
		}
		// USD in EUR: 90 / 100 = 0.9, 92 / 98 = 0.93877551… → 0.938776, 91 / 99 = 0.91919… → 0.919192.
		if usd, _ := rates[1].(map[string]any); usd["currency"] != "USD" || usd["buy"] != "0.90" ||
			usd["sell"] != "0.938776" || usd["mid"] != "0.919192" {
			t.Fatalf("USD in EUR: %v", usd)
		}
		if all, _ := rates[0].(map[string]any); all["currency"] != "ALL" || all["buy"] != "0.01" || all["sell"] != "0.010204" {
			t.Fatalf("ALL in EUR: %v", all)
		}
		b.expectProblem(t, "GET", "/api/v1/fx/rates?cross=XYZ", "", nil, http.StatusBadRequest, "fx_currency_invalid")
		b.expectProblem(t, "GET", "/api/v1/fx/rates?cross=GBP", "", nil, http.StatusUnprocessableEntity, "fx_rate_missing")
		r = b.do(t, "GET", "/api/v1/fx/rates?cross=GBP", "", nil, "Accept-Language", "en")
		b.checkProblem(t, r, http.StatusUnprocessableEntity, "fx_rate_missing", i18n.EN)

		// A day after EUR's publication only USD is current.
		b.clock.Advance(23 * time.Hour)
		r = b.do(t, "GET", "/api/v1/fx/rates", "", nil)
		if rates, _ := r.json["rates"].([]any); len(rates) != 1 {
			t.Fatalf("after EUR expired: %v", r.json)
		}
	})
}

// publishEUR publishes the demo's EUR rate, 97.80 / 99.40 (mid 98.60), as staff would have.
func (b *bank) publishEUR(t *testing.T, buy, sell string) {
	t.Helper()
	if _, err := b.services.FX.Publish(context.Background(), fx.Rate{Currency: money.EUR, Buy: buy, Sell: sell}); err != nil {
		t.Fatal(err)
	}
}

// conversions counts the quotes and conversions kept.
func (b *bank) conversions(t *testing.T) int {
	t.Helper()
	var n int
	if err := b.db.QueryRow(context.Background(), "SELECT COUNT(*) FROM fx_conversions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantFields fails the test unless r's answer has each of the "field:value" pairs (a nested object's as "a.b").
func wantFields(t *testing.T, r reply, want map[string]string) {
	t.Helper()
	for k, v := range want {
		var got any = r.json
		for _, part := range strings.Split(k, ".") {
			m, _ := got.(map[string]any)
			got = m[part]
		}
		if got != v {
			t.Errorf("%s = %v, want %q", k, got, v)
		}
	}
}

// TestTheCalculatorAnswersBeforeLogin: anyone asks what a conversion gives now, from either side and for either
// segment, without a session; the figures are the quote's (the published rate, or less of its spread for a
// business, the other amount rounded once half-up).
func TestTheCalculatorAnswersBeforeLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		for _, tc := range []struct {
			name, query string
			want        map[string]string
		}{
			{"selling euros", "sell=EUR&buy=ALL&sell_amount=100", map[string]string{"rate": "97.80", "base": "EUR",
				"quoted": "ALL", "sell.amount": "100.00", "sell.currency": "EUR", "buy.amount": "9780.00",
				"buy.currency": "ALL", "side": "sell", "segment": "individual"}},
			// 10000 / 97.80 = 102.2494… → 102.25.
			{"the lek wanted", "sell=eur&buy=all&buy_amount=10000", map[string]string{"rate": "97.80",
				"sell.amount": "102.25", "buy.amount": "10000.00", "side": "buy"}},
			{"buying euros", "sell=ALL&buy=EUR&buy_amount=100.00", map[string]string{"rate": "99.40", "base": "EUR",
				"quoted": "ALL", "sell.amount": "9940.00", "sell.currency": "ALL", "buy.amount": "100.00"}},
			// A business pays 90 % of the spread: 98.60 − 0.80 × 0.9 = 97.88.
			{"a business", "sell=EUR&buy=ALL&sell_amount=100&segment=business", map[string]string{"rate": "97.88",
				"buy.amount": "9788.00", "segment": "business"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := b.do(t, "GET", "/api/v1/fx/calculate?"+tc.query, "", nil)
				wantStatus(t, r, http.StatusOK)
				wantFields(t, r, tc.want)
			})
		}
		if n := b.conversions(t); n != 0 {
			t.Errorf("the calculator kept %d quotes", n)
		}
	})
}

// TestTheCalculatorRefusesBadInput: each bad question is a 4xx with its code (and the parameter it is about), in
// both languages.
func TestTheCalculatorRefusesBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		for _, tc := range []struct {
			name, query string
			status      int
			code, field string
		}{
			{"no amount", "sell=EUR&buy=ALL", 400, "validation_failed", "sell_amount:field_required"},
			{"both amounts", "sell=EUR&buy=ALL&sell_amount=1&buy_amount=1", 400, "validation_failed",
				"buy_amount:validation_failed"},
			{"too many decimals", "sell=EUR&buy=ALL&sell_amount=1.001", 400, "amount_too_many_decimals",
				"sell_amount:amount_too_many_decimals"},
			{"zero", "sell=EUR&buy=ALL&sell_amount=0", 400, "amount_not_positive", "sell_amount:amount_not_positive"},
			{"negative", "sell=EUR&buy=ALL&buy_amount=-5", 400, "amount_not_positive", "buy_amount:amount_not_positive"},
			{"not a number", "sell=EUR&buy=ALL&sell_amount=abc", 400, "invalid_amount", "sell_amount:invalid_amount"},
			{"an unknown currency", "sell=XYZ&buy=ALL&sell_amount=1", 400, "validation_failed", "sell:fx_currency_invalid"},
			{"no currency", "buy=ALL&sell_amount=1", 400, "validation_failed", "sell:fx_currency_invalid"},
			{"the same currency", "sell=EUR&buy=EUR&sell_amount=1", 400, "validation_failed", "buy:fx_same_currency"},
			{"an unknown segment", "sell=EUR&buy=ALL&sell_amount=1&segment=vip", 400, "validation_failed",
				"segment:validation_failed"},
			{"an unknown parameter", "sell=EUR&buy=ALL&sell_amount=1&rate=200", 400, "invalid_query", "rate:invalid_query"},
			{"a currency without a rate", "sell=GBP&buy=ALL&sell_amount=1", 422, "fx_rate_missing", "sell:fx_rate_missing"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := b.expectProblem(t, "GET", "/api/v1/fx/calculate?"+tc.query, "", nil, tc.status, tc.code,
					invalidOnPurpose, tc.name)
				if !slices.Contains(r.fieldCodes(), tc.field) {
					t.Errorf("errors %v, want %s", r.fieldCodes(), tc.field)
				}
			})
		}
	})
}

// TestAConversionIsQuotedExecutedOnceAndListed is the journey: a quote for 100 EUR bought with lek, read back,
// executed with an Idempotency-Key, repeated (with the same key and another) without moving money again, then
// listed among the customer's conversions.
func TestAConversionIsQuotedExecutedOnceAndListed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		tok := b.login(t, arben)
		lek := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		eur := b.account(t, arben, money.EUR, ledger.TypeCurrent)

		r := b.do(t, "GET", "/api/v1/fx/conversions", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if list, _ := r.json["conversions"].([]any); len(list) != 0 {
			t.Fatalf("conversions before any: %v", r.json)
		}

		q := b.do(t, "POST", "/api/v1/fx/quotes", tok, map[string]any{"from_account_id": lek.ID,
			"to_account_id": eur.ID, "buy_amount": "100", "description": "Për pushimet"})
		wantStatus(t, q, http.StatusCreated)
		id := q.str("id")
		quoted := map[string]string{"status": "quoted", "kind": "buy", "rate": "99.40", "base": "EUR", "quoted": "ALL",
			"sell.amount": "9940.00", "sell.currency": "ALL", "buy.amount": "100.00", "buy.currency": "EUR",
			"side": "buy", "segment": "individual", "from_account_id": lek.ID, "from_iban": lek.IBAN,
			"to_account_id": eur.ID, "to_iban": eur.IBAN, "description": "Për pushimet",
			"created_at": "2026-03-02T09:00:00Z", "expires_at": "2026-03-02T09:00:30Z"}
		wantFields(t, q, quoted)
		if q.header.Get("Location") != "/api/v1/fx/quotes/"+id || q.json["entry_id"] != nil {
			t.Errorf("Location %q, entry_id %v", q.header.Get("Location"), q.json["entry_id"])
		}
		got := b.do(t, "GET", "/api/v1/fx/quotes/"+id, tok, nil)
		wantStatus(t, got, http.StatusOK)
		wantFields(t, got, quoted)
		if b.fresh(t, lek.ID).Balance != lek.Balance || b.fresh(t, eur.ID).Balance != eur.Balance {
			t.Fatal("a quote moved money")
		}

		b.clock.Advance(10 * time.Second)
		x := b.do(t, "POST", "/api/v1/fx/quotes/"+id+"/execute", tok, nil, "Idempotency-Key", "fx-1")
		wantStatus(t, x, http.StatusCreated)
		executed := maps.Clone(quoted)
		executed["status"], executed["executed_at"], executed["value_date"] = "executed", "2026-03-02T09:00:10Z", "2026-03-02"
		wantFields(t, x, executed)
		if x.str("entry_id") == "" || x.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("entry_id %q, Idempotent-Replayed %q", x.str("entry_id"), x.header.Get("Idempotent-Replayed"))
		}
		if got := b.fresh(t, lek.ID).Balance; got != lek.Balance-994000 {
			t.Errorf("lek balance %d, want %d", got, lek.Balance-994000)
		}
		if got := b.fresh(t, eur.ID).Balance; got != eur.Balance+10000 {
			t.Errorf("EUR balance %d, want %d", got, eur.Balance+10000)
		}

		before := b.money(t)
		for _, key := range []string{"fx-1", "fx-2"} {
			b.clock.Advance(time.Minute) // past the quote's expiry too: an executed quote stays executed
			again := b.do(t, "POST", "/api/v1/fx/quotes/"+id+"/execute", tok, nil, "Idempotency-Key", key)
			wantStatus(t, again, http.StatusCreated)
			wantFields(t, again, executed)
			if again.header.Get("Idempotent-Replayed") != "true" || again.str("entry_id") != x.str("entry_id") {
				t.Errorf("key %s: Idempotent-Replayed %q, entry %q (first %q)", key,
					again.header.Get("Idempotent-Replayed"), again.str("entry_id"), x.str("entry_id"))
			}
		}
		b.expectNothingMoved(t, before)

		got = b.do(t, "GET", "/api/v1/fx/quotes/"+id, tok, nil)
		wantFields(t, got, executed)
		r = b.do(t, "GET", "/api/v1/fx/conversions?limit=5", tok, nil)
		wantStatus(t, r, http.StatusOK)
		list, _ := r.json["conversions"].([]any)
		if len(list) != 1 {
			t.Fatalf("conversions %v", r.json)
		}
		// The executed conversion has its own id (the quote's is the signed offer), which the list names.
		if c, _ := list[0].(map[string]any); c["id"] != x.str("id") || c["status"] != "executed" {
			t.Errorf("listed %v", c)
		}
		// Another customer sees none of it.
		eliraTok := b.login(t, elira)
		r = b.do(t, "GET", "/api/v1/fx/conversions", eliraTok, nil)
		if list, _ := r.json["conversions"].([]any); len(list) != 0 {
			t.Errorf("another customer lists %v", r.json)
		}
		b.expectProblem(t, "GET", "/api/v1/fx/conversions?limit=0", tok, nil, 400, "invalid_query", invalidOnPurpose, "limit 0")
		b.expectProblem(t, "GET", "/api/v1/fx/conversions?page=2", tok, nil, 400, "invalid_query", invalidOnPurpose, "page")
		b.expectProblem(t, "POST", "/api/v1/fx/quotes", "", map[string]any{"from_account_id": lek.ID,
			"to_account_id": eur.ID, "sell_amount": "1"}, 401, "unauthenticated")
	})
}

// TestBadConversionsAreRefusedAndNothingIsPosted: each bad quote or execution is a 4xx with its code (and the
// field it is about) in both languages, and no money moves, no posting is written and no quote is kept.
func TestBadConversionsAreRefusedAndNothingIsPosted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		tok := b.login(t, arben)
		lek := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		savings := b.account(t, arben, money.ALL, ledger.TypeSavings)
		eur := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		theirs := b.account(t, elira, money.EUR, ledger.TypeCurrent)
		body := map[string]any{"from_account_id": lek.ID, "to_account_id": eur.ID, "sell_amount": "100.00"}
		// Arben's euros: 2500.00.
		euros := map[string]any{"from_account_id": eur.ID, "to_account_id": lek.ID}

		// Another customer's quote, kept before counting.
		eliraLek := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		theirQuote, err := b.services.FX.Quote(context.Background(), b.customer(t, elira).ID,
			fx.QuoteRequest{FromAccountID: eliraLek.ID, ToAccountID: theirs.ID, SellAmount: "1000"})
		if err != nil {
			t.Fatal(err)
		}
		mine := b.do(t, "POST", "/api/v1/fx/quotes", tok, body)
		wantStatus(t, mine, http.StatusCreated)
		before, kept := b.money(t), b.conversions(t)

		for _, tc := range []struct {
			name, method, path string
			body               any
			headers            []string
			status             int
			code, field        string
		}{
			{"too many decimals", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": "10.001"}), nil,
				400, "amount_too_many_decimals", "sell_amount"},
			{"zero", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": "0"}), nil,
				400, "amount_not_positive", "sell_amount"},
			{"negative", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": nil, "buy_amount": "-5"}),
				nil, 400, "amount_not_positive", "buy_amount"},
			{"too little to give a cent", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": "0.01"}),
				nil, 400, "amount_not_positive", "sell_amount"},
			{"over the balance", "POST", "/api/v1/fx/quotes", with(euros, map[string]any{"sell_amount": "2500.01"}), nil,
				422, "insufficient_funds", "sell_amount"},
			{"over the balance, bought side", "POST", "/api/v1/fx/quotes",
				with(body, map[string]any{"sell_amount": nil, "buy_amount": "100000"}), nil,
				422, "insufficient_funds", "buy_amount"},
			{"the same currency", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"to_account_id": savings.ID}),
				nil, 400, "fx_same_currency", "to_account_id"},
			{"another customer's source", "POST", "/api/v1/fx/quotes", with(euros, map[string]any{
				"from_account_id": theirs.ID, "sell_amount": "1"}), nil, 404, "account_not_found", "from_account_id"},
			{"another customer's destination", "POST", "/api/v1/fx/quotes",
				with(body, map[string]any{"to_account_id": theirs.ID}), nil, 404, "account_not_found", "to_account_id"},
			{"both amounts", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"buy_amount": "1"}), nil,
				400, "validation_failed", "buy_amount"},
			{"no amount", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": nil}), nil,
				400, "validation_failed", "sell_amount"},
			{"an amount as a number", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"sell_amount": 100}), nil,
				400, "validation_failed", "sell_amount"},
			{"an unknown field", "POST", "/api/v1/fx/quotes", with(body, map[string]any{"rate": "200"}), nil,
				400, "unknown_field", "rate"},
			{"another customer's quote", "GET", "/api/v1/fx/quotes/" + theirQuote.ID, nil, nil,
				404, "fx_quote_not_found", ""},
			{"executing another customer's quote", "POST", "/api/v1/fx/quotes/" + theirQuote.ID + "/execute", nil,
				[]string{"Idempotency-Key", "theirs"}, 404, "fx_quote_not_found", ""},
			{"an unknown quote", "POST", "/api/v1/fx/quotes/nope/execute", nil, []string{"Idempotency-Key", "nope"},
				404, "fx_quote_not_found", ""},
			{"a NUL quote id", "GET", "/api/v1/fx/quotes/%00", nil, nil, 404, "fx_quote_not_found", ""},
			{"no Idempotency-Key", "POST", "/api/v1/fx/quotes/" + mine.str("id") + "/execute", nil, nil,
				400, "idempotency_key_missing", "Idempotency-Key"},
			{"an Idempotency-Key too long", "POST", "/api/v1/fx/quotes/" + mine.str("id") + "/execute", nil,
				[]string{"Idempotency-Key", strings.Repeat("k", 65)}, 400, "idempotency_key_invalid", "Idempotency-Key"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := b.expectProblem(t, tc.method, tc.path, tok, tc.body, tc.status, tc.code,
					append(slices.Clone(tc.headers), invalidOnPurpose, tc.name)...)
				if tc.field != "" && !slices.ContainsFunc(r.fieldCodes(), func(f string) bool {
					return strings.HasPrefix(f, tc.field+":")
				}) {
					t.Errorf("errors %v, want one about %s", r.fieldCodes(), tc.field)
				}
			})
		}
		b.expectNothingMoved(t, before)
		if n := b.conversions(t); n != kept {
			t.Errorf("%d quotes kept, want %d", n, kept)
		}
		if got, err := b.services.FX.Get(context.Background(), b.customer(t, elira).ID, theirQuote.ID); err != nil ||
			got.Status != fx.Quoted {
			t.Errorf("their quote: %+v, %v", got, err)
		}
	})
}

// TestAnExpiredOrChangedQuoteIsRefused: a quote executed after its 30 seconds (on the fake clock) is 409
// fx_quote_expired and reads as expired; one whose currency had a new rate published is 409 fx_quote_changed;
// neither moves money.
func TestAnExpiredOrChangedQuoteIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		tok := b.login(t, arben)
		body := map[string]any{"from_account_id": b.account(t, arben, money.EUR, ledger.TypeCurrent).ID,
			"to_account_id": b.account(t, arben, money.ALL, ledger.TypeCurrent).ID, "sell_amount": "10"}

		q := b.do(t, "POST", "/api/v1/fx/quotes", tok, body)
		wantStatus(t, q, http.StatusCreated)
		wantFields(t, q, map[string]string{"kind": "sell", "buy.amount": "978.00"})
		before := b.money(t)
		b.clock.Advance(29 * time.Second)
		r := b.do(t, "GET", "/api/v1/fx/quotes/"+q.str("id"), tok, nil)
		wantFields(t, r, map[string]string{"status": "quoted"})
		b.clock.Advance(time.Second)
		b.expectProblem(t, "POST", "/api/v1/fx/quotes/"+q.str("id")+"/execute", tok, nil, http.StatusConflict,
			"fx_quote_expired", "Idempotency-Key", "late")
		r = b.do(t, "GET", "/api/v1/fx/quotes/"+q.str("id"), tok, nil)
		wantFields(t, r, map[string]string{"status": "expired"})
		b.expectNothingMoved(t, before)

		q = b.do(t, "POST", "/api/v1/fx/quotes", tok, body)
		wantStatus(t, q, http.StatusCreated)
		b.clock.Advance(time.Second)
		b.publishEUR(t, "97.90", "99.50")
		b.expectProblem(t, "POST", "/api/v1/fx/quotes/"+q.str("id")+"/execute", tok, nil, http.StatusConflict,
			"fx_quote_changed", "Idempotency-Key", "changed")
		b.expectNothingMoved(t, before)

		r = b.do(t, "GET", "/api/v1/fx/conversions", tok, nil)
		if list, _ := r.json["conversions"].([]any); len(list) != 0 {
			t.Errorf("refused quotes are listed: %v", r.json)
		}
	})
}

// TestOneQuoteExecutedAtOnceFromManyRequestsMovesTheMoneyOnce: requests executing one quote at the same time, each
// under its own key, all answer the one execution (all but one as a replay), and the money moves once.
func TestOneQuoteExecutedAtOnceFromManyRequestsMovesTheMoneyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		b.publishEUR(t, "97.80", "99.40")
		tok := b.login(t, arben)
		lek := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		eur := b.account(t, arben, money.EUR, ledger.TypeCurrent)
		q := b.do(t, "POST", "/api/v1/fx/quotes", tok, map[string]any{"from_account_id": eur.ID,
			"to_account_id": lek.ID, "sell_amount": "25.55"})
		wantStatus(t, q, http.StatusCreated)
		const clients = 8
		replies := make([]reply, clients)
		errs := make([]error, clients)
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				replies[i], errs[i] = b.send("POST", "/api/v1/fx/quotes/"+q.str("id")+"/execute", tok, nil,
					"Idempotency-Key", fmt.Sprintf("at-once-%d", i))
			})
		}
		wg.Wait()
		first := 0
		for i, r := range replies {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.status != http.StatusCreated || r.str("status") != "executed" || r.str("entry_id") != replies[0].str("entry_id") {
				t.Fatalf("request %d: %d %s", i, r.status, r.body)
			}
			if r.header.Get("Idempotent-Replayed") == "" {
				first++
			}
		}
		if first != 1 {
			t.Errorf("%d answers were the first execution, want 1", first)
		}
		// 25.55 × 97.80 = 2498.79.
		if got := b.fresh(t, eur.ID).Balance; got != eur.Balance-2555 {
			t.Errorf("EUR balance %d, want %d", got, eur.Balance-2555)
		}
		if got := b.fresh(t, lek.ID).Balance; got != lek.Balance+249879 {
			t.Errorf("lek balance %d, want %d", got, lek.Balance+249879)
		}
	})
}
