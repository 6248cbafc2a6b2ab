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
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// Issue #13's targets for card payments, printed beside what was measured.
const (
	benchAuthRate      = 2000                  // authorisations per second from 32 terminals
	benchAuthP99       = 50 * time.Millisecond // an authorisation answers within this at the 99th percentile
	benchClearingLimit = 60 * time.Second      // a clearing file of 100,000 presentments posts within this
)

// benchCardsPerTerminal is how many cards each terminal sees: a network's authorisations come from many cards, a
// few a day each, and a card's daily total is read on every authorisation.
const benchCardsPerTerminal = 16

// benchCards measures card payments: every client is a terminal that sees benchCardsPerTerminal cards of its own
// (each a fresh holder's, on an account of 100,000,000.00 lek), sending authorisations of 1.00 to 9.99 lek (one in
// ten in euros) from them in turn through the card network sandbox's route (POST /dev/card-network/authorisations:
// the server must run with --demo) for the duration; then a clearing file of presentments — those of the approved
// authorisations, topped up with presentments without one up to presentments — posted by the issuer here, in this
// process, on the server's database. It prints the authorisations' line and the file's time, with the issue's
// targets.
func (r *benchRun) benchCards(ctx context.Context, clients int, warmup, duration time.Duration, presentments int, stdout, stderr io.Writer) error {
	fmt.Fprintf(stderr, "bench: creating %d holders with a card each in %s\n", clients*benchCardsPerTerminal, r.b.DB.Engine)
	cards, err := r.benchCardholders(ctx, clients*benchCardsPerTerminal)
	if err != nil {
		return err
	}
	for range clients {
		r.clients = append(r.clients, &benchClient{hc: r.hc})
	}
	if err := benchRate(ctx, r.b.FX, stderr); err != nil {
		return err
	}
	run := randomKey()[:8]
	var mu sync.Mutex
	var approved []issuing.Presentment
	op := func(ctx context.Context, i int, _ *benchClient, n int, rnd *mrand.Rand) (string, time.Duration) {
		id := fmt.Sprintf("b%s-%d-%d", run, i, n)
		amount := money.New(100+rnd.Int64N(900), money.ALL)
		if n%10 == 9 {
			amount.Currency = money.EUR
		}
		cardID := cards[i*benchCardsPerTerminal+n%benchCardsPerTerminal]
		failure := r.authorise(ctx, cardID, id, amount)
		if failure == "" {
			mu.Lock()
			approved = append(approved, issuing.Presentment{ID: "p" + id, AuthorisationID: id, CardID: cardID,
				Kind: issuing.KindPurchase, Amount: amount, MCC: "5411", Merchant: "Bench Shop"})
			mu.Unlock()
		}
		return failure, 0
	}
	fmt.Fprintf(stderr, "bench: %d terminals authorising for %s (after %s warm-up)\n", clients, duration, warmup)
	st := r.measure(ctx, warmup, duration, op)
	if st.start.IsZero() || st.elapsed <= 0 {
		return errors.New("bench: nothing was measured")
	}
	if st.firstErr != "" {
		fmt.Fprintf(stderr, "bench: first error: %s\n", st.firstErr)
	}
	fmt.Fprintf(stdout, "cards %s (target >= %d/s, p99 <= %.0f ms)\n", st.lineOf("authorisations"), benchAuthRate,
		ms(benchAuthP99))
	return r.benchClearing(ctx, run, cards, approved, presentments, stdout, stderr)
}

// benchCardholders creates n holders, each with an account of 100,000,000.00 lek and a debit card on it, four at a
// time; it returns the cards' ids.
func (r *benchRun) benchCardholders(ctx context.Context, n int) ([]string, error) {
	cards := make([]string, n)
	var g errgroup.Group
	g.SetLimit(4)
	for i := range n {
		g.Go(func() error {
			cu, err := benchHolder(ctx, r.b)
			if err != nil {
				return fmt.Errorf("create bench holder: %w", err)
			}
			a, err := r.b.Customers.OpenAccount(ctx, cu.ID, money.ALL, ledger.TypeCurrent, "Bench")
			if err != nil {
				return err
			}
			if _, err := r.b.Ledger.CashDeposit(ctx, a.ID, money.New(100_000_000_00, money.ALL), "bench"); err != nil {
				return err
			}
			c, err := r.b.Cards.Issue(ctx, card.IssueRequest{CustomerID: cu.ID, AccountID: a.ID, Type: card.Visa,
				Contactless: true, PIN: "4826"})
			if err != nil {
				return fmt.Errorf("issue bench card: %w", err)
			}
			cards[i] = c.ID
			return nil
		})
	}
	return cards, g.Wait()
}

// benchClearing posts a clearing file of presentments: the approved authorisations', then presentments without
// authorisation of the terminals' cards, up to n; it prints how long the issuer took.
func (r *benchRun) benchClearing(ctx context.Context, run string, cards []string, ps []issuing.Presentment, n int, stdout, stderr io.Writer) error {
	if n <= 0 {
		return nil
	}
	if len(ps) > n {
		ps = ps[:n]
	}
	for i := len(ps); i < n; i++ {
		ps = append(ps, issuing.Presentment{ID: fmt.Sprintf("n%s-%d", run, i), CardID: cards[i%len(cards)],
			Kind: issuing.KindPurchase, Amount: money.New(250, money.ALL), MCC: "5999", Merchant: "Bench Shop"})
	}
	file := issuing.Format(issuing.File{ID: "bench-" + run, BusinessDate: calendar.DateOf(r.b.Clock.Now()), Presentments: ps})
	fmt.Fprintf(stderr, "bench: posting a clearing file of %d presentments (%d bytes)\n", len(ps), len(file))
	t0 := time.Now()
	res, err := r.b.Issuing.Clear(ctx, file)
	took := time.Since(t0)
	if err != nil {
		return fmt.Errorf("clearing file: %w", err)
	}
	fmt.Fprintf(stdout, "clearing presentments=%d posted=%d exceptions=%d seconds=%.1f (target <= %.0f s for 100000)\n",
		res.Presentments, res.Posted, res.Exceptions, took.Seconds(), benchClearingLimit.Seconds())
	return nil
}

// authorise sends one authorisation through the sandbox network's route; it says why it failed ("" if approved).
func (r *benchRun) authorise(ctx context.Context, cardID, id string, amount money.Amount) string {
	body, _ := json.Marshal(map[string]any{"id": id, "card_id": cardID, "amount": amount.Decimal(),
		"currency": string(amount.Currency), "merchant": "Bench Shop", "mcc": "5411", "country": "AL",
		"card_present": true, "entry_mode": "contactless"})
	req, _ := http.NewRequestWithContext(ctx, "POST", r.base+"/dev/card-network/authorisations", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.hc.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var a struct {
		Approved bool   `json:"approved"`
		Reason   string `json:"reason"`
	}
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Sprintf("HTTP %d: %s", resp.StatusCode, msg)
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return err.Error()
	}
	if !a.Approved {
		return "declined: " + a.Reason
	}
	return ""
}
