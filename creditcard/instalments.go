package creditcard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// The states of an instalment plan.
const (
	PlanActive  = "active"
	PlanClosing = "closing" // closed early: the next statement bills the rest
	PlanDone    = "done"
)

// Plan is a purchase split into instalments (F20).
type Plan struct {
	ID              string
	CreditID        string
	EntryID         string // the purchase
	OfferID         string
	Principal       int64
	Fee             int64
	Months          int
	Billed          int
	BilledPrincipal int64
	Status          string
	CreatedAt       time.Time
}

// Quote is an offer priced for one purchase, shown before the customer confirms it.
type Quote struct {
	Offer
	Principal int64
	Fee       int64
	Monthly   int64 // principal and fee of each instalment but the last, which takes what the division left
}

// purchase is the completed purchase entryID on the customer's card: its amount, refused when it is pending
// (a hold, not an entry yet), split already, or not a purchase of this card.
func (s *Service) purchase(ctx context.Context, cr Credit, entryID string) (int64, error) {
	amount, kind, err := s.Ledger.EntryOn(ctx, entryID, cr.AccountID)
	if errors.Is(err, ledger.ErrTransactionNotFound) {
		held, err := s.Ledger.HoldOn(ctx, entryID, cr.AccountID)
		if err != nil {
			return 0, err
		}
		if held {
			return 0, ErrTransactionPending
		}
		return 0, ErrTransactionNotFound
	}
	if err != nil {
		return 0, err
	}
	if kind != KindPurchase || amount >= 0 {
		return 0, ErrTransactionNotFound
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM credit_instalments WHERE entry_id = ?", entryID).Scan(&n); err != nil {
		return 0, fmt.Errorf("purchase: %w", err)
	}
	if n > 0 {
		return 0, ErrTransactionSplit
	}
	return -amount, nil
}

func (s *Service) quote(o Offer, principal int64) Quote {
	fee := percentOf(principal, o.FeePercent)
	return Quote{Offer: o, Principal: principal, Fee: fee, Monthly: principal/int64(o.Months) + fee/int64(o.Months)}
}

// Offers prices the bank's instalment offers for one completed purchase of the customer's card.
func (s *Service) Offers(ctx context.Context, customerID, cardID, entryID string) ([]Quote, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return nil, err
	}
	principal, err := s.purchase(ctx, cr, entryID)
	if err != nil {
		return nil, err
	}
	out := make([]Quote, 0, len(s.Config.Offers))
	for _, o := range s.Config.Offers {
		out = append(out, s.quote(o, principal))
	}
	return out, nil
}

// Split splits a completed purchase by one of the offers: from the next statement on, each statement bills one
// instalment (principal and fee) instead of the whole purchase. Nothing moves now: the purchase stays on the
// credit account, using the limit until it is repaid.
func (s *Service) Split(ctx context.Context, customerID, cardID, entryID, offerID string) (Plan, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return Plan{}, err
	}
	var offer *Offer
	for _, o := range s.Config.Offers {
		if o.ID == offerID {
			offer = &o
		}
	}
	if offer == nil {
		return Plan{}, ErrOfferNotFound
	}
	principal, err := s.purchase(ctx, cr, entryID)
	if err != nil {
		return Plan{}, err
	}
	q := s.quote(*offer, principal)
	now := s.Clock.Now()
	p := Plan{ID: uuid.Must(uuid.NewV7()).String(), CreditID: cr.ID, EntryID: entryID, OfferID: offer.ID,
		Principal: principal, Fee: q.Fee, Months: offer.Months, Status: PlanActive, CreatedAt: now}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO credit_instalments (id, credit_id, entry_id, offer_id, principal, fee,
			months, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.CreditID, p.EntryID, p.OfferID,
			p.Principal, p.Fee, p.Months, p.Status, db.Micros(now)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, customerEntry(ctx, ActionSplit, customerID, cr.AccountID, nil,
			map[string]any{"plan": p.ID, "entry": entryID, "offer": offer.ID, "principal": principal, "fee": q.Fee}))
	})
	if db.IsUniqueViolation(err) {
		return Plan{}, ErrTransactionSplit
	}
	return p, refused("split purchase", err)
}

// CloseEarly closes an instalment plan: the next statement bills its whole remaining principal, and no more fee.
func (s *Service) CloseEarly(ctx context.Context, customerID, cardID, planID string) error {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return err
	}
	if !text.Storable(planID) {
		return ErrPlanNotFound
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		var status string
		err := tx.QueryRow(ctx, "SELECT status FROM credit_instalments WHERE id = ? AND credit_id = ?"+
			tx.DB().ForUpdate(), planID, cr.ID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrPlanNotFound
		}
		if err != nil {
			return err
		}
		if status != PlanActive {
			return ErrPlanClosed
		}
		if _, err := tx.Exec(ctx, "UPDATE credit_instalments SET status = ? WHERE id = ?", PlanClosing, planID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.Clock.Now(), customerEntry(ctx, ActionPlanClosed, customerID, cr.AccountID,
			map[string]string{"status": status}, map[string]string{"plan": planID, "status": PlanClosing}))
	})
	return refused("close instalments", err)
}

const planColumns = `id, credit_id, entry_id, offer_id, principal, fee, months, billed, billed_principal, status,
	created_at`

func scanPlan(sc db.Scanner) (Plan, error) {
	var p Plan
	var at int64
	err := sc.Scan(&p.ID, &p.CreditID, &p.EntryID, &p.OfferID, &p.Principal, &p.Fee, &p.Months, &p.Billed,
		&p.BilledPrincipal, &p.Status, &at)
	p.CreatedAt = db.FromMicros(at)
	return p, err
}

// plans returns a card's plans, oldest first; open only, those still billing.
func (s *Service) plans(ctx context.Context, creditID string, open bool) ([]Plan, error) {
	q := "SELECT " + planColumns + " FROM credit_instalments WHERE credit_id = ?"
	if open {
		q += " AND status <> '" + PlanDone + "'"
	}
	rows, err := s.DB.Query(ctx, q+" ORDER BY created_at, id", creditID)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	out, err := db.Collect(rows, scanPlan)
	if err != nil {
		return nil, fmt.Errorf("plans: %w", err)
	}
	return out, nil
}

// Plans returns the customer's card's instalment plans, oldest first.
func (s *Service) Plans(ctx context.Context, customerID, cardID string) ([]Plan, error) {
	cr, err := s.Get(ctx, customerID, cardID)
	if err != nil {
		return nil, err
	}
	return s.plans(ctx, cr.ID, false)
}
