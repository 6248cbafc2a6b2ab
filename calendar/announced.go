package calendar

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
)

// Announce records the date of a holiday announced for its year (name is one of AnnouncedNames): staff enter Eid
// al-Fitr and Eid al-Adha once the Muslim Community of Albania announces them. A holiday already announced for
// that year is ErrHolidayExists: a corrected date is a Withdraw, then an Announce.
func (s *Service) Announce(ctx context.Context, name string, d Date) error {
	if !slices.Contains(AnnouncedNames, name) {
		return ErrHolidayNameInvalid
	}
	if _, err := ParseDate(d.String()); err != nil || d.Year < 2000 || d.Year > 2200 {
		return ErrDateInvalid
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO announced_holidays (name, year, day) VALUES (?, ?, ?)`, name, d.Year,
			d.String()); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.now(), staffEntry(ctx, ActionAnnounced, nil, holidayState{name, d.String()}))
	})
	if db.IsUniqueViolation(err) {
		return ErrHolidayExists
	}
	if err != nil {
		return fmt.Errorf("announce holiday: %w", err)
	}
	s.forget(d.Year)
	return nil
}

// Withdraw removes the announced holiday name of year y.
func (s *Service) Withdraw(ctx context.Context, name string, y int) error {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var day string
		err := tx.QueryRow(ctx, `SELECT day FROM announced_holidays WHERE name = ? AND year = ?`+tx.DB().ForUpdate(),
			name, y).Scan(&day)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrHolidayNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM announced_holidays WHERE name = ? AND year = ?`, name, y); err != nil {
			return err
		}
		return audit.Append(ctx, tx, s.now(), staffEntry(ctx, ActionWithdrawn, holidayState{name, day}, nil))
	})
	if errors.Is(err, ErrHolidayNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("withdraw holiday: %w", err)
	}
	s.forget(y)
	return nil
}

// announced are the holidays announced for year y.
func (s *Service) announced(ctx context.Context, y int) ([]Holiday, error) {
	rows, err := s.DB.Query(ctx, `SELECT name, day FROM announced_holidays WHERE year = ? ORDER BY day`, y)
	if err != nil {
		return nil, fmt.Errorf("announced holidays: %w", err)
	}
	hs, err := db.Collect(rows, func(r db.Scanner) (Holiday, error) {
		var name, day string
		if err := r.Scan(&name, &day); err != nil {
			return Holiday{}, err
		}
		d, err := ParseDate(day)
		if err != nil {
			return Holiday{}, fmt.Errorf("announced holiday %s: %q", name, day)
		}
		return Holiday{Name: name, Date: d, Announced: true}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("announced holidays: %w", err)
	}
	return hs, nil
}
