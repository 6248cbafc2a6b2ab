package recovery

import (
	"context"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/identity"
)

// verifyDocument does passive authentication of the chip (iddoc). Its answer depends on the document alone —
// id_document_invalid, id_document_expired, or id_document_unavailable when the bank has no country signing
// certificates — so it says nothing about the customer and is given as it is: the app can ask for a new scan.
func (s *Service) verifyDocument(p identity.Proof) (iddoc.MRZ, error) {
	if p.Method != identity.MethodIDDocument {
		return iddoc.MRZ{}, nil
	}
	return s.IDDocs.Verify(p.Document)
}

// proveDocument checks that the verified document is the customer's (MRZ against the bank's record) and that the
// previous password is one of their last five. Both checks always run, the password against five hashes (dummies
// for an unknown customer), so a wrong document, a wrong password and an unknown customer cost the same and all
// answer recovery_failed. A wrong password with the customer's own document counts towards the channel's lockout
// (5 block it), so a stolen document does not allow unlimited guesses. The guess is counted before the password is
// checked (auth.ReserveFactor) and given back if it was right, so concurrent guesses never get past the lockout.
// Once the channel is blocked or closed (refused is not nil, or the count refuses the guess) nothing counts any
// more, and the answer is recovery_failed whether the password was right or not, after the same five hashes, so
// the two cost the same work.
func (s *Service) proveDocument(ctx context.Context, c customer.Customer, customerID string, m iddoc.MRZ, p identity.Proof,
	refused error) error {
	counted := m.Matches(c) && customerID != identity.NoCustomer && refused == nil
	if counted {
		if err := s.Auth.ReserveFactor(ctx, customerID); err != nil {
			if _, ok := kumbara.As(err); !ok {
				return err
			}
			counted, refused = false, err // blocked or closed meanwhile
		}
	}
	known, err := s.Auth.RecentPassword(ctx, customerID, p.PreviousPassword)
	if counted {
		// Settled even if ctx ended meanwhile; a fault is no wrong password and gives the place back too.
		if serr := s.Auth.SettleFactor(context.WithoutCancel(ctx), customerID, known || err != nil); err == nil &&
			serr != nil {
			if _, ok := kumbara.As(serr); !ok {
				return serr
			}
		}
	}
	switch {
	case err != nil:
		return err
	case counted && known:
		return nil
	}
	return ErrFailed
}
