package card

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// NormalizeNumber returns a card number as typed by a person without its spaces and hyphens, or "" when what is
// left is not 12 to 19 digits with a right Luhn check digit.
func NormalizeNumber(typed string) string {
	pan := strings.NewReplacer(" ", "", "-", "").Replace(typed)
	if len(pan) < 12 || len(pan) > 19 || !allDigits(pan) || !Luhn(pan) {
		return ""
	}
	return pan
}

// FindByNumber returns the active card with the full number pan, found by its keyed hash (the number is never
// compared or stored in clear): how a customer pays another card of the bank by its number (Y17). A malformed
// number, an unknown one and a card that is not active are all card_not_found, so the answer tells nothing more.
func (s *Service) FindByNumber(ctx context.Context, pan string) (Card, error) {
	if err := s.Keys.check(); err != nil {
		return Card{}, err
	}
	pan = NormalizeNumber(pan)
	if pan == "" {
		return Card{}, ErrNotFound
	}
	c, err := scan(s.DB.QueryRow(ctx, "SELECT "+columns+" FROM cards WHERE number_hmac = ? AND status = ?",
		s.Keys.numberMAC(pan), string(Active)))
	if errors.Is(err, sql.ErrNoRows) {
		return Card{}, ErrNotFound
	}
	if err != nil {
		return Card{}, fmt.Errorf("find card by number: %w", err)
	}
	return c, nil
}
