package auth

import "context"

// CheckPassword asks a logged-in customer to prove it is still them by typing the password again, before a
// sensitive step (adding a passkey, trusting a device, provisioning a Soft PIN). A blocked channel is refused
// before the password is checked; the attempt is counted before the check, so a wrong password counts towards
// the lockout like a wrong login and answers password_wrong, or channel_blocked when it reached the limit.
//
// In a business user's session (WithSession) acting for customerID, the password is the person's.
func (s *Service) CheckPassword(ctx context.Context, customerID, pw string) error {
	return s.checkOwnPassword(ctx, Actor(ctx, customerID), pw, "password")
}
