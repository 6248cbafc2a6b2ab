package card

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/kumbara/kumbara/db"
)

// SetPIN sets a new PIN the holder chose, checked like Issue's (card_pin_weak), after their password. It is
// pending: the old PIN works until the first ATM operation made with the new one, which makes it the card's PIN
// (CheckTerminalPIN; the manual: make an operation at an ATM first, then use the card anywhere). Choosing another
// before then replaces the pending one. The card must be active or blocked for a while; a replaced or closed one is
// card_final.
func (s *Service) SetPIN(ctx context.Context, who Who, id, pin, password string) (Card, error) {
	if err := checkPIN(pin); err != nil {
		return Card{}, err
	}
	if err := s.precheck(ctx, who, id, pinChangeable); err != nil {
		return Card{}, err
	}
	if err := s.reauth(ctx, who, password); err != nil {
		return Card{}, err
	}
	return s.change(ctx, who, id, ActionPINChanged, func(tx *db.Tx, c *Card, now time.Time) (string, error) {
		if err := pinChangeable(*c); err != nil {
			return "", err
		}
		var ref string
		if err := tx.QueryRow(ctx, "SELECT pin_ref FROM cards WHERE id = ?", c.ID).Scan(&ref); err != nil {
			return "", err
		}
		if ref == "" {
			ref = c.ID
		}
		if _, err := tx.Exec(ctx, "UPDATE cards SET pin_pending = ? WHERE id = ?", s.Keys.pinMAC(ref, pin), c.ID); err != nil {
			return "", err
		}
		c.PINPending = true
		return "", nil
	})
}

func pinChangeable(c Card) error {
	switch {
	case c.Status.final():
		return ErrFinal
	case c.Status == Lost:
		return ErrStatus
	}
	return nil
}

// PIN rule. A card PIN is exactly 4 ASCII digits and is refused (card_pin_weak) when it is easy to guess:
//   - all four digits the same: 0000, 1111, … 9999;
//   - four consecutive digits going up or down by one: 0123, 1234, … 6789 and 9876, 8765, … 3210. As in the
//     password rule (A11) there is no wrap-around, so 8901 and 1098 are allowed.
//
// Anything else, including years and repeated pairs such as 1212, is accepted: the rule is what the issue asks
// for, and a stricter list would make PINs harder to remember without the try counter needing the help.
func checkPIN(pin string) error {
	if len(pin) != 4 || !allDigits(pin) {
		return ErrPINWeak
	}
	same, up, down := true, true, true
	for i := 1; i < len(pin); i++ {
		d := int(pin[i]) - int(pin[i-1])
		same = same && d == 0
		up = up && d == 1
		down = down && d == -1
	}
	if same || up || down {
		return ErrPINWeak
	}
	return nil
}

// RandomPIN draws a PIN no one has seen, for a card issued without one (a credit card opened on a second
// member's approval, a supplementary card): the holder chooses their own with SetPIN, which takes effect at the
// first ATM operation made with it. Weak draws are drawn again.
func RandomPIN() (string, error) {
	var b [4]byte
	for {
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		pin := make([]byte, 4)
		for i, v := range b {
			// 256 is not a multiple of 10: drop the top of the range so every digit is as likely.
			if v >= 250 {
				pin = nil
				break
			}
			pin[i] = '0' + v%10
		}
		if pin != nil && checkPIN(string(pin)) == nil {
			return string(pin), nil
		}
	}
}

// CheckPIN checks a PIN against the PIN rule (card_pin_weak) before a card is issued with it, so that a request
// waiting for a second member's approval is refused at once rather than when it runs.
func CheckPIN(pin string) error { return checkPIN(pin) }
