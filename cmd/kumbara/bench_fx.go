package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/money"
)

// Issue #12's targets for conversions, printed beside what was measured.
const (
	benchFXRatioTarget = 0.8                   // conversions keep at least this share of own transfers' throughput
	benchQuoteP99      = 20 * time.Millisecond // a quote answers within this at the 99th percentile
)

// compareFX measures conversions and own transfers of the same clients in one run: in slices ordered conversions,
// transfers, transfers, conversions, repeated every 20 s over duration (as compareAudit does, so that a drift over
// the run and the machine's other load weigh on both alike). A conversion is a quote and its execution, between
// the client's ALL and EUR accounts, one way then the other; a transfer moves 1.00 ALL between its two ALL
// accounts, one way then the other. It prints each one's line, the ratio of their throughputs and the quotes'
// latency, with the targets.
func (r *benchRun) compareFX(ctx context.Context, clients int, warmup, duration time.Duration, stdout, stderr io.Writer) error {
	if err := r.login(ctx, clients, true, stderr); err != nil {
		return err
	}
	if err := benchRate(ctx, r.b.FX, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench: %d clients converting and transferring for %s (after %s warm-up)\n", clients, duration, warmup)
	conv, own := &benchStats{}, &benchStats{}
	rounds := max(1, int(duration/(20*time.Second)))
	var order []bool // true: conversions
	for range rounds {
		order = append(order, true, false, false, true)
	}
	slice := duration / time.Duration(len(order))
	for i, converting := range order {
		if i > 0 {
			warmup = 0
		}
		if converting {
			conv.add(r.measure(ctx, warmup, slice, r.conversion))
		} else {
			own.add(r.measure(ctx, warmup, slice, r.ownTransfer))
		}
	}
	if conv.elapsed <= 0 || own.elapsed <= 0 {
		return errors.New("bench: nothing was measured")
	}
	for _, st := range []*benchStats{conv, own} {
		if st.firstErr != "" {
			fmt.Fprintf(stderr, "bench: first error: %s\n", st.firstErr)
		}
	}
	fmt.Fprintln(stdout, "fx  "+conv.lineOf("conversions"))
	fmt.Fprintln(stdout, "own "+own.lineOf("transfers"))
	fmt.Fprintf(stdout, "fx_vs_own=%.2f (target >= %.1f)\n", conv.rate()/own.rate(), benchFXRatioTarget)
	slices.Sort(conv.quotes)
	fmt.Fprintf(stdout, "quote p50_ms=%.2f p99_ms=%.2f (target p99 <= %.0f ms)\n", ms(percentile(conv.quotes, 50)),
		ms(percentile(conv.quotes, 99)), ms(benchQuoteP99))
	return nil
}

// benchRate publishes the demo's EUR rate when the bank has no current one, as the bank itself (audited as the
// system actor, as the demo's seeding is), so that the bench's conversions have a rate: a bank with one keeps it.
// A bench database is a throwaway one; on a bank's own, staff publish rates through four-eyes.
func benchRate(ctx context.Context, s *fx.Service, stderr io.Writer) error {
	rates, err := s.Current(ctx)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(rates, func(r fx.Rate) bool { return r.Currency == money.EUR }) {
		return nil
	}
	figures := demo.DemoRates[money.EUR]
	fmt.Fprintf(stderr, "bench: publishing EUR at %s / %s\n", figures[0], figures[1])
	_, err = s.Publish(ctx, fx.Rate{Currency: money.EUR, Buy: figures[0], Sell: figures[1], Reason: "bench"})
	return err
}

// conversion is the client's n-th conversion: a quote selling 100.00 ALL for euros (n even) or 1.00 EUR for lek
// (n odd), then its execution; it returns how long the quote took.
func (r *benchRun) conversion(ctx context.Context, _ int, bc *benchClient, n int, _ *mrand.Rand) (string, time.Duration) {
	body := map[string]string{"from_account_id": bc.accounts[0].ID, "to_account_id": bc.euro.ID, "sell_amount": "100.00"}
	if n%2 == 1 {
		body = map[string]string{"from_account_id": bc.euro.ID, "to_account_id": bc.accounts[0].ID, "sell_amount": "1.00"}
	}
	var q struct {
		ID string `json:"id"`
	}
	t0 := time.Now()
	if failure := r.post(ctx, bc, "/api/v1/fx/quotes", "", body, &q); failure != "" {
		return "quote: " + failure, 0
	}
	quote := time.Since(t0)
	if failure := r.post(ctx, bc, "/api/v1/fx/quotes/"+q.ID+"/execute", randomKey(), nil, nil); failure != "" {
		return "execute: " + failure, 0
	}
	return "", quote
}

// ownTransfer is the client's n-th own transfer: 1.00 ALL from one of its ALL accounts to the other, one way then
// the other.
func (r *benchRun) ownTransfer(ctx context.Context, _ int, bc *benchClient, n int, _ *mrand.Rand) (string, time.Duration) {
	return r.post(ctx, bc, "/api/v1/transfers", randomKey(), map[string]string{"type": "own",
		"from_account_id": bc.accounts[n%2].ID, "to_account_id": bc.accounts[(n+1)%2].ID, "amount": "1.00",
		"currency": "ALL", "description": "Bench " + fmt.Sprint(n)}, nil), 0
}

// post makes one of the client's requests (with the idempotency key, if any, and body as JSON, if any), which
// must answer 201, and decodes the answer into out, if any; it says why it failed ("" if it did not).
func (r *benchRun) post(ctx context.Context, bc *benchClient, path, key string, body, out any) string {
	var rd io.Reader = http.NoBody
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequestWithContext(ctx, "POST", r.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+bc.token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := bc.hc.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			return err.Error()
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return ""
}
