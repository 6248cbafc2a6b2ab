// Package bulk is the bulk payments business customers upload (issue #11 item 7): a pain.001.001.09 file is read
// line by line, each line checked as the payment it asks for (package payment, without the name check), the file
// stored as a batch with its valid and invalid lines, and ONE confirmation asked for the whole batch, its dynamic
// linking bound to the batch, the number of its payments and their total; once confirmed every valid line becomes a
// payment, held at once, and the customer gets a pain.002.001.10 status report back, line by line.
//
// Decisions the package makes:
//   - Business customers only (a business, or a representative acting for it): bulk_business_only otherwise.
//   - One currency per file: the SMS names one total, so a file whose lines are in two currencies is refused
//     (bulk_mixed_currency). Every line pays from an account of the customer named by its PmtInf's DbtrAcct;
//     another's, or an unknown one, refuses the whole file as not found, and nothing is kept.
//   - A line in EUR is a SEPA payment, a line in ALL a domestic one (the payment's own checks then refuse an IBAN
//     outside SEPA or Albania); a line in another currency is refused (bulk_line_international): an international
//     payment is confirmed one by one from a trusted device or with a passkey (T6), and a file does not carry its
//     purpose and the beneficiary's category.
//   - A line whose requested execution date is after the day the payment could be value-dated is refused
//     (bulk_future_date): payments are not scheduled; an earlier date is paid as soon as it can be.
//   - The file's MsgId identifies it, as ISO 20022 means it to: the same file again answers the batch it made; another
//     file with a MsgId of a live batch is refused (bulk_duplicate), so a salary file is not paid twice.
//   - Problems of the group header or a batch (NbOfTxs, CtrlSum, the debtor's account, a method) refuse the whole
//     file with their code and nothing is kept; a line's own problems reject that line only.
//
// The package owns the tables bulk_batches and bulk_lines (migration 00040).
package bulk

import (
	"context"
	"log/slog"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
)

// Statuses of a batch.
const (
	PendingConfirmation = "pending_confirmation" // its valid lines wait for the one confirmation
	Confirmed           = "confirmed"            // confirmed: its valid lines are being made payments
	Completed           = "completed"            // every valid line is a payment or was refused when it was to be paid
	Rejected            = "rejected"             // no line could be paid: nothing to confirm
	Expired             = "expired"              // not confirmed in time
)

// Statuses of a line.
const (
	LineValid    = "valid"    // passed every check: becomes a payment once the batch is confirmed
	LineInvalid  = "invalid"  // refused when the file was read, with its problems
	LineAccepted = "accepted" // a payment, its money held (Line.PaymentID)
	LineRejected = "rejected" // refused when it was to be paid (funds, a blocked account), with its problem
)

// Batch is one uploaded file and what became of it.
type Batch struct {
	ID, CustomerID string
	MessageID      string // the file's GrpHdr/MsgId
	Status         string
	// Lines is how many transactions the file holds; Count how many of them are valid (the payments the
	// confirmation makes), Total their amounts, Fees their fees and Debited the two together, in one currency.
	Lines         int
	Count         int
	Total, Fees   money.Amount
	Debited       money.Amount
	Accepted      int // lines made payments
	RejectedLines int // lines invalid or refused
	FromIBANs     []string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UpdatedAt     time.Time
	Items         []Line         // every line in file order, filled by Get
	Challenge     *sca.Challenge // the live confirmation while the batch waits for it, filled by Get and Upload
}

// Line is one transaction of the file.
type Line struct {
	Number                     int // 1-based position in the file
	PaymentInfoID              string
	InstructionID, EndToEndID  string
	Status                     string
	AccountID                  string       // the account it is paid from
	Type, Scheme               string       // the payment's type and scheme, for a valid line
	Amount, Fee, Debited       money.Amount // Debited: what leaves the account, the fee unless taken from the amount
	ValueDate                  calendar.Date
	CreditorName, CreditorAcct string // as the file names them
	Description                string
	Problems                   []Problem
	PaymentID                  string // the payment, once made
	request                    payment.Request
}

// Problem is what is wrong with a line: Field is the pain.001 element (relative to the transaction, e.g.
// "CdtrAcct/Id/IBAN"), Code the owning package's error code, Params its message's parameters and Reason the ISO
// 20022 status reason the pain.002 gives the line for it.
type Problem struct {
	Field  string            `json:"field,omitempty"`
	Code   string            `json:"code"`
	Params map[string]string `json:"params,omitempty"`
	Reason string            `json:"reason"`
}

// Config holds the limits of uploads.
type Config struct {
	// MaxFile is the largest file taken, in bytes (10 MiB); the transports limit their bodies to it.
	MaxFile int
	// MaxLines is the most transactions one file may hold (10,000).
	MaxLines int
	// ConfirmWithin is how long a batch waits for its confirmation (15 minutes).
	ConfirmWithin time.Duration
	// Lease is how long the instance making a batch's payments holds it before another may take over (1 minute,
	// renewed while it works).
	Lease time.Duration
}

// DefaultConfig is the bank's limits.
func DefaultConfig() Config {
	return Config{MaxFile: 10 << 20, MaxLines: 10_000, ConfirmWithin: 15 * time.Minute, Lease: time.Minute}
}

// Queue takes the job that makes a confirmed batch's payments, in the confirmation's transaction (jobs.Jobs).
type Queue interface {
	Enqueue(ctx context.Context, tx *db.Tx, args jobs.Args) error
}

// Service reads, confirms and reports on bulk files. Its payments go through Payments, whose ledger, customers and
// strong authentication it shares.
type Service struct {
	Payments *payment.Service
	// Jobs, if set, is told of each confirmed batch (ProcessArgs), so that its payments are made even when the
	// request that confirmed it ends first.
	Jobs   Queue
	Config Config
	Log    *slog.Logger
}

// ProcessArgs is the job that makes the payments of a confirmed batch (Service.Process).
type ProcessArgs struct {
	BatchID string `json:"batch_id"`
}

// Kind names the job's worker.
func (ProcessArgs) Kind() string { return "bulk_process" }

func (s *Service) db() *db.DB { return s.Payments.Ledger.DB }

func (s *Service) now() time.Time { return s.Payments.Ledger.Clock.Now() }

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) config() Config {
	c, d := s.Config, DefaultConfig()
	if c.MaxFile <= 0 {
		c.MaxFile = d.MaxFile
	}
	if c.MaxLines <= 0 {
		c.MaxLines = d.MaxLines
	}
	if c.ConfirmWithin <= 0 {
		c.ConfirmWithin = d.ConfirmWithin
	}
	if c.Lease <= 0 {
		c.Lease = d.Lease
	}
	return c
}
