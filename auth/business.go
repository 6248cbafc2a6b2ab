package auth

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
)

// A business's users (A20, Z5, Z6). A representative of a business (business_representatives) who has their own
// digital-banking credentials logs in to the business with their OWN client number (or national ID), the
// company's NIPT and their OWN password; the code goes to their own mobile. The session acts for the business
// (Session.CustomerID, so every ownership check gives the business's accounts) and records the person
// (Session.UserID). Everything about who authenticated — the lockout, password changes and expiry, the password
// typed again, the payment code's SMS — is the person's.

// Authenticator is the customer whose credential opened the session: the person for a business's user, else the
// session's customer.
func (s Session) Authenticator() string {
	if s.UserID != "" {
		return s.UserID
	}
	return s.CustomerID
}

type sessionCtxKey struct{}

// WithSession returns ctx carrying the session a request runs in, so that the steps counting a failed factor
// (FailFactor), checking the password again (CheckPassword) or sending a payment code (Actor) reach the person
// who authenticated when the session is a business's user's. The transports set it when they authenticate.
func WithSession(ctx context.Context, sess Session) context.Context {
	return context.WithValue(ctx, sessionCtxKey{}, sess)
}

// SessionFrom returns the session ctx carries, if any.
func SessionFrom(ctx context.Context) (Session, bool) {
	sess, ok := ctx.Value(sessionCtxKey{}).(Session)
	return sess, ok
}

// Actor maps a customer a request acts for to the customer whose credential stands behind it: the person of a
// business user's session in ctx acting for customerID, otherwise customerID itself.
func Actor(ctx context.Context, customerID string) string {
	if sess, ok := SessionFrom(ctx); ok && sess.UserID != "" && sess.CustomerID == customerID {
		return sess.UserID
	}
	return customerID
}

// ErrBusinessUser is the refusal of a step that acts on the customer's own credential or devices (trusting a
// device, a Soft PIN, passkeys) in a business user's session: it would give the business a factor nobody holds.
func ErrBusinessUser() error {
	return ErrBusinessUserNotAllowed
}

// businessFor decides whom a login with this NIPT acts for, before the password of c is checked: a business logs in
// for itself with its own NIPT (""), an individual without a NIPT for themselves (""), and an individual with a
// NIPT for the business of that NIPT of which they are a representative (its id). ok is false for anything else.
func (s *Service) businessFor(ctx context.Context, c customer.Customer, nipt string) (businessID string, ok bool, err error) {
	nipt = strings.TrimSpace(nipt)
	if c.Kind == customer.Business || nipt == "" {
		return "", niptMatches(c, nipt), nil
	}
	n, perr := kyc.ParseNIPT(nipt)
	if perr != nil {
		return "", false, nil
	}
	businessID, found, err := s.Customers.RepresentedBusiness(ctx, n.String(), c.ID)
	if err != nil || !found {
		return "", false, err
	}
	return businessID, true, nil
}

// businessClosed answers channel_closed when the bank has closed the business's channel (A16), which shuts out its
// users too, before any code is sent. It is asked only after the person's password proved right.
func (s *Service) businessClosed(ctx context.Context, businessID string) error {
	var closed int
	err := s.DB.QueryRow(ctx, "SELECT channel_closed FROM credentials WHERE customer_id = ?", businessID).Scan(&closed)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("business login: %w", err)
	}
	if closed != 0 {
		return ErrChannelClosed
	}
	return nil
}

// businessRefusal refuses a business user's login step when the bank has closed the business's channel (A16) or
// the person no longer represents it. A business without credentials of its own is refused nothing here.
func (s *Service) businessRefusal(ctx context.Context, tx *db.Tx, businessID, personID string) error {
	represents, err := customer.Represents(ctx, tx, businessID, personID)
	if err != nil {
		return err
	}
	if !represents {
		return ErrLoginFailed
	}
	var closed int
	err = tx.QueryRow(ctx, "SELECT channel_closed FROM credentials WHERE customer_id = ?", businessID).Scan(&closed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case closed != 0:
		return ErrChannelClosed
	}
	return nil
}

// challengeBusiness returns the business a login challenge acts for ("" for a customer acting for itself).
func challengeBusiness(ctx context.Context, q interface {
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}, challengeID string) (string, error) {
	var biz sql.NullString
	if err := q.QueryRow(ctx, "SELECT business_id FROM login_challenges WHERE id = ?", challengeID).Scan(&biz); err != nil {
		return "", err
	}
	return biz.String, nil
}

// openLoginSession opens the session a completed login challenge asks for: the customer's own, or, when the
// challenge names a business, the business's with the person as its user.
func (s *Service) openLoginSession(ctx context.Context, tx *db.Tx, challengeID, customerID string, now time.Time) (string, Session, error) {
	biz, err := challengeBusiness(ctx, tx, challengeID)
	if err != nil {
		return "", Session{}, err
	}
	if biz == "" {
		return s.openSession(ctx, tx, customerID, Full, now)
	}
	return s.openBusinessSession(ctx, tx, biz, customerID, now)
}

// openBusinessSession starts a business user's session: the person's failures go back to zero and the address
// becomes one of the person's own, and the person's password must change if staff set it or it is older than
// BusinessMaxAge (Z6: 90 days for anyone acting for a business). The device the person logged in from is not
// remembered for the business's partial login.
func (s *Service) openBusinessSession(ctx context.Context, tx *db.Tx, businessID, personID string, now time.Time) (string, Session, error) {
	if err := s.businessRefusal(ctx, tx, businessID, personID); err != nil {
		return "", Session{}, err
	}
	var must, webFirst int
	var changed int64
	if err := tx.QueryRow(ctx, `SELECT must_change, password_changed_at, web_login_required FROM credentials
		WHERE customer_id = ?`, personID).Scan(&must, &changed, &webFirst); err != nil {
		return "", Session{}, err
	}
	if err := firstLoginOnWeb(ctx, webFirst != 0); err != nil {
		return "", Session{}, err
	}
	if _, err := tx.Exec(ctx, "UPDATE credentials SET failed_attempts = 0, web_login_required = 0 WHERE customer_id = ?",
		personID); err != nil {
		return "", Session{}, err
	}
	if err := s.rememberAddress(ctx, tx, personID, now); err != nil {
		return "", Session{}, err
	}
	maxAge := s.Config.BusinessMaxAge
	expired := maxAge > 0 && now.Sub(db.FromMicros(changed)) > maxAge
	cl := clientOf(ctx)
	cl.DeviceID = ""
	token, sess, err := s.newSession(WithClient(ctx, cl), tx, businessID, Full, must != 0 || expired)
	if err != nil {
		return "", Session{}, err
	}
	if _, err := tx.Exec(ctx, "UPDATE sessions SET user_id = ? WHERE id = ?", personID, sess.ID); err != nil {
		return "", Session{}, fmt.Errorf("create session: %w", err)
	}
	sess.UserID = personID
	return token, sess, nil
}

// userFilter narrows a query of customerID's sessions (Sessions, EndSession, A19) to the person's own when ctx
// carries a business user's session acting for customerID: a representative sees and ends only the sessions in
// which they act for the business, not the business's own or another representative's. It returns the SQL to
// append after "customer_id = ?" and the arguments of both.
func userFilter(ctx context.Context, customerID string) (string, []any) {
	if sess, ok := SessionFrom(ctx); ok && sess.UserID != "" && sess.CustomerID == customerID {
		return " AND user_id = ?", []any{customerID, sess.UserID}
	}
	return "", []any{customerID}
}
