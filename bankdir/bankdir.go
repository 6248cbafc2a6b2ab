// Package bankdir is the directory of the Albanian banks a customer pays (issue #11 item 2): each bank's code in
// Albanian IBANs (positions 5–7), its BIC, its name and whether it takes instant payments in ALL (the regional
// instant system). Staff keep it (Put, SetActive; package operation checks their permission); the payment service
// asks it which bank an IBAN is at (ForIBAN), which it does on every preview, so the directory is read whole and
// kept for a minute (as the calendar keeps a year's holidays): a change made on one instance reaches the others
// within that minute, and the instance that made it at once.
//
// The bank itself (Service.Own) is never in the directory: an IBAN in its own code is answered ErrOwnBank, to be
// paid as a transfer within the bank. The package owns the table banks (migration 00034); every change is audited
// in its transaction.
package bankdir

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/text"
)

// MaxName is the longest bank name, in characters once cleaned.
const MaxName = 70

// reloadAfter is how long the directory is used as read before it is read again.
const reloadAfter = time.Minute

// Bank is one bank of the directory.
type Bank struct {
	Code      string // 3 digits, the bank code in Albanian IBANs (positions 5–7)
	BIC       string // 8 or 11 characters (iban.ParseBIC)
	Name      string
	Instant   bool // takes instant payments in ALL (the regional instant system)
	Active    bool // payments to it are accepted
	UpdatedAt time.Time
}

// Service keeps the directory. Own is this bank, which is never in the directory as another bank.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
	Own   customer.Bank

	mu    sync.Mutex
	cache *directory
}

// directory is the whole directory as read at a time.
type directory struct {
	byCode map[string]Bank
	byBIC8 map[string]Bank
	read   time.Time
}

const columns = `code, bic, name, instant, active, updated_at`

func scan(r db.Scanner) (Bank, error) {
	var b Bank
	var instant, active int
	var updated int64
	err := r.Scan(&b.Code, &b.BIC, &b.Name, &instant, &active, &updated)
	b.Instant, b.Active, b.UpdatedAt = instant == 1, active == 1, db.FromMicros(updated)
	return b, err
}

// List is every bank of the directory by code, the inactive ones among them, as it is now.
func (s *Service) List(ctx context.Context) ([]Bank, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+columns+" FROM banks ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("bank directory: %w", err)
	}
	banks, err := db.Collect(rows, scan)
	if err != nil {
		return nil, fmt.Errorf("bank directory: %w", err)
	}
	if banks == nil {
		banks = []Bank{}
	}
	return banks, nil
}

// ByCode is the bank with the 3-digit code, active or not: ErrUnknown when the directory has none, ErrOwnBank for
// this bank's own code.
func (s *Service) ByCode(ctx context.Context, code string) (Bank, error) {
	code = strings.TrimSpace(code)
	if code == s.ownCode() {
		return Bank{}, ErrOwnBank.Field("code")
	}
	d, err := s.directory(ctx)
	if err != nil {
		return Bank{}, err
	}
	b, ok := d.byCode[code]
	if !ok {
		return Bank{}, ErrUnknown.Field("code")
	}
	return b, nil
}

// ByBIC is the bank a BIC names, active or not, by its first 8 characters: a branch's BIC (11 characters) is its
// bank. A BIC that does not read is bic_invalid; one of no bank of the directory ErrUnknown, this bank's ErrOwnBank.
func (s *Service) ByBIC(ctx context.Context, bic string) (Bank, error) {
	parsed, err := iban.ParseBIC(bic)
	if err != nil {
		return Bank{}, err
	}
	b8 := bic8(string(parsed))
	if own, err := iban.ParseBIC(s.Own.BIC); err == nil && bic8(string(own)) == b8 {
		return Bank{}, ErrOwnBank.Field("bic")
	}
	d, err := s.directory(ctx)
	if err != nil {
		return Bank{}, err
	}
	b, ok := d.byBIC8[b8]
	if !ok {
		return Bank{}, ErrUnknown.Field("bic")
	}
	return b, nil
}

// ForIBAN is the bank an Albanian IBAN is at, asked before a payment to it: ErrOwnBank when it is this bank's (pay
// it as a transfer within the bank), ErrUnknown when the directory has no bank of its code (or the IBAN is not
// Albanian), ErrInactive when the bank takes no payments now.
func (s *Service) ForIBAN(ctx context.Context, ib iban.IBAN) (Bank, error) {
	code := ib.BankCode()
	if code == "" {
		return Bank{}, ErrUnknown.With("not an Albanian IBAN")
	}
	if code == s.ownCode() {
		return Bank{}, ErrOwnBank
	}
	d, err := s.directory(ctx)
	if err != nil {
		return Bank{}, err
	}
	b, ok := d.byCode[code]
	switch {
	case !ok:
		return Bank{}, ErrUnknown.With("bank code %s", code)
	case !b.Active:
		return Bank{}, ErrInactive.With("bank code %s", code)
	}
	return b, nil
}

// Put adds a bank to the directory or changes one (by its code): its BIC, name and whether it takes instant
// payments. A new bank is active; a bank changed keeps its state (SetActive changes it). Every field's problem
// comes back at once inside validation_failed; a BIC of another bank of the directory is ErrBICTaken. A change is
// audited in its transaction with the actor the context carries; putting a bank as it is changes nothing.
func (s *Service) Put(ctx context.Context, in Bank) (Bank, error) {
	b, err := s.check(in)
	if err != nil {
		return Bank{}, err
	}
	now := s.Clock.Now()
	var saved Bank
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM banks WHERE code = ?"+tx.DB().ForUpdate(), b.Code))
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var other string
		err = tx.QueryRow(ctx, "SELECT code FROM banks WHERE substr(bic, 1, 8) = ? AND code <> ?", bic8(b.BIC),
			b.Code).Scan(&other)
		if err == nil {
			return ErrBICTaken.WithParam("code", other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		saved = b
		saved.UpdatedAt = now
		if !found {
			saved.Active = true
			if _, err := tx.Exec(ctx, "INSERT INTO banks ("+columns+") VALUES (?, ?, ?, ?, ?, ?)", saved.Code,
				saved.BIC, saved.Name, flag(saved.Instant), flag(saved.Active), db.Micros(now)); err != nil {
				return err
			}
			return audit.Append(ctx, tx, now, entry(ctx, ActionAdded, nil, saved))
		}
		saved.Active = old.Active
		if old.BIC == saved.BIC && old.Name == saved.Name && old.Instant == saved.Instant {
			saved = old
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE banks SET bic = ?, name = ?, instant = ?, updated_at = ? WHERE code = ?",
			saved.BIC, saved.Name, flag(saved.Instant), db.Micros(now), saved.Code); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, ActionChanged, &old, saved))
	})
	if db.IsUniqueViolation(err) {
		err = ErrBICTaken
	}
	if err != nil {
		return Bank{}, wrap("put", err)
	}
	s.forget()
	return saved, nil
}

// SetActive makes the bank with the code take payments again (active) or stop taking them: ErrUnknown when the
// directory has no such bank. The change is audited in its transaction; a bank already so is left alone.
func (s *Service) SetActive(ctx context.Context, code string, active bool) error {
	code = strings.TrimSpace(code)
	if !validCode(code) {
		return ErrUnknown.Field("code")
	}
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM banks WHERE code = ?"+tx.DB().ForUpdate(), code))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnknown.Field("code")
		}
		if err != nil || old.Active == active {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE banks SET active = ?, updated_at = ? WHERE code = ?", flag(active),
			db.Micros(now), code); err != nil {
			return err
		}
		after := old
		after.Active, after.UpdatedAt = active, now
		action := ActionDeactivated
		if active {
			action = ActionActivated
		}
		return audit.Append(ctx, tx, now, entry(ctx, action, &old, after))
	})
	if err != nil {
		return wrap("set active", err)
	}
	s.forget()
	return nil
}

// check returns in as the directory keeps it, or every field's problem inside validation_failed.
func (s *Service) check(in Bank) (Bank, error) {
	var fields []kumbara.FieldError
	code := in.Code // the bank code as typed
	code = strings.TrimSpace(code)
	b := Bank{Code: code, Name: text.Clean(in.Name), Instant: in.Instant}
	switch {
	case code == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("code"))
	case !validCode(code):
		fields = append(fields, ErrCodeInvalid.At("code"))
	case code == s.ownCode():
		fields = append(fields, ErrOwnCode.At("code"))
	}
	switch bic, err := iban.ParseBIC(in.BIC); {
	case strings.TrimSpace(in.BIC) == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("bic"))
	case err != nil:
		fields = append(fields, iban.ErrBICInvalid.At("bic"))
	case bic.Country() != "AL":
		fields = append(fields, ErrBICCountry.At("bic"))
	default:
		b.BIC = bic.String()
		if own, err := iban.ParseBIC(s.Own.BIC); err == nil && bic8(string(own)) == bic8(b.BIC) {
			fields = append(fields, ErrOwnCode.At("bic"))
		}
	}
	switch {
	case b.Name == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("name"))
	case utf8.RuneCountInString(b.Name) > MaxName:
		fields = append(fields, text.ErrTooLong.At("name"))
	case !text.Valid(b.Name, MaxName) || !text.Plain(b.Name):
		fields = append(fields, text.ErrInvalidCharacters.At("name"))
	}
	if len(fields) > 0 {
		return Bank{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return b, nil
}

// directory is the directory as read within reloadAfter, read again when older (or changed here).
func (s *Service) directory(ctx context.Context) (*directory, error) {
	now := s.Clock.Now()
	s.mu.Lock()
	d := s.cache
	s.mu.Unlock()
	if d != nil && now.Sub(d.read) < reloadAfter && !now.Before(d.read) {
		return d, nil
	}
	banks, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	d = &directory{byCode: map[string]Bank{}, byBIC8: map[string]Bank{}, read: now}
	for _, b := range banks {
		d.byCode[b.Code], d.byBIC8[bic8(b.BIC)] = b, b
	}
	s.mu.Lock()
	s.cache = d
	s.mu.Unlock()
	return d, nil
}

// forget drops the directory as read, after a change made here.
func (s *Service) forget() {
	s.mu.Lock()
	s.cache = nil
	s.mu.Unlock()
}

// ownCode is this bank's own bank code.
func (s *Service) ownCode() string { return s.Own.Code }

// validCode reports whether code is a bank code: 3 ASCII digits.
func validCode(code string) bool {
	return len(code) == 3 && !slices.ContainsFunc([]byte(code), func(c byte) bool { return c < '0' || c > '9' })
}

// bic8 is the part of a BIC that names the bank: its first 8 characters.
func bic8(bic string) string { return bic[:min(8, len(bic))] }

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// wrap leaves the domain's refusals alone and names the step of anything else.
func wrap(step string, err error) error {
	if _, ok := kumbara.As(err); ok {
		return err
	}
	return fmt.Errorf("bank directory %s: %w", step, err)
}
