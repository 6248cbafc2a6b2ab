// Package clearinghouse is the sandbox of the systems a bank's payments go through — the Albanian clearing house
// (AECH sessions), AIPS, the instant system, SEPA's CSMs and the correspondents — in the binary, as the default
// adapter of payment.Clearing. It behaves as they do where the bank can tell: it validates each message it takes
// (a malformed one is refused), takes a message id once (a repeat of the same message is taken again without
// effect; another message under a used id is refused), answers every payment with a pacs.002 status report
// (settled, or rejected with a reason for the accounts it is told to reject), and can be slow or down, when the
// bank's messages wait and are sent again. It also sends the bank payments from other banks (Inject).
//
// It keeps its own state in tables of its own (migration 00038). A real adapter replaces it behind the same
// interface; outside the demo it must be chosen explicitly, since it fakes money leaving the bank.
package clearinghouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// BIC is the sandbox's own identifier as the instructing agent of what it sends.
const BIC = "KUMBALT0CLR"

// Directions of the sandbox's messages.
const (
	fromBank = "from_bank"
	toBank   = "to_bank"
)

// Statuses of the messages the sandbox took from the bank.
const (
	received = "received" // taken, not yet answered
	answered = "answered" // its status report reached the bank
	sent     = "sent"     // a message the sandbox sent the bank
)

// Sandbox is the clearing house of the demo and the tests.
type Sandbox struct {
	DB    *db.DB
	Clock clock.Clock
	// Bank delivers a message to the bank (payment.Service.Receive).
	Bank func(ctx context.Context, doc []byte) error
	// BankBIC is the bank's BIC, the instructed agent of what the sandbox sends it.
	BankBIC string
	// Sleep waits for the configured delay; nil is a real wait (tests give one that returns at once).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Send takes one message from the bank (payment.Clearing). Down, it refuses with an error; slow, it answers after
// the delay. A message that does not parse as what it says it is, or one under an id the sandbox took with other
// content, is refused; the same message again is taken without effect.
func (s *Sandbox) Send(ctx context.Context, scheme string, doc []byte) error {
	st, err := s.Settings(ctx)
	if err != nil {
		return err
	}
	if st.Down {
		return ErrDown
	}
	if st.Delay > 0 {
		if err := s.sleep(ctx, st.Delay); err != nil {
			return err
		}
	}
	name, err := iso20022.MessageName(doc)
	if err != nil {
		return fmt.Errorf("clearing house: %w", err)
	}
	var id string
	switch name {
	case "pacs.008.001.08":
		m, err := iso20022.ParseCreditTransfer(doc)
		if err != nil {
			return fmt.Errorf("clearing house: %w", err)
		}
		id = m.MessageID
	case "pacs.004.001.09":
		m, err := iso20022.ParsePaymentReturn(doc)
		if err != nil {
			return fmt.Errorf("clearing house: %w", err)
		}
		id = m.MessageID
	default:
		return fmt.Errorf("clearing house: %s is not a message it takes", name)
	}
	status := received
	if name != "pacs.008.001.08" {
		status = answered // a return needs no answer
	}
	now := db.Micros(s.Clock.Now())
	if _, err := s.DB.Exec(ctx, `INSERT INTO clearinghouse_messages (id, direction, name, scheme, status, document,
		created_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING`,
		id, fromBank, name, scheme, status, string(doc), now); err != nil {
		return fmt.Errorf("clearing house: %w", err)
	}
	var kept string
	if err := s.DB.QueryRow(ctx, "SELECT document FROM clearinghouse_messages WHERE id = ?", id).Scan(&kept); err != nil {
		return fmt.Errorf("clearing house: %w", err)
	}
	if kept != string(doc) {
		return fmt.Errorf("clearing house: message id %s was used for another message", id)
	}
	return nil
}

func (s *Sandbox) sleep(ctx context.Context, d time.Duration) error {
	if s.Sleep != nil {
		return s.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ErrDown is the sandbox's answer while it is set to be down.
var ErrDown = errors.New("clearing house: unavailable")

// Work answers every message it took and has not answered whose settlement date has come: a pacs.002 for each,
// every payment settled (ACSC) but those to an account it rejects (RJCT with the reason). SEPA's SCT and SWIFT
// messages, dated the next working day, wait for it, as their systems settle D+1. Messages go to the bank oldest
// first; one the bank does not take stays to be answered on the next call. It answers how many it answered.
func (s *Sandbox) Work(ctx context.Context) (int, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, document FROM clearinghouse_messages WHERE direction = ? AND status = ?
		ORDER BY created_at, id LIMIT 1000`, fromBank, received)
	if err != nil {
		return 0, fmt.Errorf("clearing house: %w", err)
	}
	type msg struct{ id, doc string }
	msgs, err := db.Collect(rows, func(r db.Scanner) (msg, error) {
		var m msg
		return m, r.Scan(&m.id, &m.doc)
	})
	if err != nil {
		return 0, fmt.Errorf("clearing house: %w", err)
	}
	rejects, err := s.rejects(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range msgs {
		ct, err := iso20022.ParseCreditTransfer([]byte(m.doc))
		if err != nil {
			return n, fmt.Errorf("clearing house: message %s: %w", m.id, err)
		}
		if ct.SettlementDate.After(calendar.DateOf(s.Clock.Now())) {
			continue
		}
		doc, err := s.statusReport(ct, rejects)
		if err != nil {
			return n, err
		}
		if err := s.settle(ctx, ct, rejects); err != nil {
			return n, err
		}
		if err := s.deliver(ctx, doc); err != nil {
			return n, fmt.Errorf("clearing house: answer %s: %w", m.id, err)
		}
		if _, err := s.DB.Exec(ctx, "UPDATE clearinghouse_messages SET status = ?, answered_at = ? WHERE id = ?",
			answered, db.Micros(s.Clock.Now()), m.id); err != nil {
			return n, fmt.Errorf("clearing house: %w", err)
		}
		n++
	}
	return n, nil
}

// duplicate is the bank's answer to a message it processed before: taken, nothing to do.
func duplicate(err error) bool { return errors.Is(err, payment.ErrMessageDuplicate) }

// deliver hands the bank a message; one it says it had already is delivered.
func (s *Sandbox) deliver(ctx context.Context, doc []byte) error {
	if err := s.Bank(ctx, doc); err != nil && !duplicate(err) {
		return err
	}
	return nil
}

// statusReport is the pacs.002 answering ct.
func (s *Sandbox) statusReport(ct iso20022.CreditTransfer, rejects map[string]string) ([]byte, error) {
	r := iso20022.StatusReport{MessageID: answerID(ct.MessageID), CreatedAt: s.Clock.Now(),
		OriginalMessageID: ct.MessageID, OriginalMessageName: "pacs.008.001.08"}
	for _, t := range ct.Transactions {
		st := iso20022.TxStatus{OriginalInstructionID: t.InstructionID, OriginalEndToEndID: t.EndToEndID,
			OriginalTxID: t.TxID, Status: "ACSC"}
		if reason, ok := rejects[t.CreditorAccount.IBAN]; ok {
			st.Status, st.Reason = "RJCT", reason
		}
		r.Transactions = append(r.Transactions, st)
	}
	return r.Marshal()
}

// answerID is the id of the status report answering a message: the same every time, so the bank takes it once.
func answerID(id string) string {
	a := "S" + id
	if len(a) > 35 {
		a = a[:35]
	}
	return a
}

// Settings is how the sandbox behaves.
type Settings struct {
	Down  bool
	Delay time.Duration
}

// Settings reads how the sandbox behaves now.
func (s *Sandbox) Settings(ctx context.Context) (Settings, error) {
	var down int
	var ms int64
	err := s.DB.QueryRow(ctx, "SELECT down, delay_ms FROM clearinghouse_settings WHERE id = 1").Scan(&down, &ms)
	if errors.Is(err, sql.ErrNoRows) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("clearing house: %w", err)
	}
	return Settings{Down: down == 1, Delay: time.Duration(ms) * time.Millisecond}, nil
}

// Set makes the sandbox down (or up again) and slow by delay; the audit log keeps who did and what it was before
// (ActionSet).
func (s *Sandbox) Set(ctx context.Context, st Settings) error {
	down := 0
	if st.Down {
		down = 1
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var was int
		var ms int64
		err := tx.QueryRow(ctx, "SELECT down, delay_ms FROM clearinghouse_settings WHERE id = 1").Scan(&was, &ms)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("clearing house: %w", err)
		}
		before := settingsOf(Settings{Down: was == 1, Delay: time.Duration(ms) * time.Millisecond})
		if _, err := tx.Exec(ctx, "UPDATE clearinghouse_settings SET down = ?, delay_ms = ? WHERE id = 1", down,
			st.Delay.Milliseconds()); err != nil {
			return fmt.Errorf("clearing house: %w", err)
		}
		return audit.Append(ctx, tx, s.Clock.Now(), entry(ctx, ActionSet, before, settingsOf(st)))
	})
}

// Reject makes the sandbox reject every payment to ib with reason (an ISO 20022 status reason code such as AC01);
// an empty reason stops it. The audit log keeps who did (ActionRejecting).
func (s *Sandbox) Reject(ctx context.Context, ib iban.IBAN, reason string) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if reason == "" {
			_, err = tx.Exec(ctx, "DELETE FROM clearinghouse_rejects WHERE iban = ?", ib.String())
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO clearinghouse_rejects (iban, reason, created_at) VALUES (?, ?, ?)
				ON CONFLICT (iban) DO UPDATE SET reason = excluded.reason`, ib.String(), reason, db.Micros(s.Clock.Now()))
		}
		if err != nil {
			return fmt.Errorf("clearing house: %w", err)
		}
		return audit.Append(ctx, tx, s.Clock.Now(), entry(ctx, ActionRejecting, nil,
			rejectState{IBAN: ib.String(), Reason: reason}))
	})
}

func (s *Sandbox) rejects(ctx context.Context) (map[string]string, error) {
	rows, err := s.DB.Query(ctx, "SELECT iban, reason FROM clearinghouse_rejects")
	if err != nil {
		return nil, fmt.Errorf("clearing house: %w", err)
	}
	out := map[string]string{}
	for rows.Next() {
		var ib, reason string
		if err := rows.Scan(&ib, &reason); err != nil {
			rows.Close()
			return nil, err
		}
		out[ib] = reason
	}
	return out, rows.Close()
}

// Inbound is a payment another bank sends a customer of the bank.
type Inbound struct {
	IBAN       iban.IBAN    // the customer's
	Amount     money.Amount // in the account's currency
	Name       string       // the payer
	PayerIBAN  iban.IBAN    // the payer's account; the sandbox makes one up when empty
	PayerBIC   string       // the payer's bank; CDISALTR when empty
	Remittance string
	Scheme     string // "aech" (default), "aips", "instant", "sct", "sct_inst" or "swift"
}

// Inject sends the bank one payment from another bank, as a pacs.008 of its own, and answers the message's id.
// The bank's answer (a refusal, or a return queued for an account it cannot credit) is the bank's business. The
// audit log keeps who sent it (ActionInbound), with the message the sandbox keeps.
func (s *Sandbox) Inject(ctx context.Context, in Inbound) (string, error) {
	if in.Scheme == "" {
		in.Scheme = "aech"
	}
	doc, id, err := s.inbound(in)
	if err != nil {
		return "", err
	}
	now := s.Clock.Now()
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO clearinghouse_messages (id, direction, name, scheme, status, document,
			created_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, toBank, "pacs.008.001.08", in.Scheme, sent,
			string(doc), db.Micros(now), db.Micros(now)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, ActionInbound, nil, inboundState{Message: id, IBAN: in.IBAN.String(),
			Amount: in.Amount.Minor, Currency: string(in.Amount.Currency), Scheme: in.Scheme, Payer: in.Name}))
	})
	if err != nil {
		return "", fmt.Errorf("clearing house: %w", err)
	}
	return id, s.Bank(ctx, doc)
}

// Resend delivers a message the sandbox sent the bank once more, as a clearing house does when it did not hear
// back: the bank must take it once.
func (s *Sandbox) Resend(ctx context.Context, id string) error {
	var doc string
	if err := s.DB.QueryRow(ctx, "SELECT document FROM clearinghouse_messages WHERE id = ? AND direction = ?", id, toBank).
		Scan(&doc); err != nil {
		return fmt.Errorf("clearing house: %w", err)
	}
	return s.Bank(ctx, []byte(doc))
}

func (s *Sandbox) inbound(in Inbound) ([]byte, string, error) {
	id := strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
	if in.Scheme == "" {
		in.Scheme = "aech"
	}
	if in.PayerBIC == "" {
		in.PayerBIC = "CDISALTR"
	}
	if in.PayerIBAN == "" {
		in.PayerIBAN = "AL47212110090000000235698741"
	}
	now := s.Clock.Now()
	t := iso20022.Transaction{InstructionID: id, EndToEndID: id, TxID: id, Amount: in.Amount, ChargeBearer: "SLEV",
		Debtor: iso20022.Party{Name: in.Name}, DebtorAccount: iso20022.Account{IBAN: in.PayerIBAN.String()},
		DebtorAgent: iso20022.Agent{BIC: in.PayerBIC}, Creditor: iso20022.Party{Name: "Klient"},
		CreditorAccount: iso20022.Account{IBAN: in.IBAN.String()}, CreditorAgent: iso20022.Agent{BIC: s.BankBIC},
		Remittance: in.Remittance}
	m := iso20022.CreditTransfer{MessageID: id, CreatedAt: now, SettlementDate: calendar.DateOf(now),
		SettlementMethod: "CLRG", InstructingAgent: iso20022.Agent{BIC: in.PayerBIC},
		InstructedAgent: iso20022.Agent{BIC: s.BankBIC}, Transactions: []iso20022.Transaction{t}}
	switch in.Scheme {
	case "aech":
		m.ClearingSystem = "AECH"
	case "aips":
		m.ClearingSystem = "AIPS"
	case "instant":
		m.ClearingSystem, m.Transactions[0].LocalInstrument = "AIPI", "INST"
	case "sct":
		m.ClearingSystem, m.Transactions[0].ServiceLevel = "STEP2", "SEPA"
	case "sct_inst":
		m.ClearingSystem, m.Transactions[0].ServiceLevel, m.Transactions[0].LocalInstrument = "RT1", "SEPA", "INST"
	case "swift":
		m.SettlementMethod = "INDA"
	default:
		return nil, "", fmt.Errorf("clearing house: no scheme %q", in.Scheme)
	}
	doc, err := m.Marshal()
	return doc, id, err
}

// Exchanged is one message the sandbox exchanged with the bank, for the demo's page.
type Exchanged struct {
	ID, Name, Scheme, Status string
	ToBank                   bool
	At                       time.Time
}

// Recent lists the last n messages the sandbox took from the bank or sent it, newest first.
func (s *Sandbox) Recent(ctx context.Context, n int) ([]Exchanged, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, name, scheme, status, direction, created_at FROM clearinghouse_messages
		ORDER BY created_at DESC, id DESC LIMIT ?`, n)
	if err != nil {
		return nil, fmt.Errorf("clearing house: %w", err)
	}
	return db.Collect(rows, func(r db.Scanner) (Exchanged, error) {
		var e Exchanged
		var dir string
		var at int64
		err := r.Scan(&e.ID, &e.Name, &e.Scheme, &e.Status, &dir, &at)
		e.ToBank, e.At = dir == toBank, db.FromMicros(at)
		return e, err
	})
}
