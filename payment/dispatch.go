package payment

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// How a payment leaves the bank, in three steps that each happen once however often they are tried:
//  1. capture: the hold is captured — the customer's money posted to outgoing clearing, the fee to fee income —
//     under the payment's own idempotency key (one ledger op per payment, so the group commit batches them); a
//     payment that may leave at once is captured in the op that holds it, as it is accepted;
//  2. assemble: captured payments not yet in a message are put in one (pacs.008, up to Config.MessageSize
//     transactions of one scheme), claimed with a guarded update so two instances never carry a payment twice;
//  3. deliver: a pending message is handed to the clearing house, again until it is taken (the clearing house
//     takes a message id once), and its payments become sent.

// Messages' statuses.
const (
	msgPending   = "pending"   // outgoing, not yet taken by the clearing house
	msgDelivered = "delivered" // outgoing, taken
	msgReceived  = "received"  // incoming, being processed
	msgProcessed = "processed" // incoming, done
)

// captureWorkers is how many ledger ops a session or a message queues at once: enough to fill the group commit's
// batches, so a session of many payments commits a few hundred at a time rather than a few dozen.
const captureWorkers = 256

// send sends the given payments, captured as they were accepted, now: assembled and delivered. One that is not
// captured yet is left to the dispatcher, which captures before it assembles.
func (s *Service) send(ctx context.Context, ids []string) error {
	msgs, err := s.assemble(ctx, ids)
	if err != nil {
		return err
	}
	// Only the messages made here: the dispatcher delivers the others, so concurrent requests do not take turns
	// at each other's.
	for _, m := range msgs {
		if err := s.deliver(ctx, m.id, m.scheme, m.doc); err != nil {
			return err
		}
	}
	return nil
}

// message is an outgoing message as assemble made it.
type message struct {
	id, scheme string
	doc        []byte
}

// capture posts each payment's held money to outgoing clearing. A payment captured already is skipped.
func (s *Service) capture(ctx context.Context, ids []string) error {
	ps, err := s.byIDs(ctx, ids)
	if err != nil {
		return err
	}
	return parallel(len(ps), func(i int) error {
		err := s.captureOne(ctx, ps[i])
		if s.refused(err) {
			// The account was blocked or closed since the payment was accepted: nothing can leave it, so the hold
			// is lifted and the payment fails, rather than be tried again for ever.
			return s.abandon(ctx, ps[i].ID, err)
		}
		if err != nil {
			return fmt.Errorf("capture payment %s: %w", ps[i].ID, err)
		}
		return nil
	})
}

// abandon lifts a held payment's hold and records it failed with the refusal's code.
func (s *Service) abandon(ctx context.Context, id string, cause error) error {
	p, err := s.byID(ctx, id)
	if err != nil {
		return err
	}
	scope := "payment/" + p.ID + "/send"
	return s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       []string{p.AccountID},
		Holds:          []string{p.holdID},
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			if _, replay, err := b.Idempotency(scope, p.ID); err != nil || replay {
				return err
			}
			if err := b.ReleaseHold(p.holdID, ledger.HoldReleased); err != nil {
				return err
			}
			code := codeOf(cause)
			b.Update(ledger.Record{Table: "payments", Columns: []string{"id", "status", "reason", "updated_at"},
				Values: []any{p.ID, Failed, code, db.Micros(b.Now())}})
			b.Insert(eventRow(p.ID, Failed, code, b.Now()))
			b.RememberIdempotency(scope, p.ID, p.ID)
			return nil
		},
	})
}

// parallel runs work(0…n-1) on captureWorkers goroutines, so that each ledger op waits for its batch's commit
// beside the others rather than after them, and answers the first error.
func parallel(n int, work func(i int) error) error {
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	next := make(chan int)
	for range min(captureWorkers, n) {
		wg.Go(func() {
			for i := range next {
				if err := work(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

func (s *Service) captureOne(ctx context.Context, p Payment) error {
	if p.Direction != Out || p.holdID == "" || p.sendEntryID != "" || (p.Status != Accepted && p.Status != Waiting) {
		return nil
	}
	legs, accounts, err := s.sendLegs(ctx, p)
	if err != nil {
		return err
	}
	scope := "payment/" + p.ID + "/send"
	return s.Ledger.Submit(ctx, ledger.Op{
		Accounts:       accounts,
		Holds:          []string{p.holdID},
		IdempotencyKey: scope,
		Run: func(b *ledger.Batch) error {
			if _, replay, err := b.Idempotency(scope, p.ID); err != nil || replay {
				return err
			}
			entryID, err := captureSend(b, p, legs)
			if err != nil {
				return err
			}
			b.Update(ledger.Record{Table: "payments", Columns: []string{"id", "send_entry_id", "updated_at"},
				Values: []any{p.ID, entryID, db.Micros(b.Now())}})
			b.RememberIdempotency(scope, p.ID, p.ID)
			return nil
		},
	})
}

// sendLegs are the postings of sending p and the accounts they touch: the customer's money to outgoing clearing
// and the fee to fee income, in the payment's currency. A payment in another currency than its account's buys it
// through the bank's FX positions at the rate it was accepted at (fx.ExchangeLegs): the account gives Charged,
// and Debited reaches clearing, less the fee.
func (s *Service) sendLegs(ctx context.Context, p Payment) ([]ledger.Leg, []string, error) {
	gl, err := s.gl(ctx, p.Amount.Currency)
	if err != nil {
		return nil, nil, err
	}
	desc := p.Description
	if desc == "" {
		desc = "Pagesë"
	}
	legs := []ledger.Leg{
		{AccountID: p.AccountID, Amount: -p.Debited().Minor},
		{AccountID: gl.clearing, Amount: p.SentAmount().Minor},
		{AccountID: gl.fees, Amount: p.Fee.Minor},
	}
	if p.Converted() {
		x, err := s.FX.ExchangeLegs(ctx, fx.Exchange{From: p.AccountID, Sell: p.Exchange.Charged, To: gl.clearing,
			Buy: p.Debited(), Income: p.Exchange.Income, Rounding: p.Exchange.Rounding})
		if err != nil {
			return nil, nil, err
		}
		// The exchange pays Debited into clearing; the fee's share of it goes on to fee income.
		legs = append(x, ledger.Leg{AccountID: gl.clearing, Amount: -p.Fee.Minor},
			ledger.Leg{AccountID: gl.fees, Amount: p.Fee.Minor})
	}
	legs, accounts := fx.MergeLegs(legs)
	for i := range legs {
		switch legs[i].AccountID {
		case p.AccountID, gl.clearing:
			legs[i].Description, legs[i].Counterparty, legs[i].CounterpartyIBAN = desc, p.Beneficiary.Name, p.Beneficiary.IBAN
		case gl.fees:
			legs[i].Description = "Komision pagese " + p.Scheme
		default:
			legs[i].Description = "Këmbim valutor " + p.Scheme
		}
	}
	return legs, accounts, nil
}

// captureSend captures p's hold in b with the send legs (sendLegs), the entry payment_out. It answers the entry's
// id.
func captureSend(b *ledger.Batch, p Payment, legs []ledger.Leg) (string, error) {
	return b.CaptureHold(p.holdID, p.Charged().Minor, ledger.Entry{Kind: "payment_out", Description: legs[0].Description,
		Reference: p.ID, Legs: legs})
}

// glAccounts are the bank's accounts a payment in one currency passes through.
type glAccounts struct{ clearing, fees, settlement string }

func (s *Service) gl(ctx context.Context, c money.Currency) (glAccounts, error) {
	if g, ok := s.glCache.Load(c); ok {
		return g.(glAccounts), nil
	}
	var g glAccounts
	for _, x := range []struct {
		typ string
		id  *string
	}{{ledger.TypeClearing, &g.clearing}, {ledger.TypeFees, &g.fees}, {ledger.TypeSettlement, &g.settlement}} {
		a, err := s.Ledger.Store.GL(ctx, ledger.GLCode(x.typ, c))
		if err != nil {
			return glAccounts{}, fmt.Errorf("GL %s: %w", ledger.GLCode(x.typ, c), err)
		}
		*x.id = a.ID
	}
	s.glCache.Store(c, g) // the bank's GL accounts never change
	return g, nil
}

// assemble puts captured payments not yet carried by a message into messages, by scheme, MessageSize at most
// each; ids limits it to those payments (nil: every one waiting).
func (s *Service) assemble(ctx context.Context, ids []string) ([]message, error) {
	q := selectPayment + " WHERE p.direction = ? AND p.send_entry_id IS NOT NULL AND p.message_id = '' AND p.status IN (?, ?)"
	args := []any{Out, Accepted, Waiting}
	if ids != nil {
		in, inArgs := s.Ledger.DB.In("p.id", ids)
		q, args = q+" AND "+in, append(args, inArgs...)
	}
	rows, err := s.Ledger.DB.Query(ctx, q+" ORDER BY p.scheme, p.id", args...)
	if err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	ready, err := db.Collect(rows, scanPayment)
	if err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	size := max(1, s.Config.MessageSize)
	var made []message
	for len(ready) > 0 {
		n := 1
		for n < len(ready) && n < size && ready[n].Scheme == ready[0].Scheme {
			n++
		}
		m, err := s.assembleOne(ctx, ready[:n])
		if err != nil {
			return made, err
		}
		if m.id != "" {
			made = append(made, m)
		}
		ready = ready[n:]
	}
	return made, nil
}

// assembleOne claims ps for one new message and stores it pending, in one transaction of two round trips (the
// claim, then the message with the commit): a session's thousands of messages, or an instant payment's one, wait
// on the database as little as they can. A payment another instance claimed first is left out.
func (s *Service) assembleOne(ctx context.Context, ps []Payment) (message, error) {
	id := strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
	now := s.Ledger.Clock.Now()
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	in, inArgs := s.Ledger.DB.In("id", ids)
	var m message
	var mine map[string]bool
	err := s.Ledger.DB.PipelinedTx(ctx, func() []db.Read {
		m, mine = message{}, map[string]bool{}
		return []db.Read{{SQL: "UPDATE payments SET message_id = ?, updated_at = ? WHERE message_id = '' AND " + in +
			" RETURNING id", Args: append([]any{id, db.Micros(now)}, inArgs...), Each: func(r db.Scanner) error {
			var claimed string
			err := r.Scan(&claimed)
			mine[claimed] = true
			return err
		}}}
	}, func() ([]db.Stmt, error) {
		var carried []Payment
		for _, p := range ps {
			if mine[p.ID] {
				carried = append(carried, p)
			}
		}
		if len(carried) == 0 {
			return nil, nil
		}
		doc, err := s.creditTransfer(ctx, id, now, carried)
		if err != nil {
			return nil, err
		}
		m = message{id: id, scheme: carried[0].Scheme, doc: doc}
		return []db.Stmt{{SQL: `INSERT INTO clearing_messages (direction, id, name, scheme, status, document, attempts,
			last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, '', ?, ?)`,
			Args: []any{Out, id, "pacs.008.001.08", carried[0].Scheme, msgPending, string(doc), db.Micros(now),
				db.Micros(now)}}}, nil
	})
	return m, err
}

// clearingSystems names each scheme's system in the message's settlement information.
var clearingSystems = map[string]string{AECH: "AECH", AIPS: "AIPS", Instant: "AIPI", SCT: "STEP2", SCTInst: "RT1",
	SWIFT: ""}

// creditTransfer writes the pacs.008 that carries ps, all of one scheme.
func (s *Service) creditTransfer(ctx context.Context, id string, now time.Time, ps []Payment) ([]byte, error) {
	settle, err := s.settlementDate(ctx, ps[0].Scheme, now)
	if err != nil {
		return nil, err
	}
	m := iso20022.CreditTransfer{MessageID: id, CreatedAt: now, SettlementDate: settle, SettlementMethod: "CLRG",
		ClearingSystem: clearingSystems[ps[0].Scheme], InstructingAgent: iso20022.Agent{BIC: s.Own.BIC}}
	if ps[0].Scheme == SWIFT {
		m.SettlementMethod = "INDA"
	}
	for _, p := range ps {
		m.Transactions = append(m.Transactions, s.transaction(ctx, p))
	}
	return m.Marshal()
}

// transaction is p as one credit transfer of a pacs.008.
func (s *Service) transaction(ctx context.Context, p Payment) iso20022.Transaction {
	b := p.Beneficiary
	t := iso20022.Transaction{InstructionID: p.TxID, EndToEndID: p.EndToEndID, TxID: p.TxID,
		Amount: p.SentAmount(), ChargeBearer: chargeBearer(p), Remittance: p.Description,
		Debtor:        iso20022.Party{Name: s.payerName(ctx, p)},
		DebtorAccount: iso20022.Account{IBAN: p.AccountIBAN}, DebtorAgent: iso20022.Agent{BIC: s.Own.BIC},
		Creditor: iso20022.Party{Name: b.Name, Address: iso20022.Address{Street: b.Address.Street,
			PostalCode: b.Address.PostalCode, City: b.Address.City, Country: b.Address.Country}},
		CreditorAccount: iso20022.Account{IBAN: b.IBAN, Other: b.AccountNumber},
		CreditorAgent:   iso20022.Agent{BIC: b.BIC},
		Purpose:         "", CategoryPurpose: p.Purpose.Category}
	switch {
	case b.BIC != "":
	case b.BankName != "":
		t.CreditorAgent = iso20022.Agent{Name: b.BankName, Address: iso20022.Address{Lines: []string{b.BankAddress},
			Country: b.Address.Country}}
	default:
		// SEPA by IBAN alone: the IBAN names the bank, and the scheme routes by it ("IBAN-only").
		t.CreditorAgent = iso20022.Agent{Name: "NOTPROVIDED"}
	}
	switch p.Scheme {
	case SCT:
		t.ServiceLevel = "SEPA"
	case SCTInst:
		t.ServiceLevel, t.LocalInstrument = "SEPA", "INST"
	case Instant:
		t.LocalInstrument = "INST"
	}
	return t
}

// chargeBearer is the ISO 20022 code for who bears the charges; SEPA's is always SLEV.
func chargeBearer(p Payment) string {
	switch {
	case p.Scheme == SCT || p.Scheme == SCTInst:
		return "SLEV"
	case p.Charges == ChargesOUR:
		return "DEBT"
	case p.Charges == ChargesBEN:
		return "CRED"
	}
	return "SHAR"
}

// settlementDate is the interbank settlement date of a message sent at now: today for the systems that settle
// the same day, the next working day for SEPA's SCT (D+1) and SWIFT.
func (s *Service) settlementDate(ctx context.Context, scheme string, now time.Time) (calendar.Date, error) {
	today := calendar.DateOf(now)
	if scheme == SCT || scheme == SWIFT {
		return s.Calendar.NextWorkingDay(ctx, today)
	}
	return today, nil
}

// payerName is the name of the customer who pays, as the message carries it.
func (s *Service) payerName(ctx context.Context, p Payment) string {
	names, err := s.Customers.Names(ctx, p.CustomerID)
	if err != nil {
		return "Klient"
	}
	if n := names[p.CustomerID]; n != "" {
		return n
	}
	return "Klient"
}

// deliverPending hands every pending outgoing message to the clearing house, oldest first. A message it does not
// take stays pending with the error and is tried again on the next call; its payments wait.
func (s *Service) deliverPending(ctx context.Context) error {
	if s.Clearing == nil {
		return nil // nothing leaves until a way to the clearing house is configured
	}
	rows, err := s.Ledger.DB.Query(ctx, `SELECT id, scheme, document FROM clearing_messages
		WHERE direction = ? AND status = ? ORDER BY created_at, id LIMIT 1000`, Out, msgPending)
	if err != nil {
		return fmt.Errorf("pending messages: %w", err)
	}
	type pending struct{ id, scheme, doc string }
	msgs, err := db.Collect(rows, func(r db.Scanner) (pending, error) {
		var m pending
		return m, r.Scan(&m.id, &m.scheme, &m.doc)
	})
	if err != nil {
		return fmt.Errorf("pending messages: %w", err)
	}
	var first error
	for _, m := range msgs {
		if err := s.deliver(ctx, m.id, m.scheme, []byte(m.doc)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// errNotTaken wraps what the clearing side answered when it did not take a message.
var errNotTaken = errors.New("the clearing house did not take the message")

func (s *Service) deliver(ctx context.Context, id, scheme string, doc []byte) error {
	now := s.Ledger.Clock.Now()
	if sendErr := s.Clearing.Send(ctx, scheme, doc); sendErr != nil {
		_, err := s.Ledger.DB.Exec(ctx, `UPDATE clearing_messages SET attempts = attempts + 1, last_error = ?,
			updated_at = ? WHERE direction = ? AND id = ? AND status = ?`, clip(sendErr.Error(), 500), db.Micros(now),
			Out, id, msgPending)
		if err != nil {
			return err
		}
		return fmt.Errorf("%w: message %s: %w", errNotTaken, id, sendErr)
	}
	// Taken: the message becomes delivered and its payments sent, once (a message delivered already is left as it
	// is), in one transaction of two round trips — the message's row locked and read, then the writes and commit.
	var pending bool
	return s.Ledger.DB.PipelinedTx(ctx, func() []db.Read {
		pending = false
		return []db.Read{{SQL: "SELECT status FROM clearing_messages WHERE direction = ? AND id = ?" +
			s.Ledger.DB.ForUpdate(), Args: []any{Out, id}, Each: func(r db.Scanner) error {
			var status string
			err := r.Scan(&status)
			pending = status == msgPending
			return err
		}}}
	}, func() ([]db.Stmt, error) {
		if !pending {
			return nil, nil
		}
		return []db.Stmt{
			{SQL: `UPDATE clearing_messages SET status = ?, attempts = attempts + 1, last_error = '', updated_at = ?
				WHERE direction = ? AND id = ?`, Args: []any{msgDelivered, db.Micros(now), Out, id}},
			{SQL: `INSERT INTO payment_events (id, payment_id, status, reason, at) SELECT id || ':sent', id, ?, '', ?
				FROM payments WHERE message_id = ? AND message_id <> '' AND direction = ? AND status IN (?, ?)`,
				Args: []any{Sent, db.Micros(now), id, Out, Accepted, Waiting}},
			{SQL: `UPDATE payments SET status = ?, updated_at = ? WHERE message_id = ? AND message_id <> '' AND direction = ?
				AND status IN (?, ?)`, Args: []any{Sent, db.Micros(now), id, Out, Accepted, Waiting}},
		}, nil
	})
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// RunSession runs a clearing session now (AECH): every held domestic payment whose value date has come is sent
// in this session's messages. The periodic job calls it at each of Config.Sessions on working days; staff may
// run one by hand (`kumbara admin clearing session`). It answers how many payments it sent.
func (s *Service) RunSession(ctx context.Context) (int, error) {
	today := calendar.DateOf(s.Ledger.Clock.Now())
	rows, err := s.Ledger.DB.Query(ctx, `SELECT id FROM payments WHERE status IN (?, ?) AND scheme = ? AND direction = ?
		AND value_date <= ? ORDER BY id`, Accepted, Waiting, AECH, Out, today.String())
	if err != nil {
		return 0, fmt.Errorf("session: %w", err)
	}
	ids, err := db.Collect(rows, func(r db.Scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("session: %w", err)
	}
	if err := s.capture(ctx, ids); err != nil {
		return 0, err
	}
	if _, err := s.assemble(ctx, nil); err != nil {
		return 0, err
	}
	return len(ids), s.deliverPending(ctx)
}

// SessionDue reports whether a clearing session is due in (from, to]: a working day's session time passed.
func (s *Service) SessionDue(ctx context.Context, from, to time.Time) (bool, error) {
	for d := calendar.DateOf(from); !d.After(calendar.DateOf(to)); d = d.AddDays(1) {
		working, err := s.Calendar.IsWorkingDay(ctx, d)
		if err != nil {
			return false, err
		}
		if !working {
			continue
		}
		for _, at := range s.Config.Sessions {
			t := d.Start().Add(at)
			if t.After(from) && !t.After(to) {
				return true, nil
			}
		}
	}
	return false, nil
}

// Dispatch is the dispatcher's round (a periodic job, every few seconds): it holds confirmed payments the request
// that confirmed them could not, sends held payments whose scheme is open and value date has come (not AECH's,
// which wait for their session), assembles what was captured, delivers pending messages again, and expires
// payments whose confirmation did not come.
func (s *Service) Dispatch(ctx context.Context) error {
	now := s.Ledger.Clock.Now()
	if err := s.acceptStale(ctx, now); err != nil {
		return err
	}
	rows, err := s.Ledger.DB.Query(ctx, `SELECT id, scheme, value_date FROM payments WHERE status IN (?, ?)
		AND direction = ? AND scheme <> ? ORDER BY id LIMIT 10000`, Accepted, Waiting, Out, AECH)
	if err != nil {
		return fmt.Errorf("dispatch: %w", err)
	}
	type held struct{ id, scheme, vd string }
	list, err := db.Collect(rows, func(r db.Scanner) (held, error) {
		var h held
		return h, r.Scan(&h.id, &h.scheme, &h.vd)
	})
	if err != nil {
		return fmt.Errorf("dispatch: %w", err)
	}
	var due []string
	for _, h := range list {
		vd, err := calendar.ParseDate(h.vd)
		if err != nil {
			return err
		}
		ok, err := s.sendable(ctx, h.scheme, vd, now)
		if err != nil {
			return err
		}
		if ok {
			due = append(due, h.id)
		}
	}
	if err := s.capture(ctx, due); err != nil {
		return err
	}
	if _, err := s.assemble(ctx, nil); err != nil {
		return err
	}
	if err := s.deliverPending(ctx); err != nil && !errors.Is(err, errNotTaken) {
		return err
	}
	return s.expireLapsed(ctx, now)
}

// acceptStale holds the confirmed payments whose confirming request did not (it ended, or the instance died).
func (s *Service) acceptStale(ctx context.Context, now time.Time) error {
	rows, err := s.Ledger.DB.Query(ctx, selectPayment+" WHERE p.status = ? AND p.updated_at < ? LIMIT 1000",
		Confirmed, db.Micros(now.Add(-30*time.Second)))
	if err != nil {
		return fmt.Errorf("stale confirmations: %w", err)
	}
	ps, err := db.Collect(rows, scanPayment)
	if err != nil {
		return fmt.Errorf("stale confirmations: %w", err)
	}
	for _, p := range ps {
		if _, _, err := s.accept(ctx, p, confirmScope(p), p.ID, false); err != nil {
			if !s.refused(err) {
				return err
			}
			s.fail(ctx, p, err)
		}
	}
	return nil
}

// expireLapsed records the payments whose time to be confirmed passed as expired.
func (s *Service) expireLapsed(ctx context.Context, now time.Time) error {
	rows, err := s.Ledger.DB.Query(ctx, "SELECT id FROM payments WHERE status = ? AND expires_at <= ? LIMIT 1000",
		PendingConfirmation, db.Micros(now))
	if err != nil {
		return fmt.Errorf("expire payments: %w", err)
	}
	ids, err := db.Collect(rows, func(r db.Scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	if err != nil {
		return fmt.Errorf("expire payments: %w", err)
	}
	for _, id := range ids {
		s.expire(ctx, id)
	}
	return nil
}

// byIDs reads the payments ids names, a thousand at a time; an unknown id is left out.
func (s *Service) byIDs(ctx context.Context, ids []string) ([]Payment, error) {
	var out []Payment
	for start := 0; start < len(ids); start += 1000 {
		in, args := s.Ledger.DB.In("p.id", ids[start:min(start+1000, len(ids))])
		rows, err := s.Ledger.DB.Query(ctx, selectPayment+" WHERE "+in, args...)
		if err != nil {
			return nil, fmt.Errorf("read payments: %w", err)
		}
		ps, err := db.Collect(rows, scanPayment)
		if err != nil {
			return nil, fmt.Errorf("read payments: %w", err)
		}
		out = append(out, ps...)
	}
	return out, nil
}
