package creditcard

import (
	"context"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
)

// RunDue settles every statement whose due date is on or before day and is not settled yet: the automatic payment
// first, then the late fee when the payments since the statement are below its minimum. The end of day's step,
// once per statement however often it runs.
func (s *Service) RunDue(ctx context.Context, day calendar.Date) (int, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+statementColumns+
		" FROM credit_statements WHERE due_done = 0 AND due_date <= ? ORDER BY due_date, id", day.String())
	if err != nil {
		return 0, fmt.Errorf("due statements: %w", err)
	}
	due, err := db.Collect(rows, scanStatement)
	if err != nil {
		return 0, fmt.Errorf("due statements: %w", err)
	}
	for i, st := range due {
		cr, err := s.one(ctx, "id = ?", st.CreditID)
		if err != nil {
			return i, err
		}
		if err := s.settle(ctx, cr, st); err != nil {
			return i, fmt.Errorf("due of statement %s: %w", st.ID, err)
		}
	}
	return len(due), nil
}

// settle is one statement's due date: the automatic payment and the late fee, with the statement marked settled,
// in one ledger transaction.
func (s *Service) settle(ctx context.Context, cr Credit, st Statement) error {
	feesGL, err := s.Ledger.GL(ctx, ledger.GLCode(ledger.TypeFees, cr.Currency))
	if err != nil {
		return err
	}
	accounts := []string{cr.AccountID, feesGL.ID}
	if cr.AutoPercent > 0 && cr.AutoAccountID != "" {
		accounts = append(accounts, cr.AutoAccountID)
	}
	key := "creditcard:due:" + st.ID
	for range attempts {
		acc, err := s.Ledger.Get(ctx, cr.AccountID)
		if err != nil {
			return err
		}
		ms, err := s.moves(ctx, cr.AccountID, st.ToSeq)
		if err != nil {
			return err
		}
		paid := paidSince(ms, st.DueDate.AddDays(1).Start())
		err = s.Ledger.Run(ctx, ledger.Op{Accounts: accounts, IdempotencyKey: key, Run: func(b *ledger.Batch) error {
			if _, again, err := b.Idempotency(key, st.ID); err != nil || again {
				return err
			}
			a, err := b.Account(cr.AccountID)
			if err != nil {
				return err
			}
			if a.LastSeq != acc.LastSeq {
				return errStale
			}
			auto, err := autoPay(b, cr, st, paid, max(0, -a.Balance))
			if err != nil {
				return err
			}
			var fee int64
			if paid+auto < st.MinimumDue {
				fee = s.Config.LateFee
				if err := charge(b, cr.AccountID, feesGL.ID, KindLateFee, "latefee:"+st.ID, fee,
					"Tarifë për vonesë në pagesën e kartës"); err != nil {
					return err
				}
			}
			b.Update(ledger.Record{Table: "credit_statements", Columns: []string{"id", "due_done", "auto_paid",
				"late_fee"}, Values: []any{st.ID, 1, auto, fee}})
			b.RememberIdempotency(key, st.ID, st.ID)
			return nil
		}})
		if errors.Is(err, errStale) {
			continue
		}
		return err
	}
	return errStale
}

// autoPay takes the statement's automatic payment — what is still unpaid of its minimum (25) or its total (100),
// never more than the card owes now — from the chosen account, as much as that has available. It returns the
// amount paid.
func autoPay(b *ledger.Batch, cr Credit, st Statement, paid, debt int64) (int64, error) {
	target := st.MinimumDue
	if cr.AutoPercent == 100 {
		target = st.TotalDue
	}
	if cr.AutoPercent == 0 || cr.AutoAccountID == "" || target <= paid {
		return 0, nil
	}
	from, err := b.Account(cr.AutoAccountID)
	if err != nil || from.Status != ledger.Active {
		return 0, nil // an account closed since: the late fee rule decides
	}
	amount := min(target-paid, debt, max(0, from.Available()))
	if amount <= 0 {
		return 0, nil
	}
	if _, err := b.Post(paymentEntry(cr, from.ID, amount, "autopay:"+st.ID)); err != nil {
		return 0, err
	}
	return amount, nil
}

// paymentEntry moves amount from an account into the credit account.
func paymentEntry(cr Credit, fromID string, amount int64, reference string) ledger.Entry {
	const desc = "Pagesë e kartës së kreditit"
	return ledger.Entry{Kind: KindPayment, Description: desc, Reference: reference, Legs: []ledger.Leg{
		{AccountID: fromID, Amount: -amount, Description: desc},
		{AccountID: cr.AccountID, Amount: amount, Description: desc},
	}}
}
