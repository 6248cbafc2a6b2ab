package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/payment"
)

// endOfDay registers the close of business's steps, in the order they run: the one place a feature adds its
// nightly work (standing orders, interest accrual, maturities, card statements, clearing sessions) with one line.
// A step's name is its identity in the records of every day: never rename one a bank has run.
func (b *Bank) endOfDay() {
	b.EOD.Register("expire_holds", b.expireHoldsStep)
	// The day's card purchases are cleared before the credit cards' statements are drawn.
	b.EOD.Register("card_clearing", b.cardClearingStep)
	b.EOD.Register("credit_statements", b.creditStatementsStep)
	b.EOD.Register("credit_due", b.creditDueStep)
	b.EOD.Register("verify_ledger", b.verifyLedgerStep)
	b.EOD.Register("reconcile_clearing", b.reconcileClearingStep)
	b.EOD.Register("fx_revaluation", b.fxRevaluationStep)
}

// fxRevaluationStep books the day's result on the bank's FX positions at the closing mid rates
// (fx.Service.Revalue): once per business date, however often the step runs. It comes last so that a currency with
// a position and no closing rate, which fails it until staff publish one, holds up no other step's work.
func (b *Bank) fxRevaluationStep(ctx context.Context, day calendar.Date) (string, error) {
	rv, err := b.FX.Revalue(ctx, day)
	if err != nil {
		return "", err
	}
	return rv.String(), nil
}

// expireHoldsStep releases every hold whose time has passed, so the day closes on available balances without
// money held for card payments that will never be captured. The minute loop releases most of them already; this
// makes sure none is left at the close.
func (b *Bank) expireHoldsStep(ctx context.Context, _ calendar.Date) (string, error) {
	const batch = 100
	total := 0
	for {
		n, err := b.Ledger.ExpireHolds(ctx, batch)
		total += n
		if err != nil {
			return fmt.Sprintf("%d holds released", total), err
		}
		if n < batch {
			return fmt.Sprintf("%d holds released", total), nil
		}
	}
}

// errLedgerBroken: the ledger's invariants do not hold; the day does not close on books that do not balance.
var errLedgerBroken = errors.New("the ledger's invariants are broken")

// verifyLedgerStep checks every invariant of the ledger (ledger.Verify) as the day's books close: a broken one
// fails the step, which stops the close until the bank has looked at it.
func (b *Bank) verifyLedgerStep(ctx context.Context, _ calendar.Date) (string, error) {
	breaks, err := b.Ledger.Verify(ctx)
	if err != nil {
		return "", err
	}
	if len(breaks) > 0 {
		return fmt.Sprintf("%d broken, first: %s", len(breaks), breaks[0]), fmt.Errorf("%w: %d, first: %s",
			errLedgerBroken, len(breaks), breaks[0])
	}
	entries, err := b.Ledger.Entries(ctx)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("ledger sound: %d entries", entries), nil
}

// reconcileClearingStep matches the clearing side's settlement report of the business day with the bank's
// settlement postings of the day (payment.Service.ReconcileDay), in every currency either side moved. Breaks do not
// stop the close: staff find them in the back office with the entries on each side. A report the clearing side
// does not give (it is down) fails the step, which is tried again.
func (b *Bank) reconcileClearingStep(ctx context.Context, day calendar.Date) (string, error) {
	if _, ok := b.Payments.Clearing.(payment.SettlementReporter); !ok {
		return "no settlement report: the clearing side gives none", nil
	}
	results, err := b.Payments.ReconcileDay(ctx, day)
	if err != nil {
		return "", err
	}
	if len(results) == 0 {
		return "nothing settled", nil
	}
	parts := make([]string, 0, len(results))
	for _, r := range results {
		parts = append(parts, fmt.Sprintf("%s: %d of %d matched, %d breaks", r.Currency, r.Matched, r.Theirs, r.BreakCount))
	}
	return strings.Join(parts, "; "), nil
}

// cardClearingStep has the card network deliver the business date's clearing file and its settlement report
// (cardnetwork.Sandbox.RunClearing): the issuer posts the file, then the scheme's net per currency card_settlement
// → the nostro, or keeps a break when its own total differs (issuing.Service.Settle; breaks do not stop the close:
// staff find them on the disputes' page and with `kumbara admin cards settlements`).
// A hold that expired earlier in the close is presented without it (the issuer posts it all the same). The network
// builds one file per date and the issuer posts each presentment once, so the step is idempotent per date. Without
// the sandbox a real network's adapter delivers its files itself.
func (b *Bank) cardClearingStep(ctx context.Context, day calendar.Date) (string, error) {
	if b.CardNetwork == nil {
		return "no card network sandbox: files come from the network's adapter", nil
	}
	res, err := b.CardNetwork.RunClearing(ctx, day)
	if err != nil {
		return "", err
	}
	st := res.Settlement
	return fmt.Sprintf("file %s: %d presentments, %d posted, %d exceptions, %d posted before; settlement: %d "+
		"currencies settled, %d breaks, %d settled before", res.ID, res.Presentments, res.Posted, res.Exceptions,
		res.Repeated, st.Settled, st.Breaks, st.Repeated), nil
}
