package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

var paymentColumns = []string{"id", "customer_id", "direction", "type", "scheme", "status", "account_id", "amount",
	"currency", "fee", "fee_deducted", "charges", "urgent", "description", "cp_name", "cp_iban", "cp_account", "cp_bic",
	"cp_bank_name", "cp_bank_address", "cp_street", "cp_building", "cp_postal_code", "cp_city", "cp_country",
	"cp_phone", "purpose_category", "purpose", "beneficiary_category", "vop_result", "vop_name", "value_date",
	"hold_id", "send_entry_id", "end_entry_id", "end_to_end_id", "tx_id", "message_id", "reason", "save_beneficiary",
	"created_at", "expires_at", "updated_at", "account_amount", "fx_rate", "fx_base", "fx_quoted", "fx_income",
	"fx_rounding"}

// paymentRow is p as a row of payments.
func paymentRow(p Payment) ledger.Record {
	b := p.Beneficiary
	return ledger.Record{Table: "payments", Columns: paymentColumns, Values: []any{p.ID, p.CustomerID, p.Direction,
		p.Type, p.Scheme, p.Status, p.AccountID, p.Amount.Minor, string(p.Amount.Currency), p.Fee.Minor,
		boolInt(p.FeeDeducted), p.Charges, boolInt(p.Urgent), p.Description, b.Name, b.IBAN, b.AccountNumber, b.BIC,
		b.BankName, b.BankAddress, b.Address.Street, "", b.Address.PostalCode, b.Address.City, b.Address.Country,
		b.Phone, p.Purpose.Category, p.Purpose.Purpose, p.Purpose.BeneficiaryCategory, p.Verification.Result,
		p.Verification.Name, p.ValueDate.String(), nullable(p.holdID), nullable(p.sendEntryID),
		nullable(p.endEntryID), p.EndToEndID, p.TxID, p.MessageID, p.Reason, boolInt(p.save), db.Micros(p.CreatedAt),
		db.Micros(p.ExpiresAt), db.Micros(p.UpdatedAt), p.Exchange.Charged.Minor, p.Exchange.Rate,
		string(p.Exchange.Base), string(p.Exchange.Quoted), p.Exchange.Income, p.Exchange.Rounding}}
}

// eventRow is one status a payment went through. Its id is the payment's and the status: a payment enters each
// status once, so writing an event twice (a repeated message) is refused by the key or skipped.
func eventRow(paymentID, status, reason string, at time.Time) ledger.Record {
	return ledger.Record{Table: "payment_events", Columns: []string{"id", "payment_id", "status", "reason", "at"},
		Values: []any{paymentID + ":" + status, paymentID, status, reason, db.Micros(at)}}
}

// insertSQL is the INSERT of one record in a transaction of the package's own.
func insertSQL(r ledger.Record) string {
	return "INSERT INTO " + r.Table + " (" + strings.Join(r.Columns, ", ") + ") VALUES (" + db.Placeholders(len(r.Columns)) + ")"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

const selectPayment = `SELECT p.id, p.customer_id, p.direction, p.type, p.scheme, p.status, p.account_id, a.iban,
	p.amount, p.currency, p.fee, p.fee_deducted, p.charges, p.urgent, p.description, p.cp_name, p.cp_iban,
	p.cp_account, p.cp_bic, p.cp_bank_name, p.cp_bank_address, p.cp_street, p.cp_postal_code, p.cp_city,
	p.cp_country, p.cp_phone, p.purpose_category, p.purpose, p.beneficiary_category, p.vop_result, p.vop_name,
	p.value_date, COALESCE(p.hold_id, ''), COALESCE(p.send_entry_id, ''), COALESCE(p.end_entry_id, ''),
	p.end_to_end_id, p.tx_id, p.message_id, p.reason, p.save_beneficiary, p.created_at, p.expires_at, p.updated_at,
	p.account_amount, p.fx_rate, p.fx_base, p.fx_quoted, p.fx_income, p.fx_rounding, a.currency
	FROM payments p JOIN accounts a ON a.id = p.account_id`

func scanPayment(r db.Scanner) (Payment, error) {
	var p Payment
	var amount, fee, created, expires, updated, charged int64
	var cur, vd, base, quoted, accountCur string
	var deducted, urgent, save int
	b := &p.Beneficiary
	err := r.Scan(&p.ID, &p.CustomerID, &p.Direction, &p.Type, &p.Scheme, &p.Status, &p.AccountID, &p.AccountIBAN,
		&amount, &cur, &fee, &deducted, &p.Charges, &urgent, &p.Description, &b.Name, &b.IBAN, &b.AccountNumber,
		&b.BIC, &b.BankName, &b.BankAddress, &b.Address.Street, &b.Address.PostalCode, &b.Address.City,
		&b.Address.Country, &b.Phone, &p.Purpose.Category, &p.Purpose.Purpose, &p.Purpose.BeneficiaryCategory,
		&p.Verification.Result, &p.Verification.Name, &vd, &p.holdID, &p.sendEntryID, &p.endEntryID, &p.EndToEndID,
		&p.TxID, &p.MessageID, &p.Reason, &save, &created, &expires, &updated, &charged, &p.Exchange.Rate, &base,
		&quoted, &p.Exchange.Income, &p.Exchange.Rounding, &accountCur)
	if err != nil {
		return Payment{}, err
	}
	c := money.Currency(cur)
	p.Amount, p.Fee = money.New(amount, c), money.New(fee, c)
	p.FeeDeducted, p.Urgent, p.save = deducted == 1, urgent == 1, save == 1
	if p.Exchange.Rate != "" {
		p.Exchange.Charged = money.New(charged, money.Currency(accountCur))
		p.Exchange.Base, p.Exchange.Quoted = money.Currency(base), money.Currency(quoted)
	}
	if p.ValueDate, err = calendar.ParseDate(vd); err != nil {
		return Payment{}, fmt.Errorf("payment %s: value date %q: %w", p.ID, vd, err)
	}
	p.CreatedAt, p.ExpiresAt, p.UpdatedAt = db.FromMicros(created), db.FromMicros(expires), db.FromMicros(updated)
	return p, nil
}

// Get returns one of the customer's payments with its events. Another customer's, or none, is payment_not_found.
// A payment past its time to be confirmed reads as expired.
func (s *Service) Get(ctx context.Context, customerID, id string) (Payment, error) {
	if !text.Storable(id) || len(id) > 64 {
		return Payment{}, ErrNotFound
	}
	p, err := scanPayment(s.Ledger.DB.QueryRow(ctx, selectPayment+" WHERE p.id = ? AND p.customer_id = ?", id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, ErrNotFound
	}
	if err != nil {
		return Payment{}, fmt.Errorf("get payment: %w", err)
	}
	if p.Status == PendingConfirmation && !s.Ledger.Clock.Now().Before(p.ExpiresAt) {
		s.expire(ctx, p.ID)
		return s.Get(ctx, customerID, id)
	}
	if p.Events, err = s.events(ctx, p.ID); err != nil {
		return Payment{}, err
	}
	return p, nil
}

// byID reads a payment whoever's it is, for the dispatcher and the messages from the clearing side.
func (s *Service) byID(ctx context.Context, id string) (Payment, error) {
	p, err := scanPayment(s.Ledger.DB.QueryRow(ctx, selectPayment+" WHERE p.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, ErrNotFound
	}
	return p, err
}

func (s *Service) events(ctx context.Context, id string) ([]Event, error) {
	rows, err := s.Ledger.DB.Query(ctx, "SELECT status, reason, at FROM payment_events WHERE payment_id = ? ORDER BY at, id", id)
	if err != nil {
		return nil, fmt.Errorf("payment events: %w", err)
	}
	events, err := db.Collect(rows, func(r db.Scanner) (Event, error) {
		var e Event
		var at int64
		err := r.Scan(&e.Status, &e.Reason, &at)
		e.At = db.FromMicros(at)
		return e, err
	})
	// Statuses entered in one instant (accepted and waiting) keep the order of a payment's life.
	slices.SortStableFunc(events, func(a, b Event) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return slices.Index(lifecycle, a.Status) - slices.Index(lifecycle, b.Status)
	})
	return events, err
}

// lifecycle is the order of a payment's statuses.
var lifecycle = []string{PendingConfirmation, Confirmed, Accepted, Waiting, Sent, Settled, Rejected, Returned,
	Failed, Expired, Credited}

// Filter narrows a customer's list of payments.
type Filter struct {
	AccountID string
	Limit     int // at most 100; 0 is 20
}

// List returns the customer's payments, newest first, without their events.
func (s *Service) List(ctx context.Context, customerID string, f Filter) ([]Payment, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	q, args := selectPayment+" WHERE p.customer_id = ?", []any{customerID}
	if f.AccountID != "" {
		q, args = q+" AND p.account_id = ?", append(args, f.AccountID)
	}
	rows, err := s.Ledger.DB.Query(ctx, q+" ORDER BY p.created_at DESC, p.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("list payments: %w", err)
	}
	return db.Collect(rows, scanPayment)
}

// beneficiaryInput is the party as the address book takes it.
func beneficiaryInput(b Party) beneficiary.Input {
	return beneficiary.Input{Name: b.Name, IBAN: b.IBAN, AccountNumber: b.AccountNumber, BIC: b.BIC,
		BankName: b.BankName, BankAddress: b.BankAddress, Address: b.Address, Phone: b.Phone}
}

// isBeneficiaryKnown: saving a beneficiary the book has already is no failure of the payment.
func isBeneficiaryKnown(err error) bool {
	return errors.Is(err, beneficiary.ErrDuplicate) || errors.Is(err, beneficiary.ErrLimit)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func codeOf(err error) string {
	if c := kumbara.CodeOf(err); c != "" {
		return c
	}
	return "internal"
}
