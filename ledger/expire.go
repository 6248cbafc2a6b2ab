package ledger

import (
	"context"
	"errors"
	"fmt"
)

// ExpireHolds releases, as expired, up to limit active holds whose time has passed, and says how many it released.
// Any instance may run it at any time: each release locks its hold, and a hold another instance released first is
// skipped. A hold that fails to release does not stop the others; every failure is returned.
func (l *Ledger) ExpireHolds(ctx context.Context, limit int) (int, error) {
	holds, err := l.ExpiredHolds(ctx, l.Clock.Now(), limit)
	if err != nil {
		return 0, err
	}
	var errs []error
	released := 0
	for _, h := range holds {
		err := l.Run(ctx, Op{Accounts: []string{h.AccountID}, Holds: []string{h.ID}, Run: func(b *Batch) error {
			return b.ReleaseHold(h.ID, HoldExpired)
		}})
		switch {
		case err == nil:
			released++
		case !errors.Is(err, ErrHoldNotActive):
			errs = append(errs, fmt.Errorf("expire hold %s: %w", h.ID, err))
		}
	}
	return released, errors.Join(errs...)
}
