package threeds

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

const columns = `id, network_ref, card_id, customer_id, masked, merchant, amount, currency, status, method,
	created_at, expires_at, decided_at`

// scan reads one row; a pending approval past its time reads as expired at now, whether or not that was written.
func scan(r db.Scanner, now time.Time) (Approval, error) {
	var a Approval
	var amount, created, expires int64
	var currency, status string
	var decided sql.NullInt64
	if err := r.Scan(&a.ID, &a.NetworkRef, &a.CardID, &a.CustomerID, &a.Masked, &a.Merchant, &amount, &currency,
		&status, &a.Method, &created, &expires, &decided); err != nil {
		return Approval{}, err
	}
	a.Amount = money.New(amount, money.Currency(currency))
	a.Status = Status(status)
	a.CreatedAt, a.ExpiresAt = db.FromMicros(created), db.FromMicros(expires)
	if decided.Valid {
		a.DecidedAt = db.FromMicros(decided.Int64)
	}
	if a.Status == Pending && !now.Before(a.ExpiresAt) {
		a.Status = Expired
	}
	return a, nil
}

func (s *Service) byRef(ctx context.Context, ref string) (Approval, error) {
	a, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM threeds_approvals WHERE network_ref = ?", ref), s.Clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return Approval{}, ErrNotFound
	}
	if err != nil {
		return Approval{}, fmt.Errorf("3-D Secure approval: %w", err)
	}
	return a, nil
}

// Get returns the customer's approval id; another customer's is threeds_approval_not_found, as an unknown one.
func (s *Service) Get(ctx context.Context, customerID, id string) (Approval, error) {
	if id == "" || len(id) > MaxRef || !text.Storable(id) {
		return Approval{}, ErrNotFound
	}
	a, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM threeds_approvals WHERE id = ? AND customer_id = ?",
		id, customerID), s.Clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return Approval{}, ErrNotFound
	}
	if err != nil {
		return Approval{}, fmt.Errorf("3-D Secure approval: %w", err)
	}
	return a, nil
}

// Filters of List.
const (
	FilterAll     = ""
	FilterPending = "pending" // waiting for the holder, not expired
	FilterHistory = "history" // decided or expired
)

// MaxList is how many approvals List returns at most.
const MaxList = 200

// List returns the customer's approvals, newest first: all of them, the pending ones (FilterPending), the
// decided or expired ones (FilterHistory) or those of one status (approved, rejected, expired).
func (s *Service) List(ctx context.Context, customerID, filter string) ([]Approval, error) {
	now := db.Micros(s.Clock.Now())
	where, args := "", []any{customerID}
	switch filter {
	case FilterAll:
	case FilterPending:
		where, args = " AND status = ? AND expires_at > ?", append(args, string(Pending), now)
	case FilterHistory:
		where, args = " AND (status <> ? OR expires_at <= ?)", append(args, string(Pending), now)
	case string(Approved), string(Rejected):
		where, args = " AND status = ?", append(args, filter)
	case string(Expired):
		where, args = " AND (status = ? OR (status = ? AND expires_at <= ?))", append(args, string(Expired),
			string(Pending), now)
	default:
		return nil, ErrFilterInvalid
	}
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM threeds_approvals WHERE customer_id = ?"+where+
		fmt.Sprintf(" ORDER BY created_at DESC, id DESC LIMIT %d", MaxList), args...)
	if err != nil {
		return nil, fmt.Errorf("3-D Secure approvals: %w", err)
	}
	at := s.Clock.Now()
	out, err := db.Collect(rows, func(r db.Scanner) (Approval, error) { return scan(r, at) })
	if err != nil {
		return nil, fmt.Errorf("3-D Secure approvals: %w", err)
	}
	return out, nil
}

// PendingCount is how many approvals wait for the customer now (the menu's badge).
func (s *Service) PendingCount(ctx context.Context, customerID string) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM threeds_approvals WHERE customer_id = ? AND status = ? AND expires_at > ?",
		customerID, string(Pending), db.Micros(s.Clock.Now())).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("3-D Secure approvals: %w", err)
	}
	return n, nil
}
