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
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
)

// What the sandbox settled on the bank's settlement account, and its settlement report. A real clearing house
// keeps the books of each member's settlement account and sends a statement of it (camt.053) every day; the bank
// matches it with its own settlement postings (payment.Service.Reconcile). The sandbox keeps its books in
// clearinghouse_settlements, one row per transaction it settled:
//   - each payment of the bank's it answered settled (ACSC) leaves the bank's account: a debit, recorded by Work
//     (settle) before the answer leaves;
//   - each payment another bank sent the bank (Inject) reaches it: a credit;
//   - each return the bank sent back (a pacs.004 taken by Send) leaves it: a debit;
//   - each return of the bank's payment the sandbox sent (Return) reaches it: a credit.
//
// The two in the middle are read from the messages the sandbox kept, when a report first needs them (book).

// Kinds of settlement.
const (
	settledPayment = "payment"
	settledReturn  = "return"
)

// Message names the sandbox books.
const (
	pacs008 = "pacs.008.001.08"
	pacs004 = "pacs.004.001.09"
)

// settlement is one transaction the sandbox settled.
type settlement struct {
	messageID, txID                  string
	credit                           bool // to the bank's account
	kind, scheme                     string
	amount                           money.Amount
	endToEndID, instructionID        string
	cpName, cpIBAN, cpBIC, remitInfo string
	at                               time.Time
}

// record keeps settlements, each once (a message answered again records nothing new), and marks the message
// they came from booked.
func (s *Sandbox) record(ctx context.Context, messageID string, list []settlement) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error { return recordIn(ctx, tx, messageID, list) })
}

// recordIn is record in tx: one statement for a message's thousands of settlements (a few on SQLite, which bounds
// its parameters); a settlement recorded before is kept as it was.
func recordIn(ctx context.Context, tx *db.Tx, messageID string, list []settlement) error {
	rows := make([][]any, len(list))
	for i, x := range list {
		rows[i] = []any{x.messageID, x.txID, boolInt(x.credit), x.kind, x.scheme, x.amount.Minor,
			string(x.amount.Currency), x.endToEndID, x.instructionID, clip(x.cpName, 140), x.cpIBAN, x.cpBIC,
			clip(x.remitInfo, 140), db.Micros(x.at)}
	}
	stmts := tx.DB().InsertRows("clearinghouse_settlements", []string{"message_id", "tx_id", "credit", "kind",
		"scheme", "amount", "currency", "end_to_end_id", "instruction_id", "cp_name", "cp_iban", "cp_bic",
		"remittance", "settled_at"}, rows)
	for _, st := range stmts {
		if _, err := tx.Exec(ctx, st.SQL+" ON CONFLICT (message_id, tx_id) DO NOTHING", st.Args...); err != nil {
			return fmt.Errorf("clearing house: settlement: %w", err)
		}
	}
	_, err := tx.Exec(ctx, "UPDATE clearinghouse_messages SET booked = 1 WHERE id = ?", messageID)
	return err
}

// settle records the payments of the bank's message ct that the sandbox settles as it answers: every one but
// those to an account it rejects. Work calls it before its answer leaves, for every answer it tries.
func (s *Sandbox) settle(ctx context.Context, ct iso20022.CreditTransfer, rejects map[string]string) error {
	var scheme string
	if err := s.DB.QueryRow(ctx, "SELECT scheme FROM clearinghouse_messages WHERE id = ?", ct.MessageID).Scan(&scheme); err != nil {
		return fmt.Errorf("clearing house: settle %s: %w", ct.MessageID, err)
	}
	now := s.Clock.Now()
	var list []settlement
	for _, t := range ct.Transactions {
		if _, rejected := rejects[t.CreditorAccount.IBAN]; rejected {
			continue
		}
		list = append(list, settlement{messageID: ct.MessageID, txID: txKey(t.TxID, t.EndToEndID), kind: settledPayment,
			scheme: scheme, amount: t.Amount, endToEndID: t.EndToEndID, instructionID: t.InstructionID,
			cpName: t.Creditor.Name, cpIBAN: accountID(t.CreditorAccount), cpBIC: t.CreditorAgent.BIC,
			remitInfo: t.Remittance, at: now})
	}
	return s.record(ctx, ct.MessageID, list)
}

// txKey is how the sandbox names a transaction: its TxId, or its end-to-end id when it has none.
func txKey(txID, endToEndID string) string {
	if txID != "" {
		return txID
	}
	return endToEndID
}

func accountID(a iso20022.Account) string {
	if a.IBAN != "" {
		return a.IBAN
	}
	return a.Other
}

// book records what the messages kept before to settled and no answer recorded: each payment the sandbox sent the
// bank (a credit at the time it sent it) and each return the bank sent it (a debit at the time it took it).
func (s *Sandbox) book(ctx context.Context, to time.Time) error {
	for {
		rows, err := s.DB.Query(ctx, `SELECT id, direction, name, scheme, document, created_at FROM clearinghouse_messages
			WHERE booked = 0 AND created_at < ? AND (direction = ? OR name = ?) ORDER BY created_at, id LIMIT 100`,
			db.Micros(to), toBank, pacs004)
		if err != nil {
			return fmt.Errorf("clearing house: book: %w", err)
		}
		type kept struct {
			id, direction, name, scheme, doc string
			at                               int64
		}
		msgs, err := db.Collect(rows, func(r db.Scanner) (kept, error) {
			var m kept
			return m, r.Scan(&m.id, &m.direction, &m.name, &m.scheme, &m.doc, &m.at)
		})
		if err != nil {
			return fmt.Errorf("clearing house: book: %w", err)
		}
		for _, m := range msgs {
			list, err := booked(m.id, m.direction, m.name, m.scheme, []byte(m.doc), db.FromMicros(m.at))
			if err != nil {
				return err
			}
			if err := s.record(ctx, m.id, list); err != nil {
				return err
			}
		}
		if len(msgs) < 100 {
			return nil
		}
	}
}

// booked is what one kept message settled on the bank's account.
func booked(id, direction, name, scheme string, doc []byte, at time.Time) ([]settlement, error) {
	var list []settlement
	switch {
	case direction == toBank && name == pacs008:
		ct, err := iso20022.ParseCreditTransfer(doc)
		if err != nil {
			return nil, fmt.Errorf("clearing house: book %s: %w", id, err)
		}
		for _, t := range ct.Transactions {
			list = append(list, settlement{messageID: id, txID: txKey(t.TxID, t.EndToEndID), credit: true,
				kind: settledPayment, scheme: scheme, amount: t.Amount, endToEndID: t.EndToEndID,
				instructionID: t.InstructionID, cpName: t.Debtor.Name, cpIBAN: accountID(t.DebtorAccount),
				cpBIC: t.DebtorAgent.BIC, remitInfo: t.Remittance, at: at})
		}
	case name == pacs004:
		m, err := iso20022.ParsePaymentReturn(doc)
		if err != nil {
			return nil, fmt.Errorf("clearing house: book %s: %w", id, err)
		}
		for _, r := range m.Returns {
			x := settlement{messageID: id, txID: txKey(r.OriginalTxID, r.OriginalEndToEndID), credit: direction == toBank,
				kind: settledReturn, scheme: scheme, amount: r.Amount, endToEndID: r.OriginalEndToEndID,
				instructionID: r.ReturnID, remitInfo: r.Reason, at: at}
			if x.credit { // the bank's payment coming back: from its beneficiary
				x.cpName, x.cpIBAN, x.cpBIC = r.Creditor.Name, accountID(r.CreditorAccount), r.CreditorAgent.BIC
			} else { // a payment to the bank going back to its payer
				x.cpName, x.cpIBAN, x.cpBIC = r.Debtor.Name, accountID(r.DebtorAccount), r.DebtorAgent.BIC
			}
			list = append(list, x)
		}
	}
	return list, nil
}

// SettlementReport is the sandbox's statement of the bank's settlement account in currency for the period
// [from, to) (a camt.053, iso20022.Statement): the balance before it, every settlement in it in the order it
// happened — the bank's payments it settled and the returns the bank sent (debits), the payments of other banks
// and the returns of the bank's payments it sent the bank (credits) — and the balance after. The bank asks for its
// business day: from the close of the working day before to the close of the day (payment.Service.Window). Down,
// the sandbox sends no report.
func (s *Sandbox) SettlementReport(ctx context.Context, currency money.Currency, from, to time.Time) ([]byte, error) {
	if !to.After(from) {
		return nil, fmt.Errorf("clearing house: a report from %s to %s", from, to)
	}
	if set, err := s.Settings(ctx); err != nil || set.Down {
		if err == nil {
			err = ErrDown
		}
		return nil, err
	}
	if err := s.book(ctx, to); err != nil {
		return nil, err
	}
	var opening int64
	if err := s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN credit = 1 THEN amount ELSE -amount END), 0)
		FROM clearinghouse_settlements WHERE currency = ? AND settled_at < ?`, string(currency), db.Micros(from)).
		Scan(&opening); err != nil {
		return nil, fmt.Errorf("clearing house: report: %w", err)
	}
	rows, err := s.DB.Query(ctx, `SELECT message_id, tx_id, credit, kind, scheme, amount, end_to_end_id, instruction_id,
		cp_name, cp_iban, cp_bic, remittance, settled_at FROM clearinghouse_settlements
		WHERE currency = ? AND settled_at >= ? AND settled_at < ? ORDER BY settled_at, message_id, tx_id`,
		string(currency), db.Micros(from), db.Micros(to))
	if err != nil {
		return nil, fmt.Errorf("clearing house: report: %w", err)
	}
	list, err := db.Collect(rows, func(r db.Scanner) (settlement, error) {
		var x settlement
		var credit int
		var minor, at int64
		err := r.Scan(&x.messageID, &x.txID, &credit, &x.kind, &x.scheme, &minor, &x.endToEndID, &x.instructionID,
			&x.cpName, &x.cpIBAN, &x.cpBIC, &x.remitInfo, &at)
		x.credit, x.amount, x.at = credit == 1, money.New(minor, currency), db.FromMicros(at)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("clearing house: report: %w", err)
	}
	now := s.Clock.Now()
	st := iso20022.Statement{MessageID: compactID(), CreatedAt: now,
		StatementID: "SR-" + string(currency) + "-" + calendar.DateOf(to.Add(-time.Microsecond)).String(),
		Account:     iso20022.Account{Other: s.BankBIC + "-" + string(currency)}, Currency: currency,
		Servicer: iso20022.Agent{BIC: BIC}, From: from, To: to,
		Opening: money.New(opening, currency), OpeningDate: calendar.DateOf(from),
		ClosingDate: calendar.DateOf(to.Add(-time.Microsecond))}
	balance := opening
	for _, x := range list {
		st.Entries = append(st.Entries, x.entry())
		if x.credit {
			balance += x.amount.Minor
		} else {
			balance -= x.amount.Minor
		}
	}
	st.Closing = money.New(balance, currency)
	return st.Marshal()
}

// entry is the settlement as its statement's entry: the other side, and the transaction's references (a return's
// are the original transaction's, with the return's own id as its instruction).
func (x settlement) entry() iso20022.Entry {
	family := "ICDT" // the bank's own payment, or its return to the bank
	if (x.kind == settledPayment) == x.credit {
		family = "RCDT" // a payment the bank received, or its return by the bank
	}
	sub := map[string]string{"sct": "ESCT", "sct_inst": "ESCT", "swift": "XBCT"}[x.scheme]
	if sub == "" {
		sub = "DMCT"
	}
	ref, info := "P"+x.txID, ""
	if x.kind == settledReturn {
		sub, ref, info = "RRTN", "R"+x.txID, "Return "+x.remitInfo
	}
	e := iso20022.Entry{Reference: clip(ref, 35), Amount: x.amount, Credit: x.credit, Status: "BOOK",
		BookingDate: calendar.DateOf(x.at), ValueDate: calendar.DateOf(x.at), BankTxCode: "PMNT/" + family + "/" + sub,
		EndToEndID: x.endToEndID, InstructionID: x.instructionID, TxID: x.txID,
		Counterparty: iso20022.Party{Name: clip(x.cpName, 140)}, CounterpartyAgent: iso20022.Agent{BIC: x.cpBIC},
		AdditionalInfo: info}
	if x.kind == settledPayment {
		e.Remittance = x.remitInfo
	}
	if ib, err := iban.Parse(x.cpIBAN); err == nil && ib.String() == x.cpIBAN {
		e.CounterpartyAccount = iso20022.Account{IBAN: x.cpIBAN}
	} else if x.cpIBAN != "" {
		e.CounterpartyAccount = iso20022.Account{Other: clip(x.cpIBAN, 34)}
	}
	return e
}

// ErrNotSettled is a return of a transaction the sandbox did not settle as a payment of the bank's.
var ErrNotSettled = errors.New("clearing house: no payment of the bank's settled under that transaction id")

// ErrReturned is a second return of the same payment.
var ErrReturned = errors.New("clearing house: the payment was returned already")

// Return sends the bank back one of its payments the sandbox settled, as the beneficiary's bank does after
// settlement (an account closed since, a payment it was not due): a pacs.004 for the whole amount with reason (an
// ISO 20022 return reason such as AC04), credited to the bank's settlement account. It answers the message's id;
// the bank's answer is the bank's business, as with Inject.
func (s *Sandbox) Return(ctx context.Context, txID, reason string) (string, error) {
	var messageID string
	err := s.DB.QueryRow(ctx, `SELECT message_id FROM clearinghouse_settlements WHERE tx_id = ? AND kind = ? AND credit = 0`,
		txID, settledPayment).Scan(&messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotSettled
	}
	if err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM clearinghouse_settlements WHERE tx_id = ? AND kind = ? AND credit = 1",
		txID, settledReturn).Scan(&n); err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	if n > 0 {
		return "", ErrReturned
	}
	var doc, scheme string
	if err := s.DB.QueryRow(ctx, "SELECT document, scheme FROM clearinghouse_messages WHERE id = ?", messageID).
		Scan(&doc, &scheme); err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	ct, err := iso20022.ParseCreditTransfer([]byte(doc))
	if err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	var t iso20022.Transaction
	for _, x := range ct.Transactions {
		if txKey(x.TxID, x.EndToEndID) == txID {
			t = x
		}
	}
	if t.EndToEndID == "" {
		return "", fmt.Errorf("clearing house: return: %s is not in message %s", txID, messageID)
	}
	now := s.Clock.Now()
	id := "CHR" + compactID()
	m := iso20022.PaymentReturn{MessageID: id, CreatedAt: now, SettlementDate: calendar.DateOf(now),
		SettlementMethod: ct.SettlementMethod, ClearingSystem: ct.ClearingSystem,
		InstructingAgent: iso20022.Agent{BIC: BIC}, InstructedAgent: iso20022.Agent{BIC: s.BankBIC},
		Returns: []iso20022.Return{{ReturnID: clip("RT"+txID, 35), OriginalMessageID: ct.MessageID,
			OriginalMessageName: pacs008, OriginalInstructionID: t.InstructionID, OriginalEndToEndID: t.EndToEndID,
			OriginalTxID: t.TxID, OriginalAmount: t.Amount, Amount: t.Amount, ChargeBearer: "SLEV", Reason: reason,
			Debtor: t.Debtor, Creditor: t.Creditor, DebtorAccount: t.DebtorAccount, CreditorAccount: t.CreditorAccount,
			DebtorAgent: t.DebtorAgent, CreditorAgent: t.CreditorAgent}}}
	out, err := m.Marshal()
	if err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	list, err := booked(id, toBank, pacs004, scheme, out, now)
	if err != nil {
		return "", err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO clearinghouse_messages (id, direction, name, scheme, status, document,
			created_at, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, toBank, pacs004, scheme, sent, string(out),
			db.Micros(now), db.Micros(now)); err != nil {
			return err
		}
		if err := recordIn(ctx, tx, id, list); err != nil {
			return err
		}
		return audit.Append(ctx, tx, now, entry(ctx, ActionReturned, nil, returnState{Message: id, TxID: txID,
			Reason: reason}))
	})
	if err != nil {
		return "", fmt.Errorf("clearing house: return: %w", err)
	}
	return id, s.deliver(ctx, out)
}

func compactID() string { return strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "") }

func clip(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
