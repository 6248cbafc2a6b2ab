package vop

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
)

// spend takes one check from subject's allowance a (def when a is the zero value), or refuses with rate_limited
// and the parameter retry_after (seconds) when none is left. The allowance is a token bucket kept as one time per
// subject (vop_allowances.full_at, when it is whole again: GCRA, as transfer's payee_checks), moved on by one
// statement that reads the row as it is committed and changes it only while the allowance lasts, so checks on any
// instance of the bank, at once, cannot together pass it; there need be no row to lock first (a requesting bank is
// no customer).
func (s *Service) spend(ctx context.Context, subject string, a, def Allowance) error {
	if a.Burst <= 0 || a.Every <= 0 {
		a = def
	}
	now := db.Micros(s.Clock.Now())
	every := a.Every.Microseconds()
	last := now + int64(a.Burst-1)*every // the latest full_at that still leaves a check
	var full int64
	var refused bool
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		refused = false
		err := tx.QueryRow(ctx, `INSERT INTO vop_allowances (subject, full_at) VALUES (?, ?)
			ON CONFLICT (subject) DO UPDATE SET full_at = CASE WHEN vop_allowances.full_at > ?
				THEN vop_allowances.full_at ELSE ? END + ?
			WHERE vop_allowances.full_at <= ?
			RETURNING full_at`, subject, now+every, now, now, every, last).Scan(&full)
		if errors.Is(err, sql.ErrNoRows) {
			refused = true
			return tx.QueryRow(ctx, "SELECT full_at FROM vop_allowances WHERE subject = ?", subject).Scan(&full)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("name check allowance: %w", err)
	}
	if refused {
		wait := time.Duration(full-last) * time.Microsecond
		secs := int64((wait + time.Second - 1) / time.Second)
		return kumbara.ErrRateLimited.WithParam("retry_after", strconv.FormatInt(max(secs, 1), 10))
	}
	if full == now+every {
		// A subject starting afresh is a good moment to forget every allowance that is whole again: such a row says
		// no more than no row. Best effort: the next one does it if this one fails.
		_, _ = s.DB.Exec(ctx, "DELETE FROM vop_allowances WHERE full_at < ?", now)
	}
	return nil
}
