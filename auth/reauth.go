package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/kumbara/kumbara"
)

// CheckPassword asks a logged-in customer to prove it is still them by typing the password again, before a
// sensitive step (adding a passkey, trusting a device, provisioning a Soft PIN). A blocked channel is refused before the password is checked; a wrong
// password counts towards the lockout like a wrong login and answers password_wrong, or channel_blocked when it
// reached the limit. In a business user's session (WithSession) acting for customerID, the password is the
// person's.
func (s *Service) CheckPassword(ctx context.Context, customerID, pw string) error {
	customerID = Actor(ctx, customerID)
	cred, err := s.credential(ctx, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return errLoginFailed()
	}
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if cred.closed {
		return errClosed()
	}
	if cred.blocked {
		return errBlocked()
	}
	ok := false
	if len(pw) <= 128 {
		if ok, err = s.Hasher.Verify(cred.hash, pw); err != nil {
			return fmt.Errorf("check password: %w", err)
		}
	}
	if !ok {
		if err := s.fail(ctx, customerID); kumbara.CodeOf(err) != "login_failed" {
			return err // channel_blocked at the limit, or a fault counting the failure
		}
		return kumbara.Invalid("password_wrong", kumbara.FieldError{Field: "password", Code: "password_wrong"})
	}
	return nil
}
