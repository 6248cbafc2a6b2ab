// Package passkey keeps customers' passkeys (WebAuthn credentials) for the internet branch: adding one from a full
// session after the password is typed again, logging in with one, confirming a payment with one, listing and
// removing them. The ceremonies between a begin and a finish are kept in the database (the bank runs several
// stateless instances), are valid five minutes and are used once. Every ceremony requires user verification: a
// passkey is the biometrics or PIN of the customer's own device, not just its presence.
package passkey

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey/credential"
	"github.com/kumbara/kumbara/sealed"
	"github.com/kumbara/kumbara/text"
)

// Rules of passkeys.
const (
	CeremonyValidity = 5 * time.Minute // from begin to finish
	MaxPerCustomer   = 10              // passkeys one customer may hold
	MaxNameLength    = 40              // characters of a passkey's name
	MaxResponse      = 64 << 10        // bytes of an authenticator's response
)

// Kinds of ceremony. A ceremony of one kind never finishes another.
const (
	kindRegister = "register"
	kindLogin    = "login"
	kindConfirm  = "confirm"
)

// Config is the relying party: the bank's domain (RPID, e.g. "bank.example" — WebAuthn refuses IP addresses) and
// the web origins its pages are served from (e.g. "https://bank.example").
type Config struct {
	RPID    string
	Origins []string
	Name    string // shown by the browser's prompt; "Banka Kumbara" if empty
}

// Service is passkeys.
type Service struct {
	DB        *db.DB
	Clock     clock.Clock
	Auth      *auth.Service
	Customers *customer.Service

	wa        *webauthn.WebAuthn
	handleKey []byte
}

// Passkey is one of a customer's passkeys, as the customer sees it.
type Passkey struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	Transports []string
	AAGUID     string
}

// New returns the passkey service of a relying party. secret is the bank's secret: the user handle the
// authenticators keep is an HMAC of the customer id under a key derived from it, so it says nothing about the
// customer to anyone without the secret.
func New(d *db.DB, clk clock.Clock, a *auth.Service, customers *customer.Service, secret []byte, cfg Config) (*Service, error) {
	if cfg.Name == "" {
		cfg.Name = "Banka Kumbara"
	}
	if len(secret) < 32 {
		return nil, errors.New("passkey: secret too short")
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          cfg.RPID,
		RPDisplayName: cfg.Name,
		RPOrigins:     cfg.Origins,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(),
			UserVerification:   protocol.VerificationRequired,
		},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Timeout: CeremonyValidity, TimeoutUVD: CeremonyValidity},
			Registration: webauthn.TimeoutConfig{Timeout: CeremonyValidity, TimeoutUVD: CeremonyValidity},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("passkey: relying party: %w", err)
	}
	k := sealed.Key(secret, "kumbara passkey user handle v1")
	return &Service{DB: d, Clock: clk, Auth: a, Customers: customers, wa: wa, handleKey: k}, nil
}

// handle is the WebAuthn user handle of a customer.
func (s *Service) handle(customerID string) []byte {
	m := hmac.New(sha256.New, s.handleKey)
	m.Write([]byte(customerID))
	return m.Sum(nil)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// loadUser reads a customer and their passkeys.
func (s *Service) loadUser(ctx context.Context, customerID string) (*credential.User, error) {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return nil, err
	}
	u := &credential.User{Handle: s.handle(customerID), Name: c.ClientNumber, Label: c.Name()}
	rows, err := s.DB.Query(ctx, "SELECT "+credential.Columns+
		" FROM passkeys WHERE customer_id = ? ORDER BY created_at, id", customerID)
	if err != nil {
		return nil, fmt.Errorf("passkeys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := u.Scan(rows); err != nil {
			return nil, err
		}
	}
	return u, rows.Err()
}

// begin stores a ceremony's state and returns its id. Ceremonies that ended an hour ago are cleared on the way.
func (s *Service) begin(ctx context.Context, kind, customerID string, sd *webauthn.SessionData) (string, error) {
	raw, err := json.Marshal(sd)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	id := uuid.Must(uuid.NewV7()).String()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM passkey_ceremonies WHERE expires_at < ?",
			db.Micros(now.Add(-time.Hour))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO passkey_ceremonies (id, customer_id, kind, session, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, customerID, kind, string(raw), db.Micros(now.Add(CeremonyValidity)),
			db.Micros(now))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("passkey ceremony: %w", err)
	}
	return id, nil
}

// consume takes a ceremony for its finish: it must be of the kind, the customer's (for a login, nobody's), unused
// and in time. It is marked used whatever the finish then decides, so an assertion is tried once.
func (s *Service) consume(ctx context.Context, ceremonyID, kind, customerID string) (webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if !utf8.ValidString(ceremonyID) || strings.ContainsRune(ceremonyID, 0) || len(ceremonyID) > 64 {
		return sd, ErrInvalid
	}
	now := s.Clock.Now()
	var raw string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var owner string
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT customer_id, session, expires_at, used_at FROM passkey_ceremonies
			WHERE id = ? AND kind = ?`+tx.DB().ForUpdate(), ceremonyID, kind).Scan(&owner, &raw, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrInvalid
		}
		if err != nil {
			return err
		}
		if owner != customerID || used.Valid || now.After(db.FromMicros(expires)) {
			return ErrInvalid
		}
		_, err = tx.Exec(ctx, "UPDATE passkey_ceremonies SET used_at = ? WHERE id = ?", db.Micros(now), ceremonyID)
		return err
	})
	if err != nil {
		return sd, err
	}
	if err := json.Unmarshal([]byte(raw), &sd); err != nil {
		return sd, fmt.Errorf("passkey ceremony: %w", err)
	}
	return sd, nil
}

// BeginRegistration starts adding a passkey for the customer of a full session, who must type the password again
// (a wrong one counts towards the lockout). It returns the creation options for the browser
// (PublicKeyCredentialCreationOptionsJSON) and the ceremony's id.
func (s *Service) BeginRegistration(ctx context.Context, sess auth.Session, password string) ([]byte, string, error) {
	if sess.Assurance != auth.Full {
		return nil, "", auth.ErrAssuranceInsufficient
	}
	if err := s.Auth.CheckPassword(ctx, sess.CustomerID, password); err != nil {
		return nil, "", err
	}
	u, err := s.loadUser(ctx, sess.CustomerID)
	if err != nil {
		return nil, "", err
	}
	if len(u.Creds) >= MaxPerCustomer {
		return nil, "", ErrLimit
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.Creds))
	for i, c := range u.Creds {
		exclude[i] = c.Descriptor()
	}
	creation, sd, err := s.wa.BeginRegistration(u, webauthn.WithExclusions(exclude))
	if err != nil {
		return nil, "", fmt.Errorf("passkey registration: %w", err)
	}
	id, err := s.begin(ctx, kindRegister, sess.CustomerID, sd)
	if err != nil {
		return nil, "", err
	}
	opts, err := credential.Options(creation.Response)
	return opts, id, err
}

// CleanName checks a passkey's name and returns it as it is kept: free text (text.Clean), then at most
// MaxNameLength characters of what text.Valid allows. An empty name becomes "Passkey".
func CleanName(name string) (string, error) {
	name = text.Clean(name)
	if name == "" {
		return "Passkey", nil
	}
	if !text.Valid(name, MaxNameLength) {
		return "", ErrNameInvalid
	}
	return name, nil
}

// FinishRegistration verifies the browser's answer to a registration ceremony of the customer and keeps the
// passkey under the name given. A passkey logs in on its own, so the customer is told by SMS (A18), queued in the
// same transaction, as when a device becomes trusted.
func (s *Service) FinishRegistration(ctx context.Context, customerID, ceremonyID, name string, responseJSON []byte) (Passkey, error) {
	name, err := CleanName(name)
	if err != nil {
		return Passkey{}, err
	}
	if len(responseJSON) > MaxResponse {
		return Passkey{}, ErrRegistrationFailed
	}
	sd, err := s.consume(ctx, ceremonyID, kindRegister, customerID)
	if err != nil {
		if errors.Is(err, ErrInvalid) {
			return Passkey{}, ErrRegistrationFailed
		}
		return Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(responseJSON)
	if err != nil {
		return Passkey{}, ErrRegistrationFailed
	}
	u, err := s.loadUser(ctx, customerID)
	if err != nil {
		return Passkey{}, err
	}
	cred, err := s.wa.CreateCredential(u, sd, parsed)
	if err != nil || !cred.Flags.UserVerified {
		return Passkey{}, ErrRegistrationFailed
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Passkey{}, err
	}
	now := s.Clock.Now()
	st := credential.Store(cred)
	p := Passkey{ID: uuid.Must(uuid.NewV7()).String(), Name: name, CreatedAt: now, AAGUID: st.AAGUID,
		Transports: st.Transports}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM passkeys WHERE customer_id = ?", customerID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxPerCustomer {
			return ErrLimit
		}
		_, err := tx.Exec(ctx, `INSERT INTO passkeys (id, customer_id, credential_id, public_key, sign_count,
			transports, aaguid, flags, attestation_format, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, customerID, st.CredentialID, st.PublicKey, st.SignCount, strings.Join(st.Transports, ","), st.AAGUID,
			st.Flags, st.Format, name, db.Micros(now))
		if db.IsUniqueViolation(err) {
			return ErrRegistrationFailed // this authenticator's credential is already someone's passkey
		}
		if err != nil {
			return err
		}
		if err := audit.Append(ctx, tx, now, auditEntry(ctx, customerID, ActionAdded, p.ID)); err != nil {
			return err
		}
		if c.Mobile == "" {
			return nil
		}
		return outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile,
			Body: s.Auth.Texts.Message(c.Language, TextAdded, map[string]string{"name": noCodes(name),
				"at": i18n.FormatDateTime(now, c.Language)})})
	})
	if err != nil {
		return Passkey{}, err
	}
	return p, nil
}

// noCodes drops each digit after the fourth of a run in a name the customer typed, so an alert never carries
// something that reads as a one-time code.
func noCodes(s string) string {
	var b strings.Builder
	run := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			run++
			if run > 4 {
				continue
			}
		} else {
			run = 0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// List returns the customer's passkeys, oldest first.
func (s *Service) List(ctx context.Context, customerID string) ([]Passkey, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, created_at, last_used_at, transports, aaguid FROM passkeys
		WHERE customer_id = ? ORDER BY created_at, id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("passkeys: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Passkey, error) {
		var p Passkey
		var created int64
		var used sql.NullInt64
		var transports string
		if err := r.Scan(&p.ID, &p.Name, &created, &used, &transports, &p.AAGUID); err != nil {
			return p, err
		}
		p.CreatedAt = db.FromMicros(created)
		if used.Valid {
			p.LastUsedAt = db.FromMicros(used.Int64)
		}
		if transports != "" {
			p.Transports = strings.Split(transports, ",")
		}
		return p, nil
	})
}

// Get returns one of the customer's passkeys; another customer's is passkey_not_found.
func (s *Service) Get(ctx context.Context, customerID, id string) (Passkey, error) {
	list, err := s.List(ctx, customerID)
	if err != nil {
		return Passkey{}, err
	}
	for _, p := range list {
		if p.ID == id {
			return p, nil
		}
	}
	return Passkey{}, ErrNotFound
}

// Remove deletes one of the customer's passkeys; it no longer logs in or confirms anything. Another customer's
// passkey is passkey_not_found.
func (s *Service) Remove(ctx context.Context, customerID, id string) error {
	if !utf8.ValidString(id) || strings.ContainsRune(id, 0) || len(id) > 64 {
		return ErrNotFound
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM passkeys WHERE id = ? AND customer_id = ?", id, customerID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit.Append(ctx, tx, s.Clock.Now(), auditEntry(ctx, customerID, ActionRemoved, id))
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("remove passkey: %w", err)
	}
	return err
}

// BeginLogin starts a login with a passkey. The passkey is discoverable: the browser offers the customer's passkeys
// for this bank without a client number, and the passkey itself says whose it is. It returns the request options
// (PublicKeyCredentialRequestOptionsJSON) and the ceremony's id.
func (s *Service) BeginLogin(ctx context.Context) ([]byte, string, error) {
	assertion, sd, err := s.wa.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, "", fmt.Errorf("passkey login: %w", err)
	}
	id, err := s.begin(ctx, kindLogin, "", sd)
	if err != nil {
		return nil, "", err
	}
	opts, err := credential.Options(assertion.Response)
	return opts, id, err
}

// FinishLogin verifies the answer to a login ceremony and opens a full session for the passkey's owner (its token
// and the session). Every failure answers passkey_invalid; one whose customer is known counts towards the lockout
// (channel_blocked at the limit), counted before the assertion is verified once the passkey has named its owner,
// and a blocked channel stays blocked: a blocked or closed channel is refused (channel_blocked, channel_closed)
// before the assertion is verified.
func (s *Service) FinishLogin(ctx context.Context, ceremonyID string, responseJSON []byte) (string, auth.Session, error) {
	if len(responseJSON) > MaxResponse {
		return "", auth.Session{}, ErrInvalid
	}
	sd, err := s.consume(ctx, ceremonyID, kindLogin, "")
	if err != nil {
		return "", auth.Session{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(responseJSON)
	if err != nil {
		return "", auth.Session{}, ErrInvalid
	}
	var customerID string
	err = s.DB.QueryRow(ctx, "SELECT customer_id FROM passkeys WHERE credential_id = ?", b64(parsed.RawID)).Scan(&customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", auth.Session{}, ErrInvalid // a removed passkey, or none of this bank's
	}
	if err != nil {
		return "", auth.Session{}, fmt.Errorf("passkey login: %w", err)
	}
	// The passkey named its owner: the attempt is counted before the assertion is verified.
	err = s.checkAssertion(ctx, customerID, func() error {
		u, err := s.loadUser(ctx, customerID)
		if err != nil {
			return err
		}
		handler := func(rawID, userHandle []byte) (webauthn.User, error) {
			if !hmac.Equal(userHandle, u.Handle) {
				return nil, errors.New("user handle is not the passkey owner's")
			}
			return u, nil
		}
		_, cred, err := s.wa.ValidatePasskeyLogin(handler, sd, parsed)
		if err != nil {
			return ErrInvalid
		}
		return s.used(ctx, u, cred)
	})
	if err != nil {
		return "", auth.Session{}, err
	}
	return s.Auth.OpenSession(ctx, customerID, auth.Full)
}

// checkAssertion verifies an assertion of the customer with verify, counting the attempt towards the channel's
// lockout before verify runs (auth.ReserveFactor), so concurrent wrong assertions never get past it. A blocked
// (A14) or closed (A16) channel is refused there (channel_blocked, channel_closed): no passkey logs in or confirms
// a payment on it, and nothing about the passkey is written; a customer without credentials is passkey_invalid.
// passkey_invalid from verify is a failed assertion: it stays counted and answers passkey_invalid, or
// channel_blocked when it reached the limit. Any other error is a fault, not a failed assertion, and gives the
// place back, as a verified assertion does. The attempt is settled even if ctx ends meanwhile.
func (s *Service) checkAssertion(ctx context.Context, customerID string, verify func() error) error {
	if err := s.Auth.ReserveFactor(ctx, customerID); err != nil {
		if errors.Is(err, auth.ErrLoginFailed) {
			return ErrInvalid
		}
		return err
	}
	settle := context.WithoutCancel(ctx)
	verr := verify()
	if !errors.Is(verr, ErrInvalid) {
		if err := s.Auth.SettleFactor(settle, customerID, true); verr == nil {
			return err
		}
		return verr
	}
	if err := s.Auth.SettleFactor(settle, customerID, false); !errors.Is(err, auth.ErrLoginFailed) {
		return err
	}
	return ErrInvalid
}

// used records a verified assertion: a signature counter that did not move forward means a cloned authenticator
// and is refused; otherwise the counter, flags and last use are written, only if nobody used the passkey since it
// was read (two uses racing with one count cannot both pass).
func (s *Service) used(ctx context.Context, u *credential.User, cred *webauthn.Credential) error {
	if cred.Authenticator.CloneWarning {
		return ErrInvalid
	}
	i := -1
	for j, c := range u.Creds {
		if bytes.Equal(c.ID, cred.ID) {
			i = j
		}
	}
	if i < 0 {
		return ErrInvalid
	}
	res, err := s.DB.Exec(ctx, `UPDATE passkeys SET sign_count = ?, flags = ?, last_used_at = ?
		WHERE id = ? AND sign_count = ?`, int64(cred.Authenticator.SignCount), int(cred.Flags.MsgpByte()),
		db.Micros(s.Clock.Now()), u.IDs[i], int64(u.Counts[i]))
	if err != nil {
		return fmt.Errorf("passkey used: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 && cred.Authenticator.SignCount != 0 {
		return ErrInvalid
	}
	return nil
}

// BeginConfirmation starts confirming a payment with a passkey: assertion options whose WebAuthn challenge is
// exactly challenge (the dynamic-linking hash of amount, payee and transfer id; at least 16 bytes), allowing the
// customer's passkeys, with user verification required. It returns the request options
// (PublicKeyCredentialRequestOptionsJSON) and the ceremony's id; a customer without passkeys gets passkey_none.
func (s *Service) BeginConfirmation(ctx context.Context, customerID string, challenge []byte) (optionsJSON []byte, ceremonyID string, err error) {
	if len(challenge) < protocol.MinimumChallengeLength || len(challenge) > 64 {
		return nil, "", fmt.Errorf("passkey confirmation: challenge of %d bytes", len(challenge))
	}
	u, err := s.loadUser(ctx, customerID)
	if err != nil {
		return nil, "", err
	}
	if len(u.Creds) == 0 {
		return nil, "", ErrNone
	}
	assertion, sd, err := s.wa.BeginLogin(u, webauthn.WithChallenge(bytes.Clone(challenge)),
		webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return nil, "", fmt.Errorf("passkey confirmation: %w", err)
	}
	id, err := s.begin(ctx, kindConfirm, customerID, sd)
	if err != nil {
		return nil, "", err
	}
	opts, err := credential.Options(assertion.Response)
	return opts, id, err
}

// FinishConfirmation verifies the answer to a confirmation ceremony of the customer against that ceremony and
// challenge: a different challenge (a changed amount or payee) fails, as does a used or expired ceremony or
// another customer's passkey. A failure answers passkey_invalid and counts towards the lockout (channel_blocked at
// the limit), counted before the ceremony and the assertion are checked. A blocked or closed channel is refused
// first (channel_blocked, channel_closed).
func (s *Service) FinishConfirmation(ctx context.Context, customerID, ceremonyID string, challenge []byte, responseJSON []byte) error {
	return s.checkAssertion(ctx, customerID, func() error {
		sd, err := s.consume(ctx, ceremonyID, kindConfirm, customerID)
		if err != nil {
			return err
		}
		if len(responseJSON) > MaxResponse || subtle.ConstantTimeCompare([]byte(sd.Challenge), []byte(b64(challenge))) != 1 {
			return ErrInvalid
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes(responseJSON)
		if err != nil {
			return ErrInvalid
		}
		u, err := s.loadUser(ctx, customerID)
		if err != nil {
			return err
		}
		cred, err := s.wa.ValidateLogin(u, sd, parsed)
		if err != nil {
			return ErrInvalid
		}
		return s.used(ctx, u, cred)
	})
}

// The audit actions of passkeys.
const (
	ActionAdded   = "passkey.added"
	ActionRemoved = "passkey.removed"
)

// auditEntry is the audit entry of action on the customer's passkey, by the person acting.
func auditEntry(ctx context.Context, customerID, action, passkeyID string) audit.Entry {
	return audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, customerID)), Action: action,
		CustomerID: customerID, Result: audit.ResultOK, After: audit.State(map[string]string{"passkey_id": passkeyID})})
}
