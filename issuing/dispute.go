package issuing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// Statuses of a dispute.
const (
	DisputeOpen = "open" // raised with the network: the chargeback is asked for
	DisputeWon  = "won"  // the merchant's bank paid it back: the customer is credited (card_chargeback)
	DisputeLost = "lost" // the merchant showed the payment was due: nothing moves
)

// MaxDisputeReason is the longest reason of a dispute, in bytes.
const MaxDisputeReason = 500

// Dispute is a chargeback staff raised on a posted presentment, as the customer asked.
type Dispute struct {
	ID, ClearingID, CardID, Status, Reason string
	OpenedBy, DecidedBy                    string
	OpenedAt, DecidedAt                    time.Time
	EntryID                                string // the chargeback's entry, once won
}

const disputeColumns = `id, clearing_id, card_id, status, reason, opened_by, opened_at, decided_by, decided_at, entry_id`

func scanDispute(r db.Scanner) (Dispute, error) {
	var d Dispute
	var opened, decided int64
	err := r.Scan(&d.ID, &d.ClearingID, &d.CardID, &d.Status, &d.Reason, &d.OpenedBy, &opened, &d.DecidedBy, &decided,
		&d.EntryID)
	d.OpenedAt = db.FromMicros(opened)
	if decided != 0 {
		d.DecidedAt = db.FromMicros(decided)
	}
	return d, err
}

// OpenDispute raises a chargeback on a posted purchase or cash withdrawal, once: staff (member, by username) do it
// for the customer, with their reason. Nothing moves until the network decides (DecideDispute).
func (s *Service) OpenDispute(ctx context.Context, clearingID, reason, member string) (Dispute, error) {
	reason = text.Clean(reason)
	switch {
	case reason == "":
		return Dispute{}, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("reason"))
	case !text.Storable(reason) || len(reason) > MaxDisputeReason:
		return Dispute{}, kumbara.ErrValidationFailed.WithFields(text.ErrTooLong.At("reason"))
	}
	c, err := s.clearing(ctx, clearingID)
	if err != nil {
		return Dispute{}, err
	}
	if c.Outcome != Posted || c.Kind == KindRefund {
		return Dispute{}, ErrNotDisputable
	}
	d := Dispute{ID: uuid.Must(uuid.NewV7()).String(), ClearingID: c.ID, CardID: c.CardID, Status: DisputeOpen,
		Reason: reason, OpenedBy: member, OpenedAt: s.Clock.Now()}
	customerID := s.customerOf(ctx, c.AccountID)
	opened := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO card_disputes (`+disputeColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, '', 0, '')
			ON CONFLICT (clearing_id) DO NOTHING`, d.ID, d.ClearingID, d.CardID, d.Status, d.Reason, d.OpenedBy,
			db.Micros(d.OpenedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // disputed already
		}
		opened = true
		return audit.Append(ctx, tx, d.OpenedAt, staffEntry(ctx, ActionDisputeOpened, customerID, c.AccountID, nil,
			disputeState{Dispute: d.ID, Clearing: c.ID, Status: DisputeOpen, Reason: audit.Clip(reason)}))
	})
	if err != nil {
		return Dispute{}, fmt.Errorf("open dispute: %w", err)
	}
	if !opened {
		return Dispute{}, ErrNotDisputable
	}
	return s.Dispute(ctx, d.ID)
}

// customerOf is the customer of an account ("" for none: a presentment booked to suspense).
func (s *Service) customerOf(ctx context.Context, accountID string) string {
	if accountID == "" {
		return ""
	}
	a, err := s.Ledger.Get(ctx, accountID)
	if err != nil {
		return ""
	}
	return a.CustomerID
}

// Dispute returns one dispute.
func (s *Service) Dispute(ctx context.Context, id string) (Dispute, error) {
	if !text.Storable(id) {
		return Dispute{}, ErrDisputeNotFound
	}
	d, err := scanDispute(s.DB.QueryRow(ctx, "SELECT "+disputeColumns+" FROM card_disputes WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Dispute{}, ErrDisputeNotFound
	}
	if err != nil {
		return Dispute{}, fmt.Errorf("dispute: %w", err)
	}
	return d, nil
}

// Disputes lists disputes of a status ("" for every one), newest first.
func (s *Service) Disputes(ctx context.Context, status string, limit int) ([]Dispute, error) {
	q, args := "SELECT "+disputeColumns+" FROM card_disputes", []any{}
	if status != "" {
		q, args = q+" WHERE status = ?", append(args, status)
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY opened_at DESC, id LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	return db.Collect(rows, scanDispute)
}

// DecideDispute records the network's decision on an open dispute: won credits the customer back exactly what
// the presentment took from the account (its entry's legs turned round, FX legs at the rate it was made at, as a
// card_chargeback entry); lost moves nothing. A dispute decided already is card_dispute_decided.
func (s *Service) DecideDispute(ctx context.Context, id string, won bool, member string) (Dispute, error) {
	d, err := s.Dispute(ctx, id)
	if err != nil {
		return Dispute{}, err
	}
	if d.Status != DisputeOpen {
		return Dispute{}, ErrDisputeDecided
	}
	c, err := s.clearing(ctx, d.ClearingID)
	if err != nil {
		return Dispute{}, err
	}
	status := DisputeLost
	var legs []ledger.Leg
	var accounts []string
	if won {
		status = DisputeWon
		if legs, err = s.entryLegs(ctx, c.EntryID); err != nil {
			return Dispute{}, err
		}
		for i := range legs {
			legs[i].Amount = -legs[i].Amount
			accounts = append(accounts, legs[i].AccountID)
		}
	}
	key := "card_dispute:" + d.ID
	customerID := s.customerOf(ctx, c.AccountID)
	var entryID string
	err = s.Ledger.Submit(ctx, ledger.Op{Accounts: accounts, IdempotencyKey: key, Audit: func(err error) []audit.Entry {
		if err != nil {
			return nil
		}
		return []audit.Entry{staffEntry(ctx, ActionDisputeDecided, customerID, c.AccountID,
			disputeState{Dispute: d.ID, Status: DisputeOpen}, disputeState{Dispute: d.ID, Status: status, Entry: entryID})}
	}, Run: func(b *ledger.Batch) error {
		if _, again, err := b.Idempotency(key, "decide"); err != nil || again {
			if again {
				return ErrDisputeDecided
			}
			return err
		}
		entryID = ""
		if won {
			var err error
			if entryID, err = b.Post(ledger.Entry{Kind: EntryChargeback, Description: c.Merchant,
				Reference: d.ID, Legs: legs}); err != nil {
				return err
			}
		}
		b.Update(ledger.Record{Table: "card_disputes", Columns: []string{"id", "status", "decided_by", "decided_at",
			"entry_id"}, Values: []any{d.ID, status, member, db.Micros(b.Now()), entryID}})
		b.RememberIdempotency(key, "decide", d.ID)
		return nil
	}})
	if err != nil {
		return Dispute{}, err
	}
	if won && s.Network != nil {
		// The chargeback is the network's to credit in the settlement of its next file. The decision is made and
		// stands whatever the network answers: one that did not hear of it reports a figure apart from the
		// issuer's, which Settle keeps as a break for staff, never a silent difference.
		_ = s.Network.Chargeback(ctx, d.ID, c.ID, c.Amount)
	}
	return s.Dispute(ctx, id)
}

// entryLegs reads a posted entry's legs.
func (s *Service) entryLegs(ctx context.Context, entryID string) ([]ledger.Leg, error) {
	rows, err := s.DB.Query(ctx, `SELECT account_id, amount, description, counterparty FROM postings
		WHERE entry_id = ? ORDER BY seq, id`, entryID)
	if err != nil {
		return nil, fmt.Errorf("chargeback legs: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (ledger.Leg, error) {
		var l ledger.Leg
		err := r.Scan(&l.AccountID, &l.Amount, &l.Description, &l.Counterparty)
		return l, err
	})
}
