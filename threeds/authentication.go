package threeds

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sealed"
)

// DeriveKey is the key of the authentication values, derived from the bank's secret.
func DeriveKey(secret []byte) []byte {
	return sealed.Key(secret, "kumbara 3-D Secure authentication value v1")
}

// MaxValue is the longest authentication value the network may pass on (a value is 28 characters).
const MaxValue = 64

// Outcome is what the network learns of an approval it asked for: where it stands and, once the holder approved
// it, the authentication value (as a scheme's CAVV) the network passes on in the purchase's authorisation.
type Outcome struct {
	Status Status
	Value  string // only when Approved
}

// Outcome answers the network about the approval it asked for by networkRef.
func (s *Service) Outcome(ctx context.Context, networkRef string) (Outcome, error) {
	a, err := s.ByReference(ctx, networkRef)
	if err != nil {
		return Outcome{}, err
	}
	o := Outcome{Status: a.Status}
	if a.Status == Approved {
		o.Value = s.value(a)
	}
	return o, nil
}

// value is a's authentication value: an HMAC under the bank's key over what the holder approved (the approval,
// the card, the amount, the currency and the merchant), 20 bytes in base64 as a CAVV is. It is computed again to
// verify, so it is never stored; without a key (tests that never authorise) it is empty and verifies nothing.
func (s *Service) value(a Approval) string {
	if len(s.Key) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, s.Key)
	for _, f := range []string{a.ID, a.CardID, strconv.FormatInt(a.Amount.Minor, 10), string(a.Amount.Currency),
		a.Merchant} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	return base64.StdEncoding.EncodeToString(m.Sum(nil)[:20])
}

// Use is an authorisation the network sends with a 3-D Secure result: the reference it asked with, the value
// Outcome gave, and the purchase.
type Use struct {
	NetworkRef      string
	Value           string
	CardID          string
	Amount          money.Amount
	AuthorisationID string // the network's id of the authorisation, which the approval is then used by
}

// Redeem reports whether u is authenticated, and if so marks the approval used by u's authorisation, so that no
// other authorisation can use it. It is when the approval exists, was approved by the holder, is for u's card,
// for the same amount in the same currency (a scheme's rule for a purchase authenticated by 3-D Secure: the
// amount the holder saw is the amount charged) and u's value verifies, and it is unused or used by this same
// authorisation (a repeat). Any of these failing is false, with nothing changed; an error is the database's.
func (s *Service) Redeem(ctx context.Context, u Use) (bool, error) {
	a, err := s.ByReference(ctx, u.NetworkRef)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	want := s.value(a)
	if a.Status != Approved || a.CardID != u.CardID || a.Amount != u.Amount || want == "" || len(u.Value) > MaxValue ||
		!hmac.Equal([]byte(u.Value), []byte(want)) {
		return false, nil
	}
	res, err := s.DB.Exec(ctx, "UPDATE threeds_approvals SET used_by = ? WHERE id = ? AND (used_by = '' OR used_by = ?)",
		u.AuthorisationID, a.ID, u.AuthorisationID)
	if err != nil {
		return false, fmt.Errorf("3-D Secure approval: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("3-D Secure approval: %w", err)
	}
	return n == 1, nil
}
