// Package device keeps customers' mobile devices (FEATURES A2–A7): each registers an ECDSA P-256 public key whose
// private part its biometrics unlock; at the 3rd consecutive login from the same device the customer is offered
// to trust it (at most 2 trusted devices), which turns on remember-me, Smart OTP and Soft PIN. A trusted device
// logs in by signing a challenge (biometrics, A3/A4), answers the login code step by signing it (Smart OTP, A5),
// and computes Soft PIN codes from a TOTP secret the server provisions (A6). The package also verifies the
// signatures and Soft PIN responses that confirm payments. A login from a device the customer has not registered
// is reported to the customer by SMS (A18).
package device

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/text"
)

// Config holds the rules about devices.
type Config struct {
	MaxTrusted        int           // trusted devices per customer (A7: 2)
	MaxActive         int           // registered devices per customer
	OfferAt           int           // consecutive logins from one device before trusting it is offered (A7: 3)
	ChallengeValidity time.Duration // a biometric login's challenge (2 minutes)
}

// DefaultConfig is the bank's policy.
func DefaultConfig() Config {
	return Config{MaxTrusted: 2, MaxActive: 10, OfferAt: 3, ChallengeValidity: 2 * time.Minute}
}

// Service keeps devices.
type Service struct {
	DB        *db.DB
	Clock     clock.Clock
	Auth      *auth.Service
	Customers *customer.Service
	Config    Config
	// Key encrypts Soft PIN secrets (AES-256-GCM); DeriveKey makes it from the bank's secret.
	Key []byte
	// IDDocs verifies the ID documents that trust a device (A7); nil when the bank has no country signing CA
	// certificates, which refuses that way with id_document_unavailable.
	IDDocs *iddoc.Verifier
	// Outbox, if set, is told after a transaction that queued a message commits, to wake the dispatcher.
	Outbox Notifier
}

// Notifier is told that a committed transaction queued messages, so they go out now rather than at the
// dispatcher's next poll (outbox.Dispatcher is one).
type Notifier interface{ Kick() }

// Device types.
const (
	IOS     = "ios"
	Android = "android"
)

// Device is one of a customer's registered devices.
type Device struct {
	ID           string
	CustomerID   string
	Name         string
	Type         string
	ScreenLock   bool
	Trusted      bool
	TrustedAt    time.Time // zero unless trusted
	RememberMe   bool
	SmartOTP     bool
	SoftPIN      bool // Soft PIN is on (trusted); SoftPINReady once a secret was provisioned
	SoftPINReady bool
	CreatedAt    time.Time
	LastActionAt time.Time
	publicKey    *ecdsa.PublicKey
	secret       sql.NullString
	softPINStep  int64
}

// Activity is one thing a device did (A7's history).
type Activity struct {
	Action   string
	At       time.Time
	Location string
}

// Actions in a device's history.
const (
	ActionRegistered     = "registered"
	ActionLogin          = "login"
	ActionBiometricLogin = "biometric_login"
	ActionSmartOTPLogin  = "smart_otp_login"
	ActionSoftPINLogin   = "soft_pin_login"
	ActionTrusted        = "trusted"
	// ActionTrustedByIDDocument is a device trusted by verifying the customer's ID document over NFC (A7).
	ActionTrustedByIDDocument = "trusted_by_id_document"
	ActionPasswordChanged     = "password_changed"
	ActionSoftPIN             = "soft_pin_provisioned"
	ActionDeactivated         = "deactivated"
	// ActionConfigured is in the audit log only (device.configured): a device's screen lock or Smart OTP changed.
	ActionConfigured = AuditPrefix + "configured"
)

// Seen is what a request says about the device it came from: the X-Device-ID, X-Device-Location and User-Agent
// headers, or for the internet branch its browser's device cookie and User-Agent (Browser). Location is shown in the
// history only; none of it is trusted for anything else.
type Seen struct {
	DeviceID string
	Location string
	Agent    string
	Browser  bool // a browser of the internet branch, named by its device cookie
}

// NewDevice is a device to register: activating biometric login on it (A3), whose key its biometrics unlock.
type NewDevice struct {
	Name       string
	Type       string
	PublicKey  string // base64 DER SubjectPublicKeyInfo of an ECDSA P-256 key
	ScreenLock bool   // the device is locked by a PIN, pattern or biometrics (A19: Smart OTP default)
	// Password is the customer's password, typed again to confirm the activation (A3: "Vendosni fjalëkalimin tuaj
	// dhe klikoni VERIFIKO").
	Password string
}

func (s *Service) notify() {
	if s.Outbox != nil {
		s.Outbox.Kick()
	}
}

// ParsePublicKey reads a base64 DER SubjectPublicKeyInfo and accepts only an ECDSA key on P-256.
func ParsePublicKey(b64 string) (*ecdsa.PublicKey, error) {
	bad := kumbara.ErrValidationFailed.WithFields(ErrKeyInvalid.At("public_key"))
	if len(b64) > 1024 {
		return nil, bad
	}
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return nil, bad
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, bad
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, bad
	}
	return ec, nil
}

// validID reports whether id can be a device's id at all (a UUID); anything else is not found without a query.
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// Lengths, in characters, of the free text a device is known by.
const (
	maxName     = 64 // a device's name, as the customer gave it
	maxLocation = 100
	maxAgent    = 60 // of the user agent named in the new-device alert
)

// Register activates biometric login on a device of the customer (A3): from a full session, the customer confirms
// with the password (password_wrong, counted towards the lockout like any wrong password) and the device's public
// key is kept, its private part behind the phone's biometrics. The device remembers the customer (remember-me,
// A2), as activating biometrics is choosing to log in there without typing the client number.
func (s *Service) Register(ctx context.Context, customerID string, n NewDevice, seen Seen) (Device, error) {
	var fields []kumbara.FieldError
	name := text.Clean(n.Name)
	if !text.Valid(name, maxName) {
		fields = append(fields, ErrNameInvalid.At("name"))
	}
	if n.Type != IOS && n.Type != Android {
		fields = append(fields, ErrTypeInvalid.At("type"))
	}
	pub, err := ParsePublicKey(n.PublicKey)
	if err != nil {
		fields = append(fields, ErrKeyInvalid.At("public_key"))
	}
	if n.Password == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("password"))
	}
	if len(fields) > 0 {
		return Device{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	// Checked only once the request is sound, so a malformed one costs no try of the lockout.
	if err := s.Auth.CheckPassword(ctx, customerID, n.Password); err != nil {
		return Device{}, err
	}
	der, _ := x509.MarshalPKIXPublicKey(pub)
	now := s.Clock.Now()
	d := Device{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Name: name, Type: n.Type,
		ScreenLock: n.ScreenLock, RememberMe: true, CreatedAt: now, LastActionAt: now, publicKey: pub}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		var active int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM devices WHERE customer_id = ? AND deactivated_at IS NULL",
			customerID).Scan(&active); err != nil {
			return err
		}
		if active >= s.Config.MaxActive {
			return ErrTooManyDevices
		}
		if _, err := tx.Exec(ctx, `INSERT INTO devices (id, customer_id, name, type, public_key, screen_lock,
			remember_me, created_at, last_action_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, d.ID, customerID, name, n.Type,
			base64.StdEncoding.EncodeToString(der), boolInt(n.ScreenLock), db.Micros(now), db.Micros(now)); err != nil {
			return err
		}
		return addActivity(ctx, tx, customerID, d.ID, ActionRegistered, now, seen.Location)
	})
	if err != nil {
		return Device{}, fmt.Errorf("register device: %w", err)
	}
	return d, nil
}

// addActivity adds action to the device's history and to the audit log (as "device." + action), in tx.
func addActivity(ctx context.Context, tx *db.Tx, customerID, deviceID, action string, at time.Time, location string) error {
	if _, err := tx.Exec(ctx, "INSERT INTO device_activity (id, device_id, action, at, location) VALUES (?, ?, ?, ?, ?)",
		uuid.Must(uuid.NewV7()).String(), deviceID, action, db.Micros(at), text.Sanitize(location, maxLocation)); err != nil {
		return err
	}
	return audit.Append(ctx, tx, at, auditEntry(ctx, customerID, deviceID, AuditPrefix+action))
}

// AuditActions lists every audit action of devices, for the catalogue's tests.
func AuditActions() []string {
	out := []string{ActionConfigured}
	for _, a := range []string{ActionRegistered, ActionLogin, ActionBiometricLogin, ActionSmartOTPLogin,
		ActionSoftPINLogin, ActionTrusted, ActionTrustedByIDDocument, ActionPasswordChanged, ActionSoftPIN,
		ActionDeactivated} {
		out = append(out, AuditPrefix+a)
	}
	return out
}

// AuditPrefix starts the audit action of every device activity (device.registered, device.trusted…).
const AuditPrefix = "device."

// auditEntry is the audit entry of action on the customer's device, by the person acting.
func auditEntry(ctx context.Context, customerID, deviceID, action string) audit.Entry {
	return audit.Stamp(ctx, audit.Entry{Actor: audit.Customer(auth.Actor(ctx, customerID)), Action: action,
		CustomerID: customerID, Result: audit.ResultOK, After: audit.State(map[string]string{"device_id": deviceID})})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const deviceColumns = `id, customer_id, name, type, public_key, screen_lock, trusted, trusted_at, remember_me,
	smart_otp, soft_pin, soft_pin_secret, soft_pin_step, created_at, last_action_at`

func scanDevice(row db.Scanner) (Device, error) {
	var d Device
	var pub string
	var screen, trusted, remember, smart, soft int
	var trustedAt sql.NullInt64
	var created, last int64
	if err := row.Scan(&d.ID, &d.CustomerID, &d.Name, &d.Type, &pub, &screen, &trusted, &trustedAt, &remember,
		&smart, &soft, &d.secret, &d.softPINStep, &created, &last); err != nil {
		return Device{}, err
	}
	d.ScreenLock, d.Trusted, d.RememberMe, d.SmartOTP, d.SoftPIN = screen != 0, trusted != 0, remember != 0, smart != 0, soft != 0
	d.SoftPINReady = d.SoftPIN && d.secret.Valid
	if trustedAt.Valid {
		d.TrustedAt = db.FromMicros(trustedAt.Int64)
	}
	d.CreatedAt, d.LastActionAt = db.FromMicros(created), db.FromMicros(last)
	k, err := ParsePublicKey(pub)
	if err != nil {
		return Device{}, fmt.Errorf("device %s: stored key unreadable", d.ID)
	}
	d.publicKey = k
	return d, nil
}

// get returns an active device of the customer, locked in tx when tx is not nil.
func (s *Service) get(ctx context.Context, tx *db.Tx, customerID, id string) (Device, error) {
	if !validID(id) || customerID == "" {
		return Device{}, ErrNotFound
	}
	q := "SELECT " + deviceColumns + " FROM devices WHERE id = ? AND customer_id = ? AND deactivated_at IS NULL"
	var row *sql.Row
	if tx != nil {
		row = tx.QueryRow(ctx, q+tx.DB().ForUpdate(), id, customerID)
	} else {
		row = s.DB.QueryRow(ctx, q, id, customerID)
	}
	d, err := scanDevice(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Device{}, ErrNotFound
	}
	return d, err
}

// Get returns one of the customer's active devices; another customer's, a deactivated or an unknown one is
// device_not_found.
func (s *Service) Get(ctx context.Context, customerID, id string) (Device, error) {
	return s.get(ctx, nil, customerID, id)
}

// List returns the customer's active devices, oldest first.
func (s *Service) List(ctx context.Context, customerID string) ([]Device, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+deviceColumns+` FROM devices WHERE customer_id = ? AND deactivated_at IS NULL
		ORDER BY id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list devices: %w", err)
	}
	out, err := db.Collect(rows, scanDevice)
	if out == nil && err == nil {
		out = []Device{} // the API answers an empty list, not null
	}
	return out, err
}

// History returns a device's latest actions, newest first (at most 100).
func (s *Service) History(ctx context.Context, customerID, id string) ([]Activity, error) {
	if _, err := s.Get(ctx, customerID, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT action, at, location FROM device_activity WHERE device_id = ?
		ORDER BY at DESC, id DESC LIMIT 100`, id)
	if err != nil {
		return nil, fmt.Errorf("device history: %w", err)
	}
	out, err := db.Collect(rows, func(r db.Scanner) (Activity, error) {
		var a Activity
		var at int64
		err := r.Scan(&a.Action, &at, &a.Location)
		a.At = db.FromMicros(at)
		return a, err
	})
	if out == nil && err == nil {
		out = []Activity{} // the API answers an empty list, not null
	}
	return out, err
}

// TrustProof is what trusting a device takes besides being asked from the device itself (A7): the customer's
// password (A3) and, unless the device has reached the trust offer, the customer's ID document read over NFC.
type TrustProof struct {
	Password string
	// IDDocument, if set, is the customer's ID document as the app read it from the chip (EF.SOD and DG1 at
	// least); IDDocs must accept it as authentic, in date and the customer's own.
	IDDocument *iddoc.Chip
}

func errNotCurrent() error {
	return ErrNotCurrent
}

// streak is the device's count of the customer's consecutive logins from it.
func streak(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) *sql.Row
}, id string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT login_streak FROM devices WHERE id = ?", id).Scan(&n)
	return n, err
}

// Trust makes a device trusted (A7). The request must come from that device (seen.DeviceID names it, else
// device_not_current), and the customer confirms with the password (A3, password_wrong). Then either the device
// has reached the trust offer — the customer's last OfferAt logins or more were all from it, as RecordLogin counts —
// or proof.IDDocument is the customer's ID document read over NFC, which IDDocs verifies (passive authentication and
// the holder's MRZ against the customer; the iddoc codes, id_document_unavailable when the bank has no verifier).
// Neither is trust_not_offered. At most MaxTrusted devices per customer (trusted_device_limit). Trusting turns on
// remember-me, Soft PIN and — only where the device has a screen lock (A19) — Smart OTP, and tells the customer by
// SMS (A18). Trusting a trusted device changes nothing.
func (s *Service) Trust(ctx context.Context, customerID, id string, proof TrustProof, seen Seen) (Device, error) {
	d, err := s.Get(ctx, customerID, id)
	if err != nil {
		return Device{}, err
	}
	if seen.DeviceID != d.ID {
		return Device{}, errNotCurrent()
	}
	byDocument := proof.IDDocument != nil
	if !d.Trusted && !byDocument {
		n, err := streak(ctx, s.DB, d.ID)
		if err != nil {
			return Device{}, fmt.Errorf("trust device: %w", err)
		}
		if n < s.Config.OfferAt {
			return Device{}, ErrTrustNotOffered
		}
	}
	if err := s.Auth.CheckPassword(ctx, customerID, proof.Password); err != nil {
		return Device{}, err
	}
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return Device{}, err
	}
	if byDocument && !d.Trusted {
		if _, err := s.IDDocs.VerifyHolder(*proof.IDDocument, c); err != nil {
			return Device{}, err
		}
	}
	action := ActionTrusted
	if byDocument {
		action = ActionTrustedByIDDocument
	}
	now := s.Clock.Now()
	queued := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		queued = false
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		var err error
		if d, err = s.get(ctx, tx, customerID, id); err != nil || d.Trusted {
			return err
		}
		var trusted int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM devices WHERE customer_id = ? AND trusted = 1
			AND deactivated_at IS NULL`, customerID).Scan(&trusted); err != nil {
			return err
		}
		if trusted >= s.Config.MaxTrusted {
			return ErrTrustedDeviceLimit
		}
		if !byDocument {
			// Counted again under the lock: a login from elsewhere since the check above withdrew the offer.
			if n, err := streak(ctx, tx, id); err != nil {
				return err
			} else if n < s.Config.OfferAt {
				return ErrTrustNotOffered
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE devices SET trusted = 1, trusted_at = ?, remember_me = 1, smart_otp = ?,
			soft_pin = 1, last_action_at = ? WHERE id = ?`, db.Micros(now), boolInt(d.ScreenLock),
			db.Micros(now), id); err != nil {
			return err
		}
		d.Trusted, d.TrustedAt, d.RememberMe, d.SmartOTP, d.SoftPIN, d.LastActionAt = true, now, true, d.ScreenLock, true, now
		if err := addActivity(ctx, tx, customerID, id, action, now, seen.Location); err != nil {
			return err
		}
		if c.Mobile == "" {
			return nil
		}
		queued = true
		return outbox.Enqueue(ctx, tx, now, outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile,
			Body: s.Auth.Texts.Message(c.Language, TextTrusted, map[string]string{"device": noCodes(d.Name),
				"at": i18n.FormatDateTime(now, c.Language)})})
	})
	if err != nil {
		return Device{}, err
	}
	if queued {
		s.notify()
	}
	return d, nil
}

// Deactivate removes a device (A7): it leaves the list, and its key, Smart OTP and Soft PIN stop working at once.
// It is no longer a device the customer is known to log in from: a login naming it is reported again (A18).
func (s *Service) Deactivate(ctx context.Context, customerID, id string, seen Seen) error {
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := s.get(ctx, tx, customerID, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE devices SET deactivated_at = ?, trusted = 0, remember_me = 0, smart_otp = 0,
			soft_pin = 0, soft_pin_secret = NULL, login_streak = 0, last_action_at = ? WHERE id = ?`,
			db.Micros(now), db.Micros(now), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM login_devices WHERE customer_id = ? AND device_hash = ?", customerID,
			s.Auth.DeviceHash(id)); err != nil {
			return err
		}
		return addActivity(ctx, tx, customerID, id, ActionDeactivated, now, seen.Location)
	})
}

// RecordLogin notes a full login of the customer from the device the request named (A7): it counts the device's
// consecutive logins (a login from any other device, or from none, starts the count again) and reports whether
// trusting the device should now be offered — at exactly the OfferAt-th consecutive login, if the device is not
// trusted and the customer has room for another trusted device. A login from a device the customer never logged in
// from is reported by SMS (A18, noteLogin). action is what the device's history records (ActionLogin,
// ActionBiometricLogin…).
func (s *Service) RecordLogin(ctx context.Context, customerID, action string, seen Seen) (offer bool, err error) {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil {
		return false, err
	}
	now := s.Clock.Now()
	queued := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		offer, queued = false, false
		if err := customer.Lock(ctx, tx, customerID); err != nil {
			return err
		}
		d, err := s.get(ctx, tx, customerID, seen.DeviceID)
		known := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		other := ""
		if known {
			other = d.ID
		}
		if _, err := tx.Exec(ctx, "UPDATE devices SET login_streak = 0 WHERE customer_id = ? AND id <> ? AND login_streak <> 0",
			customerID, other); err != nil {
			return err
		}
		if queued, err = s.noteLogin(ctx, tx, c, seen, known, now); err != nil || !known {
			return err
		}
		var streak int
		if err := tx.QueryRow(ctx, `UPDATE devices SET login_streak = login_streak + 1, logins = logins + 1,
			last_action_at = ? WHERE id = ? RETURNING login_streak`, db.Micros(now), d.ID).Scan(&streak); err != nil {
			return err
		}
		if err := addActivity(ctx, tx, customerID, d.ID, action, now, seen.Location); err != nil {
			return err
		}
		if d.Trusted || streak != s.Config.OfferAt {
			return nil
		}
		var trusted int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM devices WHERE customer_id = ? AND trusted = 1
			AND deactivated_at IS NULL`, customerID).Scan(&trusted); err != nil {
			return err
		}
		offer = trusted < s.Config.MaxTrusted
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record login: %w", err)
	}
	if queued {
		s.notify()
	}
	return offer, nil
}

// noCodes replaces each run of five or more digits in a text from outside, so an alert never carries something
// that reads as a one-time code.
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

// verify reports whether sig is an ASN.1 ECDSA signature of SHA-256(msg) by the device's key.
func (d Device) verify(msg, sig []byte) bool {
	if d.publicKey == nil || len(sig) == 0 || len(sig) > 128 {
		return false
	}
	h := sha256.Sum256(msg)
	return ecdsa.VerifyASN1(d.publicKey, h[:], sig)
}

// VerifySignature checks a payment confirmation signed by a trusted device: the device must be the customer's,
// active and trusted (device_not_found, device_not_trusted); sig is an ASN.1 ECDSA P-256 signature over
// SHA-256(msg). A wrong signature counts towards the channel's lockout and is signature_invalid (channel_blocked
// at the limit). The attempt is counted before the signature is checked, so a blocked or closed channel refuses
// even a right one (channel_blocked, channel_closed). The caller makes each msg single use.
func (s *Service) VerifySignature(ctx context.Context, customerID, deviceID string, msg, sig []byte) error {
	d, err := s.Get(ctx, customerID, deviceID)
	if err != nil {
		return err
	}
	if !d.Trusted {
		return ErrNotTrusted
	}
	right, err := s.checkFactor(ctx, customerID, func() (bool, error) { return d.verify(msg, sig), nil })
	if !right && (err == nil || errors.Is(err, auth.ErrLoginFailed)) {
		return ErrSignatureInvalid
	}
	return err
}

// checkFactor checks one of the customer's factors (a device signature, a Soft PIN response) with check, counting
// the attempt towards the channel's lockout before the check (auth.ReserveFactor), so concurrent wrong attempts
// never get past it. A refused channel is channel_blocked or channel_closed and check does not run; a customer
// without credentials is login_failed. A right factor gives its place back (true, nil); a wrong one stays counted
// and is login_failed, or channel_blocked when it reached the limit. An error from check is a fault, not a wrong
// factor: the place is given back and the error returned. The attempt is settled even if ctx ends meanwhile, so a
// right factor never stays counted.
func (s *Service) checkFactor(ctx context.Context, customerID string, check func() (bool, error)) (bool, error) {
	if err := s.Auth.ReserveFactor(ctx, customerID); err != nil {
		return false, err
	}
	settle := context.WithoutCancel(ctx)
	right, err := check()
	if err != nil {
		_ = s.Auth.SettleFactor(settle, customerID, true)
		return false, err
	}
	return right, s.Auth.SettleFactor(settle, customerID, right)
}

// Settings are a device's switches the customer or the app changes (A19); nil leaves one as it is.
type Settings struct {
	SmartOTP   *bool // the Smart OTP toggle
	ScreenLock *bool // whether the phone is locked by a PIN, pattern or biometrics, as the app now reports it
}

// Configure changes a device's Smart OTP toggle and screen-lock state (A19): Smart OTP is only for a trusted device
// (device_not_trusted) with a screen lock (screen_lock_required); a phone that reports it lost its screen lock
// loses Smart OTP with it.
func (s *Service) Configure(ctx context.Context, customerID, id string, set Settings) (Device, error) {
	now := s.Clock.Now()
	var d Device
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if d, err = s.get(ctx, tx, customerID, id); err != nil {
			return err
		}
		if set.ScreenLock != nil {
			d.ScreenLock = *set.ScreenLock
			if !d.ScreenLock {
				d.SmartOTP = false
			}
		}
		if set.SmartOTP != nil {
			switch {
			case *set.SmartOTP && !d.Trusted:
				return ErrNotTrusted
			case *set.SmartOTP && !d.ScreenLock:
				return ErrScreenLockRequired
			}
			d.SmartOTP = *set.SmartOTP
		}
		d.LastActionAt = now
		if _, err = tx.Exec(ctx, "UPDATE devices SET screen_lock = ?, smart_otp = ?, last_action_at = ? WHERE id = ?",
			boolInt(d.ScreenLock), boolInt(d.SmartOTP), db.Micros(now), id); err != nil {
			return err
		}
		e := auditEntry(ctx, customerID, id, ActionConfigured)
		e.After = audit.State(map[string]any{"device_id": id, "screen_lock": d.ScreenLock, "smart_otp": d.SmartOTP})
		return audit.Append(ctx, tx, now, e)
	})
	if err != nil {
		return Device{}, err
	}
	return d, nil
}
