package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
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
