package payment

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/outbox"
)

// Keys of the texts this package writes (i18n/locales/payment.*.toml), in the reader's language.
const (
	// TextRejected tells the payer a payment was rejected and its money given back: {amount}, {name}, {reason}.
	TextRejected = "sms_payment_rejected"
	// TextReturned tells the payer a payment came back from the beneficiary's bank: {amount}, {name}, {reason}.
	TextReturned = "sms_payment_returned"
	// TextCredited tells a customer money from another bank arrived: {amount}, {payer}.
	TextCredited = "sms_payment_credited"
	// TextDefault is the description of a payment's postings when the customer typed none.
	TextDefault = "tx_payment_default"
)

// Texts lists every catalogue key this package writes, for the catalogue's tests: the SMS, and the words for each
// reason code.
func Texts() []string {
	texts := []string{TextRejected, TextReturned, TextCredited, TextDefault}
	for _, r := range Reasons {
		texts = append(texts, "payment_reason_"+strings.ToLower(r))
	}
	return texts
}

// Reasons are the ISO 20022 reason codes the bank explains to customers in their language (payment_reason_<code>).
var Reasons = []string{"AC01", "AC04", "AC06", "AG01", "AM04", "AM05", "BE04", "FF01", "MS03", "RR04", "AM03",
	"DUPL", "FOCR", "TM01"}

// ReasonText is the customer's words for a reason code: the catalogue's, or the code itself when it has none.
func ReasonText(texts *i18n.Catalogue, lang i18n.Lang, code string) string {
	for _, r := range Reasons {
		if r == code {
			return texts.Message(lang, "payment_reason_"+strings.ToLower(code), nil)
		}
	}
	return code
}

// Receive takes one message from the clearing side: a status report for the bank's payments (pacs.002), a return
// (pacs.004) or payments for the bank's customers (pacs.008). A message is processed once: a repeat of one
// processed is clearing_message_duplicate and changes nothing; one whose processing was cut short is processed
// again, and each of its transactions still moves money once (every step has its own idempotency key).
func (s *Service) Receive(ctx context.Context, doc []byte) error {
	name, err := iso20022.MessageName(doc)
	if err != nil {
		return err
	}
	var id string
	var process func() error
	switch name {
	case "pacs.002.001.10":
		m, err := iso20022.ParseStatusReport(doc)
		if err != nil {
			return err
		}
		id, process = m.MessageID, func() error { return s.statusReport(ctx, m) }
	case "pacs.004.001.09":
		m, err := iso20022.ParsePaymentReturn(doc)
		if err != nil {
			return err
		}
		id, process = m.MessageID, func() error { return s.returns(ctx, m) }
	case "pacs.008.001.08":
		m, err := iso20022.ParseCreditTransfer(doc)
		if err != nil {
			return err
		}
		id, process = m.MessageID, func() error { return s.incoming(ctx, m) }
	default:
		return ErrMessageUnknown.With("%s", name)
	}
	fresh, err := s.record(ctx, id, name, doc)
	if err != nil || !fresh {
		return err
	}
	if err := process(); err != nil {
		return err
	}
	_, err = s.Ledger.DB.Exec(ctx, "UPDATE clearing_messages SET status = ?, updated_at = ? WHERE direction = ? AND id = ?",
		msgProcessed, db.Micros(s.Ledger.Clock.Now()), In, id)
	return err
}

// record keeps an incoming message; fresh is false for a message processed before (and then the error is
// clearing_message_duplicate).
func (s *Service) record(ctx context.Context, id, name string, doc []byte) (fresh bool, err error) {
	now := db.Micros(s.Ledger.Clock.Now())
	if _, err := s.Ledger.DB.Exec(ctx, `INSERT INTO clearing_messages (direction, id, name, scheme, status, document,
		attempts, last_error, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, 1, '', ?, ?)
		ON CONFLICT (direction, id) DO NOTHING`, In, id, name, msgReceived, string(doc), now, now); err != nil {
		return false, fmt.Errorf("record message: %w", err)
	}
	var status string
	if err := s.Ledger.DB.QueryRow(ctx, "SELECT status FROM clearing_messages WHERE direction = ? AND id = ?", In, id).
		Scan(&status); err != nil {
		return false, fmt.Errorf("record message: %w", err)
	}
	if status == msgProcessed {
		return false, ErrMessageDuplicate.With("message %s", id)
	}
	return true, nil
}

// txKey is how a status report or a return names the bank's payment: its transaction id, or its end-to-end id
// (the bank makes them the same).
func txKey(txID, endToEndID string) string {
	if txID != "" {
		return txID
	}
	return endToEndID
}

// outgoing finds the bank's payment a return names.
func (s *Service) outgoing(ctx context.Context, txID, endToEndID string) (Payment, error) {
	p, err := scanPayment(s.Ledger.DB.QueryRow(ctx, selectPayment+" WHERE p.direction = ? AND p.tx_id = ?", Out,
		txKey(txID, endToEndID)))
	if err != nil {
		return Payment{}, ErrNotFound.Wrap(err)
	}
	return p, nil
}

// outgoingByTx reads the bank's payments by transaction id, a thousand at a time.
func (s *Service) outgoingByTx(ctx context.Context, keys []string) (map[string]Payment, error) {
	out := make(map[string]Payment, len(keys))
	for start := 0; start < len(keys); start += 1000 {
		in, args := s.Ledger.DB.In("p.tx_id", keys[start:min(start+1000, len(keys))])
		rows, err := s.Ledger.DB.Query(ctx, selectPayment+" WHERE p.direction = ? AND "+in, append([]any{Out}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("read payments: %w", err)
		}
		ps, err := db.Collect(rows, scanPayment)
		if err != nil {
			return nil, fmt.Errorf("read payments: %w", err)
		}
		for _, p := range ps {
			out[p.TxID] = p
		}
	}
	return out, nil
}

// statusReport settles or rejects the payments a pacs.002 names. A status that settles nothing (accepted for
// processing, pending) changes nothing; a transaction the bank does not know is logged and left.
func (s *Service) statusReport(ctx context.Context, m iso20022.StatusReport) error {
	keys := make([]string, len(m.Transactions))
	for i, t := range m.Transactions {
		keys[i] = txKey(t.OriginalTxID, t.OriginalEndToEndID)
	}
	known, err := s.outgoingByTx(ctx, keys)
	if err != nil {
		return err
	}
	return parallel(len(m.Transactions), func(i int) error {
		t := m.Transactions[i]
		p, ok := known[keys[i]]
		if !ok {
			s.log().Warn("payment: status for an unknown payment", "message", m.MessageID, "tx", t.OriginalTxID)
			return nil
		}
		switch t.Status {
		case "ACSC":
			return s.settle(ctx, p)
		case "RJCT":
			return s.reject(ctx, p, t.Reason)
		}
		return nil
	})
}

// settle moves a sent payment's money from outgoing clearing to the settlement account.
func (s *Service) settle(ctx context.Context, p Payment) error {
	if p.sendEntryID == "" {
		return fmt.Errorf("payment %s settled before it was sent", p.ID)
	}
	gl, err := s.gl(ctx, p.Amount.Currency)
	if err != nil {
		return err
	}
	return s.end(ctx, p, Settled, "", []string{gl.clearing, gl.settlement}, []ledger.Leg{
		{AccountID: gl.clearing, Amount: -p.SentAmount().Minor, Description: "Shlyerje " + p.Scheme},
		{AccountID: gl.settlement, Amount: p.SentAmount().Minor, Description: "Shlyerje " + p.Scheme},
	}, outbox.Message{})
}

// reject gives a payment refused before settlement back to the customer: the amount and the fee, the sending
// undone — a payment in another currency than its account's at the rate it was sent at, so the customer gets back
// exactly what left the account.
func (s *Service) reject(ctx context.Context, p Payment, reason string) error {
	if p.sendEntryID == "" {
		return fmt.Errorf("payment %s rejected before it was sent", p.ID)
	}
	send, accounts, err := s.sendLegs(ctx, p)
	if err != nil {
		return err
	}
	legs := fx.Negated(send)
	for i := range legs {
		legs[i].Description = "Pagesë e refuzuar"
	}
	sms, err := s.notice(ctx, p, TextRejected, reason, p.Charged())
	if err != nil {
		return err
	}
	return s.end(ctx, p, Rejected, reason, accounts, legs, sms)
}

// end posts a payment's last money movement (settled, rejected or returned) with its status and event, under the
// payment's end key: a payment ends once.
func (s *Service) end(ctx context.Context, p Payment, status, reason string, accounts []string, legs []ledger.Leg, sms outbox.Message) error {
	scope := "payment/" + p.ID + "/end"
	if status == Returned {
		scope = "payment/" + p.ID + "/return"
	}
	err := s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       accounts,
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			if _, replay, err := b.Idempotency(scope, status); err != nil || replay {
				return err
			}
			entryID, err := b.Post(ledger.Entry{Kind: "payment_" + status, Description: legs[0].Description,
				Reference: p.ID, Legs: legs})
			if err != nil {
				return err
			}
			b.Update(ledger.Record{Table: "payments", Columns: []string{"id", "status", "reason", "end_entry_id", "updated_at"},
				Values: []any{p.ID, status, reason, entryID, db.Micros(b.Now())}})
			b.Insert(eventRow(p.ID, status, reason, b.Now()))
			if sms.Recipient != "" {
				table, cols, vals, err := outbox.Row(b.Now(), sms)
				if err != nil {
					return err
				}
				b.Insert(ledger.Record{Table: table, Columns: cols, Values: vals})
			}
			b.RememberIdempotency(scope, status, p.ID)
			return nil
		},
	})
	if err == nil && sms.Recipient != "" {
		s.kick()
	}
	return err
}

// notice is the SMS that tells the customer what happened to a payment, in their language, to their own mobile;
// none when they have no mobile. It is written with the money's movement (end).
func (s *Service) notice(ctx context.Context, p Payment, key, reason string, amount money.Amount) (outbox.Message, error) {
	c, err := s.Customers.Get(ctx, p.CustomerID)
	if err != nil || c.Mobile == "" {
		return outbox.Message{}, err
	}
	lang := c.Language
	body := s.Texts.Message(lang, key, map[string]string{"amount": i18n.FormatAmount(amount.Minor, string(amount.Currency), lang),
		"name": p.Beneficiary.Name, "reason": ReasonText(s.Texts, lang, reason)})
	return outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile, Body: body}, nil
}

// returns gives back to the customer the payments a pacs.004 returns after settlement: the amount returned moves
// from the settlement account to the customer's account.
func (s *Service) returns(ctx context.Context, m iso20022.PaymentReturn) error {
	for _, r := range m.Returns {
		p, err := s.outgoing(ctx, r.OriginalTxID, r.OriginalEndToEndID)
		if err != nil {
			s.log().Warn("payment: return of an unknown payment", "message", m.MessageID, "tx", r.OriginalTxID)
			continue
		}
		if r.Amount.Currency != p.Amount.Currency || r.Amount.Minor <= 0 || r.Amount.Minor > p.SentAmount().Minor {
			s.log().Warn("payment: return of another amount", "payment", p.ID, "amount", r.Amount.String())
			continue
		}
		legs, accounts, credited, err := s.returnLegs(ctx, p, r.Amount)
		if err != nil {
			return err
		}
		sms, err := s.notice(ctx, p, TextReturned, r.Reason, credited)
		if err != nil {
			return err
		}
		if err := s.end(ctx, p, Returned, r.Reason, accounts, legs, sms); err != nil {
			return err
		}
	}
	return nil
}

// returnLegs are the postings of amount, returned after p settled, from the settlement account to the customer's,
// and what the customer is credited. A payment in another currency than its account's comes back through the
// bank's FX positions at the bank's rate now (it buys the returned currency): the rate it left at was the day's,
// and the money has been with the beneficiary's bank since.
func (s *Service) returnLegs(ctx context.Context, p Payment, amount money.Amount) ([]ledger.Leg, []string, money.Amount, error) {
	gl, err := s.gl(ctx, p.Amount.Currency)
	if err != nil {
		return nil, nil, money.Amount{}, err
	}
	legs := []ledger.Leg{{AccountID: p.AccountID, Amount: amount.Minor}, {AccountID: gl.settlement, Amount: -amount.Minor}}
	credited := amount
	if p.Converted() {
		price, err := s.FX.Calculate(ctx, fx.Calculation{Sell: amount.Currency, Buy: p.Charged().Currency,
			Side: fx.SideSell, Amount: amount.Decimal(), Segment: s.segment(ctx, p.CustomerID)})
		if err != nil {
			return nil, nil, money.Amount{}, err
		}
		if legs, err = s.FX.ExchangeLegs(ctx, fx.ExchangeOf(price, gl.settlement, p.AccountID)); err != nil {
			return nil, nil, money.Amount{}, err
		}
		credited = price.Buy
	}
	legs, accounts := fx.MergeLegs(legs)
	for i := range legs {
		legs[i].Description = "Pagesë e kthyer"
		if legs[i].AccountID == p.AccountID {
			legs[i].Counterparty, legs[i].CounterpartyIBAN = p.Beneficiary.Name, p.Beneficiary.IBAN
			legs[0], legs[i] = legs[i], legs[0] // the customer's first: the entry is described by it
		}
	}
	return legs, accounts, credited, nil
}

// incoming credits the bank's customers with the payments of a pacs.008. A payment to an account the bank does
// not have (AC01), a closed one (AC04) or a blocked one (AC06), or in another currency than the account's (AM03),
// is returned to the sending bank with that reason in a pacs.004.
func (s *Service) incoming(ctx context.Context, m iso20022.CreditTransfer) error {
	reasons := make([]string, len(m.Transactions))
	if err := parallel(len(m.Transactions), func(i int) error {
		var err error
		reasons[i], err = s.credit(ctx, m, m.Transactions[i])
		return err
	}); err != nil {
		return err
	}
	var back []iso20022.Return
	for i, t := range m.Transactions {
		if reason := reasons[i]; reason != "" {
			back = append(back, iso20022.Return{ReturnID: returnID(t.TxID), OriginalMessageID: m.MessageID,
				OriginalMessageName: "pacs.008.001.08", OriginalInstructionID: t.InstructionID,
				OriginalEndToEndID: t.EndToEndID, OriginalTxID: t.TxID, OriginalAmount: t.Amount, Amount: t.Amount,
				ChargeBearer: "SLEV", Reason: reason, Debtor: t.Debtor, Creditor: t.Creditor,
				DebtorAccount: t.DebtorAccount, CreditorAccount: t.CreditorAccount, DebtorAgent: t.DebtorAgent,
				CreditorAgent: t.CreditorAgent})
		}
	}
	if len(back) == 0 {
		return nil
	}
	return s.queueReturn(ctx, m, back)
}

// returnID is the id of the return of an incoming transaction: the same for every try, so a message processed
// again returns it once.
func returnID(txID string) string { return clip("R"+txID, 35) }

// credit puts one incoming transaction on its account, or answers the reason it cannot.
func (s *Service) credit(ctx context.Context, m iso20022.CreditTransfer, t iso20022.Transaction) (string, error) {
	a, err := s.Ledger.Store.ByIBAN(ctx, t.CreditorAccount.IBAN)
	switch {
	case errors.Is(err, ledger.ErrAccountNotFound) || (err == nil && a.IsGL()):
		return "AC01", nil
	case err != nil:
		return "", err
	case a.Status == ledger.Closed:
		return "AC04", nil
	case a.Status != ledger.Active:
		return "AC06", nil
	case a.Currency != t.Amount.Currency:
		return "AM03", nil
	}
	gl, err := s.gl(ctx, a.Currency)
	if err != nil {
		return "", err
	}
	scheme := schemeOf(m, t)
	vd := m.SettlementDate
	if vd.IsZero() {
		vd = calendar.DateOf(s.Ledger.Clock.Now())
	}
	id := newID()
	p := Payment{ID: id, CustomerID: a.CustomerID, Direction: In, Type: typeOf(scheme), Scheme: scheme, Status: Credited,
		AccountID: a.ID, Amount: t.Amount, Fee: money.New(0, t.Amount.Currency), Charges: ChargesSHA,
		Description: clip(t.Remittance, 140), Beneficiary: Party{Name: t.Debtor.Name, IBAN: t.DebtorAccount.IBAN,
			AccountNumber: t.DebtorAccount.Other, BIC: t.DebtorAgent.BIC, BankName: t.DebtorAgent.Name,
			Address: Address{Street: t.Debtor.Address.Street, City: t.Debtor.Address.City,
				PostalCode: t.Debtor.Address.PostalCode, Country: t.Debtor.Address.Country}},
		ValueDate: vd, EndToEndID: t.EndToEndID, TxID: t.TxID, MessageID: m.MessageID}
	sms, err := s.creditNotice(ctx, a.CustomerID, t)
	if err != nil {
		return "", err
	}
	scope := "payment/in/" + t.TxID
	desc := p.Description
	if desc == "" {
		desc = "Pagesë nga " + t.Debtor.Name
	}
	err = s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       []string{a.ID, gl.settlement},
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			if _, replay, err := b.Idempotency(scope, t.TxID); err != nil || replay {
				return err
			}
			entryID, err := b.Post(ledger.Entry{Kind: "payment_in", Description: desc, Reference: id, Legs: []ledger.Leg{
				{AccountID: gl.settlement, Amount: -t.Amount.Minor, Description: desc},
				{AccountID: a.ID, Amount: t.Amount.Minor, Description: desc, Counterparty: t.Debtor.Name,
					CounterpartyIBAN: t.DebtorAccount.IBAN},
			}})
			if err != nil {
				return err
			}
			p.sendEntryID, p.CreatedAt, p.UpdatedAt, p.ExpiresAt = entryID, b.Now(), b.Now(), b.Now()
			b.Insert(paymentRow(p))
			b.Insert(eventRow(id, Credited, "", b.Now()))
			if sms.Recipient != "" {
				table, cols, vals, err := outbox.Row(b.Now(), sms)
				if err != nil {
					return err
				}
				b.Insert(ledger.Record{Table: table, Columns: cols, Values: vals})
			}
			b.RememberIdempotency(scope, t.TxID, id)
			return nil
		},
	})
	switch {
	case errors.Is(err, ledger.ErrAccountBlocked):
		return "AC06", nil
	case errors.Is(err, ledger.ErrAccountClosed):
		return "AC04", nil
	case err != nil:
		return "", err
	}
	if sms.Recipient != "" {
		s.kick()
	}
	return "", nil
}

// creditNotice is the SMS that tells the customer money arrived, or none without a mobile.
func (s *Service) creditNotice(ctx context.Context, customerID string, t iso20022.Transaction) (outbox.Message, error) {
	c, err := s.Customers.Get(ctx, customerID)
	if err != nil || c.Mobile == "" {
		return outbox.Message{}, err
	}
	body := s.Texts.Message(c.Language, TextCredited, map[string]string{"payer": t.Debtor.Name,
		"amount": i18n.FormatAmount(t.Amount.Minor, string(t.Amount.Currency), c.Language)})
	return outbox.Message{Channel: outbox.ChannelSMS, Recipient: c.Mobile, Body: body}, nil
}

// schemeOf reads which scheme an incoming payment came by.
func schemeOf(m iso20022.CreditTransfer, t iso20022.Transaction) string {
	switch {
	case t.ServiceLevel == "SEPA" && t.LocalInstrument == "INST":
		return SCTInst
	case t.ServiceLevel == "SEPA":
		return SCT
	case t.LocalInstrument == "INST":
		return Instant
	case m.ClearingSystem == "AIPS":
		return AIPS
	case m.ClearingSystem == "AECH":
		return AECH
	}
	return SWIFT
}

func typeOf(scheme string) string {
	switch scheme {
	case SCT, SCTInst:
		return SEPA
	case SWIFT:
		return International
	}
	return Domestic
}

// queueReturn writes the pacs.004 that returns back to the sending bank, pending, and delivers it.
func (s *Service) queueReturn(ctx context.Context, m iso20022.CreditTransfer, back []iso20022.Return) error {
	now := s.Ledger.Clock.Now()
	id := returnID(m.MessageID)
	doc, err := iso20022.PaymentReturn{MessageID: id, CreatedAt: now, SettlementDate: calendar.DateOf(now),
		InstructingAgent: iso20022.Agent{BIC: s.Own.BIC}, InstructedAgent: m.InstructingAgent, Returns: back}.Marshal()
	if err != nil {
		return err
	}
	scheme := schemeOf(m, m.Transactions[0])
	if _, err := s.Ledger.DB.Exec(ctx, `INSERT INTO clearing_messages (direction, id, name, scheme, status, document,
		attempts, last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, '', ?, ?)
		ON CONFLICT (direction, id) DO NOTHING`, Out, id, "pacs.004.001.09", scheme, msgPending, string(doc),
		db.Micros(now), db.Micros(now)); err != nil {
		return fmt.Errorf("queue return: %w", err)
	}
	return nil
}
