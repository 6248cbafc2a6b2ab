package recovery

import (
	"context"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
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

func errCardWrong() error {
	return kumbara.Invalid("password_card_wrong", kumbara.FieldError{Field: "card_last6", Code: "password_card_wrong"},
		kumbara.FieldError{Field: "card_pin", Code: "password_card_wrong"})
}

// ChangePassword changes a logged-in customer's password (A12). When NeedsCard, the card's last six digits and PIN
// come first: a wrong PIN counts towards the card's PIN block (3 block it, card_pin_blocked), and wrong digits or
// PIN answer password_card_wrong without the old password being tried. Then auth checks the old password (a
// wrong one counts towards the channel's lockout) and the new one (A11); every other session ends.
func (s *Service) ChangePassword(ctx context.Context, sess auth.Session, c Change) error {
	var fields []kumbara.FieldError
	need := func(name, v string) {
		if strings.TrimSpace(v) == "" {
			fields = append(fields, kumbara.FieldError{Field: name, Code: "field_required"})
		}
	}
	// The card is the person's who authenticated: in a business user's session, the user's own.
	needCard, err := s.NeedsCard(ctx, sess.Authenticator())
	if err != nil {
		return err
	}
	if needCard {
		need("card_last6", c.CardLast6)
		need("card_pin", c.CardPIN)
	}
	need("old_password", c.OldPassword)
	need("new_password", c.NewPassword)
	if len(fields) > 0 {
		return kumbara.Invalid("validation_failed", fields...)
	}
	if needCard {
		if !sixDigits(c.CardLast6) || len(c.CardPIN) > 12 {
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
	switch kumbara.CodeOf(err) {
	case "card_pin_invalid", "card_not_found":
		return errCardWrong()
	}
	return err // card_pin_blocked, or the database
}
