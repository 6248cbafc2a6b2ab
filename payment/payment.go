// Package payment moves money between the bank and other banks (issue #11): domestic payments in ALL to other
// Albanian banks (T5) through the clearing house's sessions (AECH), real-time gross settlement (AIPS) or the
// instant system; EUR payments to SEPA (SCT, SCT Inst); international payments through correspondents (T6); and
// the payments other banks send in. Every step is a balanced entry in the ledger: accepting a payment holds the
// amount and the fee; sending it posts the customer's money to outgoing clearing and the fee to fee income;
// settlement moves clearing to the settlement (nostro) account; a rejection gives it all back and a return gives
// the amount back. The clearing house is behind an interface (Clearing); its sandbox is the default adapter.
//
// The package owns the tables payments, payment_events and clearing_messages (migration 00037).
package payment

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/vop"
)

// Types of payment, as the API names them.
const (
	Domestic      = "domestic"
	SEPA          = "sepa"
	International = "international"
)

// Schemes: the system a payment travels by, chosen by Route.
const (
	AECH    = "aech"     // the Albanian clearing house's sessions
	AIPS    = "aips"     // the Bank of Albania's real-time gross settlement
	Instant = "instant"  // the regional instant-payment system for ALL
	SCT     = "sct"      // SEPA Credit Transfer
	SCTInst = "sct_inst" // SEPA Instant Credit Transfer
	SWIFT   = "swift"    // through a correspondent bank
)

// Schemes lists every scheme.
func Schemes() []string { return []string{AECH, AIPS, Instant, SCT, SCTInst, SWIFT} }

// Who bears the charges.
const (
	ChargesOUR = "OUR" // the payer pays every charge, the correspondents' included
	ChargesSHA = "SHA" // each side pays its own bank
	ChargesBEN = "BEN" // the beneficiary pays: the bank's fee is taken from the amount sent
)

// Directions.
const (
	Out = "out"
	In  = "in"
)

// Statuses of a payment. The customer sees each with its time (Events).
const (
	PendingConfirmation = "pending_confirmation" // waiting for the customer's confirmation; nothing held
	Accepted            = "accepted"             // confirmed; amount and fee held; about to be sent
	Waiting             = "waiting"              // held, waiting for its clearing session or value date
	Sent                = "sent"                 // the clearing house or the correspondent has it
	Settled             = "settled"              // the money reached the beneficiary's bank
	Rejected            = "rejected"             // refused before settlement: amount and fee given back
	Returned            = "returned"             // sent back by the beneficiary's bank after settlement
	Failed              = "failed"               // could not be held after confirmation (funds, a blocked account)
	Expired             = "expired"              // not confirmed in time
	Credited            = "credited"             // an incoming payment put on the customer's account
)

// Payment is one payment to or from another bank.
type Payment struct {
	ID, CustomerID string
	Direction      string
	Type, Scheme   string
	Status         string
	AccountID      string
	AccountIBAN    string // filled on reads
	Amount         money.Amount
	Fee            money.Amount
	// FeeDeducted: the fee was taken from the amount sent (BEN), so the beneficiary gets Amount − Fee and the
	// customer is debited Amount; otherwise the customer is debited Amount + Fee.
	FeeDeducted bool
	Charges     string
	Urgent      bool
	Description string
	Beneficiary Party // the beneficiary of an outgoing payment, the payer of an incoming one
	Purpose     Purpose
	// Verification is the name check the customer was shown before confirming (VoP), kept for the receipt.
	Verification Verification
	ValueDate    calendar.Date
	EndToEndID   string
	TxID         string
	MessageID    string
	// Reason is why a payment was rejected or returned: an ISO 20022 reason code (AC01, AC04…).
	Reason    string
	CreatedAt time.Time
	ExpiresAt time.Time
	UpdatedAt time.Time
	Events    []Event

	// Filled when the payment waits for confirmation.
	Challenge *sca.Challenge
	Exemption string

	// Exchange is how a payment in another currency than its account's was paid: at the bank's rate when it was
	// accepted (package fx). Its Rate is "" for a payment in the account's currency.
	Exchange Exchange

	holdID, sendEntryID, endEntryID string
	save                            bool // asked to save the beneficiary (not stored)
}

// Exchange is the currency exchange a payment in another currency than its account's is made with: Charged (in
// the account's currency) buys Debited (in the payment's) at the customer's rate, "1 Base = Rate Quoted", and the
// bank books Income and Rounding in lek beside it.
type Exchange struct {
	Rate             string
	Base, Quoted     money.Currency
	Charged          money.Amount
	Income, Rounding int64
}

// Converted reports whether the payment changes currency on its way out of the account.
func (p Payment) Converted() bool { return p.Exchange.Rate != "" }

// Charged is what leaves the customer's account, in its currency: Debited, or what buys it when the payment is in
// another currency.
func (p Payment) Charged() money.Amount {
	if p.Converted() {
		return p.Exchange.Charged
	}
	return p.Debited()
}

// Debited is what leaves the customer's account: the amount, plus the fee unless it is taken from the amount.
func (p Payment) Debited() money.Amount {
	if p.FeeDeducted {
		return p.Amount
	}
	return money.New(p.Amount.Minor+p.Fee.Minor, p.Amount.Currency)
}

// Sent is what the beneficiary's bank is paid: the amount, less the fee when it is taken from it.
func (p Payment) SentAmount() money.Amount {
	if p.FeeDeducted {
		return money.New(p.Amount.Minor-p.Fee.Minor, p.Amount.Currency)
	}
	return p.Amount
}

// Event is one status a payment went through.
type Event struct {
	Status string
	Reason string
	At     time.Time
}

// Party is the other side of a payment: name, account and its bank, address and phone.
type Party struct {
	Name          string
	IBAN          string // electronic form
	AccountNumber string // a non-IBAN account (international payments to countries without IBAN)
	BIC           string
	BankName      string
	BankAddress   string
	Address       Address
	Phone         string
}

// Account is the party's account as people read it.
func (p Party) Account() string {
	if p.IBAN != "" {
		return iban.IBAN(p.IBAN).Printable()
	}
	return p.AccountNumber
}

// Address is a structured postal address, as the address book keeps it (street, postal code, town, country).
type Address = beneficiary.Address

// Purpose is what an international payment declares (T6): a purpose category and purpose, and the beneficiary's
// category.
type Purpose struct {
	Category, Purpose, BeneficiaryCategory string
}

// Verification is the result of the name check (VoP) before a payment: Result is one of the vop results, Name the
// name on the account when it was a close match.
type Verification struct {
	Result string
	Name   string
}

// The results of a name check.
const (
	Match       = "match"
	CloseMatch  = "close_match"
	NoMatch     = "no_match"
	NotPossible = "not_possible"
)

// Verifier checks the beneficiary's name against the account before a payment (Verification of Payee, package
// vop): an interface because the name check of another bank's account goes through the scheme, which the tests
// of payments stand in for.
type Verifier interface {
	Check(ctx context.Context, customerID string, ib iban.IBAN, name string) (vop.Outcome, error)
}

// Clearing is the clearing house (and the correspondents) as the bank reaches them. Send hands over one outgoing
// ISO 20022 message for scheme; an error means it was not taken, and the message is sent again later. The other
// side takes a message id once, so sending a message again after a lost answer changes nothing there. What comes
// back (status reports, returns, incoming payments, settlement reports) arrives through Service.Receive.
type Clearing interface {
	Send(ctx context.Context, scheme string, doc []byte) error
}

// Config holds the times and limits of the Bank of Albania's systems and the bank's own cut-off.
type Config struct {
	// CutOff is the customers' cut-off for payments that do not settle at once (14:00): later, or on a day the
	// bank is closed, they are value-dated the next working day.
	CutOff time.Duration
	// AIPSFrom and AIPSUntil are AIPS's hours on working days (08:30–16:30).
	AIPSFrom, AIPSUntil time.Duration
	// AIPSThreshold is the amount in ALL minor units from which a domestic payment goes by AIPS (1,500,000 ALL).
	AIPSThreshold int64
	// Sessions are the AECH clearing sessions on working days (10:00, 12:00, 14:30).
	Sessions []time.Duration
	// ConfirmWithin is how long a payment may wait for its confirmation (10 minutes).
	ConfirmWithin time.Duration
	// MessageSize is how many transactions one outgoing message carries at most.
	MessageSize int
}

// DefaultConfig is the Bank of Albania's published timetable and the bank's 14:00 cut-off.
func DefaultConfig() Config {
	return Config{CutOff: 14 * time.Hour, AIPSFrom: 8*time.Hour + 30*time.Minute, AIPSUntil: 16*time.Hour + 30*time.Minute,
		AIPSThreshold: 1_500_000_00, Sessions: []time.Duration{10 * time.Hour, 12 * time.Hour, 14*time.Hour + 30*time.Minute},
		ConfirmWithin: 10 * time.Minute, MessageSize: 1000}
}

// Service makes, sends and receives payments.
type Service struct {
	Ledger    *ledger.Ledger
	Customers *customer.Service
	Calendar  *calendar.Service
	SCA       *sca.Service
	Banks     *bankdir.Service // the directory of Albanian banks staff keep
	Tariff    *tariff.Service  // the fees staff set
	Payees    Verifier
	// Beneficiaries is the address book a payment's beneficiary is saved to when the customer asks.
	Beneficiaries *beneficiary.Service
	Clearing      Clearing
	// FX exchanges a payment in another currency than its account's at the bank's rate; without it such a payment
	// is payment_currency_conversion.
	FX *fx.Service
	// Own is this bank: its BIC on every message, its code to tell its own IBANs.
	Own    customer.Bank
	Texts  *i18n.Catalogue
	Config Config
	Log    *slog.Logger
	// Kick, if set, is told when an SMS was written (the outbox dispatcher).
	Kick func()

	glCache sync.Map // currency → glAccounts
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) kick() {
	if s.Kick != nil {
		s.Kick()
	}
}
