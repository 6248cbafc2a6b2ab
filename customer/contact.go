package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/text"
)

// Contact is a customer's contact details as the bank keeps them: the mobile number the SMS codes go to, the
// email address and the postal address.
type Contact struct {
	Mobile  string `json:"mobile"` // E.164
	Email   string `json:"email"`
	Address string `json:"address"`
}

// maxAddress is the longest postal address kept, in characters.
const maxAddress = 200

// ContactOf returns c's contact details.
func ContactOf(c Customer) Contact {
	return Contact{Mobile: c.Mobile, Email: c.Email, Address: c.Address}
}

// CheckContact validates and normalises contact details as they will be stored: the mobile number in E.164
// (required), an email address without a display name (optional), the address trimmed (optional).
func CheckContact(n Contact) (Contact, error) {
	var fields []kumbara.FieldError
	mobile, err := kyc.ParseMobile(n.Mobile)
	if err != nil {
		fields = append(fields, kyc.ErrMobileInvalid.At("mobile"))
	}
	email := strings.TrimSpace(n.Email)
	if email != "" {
		a, err := mail.ParseAddress(email)
		if err != nil || a.Name != "" || a.Address != email || len(email) > 254 {
			fields = append(fields, ErrEmailInvalid.At("email"))
		}
	}
	address := text.Clean(n.Address)
	if address != "" && !text.Valid(address, maxAddress) {
		fields = append(fields, text.ErrInvalidCharacters.At("address"))
	}
	if len(fields) > 0 {
		return Contact{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return Contact{Mobile: mobile.String(), Email: email, Address: address}, nil
}

// ChangeContact replaces customer id's contact details with n (checked by CheckContact) and returns them as they
// were and as they are. The change is appended to the audit log, with the actor the context carries, in the same
// transaction. Refused: an unknown customer (customer_not_found), details that change nothing (contact_unchanged).
func (s *Service) ChangeContact(ctx context.Context, id string, n Contact) (before, after Contact, err error) {
	if after, err = CheckContact(n); err != nil {
		return Contact{}, Contact{}, err
	}
	if !text.Storable(id) {
		return Contact{}, Contact{}, ErrNotFound
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		c, err := scan(tx.QueryRow(ctx, "SELECT "+columns+" FROM customers WHERE id = ?"+tx.DB().ForUpdate(), id))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("change contact: %w", err)
		}
		if before = ContactOf(c); before == after {
			return ErrContactUnchanged
		}
		if _, err := tx.Exec(ctx, "UPDATE customers SET mobile = ?, email = ?, address = ? WHERE id = ?",
			after.Mobile, after.Email, after.Address, id); err != nil {
			return fmt.Errorf("change contact: %w", err)
		}
		return audit.Append(ctx, tx, now, audit.Stamp(ctx, audit.Entry{Actor: audit.Operator(ctx),
			Action: ActionContactChanged, CustomerID: id, Before: audit.State(before), After: audit.State(after)}))
	})
	return before, after, err
}
