package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
)

// What password recovery (A8–A10, package recovery) needs from authentication: whether a customer has digital
// banking at all, a check of a previous password (A9), and a reset that ends every session.

// recentPasswords is how many previous passwords count for A9, as for the reuse rule (A11).
const recentPasswords = 5

// Registered reports whether a customer has credentials (has registered for digital banking) and, if their
// channel is refused, why: channel_closed (closed by the bank, A16) or channel_blocked (failed factors, A14). A
// customer without credentials is not registered and refused nothing.
func (s *Service) Registered(ctx context.Context, customerID string) (registered bool, refused error, err error) {
	cred, err := s.credential(ctx, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, fmt.Errorf("registered: %w", err)
	}
	switch {
	case cred.closed:
		return true, ErrChannelClosed, nil
	case cred.blocked:
		return true, ErrChannelBlocked, nil
	}
	return true, nil, nil
}

// RecentPassword reports whether pw is one of the customer's last five passwords (the current one included), as
// recorded in the password history. It always verifies five hashes — dummies where the customer has fewer or does
// not exist — so the answer costs the same whoever asks about whom.
func (s *Service) RecentPassword(ctx context.Context, customerID, pw string) (bool, error) {
	s.dummyOnce.Do(func() { s.dummyHash, _ = s.Hasher.Hash("not-a-password-0") })
	var hashes []string
	if len(pw) <= 128 {
		rows, err := s.DB.Query(ctx, `SELECT password_hash FROM password_history WHERE customer_id = ?
			ORDER BY created_at DESC LIMIT 5`, customerID)
		if err != nil {
			return false, fmt.Errorf("recent password: %w", err)
		}
		if hashes, err = db.Collect(rows, db.ScanString); err != nil {
			return false, fmt.Errorf("recent password: %w", err)
		}
	}
	match := false
	for i := 0; i < recentPasswords; i++ {
		h := s.dummyHash
		if i < len(hashes) {
			h = hashes[i]
		}
		ok, err := s.Hasher.Verify(h, pw)
		if err == nil && ok && i < len(hashes) {
			match = true
		}
	}
	return match, nil
}

// ResetPassword sets a new password for a customer who proved who they are without it (password recovery): the
// bank's rules apply (A11, not one of the last five), the password is no longer one that must change, the count
// of failed logins starts again, and every session of the customer ends — whoever held one must log in with the
// new password — and every login started with the old one is retired, all in the transaction that writes the
// password. A blocked or closed channel is not lifted (a strong recovery lifts a block: CompleteRecovery).
// Replacing the password alerts the customer by SMS (A18), as every password change does.
func (s *Service) ResetPassword(ctx context.Context, customerID, pw string) error {
	return s.setPassword(ctx, customerID, pw, false, "", true)
}

// SendRecoveryCode sends the SMS code of a password recovery (A8–A10) to a customer who proved who they are.
// liftsBlock marks a strong proof — a card and its PIN (A8) or the branch's recovery code (A10), each of which
// has its own counted tries — whose recovery, once completed with the code, also lifts a blocked channel
// (CompleteRecovery): the customer an outsider blocked regains access without a branch. The caller decides which
// proofs are strong (package recovery).
func (s *Service) SendRecoveryCode(ctx context.Context, c customer.Customer, liftsBlock bool) (Challenge, error) {
	return s.sendChallenge(ctx, c, PurposeRecovery, nil, liftsBlock)
}

// CompleteRecovery completes a password recovery with the code SendRecoveryCode sent (RedeemCode's rules) and sets
// the new password as ResetPassword does. A code sent after a strong proof is accepted on a blocked channel, and
// the transaction that writes the password also lifts the block (A14) and makes the client's address (WithClient)
// one of the customer's own (throttle.go). A channel the bank closed (A16) refuses every code: only staff reopen
// it.
func (s *Service) CompleteRecovery(ctx context.Context, challengeID, code, pw string) error {
	return s.redeem(ctx, challengeID, PurposeRecovery, code, func(customerID string, liftsBlock bool) error {
		return s.writePassword(ctx, customerID, pw, replacement{resetFailures: true, unblock: liftsBlock})
	})
}
