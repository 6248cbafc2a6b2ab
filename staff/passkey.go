package staff

// Passkeys (WebAuthn credentials) as a member's second factor instead of the TOTP code. A member with a live
// session adds one after typing their password again, and lists and removes theirs; after the password (Login), one
// of their passkeys completes the login as a TOTP code does (passkey_login.go). The relying party is the bank's
// (the internet branch's domain and origins: the back office is the same site, under /backoffice). Ceremonies are
// kept in the database, since any instance may receive the finish, are valid five minutes and are used once; each
// requires user verification (the device's biometrics or PIN, not only its presence). Every addition, removal and
// passkey login, refused ones too, is in the audit log.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"
	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/passkey/credential"
	"github.com/kumbara/kumbara/sealed"
	"github.com/kumbara/kumbara/text"
)

// Rules of staff passkeys.
const (
	PasskeyCeremonyValidity = 5 * time.Minute // from begin to finish
	MaxPasskeys             = 10              // passkeys one member may hold
	MaxPasskeyName          = 40              // characters of a passkey's name
	MaxPasskeyResponse      = 64 << 10        // bytes of an authenticator's response
)

// Kinds of ceremony. A ceremony of one kind never finishes another.
const (
	ceremonyRegister = "register"
	ceremonyLogin    = "login"
)

// The audit actions of staff passkeys. A passkey login is the login's own action, with the factor in its After
// ({"factor":"passkey"}), as a TOTP login names its factor.
const (
	ActionPasskeyAdded   = "staff.passkey_added"
	ActionPasskeyRemoved = "staff.passkey_removed"
	actionPasskeyLogin   = ActionLogin
	actionPasskeyRefused = ActionLoginFailed
)

// RelyingParty is the bank's WebAuthn relying party as the back office uses it: the internet branch's (app.Config's
// Passkeys), since the back office is served from the same origins.
type RelyingParty struct {
	ID      string   // the bank's domain, e.g. "bank.example" (WebAuthn refuses IP addresses)
	Origins []string // the web origins, e.g. "https://bank.example"
	Name    string   // shown by the browser's prompt; "Banka Kumbara" if empty
}

// Passkeys is what staff passkeys need beyond the database: the relying party and the key of the user handles.
// Service.Passkeys is nil when the bank has no relying party: staff passkeys are then unavailable.
type Passkeys struct {
	wa        *webauthn.WebAuthn
	handleKey []byte
}

// labelPasskeyHandle is the HKDF label of the key the staff user handles are made with.
const labelPasskeyHandle = "kumbara staff passkey user handle v1"

// NewPasskeys returns staff passkeys at the relying party rp. secret is the bank's secret: the user handle an
// authenticator keeps is an HMAC of the member's id under a key derived from it, so it names nobody to anyone
// without the secret, and is never a customer's handle.
//
// A member is known from their password before their passkey is asked for, so the login names the member's
// credentials (allowCredentials) and needs no discoverable credential: a resident key is discouraged, which keeps
// security keys' slots free and, where the authenticator obliges, a member's credential out of the internet
// branch's passkey login, which offers every discoverable credential of the same site.
func NewPasskeys(secret []byte, rp RelyingParty) (*Passkeys, error) {
	if rp.Name == "" {
		rp.Name = "Banka Kumbara"
	}
	if len(secret) < 32 {
		return nil, errors.New("staff passkeys: secret too short")
	}
	wa, err := webauthn.New(&webauthn.Config{
		RPID:          rp.ID,
		RPDisplayName: rp.Name,
		RPOrigins:     rp.Origins,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:        protocol.ResidentKeyRequirementDiscouraged,
			RequireResidentKey: protocol.ResidentKeyNotRequired(),
			UserVerification:   protocol.VerificationRequired,
		},
		AttestationPreference: protocol.PreferNoAttestation,
		Timeouts: webauthn.TimeoutsConfig{
			Login:        webauthn.TimeoutConfig{Timeout: PasskeyCeremonyValidity, TimeoutUVD: PasskeyCeremonyValidity},
			Registration: webauthn.TimeoutConfig{Timeout: PasskeyCeremonyValidity, TimeoutUVD: PasskeyCeremonyValidity},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("staff passkeys: relying party: %w", err)
	}
	return &Passkeys{wa: wa, handleKey: sealed.Key(secret, labelPasskeyHandle)}, nil
}

// Passkey is one of a member's passkeys, as the member sees it.
type Passkey struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time // zero if never used
	Transports []string
	AAGUID     string
}

// passkeys returns the relying party, or staff_passkeys_unavailable when the bank has none.
func (s *Service) passkeys() (*Passkeys, error) {
	if s.Passkeys == nil {
		return nil, ErrPasskeysUnavailable
	}
	return s.Passkeys, nil
}

// passkeyUser reads a member's passkeys.
func (s *Service) passkeyUser(ctx context.Context, p *Passkeys, m Member) (*credential.User, error) {
	mac := hmac.New(sha256.New, p.handleKey)
	mac.Write([]byte(m.ID))
	u := &credential.User{Handle: mac.Sum(nil), Name: m.Username, Label: m.FullName}
	rows, err := s.DB.Query(ctx, "SELECT "+credential.Columns+
		" FROM staff_passkeys WHERE staff_id = ? ORDER BY created_at, id", m.ID)
	if err != nil {
		return nil, fmt.Errorf("staff passkeys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := u.Scan(rows); err != nil {
			return nil, err
		}
	}
	return u, rows.Err()
}

// beginCeremony stores a ceremony's state under id, replacing one of the same id (a login step begun again gets a
// fresh challenge, and the old one's answer finishes nothing). Ceremonies that ended an hour ago are cleared on
// the way.
func (s *Service) beginCeremony(ctx context.Context, id, kind, staffID string, sd *webauthn.SessionData) error {
	raw, err := json.Marshal(sd)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM staff_passkey_ceremonies WHERE expires_at < ?",
			db.Micros(now.Add(-time.Hour))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_passkey_ceremonies (id, staff_id, kind, session, expires_at,
			created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET staff_id = excluded.staff_id,
			kind = excluded.kind, session = excluded.session, expires_at = excluded.expires_at, used_at = NULL,
			created_at = excluded.created_at`, id, staffID, kind, string(raw),
			db.Micros(now.Add(PasskeyCeremonyValidity)), db.Micros(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("staff passkey ceremony: %w", err)
	}
	return nil
}

// consumeCeremony takes a ceremony for its finish: it must be of the kind, the member's, unused and in time, else
// staff_passkey_invalid. It is marked used whatever the finish then decides, so an answer is tried once.
func (s *Service) consumeCeremony(ctx context.Context, id, kind, staffID string) (webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if !utf8.ValidString(id) || strings.ContainsRune(id, 0) || len(id) > 64 {
		return sd, ErrPasskeyInvalid
	}
	now := s.Clock.Now()
	var raw string
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var owner string
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT staff_id, session, expires_at, used_at FROM staff_passkey_ceremonies
			WHERE id = ? AND kind = ?`+tx.DB().ForUpdate(), id, kind).Scan(&owner, &raw, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrPasskeyInvalid
		}
		if err != nil {
			return err
		}
		if owner != staffID || used.Valid || now.After(db.FromMicros(expires)) {
			return ErrPasskeyInvalid
		}
		_, err = tx.Exec(ctx, "UPDATE staff_passkey_ceremonies SET used_at = ? WHERE id = ?", db.Micros(now), id)
		return err
	})
	if err != nil {
		return sd, err
	}
	if err := json.Unmarshal([]byte(raw), &sd); err != nil {
		return sd, fmt.Errorf("staff passkey ceremony: %w", err)
	}
	return sd, nil
}

// BeginPasskeyRegistration starts adding a passkey for m, the member of a live session (Admit), who must type
// their password again: a wrong one is staff_login_failed and counts towards the lockout (staff_locked at it). It
// returns the creation options for the browser (PublicKeyCredentialCreationOptionsJSON, what
// navigator.credentials.create takes as publicKey once its base64url fields are bytes) and the ceremony's id,
// which FinishPasskeyRegistration takes back. A member with MaxPasskeys already is staff_passkey_limit.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, m Member, password string) (optionsJSON []byte, ceremonyID string, err error) {
	p, err := s.passkeys()
	if err != nil {
		return nil, "", err
	}
	m, hash, err := s.credentials(ctx, m.ID)
	if err != nil {
		return nil, "", err
	}
	if err := s.checkPassword(ctx, m, hash, password); err != nil {
		return nil, "", s.passkeyRefused(ctx, m, ActionPasskeyAdded, nil, err)
	}
	u, err := s.passkeyUser(ctx, p, m)
	if err != nil {
		return nil, "", err
	}
	if len(u.Creds) >= MaxPasskeys {
		return nil, "", s.passkeyRefused(ctx, m, ActionPasskeyAdded, nil, passkeyLimit())
	}
	exclude := make([]protocol.CredentialDescriptor, len(u.Creds))
	for i, c := range u.Creds {
		exclude[i] = c.Descriptor()
	}
	creation, sd, err := p.wa.BeginRegistration(u, webauthn.WithExclusions(exclude))
	if err != nil {
		return nil, "", fmt.Errorf("staff passkey registration: %w", err)
	}
	id := uuid.Must(uuid.NewV7()).String()
	if err := s.beginCeremony(ctx, id, ceremonyRegister, m.ID, sd); err != nil {
		return nil, "", err
	}
	opts, err := credential.Options(creation.Response)
	return opts, id, err
}

func passkeyLimit() error { return ErrPasskeyLimit.WithParam("max", strconv.Itoa(MaxPasskeys)) }

// CleanPasskeyName checks a passkey's name and returns it as it is kept: free text (text.Clean), then at most
// MaxPasskeyName characters of what text.Valid allows. An empty name becomes "Passkey".
func CleanPasskeyName(name string) (string, error) {
	name = text.Clean(name)
	if name == "" {
		return "Passkey", nil
	}
	if !text.Valid(name, MaxPasskeyName) {
		return "", ErrPasskeyNameInvalid
	}
	return name, nil
}

// FinishPasskeyRegistration verifies the browser's answer (RegistrationResponseJSON) to m's registration ceremony
// and keeps the passkey under the name given (CleanPasskeyName; staff_passkey_name_invalid). An unknown, used,
// expired or another member's ceremony, or an answer that does not verify or lacks user verification, is
// staff_passkey_registration_failed. The passkey and its audit entry are written in one transaction, which refuses
// a member deactivated or locked out meanwhile (staff_inactive, staff_locked).
func (s *Service) FinishPasskeyRegistration(ctx context.Context, m Member, ceremonyID, name string, responseJSON []byte) (Passkey, error) {
	p, err := s.passkeys()
	if err != nil {
		return Passkey{}, err
	}
	pk, err := s.verifyRegistration(ctx, p, m, ceremonyID, name, responseJSON)
	if err != nil {
		return Passkey{}, s.passkeyRefused(ctx, m, ActionPasskeyAdded, nil, err)
	}
	return pk, nil
}

func (s *Service) verifyRegistration(ctx context.Context, p *Passkeys, m Member, ceremonyID, name string, responseJSON []byte) (Passkey, error) {
	name, err := CleanPasskeyName(name)
	if err != nil {
		return Passkey{}, err
	}
	if len(responseJSON) > MaxPasskeyResponse {
		return Passkey{}, ErrPasskeyRegistrationFailed
	}
	sd, err := s.consumeCeremony(ctx, ceremonyID, ceremonyRegister, m.ID)
	if errors.Is(err, ErrPasskeyInvalid) {
		return Passkey{}, ErrPasskeyRegistrationFailed
	}
	if err != nil {
		return Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(responseJSON)
	if err != nil {
		return Passkey{}, ErrPasskeyRegistrationFailed
	}
	u, err := s.passkeyUser(ctx, p, m)
	if err != nil {
		return Passkey{}, err
	}
	cred, err := p.wa.CreateCredential(u, sd, parsed)
	if err != nil || !cred.Flags.UserVerified {
		return Passkey{}, ErrPasskeyRegistrationFailed
	}
	return s.addPasskey(ctx, m, name, cred)
}

// addPasskey keeps a verified credential of m, with its audit entry, in one transaction: the member's row is
// locked, so two additions at once cannot both pass the limit.
func (s *Service) addPasskey(ctx context.Context, m Member, name string, cred *webauthn.Credential) (Passkey, error) {
	now := s.Clock.Now()
	st := credential.Store(cred)
	pk := Passkey{ID: uuid.Must(uuid.NewV7()).String(), Name: name, CreatedAt: now, AAGUID: st.AAGUID,
		Transports: st.Transports}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var active int
		var locked sql.NullInt64
		if err := tx.QueryRow(ctx, "SELECT active, locked_at FROM staff WHERE id = ?"+tx.DB().ForUpdate(), m.ID).
			Scan(&active, &locked); err != nil {
			return err
		}
		switch {
		case active == 0:
			return ErrInactive
		case locked.Valid:
			return ErrLocked
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM staff_passkeys WHERE staff_id = ?", m.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxPasskeys {
			return passkeyLimit()
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_passkeys (id, staff_id, credential_id, public_key, sign_count,
			transports, aaguid, flags, attestation_format, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			pk.ID, m.ID, st.CredentialID, st.PublicKey, st.SignCount, strings.Join(st.Transports, ","), st.AAGUID,
			st.Flags, st.Format, name, db.Micros(now))
		if db.IsUniqueViolation(err) {
			return ErrPasskeyRegistrationFailed // this authenticator's credential is a member's passkey already
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, passkeyEntry(ctx, m, ActionPasskeyAdded,
			map[string]string{"passkey_id": pk.ID, "name": name}))
	})
	if err != nil {
		return Passkey{}, err
	}
	return pk, nil
}

// ListPasskeys returns m's passkeys, oldest first.
func (s *Service) ListPasskeys(ctx context.Context, m Member) ([]Passkey, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, created_at, last_used_at, transports, aaguid FROM staff_passkeys
		WHERE staff_id = ? ORDER BY created_at, id`, m.ID)
	if err != nil {
		return nil, fmt.Errorf("staff passkeys: %w", err)
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

// RemovePasskey deletes one of m's passkeys, with its audit entry: it no longer logs in. An unknown passkey, or
// another member's, is staff_passkey_not_found.
func (s *Service) RemovePasskey(ctx context.Context, m Member, id string) error {
	after := map[string]string{"passkey_id": audit.Clip(id)}
	if !utf8.ValidString(id) || strings.ContainsRune(id, 0) || len(id) > 64 {
		return s.passkeyRefused(ctx, m, ActionPasskeyRemoved, after, ErrPasskeyNotFound)
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM staff_passkeys WHERE id = ? AND staff_id = ?", id, m.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return orRefusal(err, ErrPasskeyNotFound)
		}
		return audit.Append(ctx, tx, s.Clock.Now(), passkeyEntry(ctx, m, ActionPasskeyRemoved, after))
	})
	if errors.Is(err, ErrPasskeyNotFound) {
		return s.passkeyRefused(ctx, m, ActionPasskeyRemoved, after, err)
	}
	if err != nil {
		return fmt.Errorf("remove staff passkey: %w", err)
	}
	return nil
}

// orRefusal is err when there is one, else refusal.
func orRefusal(err, refusal error) error {
	if err != nil {
		return err
	}
	return refusal
}

// passkeyEntry is the audit entry of m's passkey action: m acts on themselves, in their roles.
func passkeyEntry(ctx context.Context, m Member, action string, after any) audit.Entry {
	e := audit.Entry{Actor: audit.StaffActor(m.Username, joinRoles(m.Roles)), Action: action, Result: audit.ResultOK}
	if after != nil {
		e.After = audit.State(after)
	}
	return audit.Stamp(ctx, e)
}

// passkeyRefused records m's refused action, its result the refusal's code, in a transaction of its own (the
// refusal changed nothing to join), and returns the refusal. A fault, which has no code, is returned unrecorded.
func (s *Service) passkeyRefused(ctx context.Context, m Member, action string, after any, refusal error) error {
	e, ok := kumbara.As(refusal)
	if !ok || e.Kind == kumbara.KindInternal {
		return refusal
	}
	entry := passkeyEntry(ctx, m, action, after)
	entry.Result = e.Code
	if err := audit.Record(context.WithoutCancel(ctx), s.DB, s.Clock.Now(), entry); err != nil {
		return err
	}
	return refusal
}
