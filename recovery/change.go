package recovery

import (
	"context"
	"errors"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/identity"
)

// Change is a logged-in customer's password change (A12): the card's last six digits and PIN, the old password
// and the new one.
type Change struct {
	CardLast6   string
	CardPIN     string
	OldPassword string
	NewPassword string
}

// NeedsCard reports whether a password change of the customer must be proved with a card (A12): yes when they
// hold an active card. A customer with no active card changes the password with the old one alone, as the bank
// cannot ask for a card they do not have. A card whose PIN is blocked is still needed (and refused with
// card_pin_blocked until the branch unblocks it): if blocking the PIN with three wrong guesses dropped the card
// from the check, whoever knew only the old password could change it after three guesses.
func (s *Service) NeedsCard(ctx context.Context, customerID string) (bool, error) {
	cards, err := s.Cards.List(ctx, customerID)
	if err != nil {
		return false, err
	}
	for _, c := range cards {
		if c.Status == card.Active {
			return true, nil
		}
	}
	return false, nil
}

// errCardWrong is ErrCardWrong on both card fields: which of the two was wrong is not told, or the last six digits
// could be found apart from the PIN.
func errCardWrong() error {
	return ErrCardWrong.WithFields(ErrCardWrong.At(identity.FieldCardLast6), ErrCardWrong.At(identity.FieldCardPIN))
}

// ChangePassword changes a logged-in customer's password (A12). When NeedsCard, the card's last six digits and PIN
// come first: a wrong PIN counts towards the card's PIN block (3 block it, card_pin_blocked), and wrong digits or
// PIN answer password_card_wrong without the old password being tried. Then auth checks the old password (a
// wrong one counts towards the channel's lockout) and the new one (A11); every other session ends.
func (s *Service) ChangePassword(ctx context.Context, sess auth.Session, c Change) error {
	var fields []kumbara.FieldError
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(name))
		}
	}
	// The card is the person's who authenticated: in a business user's session, the user's own.
	needCard, err := s.NeedsCard(ctx, sess.Authenticator())
	if err != nil {
		return err
	}
	if needCard {
		need(identity.FieldCardLast6, c.CardLast6)
		need(identity.FieldCardPIN, c.CardPIN)
	}
	need("old_password", c.OldPassword)
	need("new_password", c.NewPassword)
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	if needCard {
		if !identity.ValidLast6(c.CardLast6) || len(c.CardPIN) > identity.MaxPINLength {
			return errCardWrong()
		}
		if err := s.verifyCard(ctx, sess.Authenticator(), c.CardLast6, c.CardPIN); err != nil {
			return err
		}
	}
	return s.Auth.ChangePassword(ctx, sess, c.OldPassword, c.NewPassword)
}

// verifyCard checks the PIN of the customer's active card ending in last6 (one card only, whatever its type,
// so a PIN guess is one guess).
func (s *Service) verifyCard(ctx context.Context, customerID, last6, pin string) error {
	var found []card.Card
	for _, t := range []card.Type{card.Visa, card.Mastercard} {
		cs, err := s.Cards.FindByLast6(ctx, customerID, t, last6)
		if err != nil {
			return err
		}
		found = append(found, cs...)
	}
	if len(found) == 0 {
		return errCardWrong()
	}
	err := s.Cards.VerifyPIN(ctx, found[0].ID, pin)
	if err == nil {
		return nil
	}
	if errors.Is(err, card.ErrPINInvalid) || errors.Is(err, card.ErrNotFound) {
		return errCardWrong()
	}
	return err // card_pin_blocked, or the database
}
