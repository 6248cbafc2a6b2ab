// Package transfer moves money for customers: between their own accounts (T2) and to any account in the bank
// (T3), instantly, idempotently, through the ledger's group commit.
package transfer

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/idempotency"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/text"
	"github.com/kumbara/kumbara/vop"
)

// Types of transfer.
const (
	Own      = "own"
	Internal = "internal"
)

// Statuses of a transfer. Within the bank a transfer completes as soon as it is exempt from confirmation or
// confirmed; one waiting for confirmation lapses after ConfirmWithin.
const (
	Completed           = "completed"
	PendingConfirmation = "pending_confirmation"
	Failed              = "failed"
	Expired             = "expired"
	// Confirmed: the confirmation was accepted and the posting has not finished. The request that confirmed it
	// posts it; when that request cannot, a repeat of the confirmation or the settlement (Settle) does.
	Confirmed = "confirmed"
)

// Transfer is a customer's instruction and its outcome.
type Transfer struct {
	ID            string
	CustomerID    string
	Type          string
	FromAccountID string
	ToAccountID   string
	Amount        money.Amount
	Description   string
	// PayeePhone is the payee's mobile (E.164) an in-bank transfer named, which was sent an SMS when it posted; ""
	// when none was given (T3: optional).
	PayeePhone string
	// Verification is what the name check told the payer of an in-bank transfer that named its payee
	// (Request.PayeeName), kept for the receipt and every answer; its Result is "" when no check ran.
	Verification vop.Outcome
	Status       string
	EntryID      string
	CreatedAt    time.Time
	// ValueDate is the day the money counted from (T14), once posted: after the close of business or on a day the
	// bank is closed, the next working day. Zero while the transfer has not posted.
	ValueDate calendar.Date
	// Filled on reads, for receipts and the API.
	FromIBAN, ToIBAN string
	// ToName is the payee as the payer may see them (payeeName): the payer's own name for an own transfer, and
	// for an in-bank one the name masked as the payee check showed it, in every answer and on the receipt — also
	// while the payment waits for confirmation, when no money has moved.
	ToName string
	// payee is the payee's name in full: the books record it as the counterparty of the payer's posting.
	payee string
	// Exemption is why a transfer made now needed no confirmation (sca.Exempt…); Challenge, what a transfer
	// waiting for confirmation asks for. Neither is stored with the transfer.
	Exemption  string
	Challenge  *sca.Challenge
	TrustPayee bool // asked with this request (not stored with the transfer)
	// ExpiresAt is when a transfer waiting for confirmation lapses.
	ExpiresAt time.Time
}

// Request is what a customer asks for. Exactly one of ToAccountID and ToIBAN names the beneficiary account.
type Request struct {
	Type          string
	FromAccountID string
	ToAccountID   string
	ToIBAN        string
	Amount        string // decimal string as sent
	Currency      string
	Description   string
	// PayeePhone is an in-bank transfer's optional phone of the payee (T3), any way Albanians write a mobile
	// number; the payee is told of the payment by SMS there. An own transfer names none.
	PayeePhone string
	// PayeeName is the payee's name as the payer typed it for an in-bank transfer, optional: when given, the name
	// is checked against the beneficiary account (Verification of Payee, Service.Payees) and the answer kept with
	// the transfer. An own transfer names none.
	PayeeName string
	// TrustPayee asks to make the payee a trusted beneficiary: the payment then needs confirmation, whose SMS
	// says so, and the payee is trusted once it is confirmed.
	TrustPayee bool
}

// Service executes transfers.
type Service struct {
	Ledger    *ledger.Ledger
	Customers *customer.Service
	// SCA decides which transfers the customer must confirm and checks the confirmations (PSD2 RTS). Without
	// it every transfer posts at once: only tools and tests that are not about confirmation leave it nil;
	// `serve` always sets it.
	SCA *sca.Service
	// ConfirmWithin is how long a transfer may wait for its confirmation (default 10 minutes).
	ConfirmWithin time.Duration
	// SettleAfter is how long after its confirmation a transfer that is still not posted is left to the request
	// that confirmed it before Settle finishes it (default 30 s); FailAfter, how long Settle keeps trying to post
	// one it cannot before failing it (default 5 minutes).
	SettleAfter, FailAfter time.Duration
	// Payees checks the name an in-bank transfer names (Request.PayeeName) against the beneficiary account, the
	// check payments to other banks run (vop.Service). Without it such a check is not possible, and says so.
	Payees Verifier
	// Observer, if set, is told the outcome of every transfer attempt (for metrics).
	Observer Observer
	// Texts is the catalogue the bank's words come from: the SMS to the payee and on a failure, in the reader's
	// language, and the receipt's labels.
	Texts *i18n.Catalogue
	// AuditSwitch lets a request made WithoutAudit post its transfer without its audit entry. Only the bench
	// sets it (serve --bench-audit-switch), to measure the audit's cost on the same server in the same run.
	AuditSwitch bool

	refsOnce sync.Once
	refCache *ledger.Refs
}

// MaxDescription is the longest description a transfer may carry, in characters.
const MaxDescription = 140

// DescriptionChars are the signs a description may hold besides letters, digits and the space (text.Plain), spaced
// out for a form to show beside the field, so the rule is known before it is broken.
var DescriptionChars = strings.Join(strings.Split(text.PlainPunctuation, ""), " ")

// CheckDescription enforces "no special characters" (T3, text.Plain) and the length on a description as Create
// keeps it (text.Clean): anything else is refused rather than stripped, so what the customer typed is what the
// beneficiary sees.
func CheckDescription(s string) error {
	if utf8.RuneCountInString(s) > MaxDescription {
		return text.ErrTooLong.Field("description")
	}
	if !text.Plain(s) {
		return text.ErrInvalidCharacters.Field("description")
	}
	return nil
}

// ParsePayeePhone reads the payee's phone an in-bank transfer may name (T3): empty, or an Albanian mobile number
// as people write it ("069 123 4567", "+355691234567"), given back in E.164. Anything else is mobile_invalid,
// about the field payee_phone.
func ParsePayeePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	m, err := kyc.ParseMobile(s)
	if err != nil {
		return "", kyc.ErrMobileInvalid.Field("payee_phone")
	}
	return m.String(), nil
}

// requestHash identifies a request's content, so a repeated idempotency key with other content is a conflict.
func requestHash(customerID string, r Request) string {
	h := sha256.New()
	for _, f := range []string{customerID, r.Type, r.FromAccountID, r.ToAccountID, strings.ToUpper(strings.ReplaceAll(r.ToIBAN, " ", "")),
		r.Amount, r.Currency, r.Description} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	if r.TrustPayee {
		h.Write([]byte("trust"))
	}
	if p := strings.TrimSpace(r.PayeePhone); p != "" {
		// Only when given, so requests without a phone hash as they always did.
		h.Write([]byte("phone:" + p))
	}
	if named(r) {
		// Likewise: requests without a payee's name hash as they did before transfers checked names.
		h.Write([]byte("payee_name:" + r.PayeeName))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ValidKey reports whether an Idempotency-Key is acceptable: 1–64 visible ASCII characters.
func ValidKey(k string) bool {
	if len(k) == 0 || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

func scopeKey(customerID, key string) string { return customerID + "/transfer/" + key }

// Create validates and executes a transfer. Repeating a request with the same key returns the first result
// (replayed = true); the same key with a different request is idempotency_key_reused. When the database fails
// with the transfer's COMMIT on its way, the answer is the transfer if it is found there after all, and otherwise
// outcome_unknown: the client repeats the request with the same key.
func (s *Service) Create(ctx context.Context, customerID, key string, r Request) (Transfer, bool, error) {
	t, replayed, err := s.create(ctx, customerID, key, r)
	return t, replayed, db.Classify(ctx, err)
}

func (s *Service) create(ctx context.Context, customerID, key string, r Request) (t Transfer, replayed bool, err error) {
	if !ValidKey(key) {
		return Transfer{}, false, ErrIdempotencyKeyInvalid
	}
	hash := requestHash(customerID, r)
	scope := scopeKey(customerID, key)
	// Hashed as sent (a repeat is the same request), kept in the one form free text is kept in.
	r.Description = text.Clean(r.Description)
	c, err := s.validate(ctx, customerID, r)
	if err != nil {
		return s.refuse(ctx, customerID, scope, hash, r, err)
	}
	t = Transfer{ID: uuid.Must(uuid.NewV7()).String(), CustomerID: customerID, Type: r.Type, FromAccountID: c.from.ID,
		ToAccountID: c.to.ID, Amount: c.amount, Description: r.Description, PayeePhone: c.phone, Status: Completed,
		FromIBAN: c.from.IBAN, ToIBAN: c.to.IBAN, TrustPayee: r.TrustPayee && r.Type != Own}
	names, err := s.Customers.Names(ctx, customerID, c.to.CustomerID)
	if err != nil {
		return Transfer{}, false, err
	}
	t.setPayee(names[c.to.CustomerID])
	if err := s.checkBusinessHours(ctx, customerID); err != nil {
		return s.refuse(ctx, customerID, scope, hash, r, err)
	}
	if named(r) {
		// A repeat answers the first transfer with what its check said, and spends no check of the allowance.
		if id, found, err := idempotency.Find(ctx, s.Ledger.DB, scope, hash); err != nil {
			return Transfer{}, false, err
		} else if found {
			t, err := s.Get(ctx, customerID, id)
			return t, true, err
		}
		if t.Verification, err = s.verify(ctx, customerID, r, c.to.IBAN); err != nil {
			return s.refuse(ctx, customerID, scope, hash, r, err)
		}
	}
	if s.SCA != nil {
		ex, err := s.SCA.Exempt(ctx, s.payment(t))
		if err != nil {
			return Transfer{}, false, err
		}
		if ex.Reason == "" {
			return s.createPending(ctx, t, scope, hash)
		}
		t.Exemption = ex.Reason
		defer func() {
			if replayed || (err != nil && !db.MayHaveCommitted(err)) {
				// The allowance is for payments made; a refused one or a repeat gives its share back.
				_ = s.SCA.Release(context.WithoutCancel(ctx), customerID, ex)
			}
		}()
	}
	replayID, err := s.post(ctx, &t, scope, hash, names[customerID], ActionCreated)
	if err != nil && db.MayHaveCommitted(err) {
		// The COMMIT's answer was lost: if the transfer is there, it is the answer.
		if id, found := s.recoverKey(ctx, scope, hash); found {
			got, gerr := s.Get(context.WithoutCancel(ctx), customerID, id)
			if gerr == nil {
				s.count(Completed)
				return got, id != t.ID, nil
			}
		}
	}
	if err != nil {
		s.count(kumbara.CodeOf(err))
		return Transfer{}, false, err
	}
	if replayID != "" {
		t, err := s.Get(ctx, customerID, replayID)
		return t, true, err
	}
	s.count(Completed)
	return t, false, nil
}

// refuse answers a request refused before it reached the ledger with err — unless it repeats a transfer that went
// through, which must be returned even if the same request would now be refused (the money has left). The happy
// path finds repeats inside the batch and needs no lookup. The refusal is in the audit log.
func (s *Service) refuse(ctx context.Context, customerID, scope, hash string, r Request, err error) (Transfer, bool, error) {
	if id, found, kerr := idempotency.Find(ctx, s.Ledger.DB, scope, hash); kerr != nil {
		return Transfer{}, false, kerr
	} else if found {
		t, err := s.Get(ctx, customerID, id)
		return t, true, err
	}
	s.count("refused")
	s.refusedEarly(ctx, customerID, r, err)
	return Transfer{}, false, err
}

// checkBusinessHours refuses a business customer's financial transaction from 21:00 to midnight, while the bank
// updates the day's books (Z7: business_hours_closed), whichever face it comes from. Outside those hours it reads
// nothing; within them the customer's kind comes from the cache the payer's name was just read through.
func (s *Service) checkBusinessHours(ctx context.Context, customerID string) error {
	now := s.Ledger.Clock.Now()
	if calendar.CheckBusinessHours(now) == nil {
		return nil
	}
	biz, err := s.Customers.IsBusiness(ctx, customerID)
	if err != nil || !biz {
		return err
	}
	return calendar.CheckBusinessHours(now)
}

// post moves the money of t through the ledger and records t as completed, under the idempotency scope: a
// repeat finds the first transfer's id in replayID and moves nothing.
// The audit entry (action, or a refusal) is appended in the batch's transaction.
func (s *Service) post(ctx context.Context, t *Transfer, scope, hash, payerName, action string) (replayID string, err error) {
	desc, text := t.Description, ledger.Text{}
	if desc == "" {
		// The bank's words when the customer typed none: kept as a key so each side reads them in their language.
		desc, text = "Transfertë", ledger.Text{Key: TextDefault}
	}
	from, to, amount := t.FromAccountID, t.ToAccountID, t.Amount
	var payeeSMS string
	if t.PayeePhone != "" {
		if payeeSMS, err = s.payeeSMS(ctx, to, payerName, amount); err != nil {
			return "", err
		}
	}
	err = s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       []string{from, to},
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			replayID = ""
			if id, replay, err := b.Idempotency(scope, hash); err != nil {
				return err
			} else if replay {
				replayID = id
				return nil
			}
			t.CreatedAt, t.ValueDate = b.Now(), b.ValueDate()
			entryID, err := b.Post(ledger.Entry{Kind: "transfer", Description: desc, Reference: t.ID, Legs: []ledger.Leg{
				{AccountID: from, Amount: -amount.Minor, Description: desc, Text: text, Counterparty: t.payee, CounterpartyIBAN: t.ToIBAN},
				{AccountID: to, Amount: amount.Minor, Description: desc, Text: text, Counterparty: payerName, CounterpartyIBAN: t.FromIBAN},
			}})
			if err != nil {
				return err
			}
			t.EntryID = entryID
			t.Status = Completed
			v := t.Verification
			b.Insert(ledger.Record{Table: "transfers", Columns: []string{"id", "customer_id", "type", "from_account_id",
				"to_account_id", "amount", "currency", "description", "status", "entry_id", "created_at", "payee_phone",
				"vop_result", "vop_name", "vop_checked_at"},
				Values: []any{t.ID, t.CustomerID, t.Type, from, to, amount.Minor, string(amount.Currency),
					t.Description, t.Status, entryID, db.Micros(t.CreatedAt), t.PayeePhone, string(v.Result), v.Name,
					checkedAt(v)}})
			if t.PayeePhone != "" {
				// In the batch's transaction: the payee hears of the money if and only if it moved.
				table, cols, vals, err := outbox.Row(t.CreatedAt, outbox.Message{Channel: outbox.ChannelSMS,
					Recipient: t.PayeePhone, Body: payeeSMS})
				if err != nil {
					return err
				}
				b.Insert(ledger.Record{Table: table, Columns: cols, Values: vals})
			}
			b.RememberIdempotency(scope, hash, t.ID)
			return nil
		},
		Audit: s.auditOf(ctx, func(err error) []audit.Entry {
			if replayID != "" {
				return nil // a repeat changes nothing
			}
			return []audit.Entry{entry(ctx, *t, action, err)}
		}),
	})
	return replayID, err
}

// Observer is told of the transfer service's work, for metrics.
type Observer interface {
	// Attempted is told the outcome of a transfer attempt: its status, or the code that refused it.
	Attempted(status string)
}

func (s *Service) count(status string) {
	if s.Observer != nil {
		s.Observer.Attempted(status)
	}
}

// checked is a request that validate accepted: both accounts resolved, the amount and the payee's phone read.
type checked struct {
	from, to ledger.Ref
	amount   money.Amount
	phone    string
	// toField names the request field that named the beneficiary (to_account_id or to_iban), which a refusal
	// about the beneficiary account is about.
	toField string
}

// validate resolves and checks both accounts from what never changes about them (ledger.Ref, mostly remembered, so
// a transfer usually reads nothing before its batch). The source must be the customer's; the beneficiary must be the
// customer's for an own transfer and any customer account for an internal one. Status and funds change, so the
// ledger checks them under lock in the batch, with the same error codes (Preview checks them early, for a form).
// Every refusal names the request field it is about. r.Description is as Create keeps it (text.Clean).
func (s *Service) validate(ctx context.Context, customerID string, r Request) (checked, error) {
	if err := checkShape(r); err != nil {
		return checked{}, err
	}
	c := checked{toField: "to_account_id"}
	if r.ToIBAN != "" {
		c.toField = "to_iban"
	}
	cur, err := money.ParseCurrency(r.Currency)
	if err != nil {
		return checked{}, err
	}
	if c.amount, err = money.ParsePositive(r.Amount, cur); err != nil {
		return checked{}, err
	}
	if err = CheckDescription(r.Description); err != nil {
		return checked{}, err
	}
	if c.phone, err = ParsePayeePhone(r.PayeePhone); err != nil {
		return checked{}, err
	}
	var ib iban.IBAN
	if r.ToIBAN != "" {
		if ib, err = iban.Parse(r.ToIBAN); err != nil {
			return checked{}, err
		}
	}
	if c.from, c.to, err = s.resolve(ctx, customerID, r, ib); err != nil {
		return checked{}, err
	}
	switch {
	case c.from.ID == c.to.ID:
		return checked{}, ErrSameAccount.Field(c.toField)
	case r.Type == Internal && c.to.CustomerID == customerID:
		// Moving between one's own accounts is an own transfer; it keeps history and limits telling the truth.
		return checked{}, kumbara.ErrTypeInvalid.Field("type")
	case r.Type == Own && c.from.Currency != c.to.Currency:
		// Between one's own accounts in two currencies the money is exchanged at the bank's rate, through a quote
		// the customer sees first (package fx): the answer says so, and the faces lead there.
		return checked{}, ErrNeedsExchange.Field(c.toField)
	case c.from.Currency != cur:
		return checked{}, ledger.ErrCurrencyMismatch.Field("currency")
	case c.to.Currency != cur:
		return checked{}, ledger.ErrCurrencyMismatch.Field(c.toField)
	}
	// Status and funds are the ledger's to check, under lock, in the batch.
	return c, nil
}

// checkShape refuses a request whose fields do not fit together, all of its problems at once.
func checkShape(r Request) error {
	var fields []kumbara.FieldError
	if r.Type != Own && r.Type != Internal {
		fields = append(fields, kumbara.ErrTypeInvalid.At("type"))
	}
	if r.FromAccountID == "" {
		fields = append(fields, kumbara.ErrFieldRequired.At("from_account_id"))
	}
	switch {
	case r.ToAccountID == "" && r.ToIBAN == "":
		fields = append(fields, kumbara.ErrFieldRequired.At("to_account_id"))
	case r.ToAccountID != "" && r.ToIBAN != "":
		fields = append(fields, kumbara.ErrValidationFailed.At("to_iban"))
	case r.Type == Own && r.ToIBAN != "":
		fields = append(fields, kumbara.ErrValidationFailed.At("to_iban"))
	}
	if r.PayeePhone != "" && r.Type != Internal {
		// Only an in-bank transfer tells a payee; an own transfer has no one else to tell.
		fields = append(fields, kumbara.ErrValidationFailed.At("payee_phone"))
	}
	if named(r) && r.Type != Internal {
		// An own transfer pays the payer: there is no one else's name to check.
		fields = append(fields, kumbara.ErrValidationFailed.At("payee_name"))
	}
	if len(fields) > 0 {
		return kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return nil
}

// resolve finds both sides of r in one query (ib is r.ToIBAN, parsed) and checks ownership and kind on what came
// back: the source must be the customer's, and so must the beneficiary of an own transfer.
func (s *Service) resolve(ctx context.Context, customerID string, r Request, ib iban.IBAN) (from, to ledger.Ref, err error) {
	if !text.Storable(r.FromAccountID) {
		// No account has such an id, and PostgreSQL refuses to compare NUL bytes or invalid UTF-8 at all.
		return from, to, ledger.ErrAccountNotFound.Field("from_account_id")
	}
	if !text.Storable(r.ToAccountID) {
		return from, to, ledger.ErrAccountNotFound.Field("to_account_id")
	}
	ids := []string{r.FromAccountID}
	if r.ToAccountID != "" {
		ids = append(ids, r.ToAccountID)
	}
	var ibans []string
	if r.ToIBAN != "" {
		ibans = append(ibans, ib.String())
	}
	found, err := s.refs().Resolve(ctx, ids, ibans)
	if err != nil {
		return from, to, err
	}
	var haveFrom, haveTo bool
	for _, a := range found {
		if a.ID == r.FromAccountID && a.CustomerID == customerID {
			from, haveFrom = a, true
		}
		switch {
		case r.ToIBAN != "" && a.IBAN == ib.String():
			to, haveTo = a, true
		case r.ToAccountID != "" && (a.ID == r.ToAccountID || a.Number == r.ToAccountID) &&
			(r.Type != Own || a.CustomerID == customerID):
			to, haveTo = a, true
		}
	}
	switch {
	case !haveFrom:
		return from, to, ledger.ErrAccountNotFound.Field("from_account_id")
	case !haveTo && r.ToIBAN != "":
		return from, to, ErrPayeeNotFound.Field("to_iban")
	case !haveTo:
		return from, to, ledger.ErrAccountNotFound.Field("to_account_id")
	}
	return from, to, nil
}

func (s *Service) refs() *ledger.Refs {
	s.refsOnce.Do(func() { s.refCache = &ledger.Refs{Store: &s.Ledger.Store} })
	return s.refCache
}

// Get returns one of the customer's transfers; another customer's is transfer_not_found.
func (s *Service) Get(ctx context.Context, customerID, id string) (Transfer, error) {
	if !text.Storable(id) {
		return Transfer{}, ErrNotFound
	}
	var t Transfer
	var amount, created, checked int64
	var cur, payeeID, valueDate, result string
	err := s.Ledger.DB.QueryRow(ctx, `SELECT t.id, t.customer_id, t.type, t.from_account_id, t.to_account_id, t.amount,
		t.currency, t.description, t.status, COALESCE(t.entry_id, ''), t.created_at, COALESCE(f.iban, ''),
		COALESCE(a.iban, ''), a.customer_id, t.payee_phone, COALESCE(e.value_date, ''), t.vop_result, t.vop_name,
		COALESCE(t.vop_checked_at, 0)
		FROM transfers t JOIN accounts f ON f.id = t.from_account_id JOIN accounts a ON a.id = t.to_account_id
		LEFT JOIN journal_entries e ON e.id = t.entry_id
		WHERE t.id = ? AND t.customer_id = ?`, id, customerID).
		Scan(&t.ID, &t.CustomerID, &t.Type, &t.FromAccountID, &t.ToAccountID, &amount, &cur, &t.Description,
			&t.Status, &t.EntryID, &created, &t.FromIBAN, &t.ToIBAN, &payeeID, &t.PayeePhone, &valueDate, &result,
			&t.Verification.Name, &checked)
	if errors.Is(err, sql.ErrNoRows) {
		return s.getPending(ctx, customerID, id)
	}
	if err != nil {
		return Transfer{}, fmt.Errorf("get transfer: %w", err)
	}
	t.Amount = money.New(amount, money.Currency(cur))
	t.CreatedAt = db.FromMicros(created)
	t.ValueDate, _ = calendar.ParseDate(valueDate) // none until posted
	t.Verification = verification(result, t.Verification.Name, checked)
	payee, err := s.Customers.Get(ctx, payeeID)
	if err != nil {
		return Transfer{}, fmt.Errorf("get transfer: %w", err)
	}
	t.setPayee(payee.Name())
	return t, nil
}

// OfEntries finds which of the given journal entries are the customer's own transfers, so a history line can lead
// to its transfer's detail (the payee, the phone the payer named, the receipt): it maps entry id → transfer id and
// leaves out every entry that is not a transfer of this customer (the payee's side of a payment included).
func (s *Service) OfEntries(ctx context.Context, customerID string, entryIDs []string) (map[string]string, error) {
	ids := slices.DeleteFunc(slices.Clone(entryIDs), func(id string) bool { return !text.Storable(id) || id == "" })
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := s.Ledger.DB.In("e.id", ids)
	// Through the entry's reference (the transfer's id), both read by primary key.
	rows, err := s.Ledger.DB.Query(ctx, `SELECT e.id, t.id FROM journal_entries e JOIN transfers t ON t.id = e.reference
		WHERE `+in+` AND e.kind = 'transfer' AND t.customer_id = ?`, append(args, customerID)...)
	if err != nil {
		return nil, fmt.Errorf("transfers of entries: %w", err)
	}
	pairs, err := db.Collect(rows, func(r db.Scanner) ([2]string, error) {
		var p [2]string
		err := r.Scan(&p[0], &p[1])
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("transfers of entries: %w", err)
	}
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, nil
}
