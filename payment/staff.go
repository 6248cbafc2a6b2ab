package payment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

// Payments as the bank's staff see them (the back office, `kumbara admin clearing …`), whoever's they are: the
// search across customers (Search), one payment's journey through the books and the clearing messages (Journey),
// and a day's clearing messages with what waits to leave (Sessions, Message). Reading changes no payment; the
// permission to read (payments.read) and to run the clearing side by hand (clearing.operate: RunSession,
// Dispatch) is the transports'.

// Statuses lists every status a payment goes through, in the order of a payment's life.
func Statuses() []string { return slices.Clone(lifecycle) }

// Statuses of the clearing messages, as staff see them.
const (
	MessagePending   = msgPending   // outgoing, not yet taken by the clearing house
	MessageDelivered = msgDelivered // outgoing, taken
	MessageReceived  = msgReceived  // incoming, being processed
	MessageProcessed = msgProcessed // incoming, done
)

// StaffFilter narrows the staff's search of payments. Zero fields do not filter.
type StaffFilter struct {
	CustomerID string
	// IBAN is either side's: the customer's account or the counterparty's, as typed (spaces and lower case too).
	IBAN      string
	Status    []string // any of these statuses
	Scheme    string
	Direction string
	From, To  time.Time // created in [From, To)
	Limit     int       // at most MaxSearch; 0 is 25
	Before    string    // a payment's Cursor: only the payments created before it
}

// MaxSearch is the most payments one search answers.
const MaxSearch = 100

// Cursor marks p's place in a search, newest first, for the next page (StaffFilter.Before).
func (p Payment) Cursor() string {
	return strconv.FormatInt(db.Micros(p.CreatedAt), 10) + "." + p.ID
}

// readCursor reads a Cursor.
func readCursor(c string) (int64, string, bool) {
	at, id, ok := strings.Cut(c, ".")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || n < 0 || id == "" || len(id) > 64 || !text.Storable(id) {
		return 0, "", false
	}
	return n, id, true
}

// Search finds payments to and from other banks across customers, the newest first, by (created_at, id) so a page
// follows another however many share a time. Every field's problem is said at once inside validation_failed: an
// IBAN that is not one (the iban package's code), a status, scheme or direction the bank does not have (invalid), a
// cursor that is not one (invalid_query), a range that ends before it starts (invalid_date_range).
func (s *Service) Search(ctx context.Context, f StaffFilter) ([]Payment, error) {
	var problems []kumbara.FieldError
	q, args := selectPayment+" WHERE 1 = 1", []any{}
	if f.CustomerID != "" {
		if !text.Storable(f.CustomerID) {
			return nil, nil
		}
		q, args = q+" AND p.customer_id = ?", append(args, f.CustomerID)
	}
	if strings.TrimSpace(f.IBAN) != "" {
		ib, err := iban.Parse(f.IBAN)
		if err != nil {
			problems = append(problems, fieldOf(err, "iban"))
		} else {
			a, err := s.Ledger.Store.ByIBAN(ctx, ib.String())
			switch {
			case err == nil:
				q, args = q+" AND (p.account_id = ? OR p.cp_iban = ?)", append(args, a.ID, ib.String())
			case errors.Is(err, ledger.ErrAccountNotFound):
				q, args = q+" AND p.cp_iban = ?", append(args, ib.String())
			default:
				return nil, err
			}
		}
	}
	if len(f.Status) > 0 {
		for _, st := range f.Status {
			if !slices.Contains(lifecycle, st) {
				problems = append(problems, kumbara.ErrInvalid.At("status"))
				break
			}
		}
		q += " AND p.status IN (" + db.Placeholders(len(f.Status)) + ")"
		for _, st := range f.Status {
			args = append(args, st)
		}
	}
	if f.Scheme != "" {
		if !slices.Contains(Schemes(), f.Scheme) {
			problems = append(problems, kumbara.ErrInvalid.At("scheme"))
		}
		q, args = q+" AND p.scheme = ?", append(args, f.Scheme)
	}
	if f.Direction != "" {
		if f.Direction != Out && f.Direction != In {
			problems = append(problems, kumbara.ErrInvalid.At("direction"))
		}
		q, args = q+" AND p.direction = ?", append(args, f.Direction)
	}
	if !f.From.IsZero() {
		q, args = q+" AND p.created_at >= ?", append(args, db.Micros(f.From))
	}
	if !f.To.IsZero() {
		q, args = q+" AND p.created_at < ?", append(args, db.Micros(f.To))
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		problems = append(problems, ledger.ErrInvalidDateRange.At("to"))
	}
	if f.Before != "" {
		at, id, ok := readCursor(f.Before)
		if !ok {
			problems = append(problems, kumbara.ErrInvalidQuery.At("before"))
		}
		q, args = q+" AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))", append(args, at, at, id)
	}
	if len(problems) > 0 {
		return nil, kumbara.ErrValidationFailed.WithFields(problems...)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxSearch {
		limit = 25
	}
	rows, err := s.Ledger.DB.Query(ctx, q+" ORDER BY p.created_at DESC, p.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("search payments: %w", err)
	}
	return db.Collect(rows, scanPayment)
}

// fieldOf is a domain error as the problem of one field.
func fieldOf(err error, field string) kumbara.FieldError {
	if e, ok := kumbara.As(err); ok {
		return e.At(field)
	}
	return kumbara.ErrInvalid.At(field)
}

// Roles of what a clearing message says about one transaction (clearing_message_items).
const (
	RoleCarried = "carried" // a pacs.008 carried it
	RoleStatus  = "status"  // a pacs.002 gave its status
	RoleReturn  = "return"  // a pacs.004 returned it
)

// Message is one clearing message, out or in, as staff follow it.
type Message struct {
	Direction, ID, Name, Scheme, Status string
	Attempts                            int
	LastError                           string // why the clearing house did not take it the last time
	CreatedAt, UpdatedAt                time.Time
	// Count is how many transactions it carried or named, Total their amount (a status report's is zero), and
	// Rejected how many of a status report's are rejections.
	Count, Rejected int
	Total           money.Amount
	// Items is what it said about one payment (a journey's); Document the message itself (a journey's, Message's).
	Items    []MessageItem
	Document []byte
}

// MessageItem is what a message carried or said about one transaction.
type MessageItem struct {
	Role, TxID, EndToEndID string
	Amount                 money.Amount
	Status, Reason         string // a status report's (ACSC, RJCT…) and a rejection's or a return's reason
}

// Journey is one payment as staff follow it: the payment with every status it went through, the hold on the
// customer's money, its entries in the books, and every clearing message that carried it or answered it.
type Journey struct {
	Payment  Payment
	Hold     *ledger.Hold
	Entries  []JourneyEntry
	Messages []Message // oldest first, each with the items about this payment and its document
}

// JourneyEntry is one of a payment's entries in the books, with the step it was: sent (the customer's money to
// outgoing clearing and the fee to income), credited (an incoming payment on the customer's account), settled,
// rejected or returned.
type JourneyEntry struct {
	Step  string
	Entry ledger.JournalEntry
}

// Journey returns any customer's payment with its journey; an unknown id is payment_not_found.
func (s *Service) Journey(ctx context.Context, id string) (Journey, error) {
	if id == "" || len(id) > 64 || !text.Storable(id) {
		return Journey{}, ErrNotFound
	}
	p, err := s.byID(ctx, id)
	if err != nil {
		return Journey{}, err
	}
	if p.Events, err = s.events(ctx, p.ID); err != nil {
		return Journey{}, err
	}
	j := Journey{Payment: p}
	if p.holdID != "" {
		h, err := s.Ledger.Store.GetHold(ctx, p.holdID)
		if err != nil && !errors.Is(err, ledger.ErrHoldNotFound) {
			return Journey{}, err
		}
		if err == nil {
			j.Hold = &h
		}
	}
	if j.Entries, err = s.entriesOf(ctx, p); err != nil {
		return Journey{}, err
	}
	if j.Messages, err = s.messagesOf(ctx, p); err != nil {
		return Journey{}, err
	}
	return j, nil
}

// entriesOf reads a payment's entries in the books, in the order they were posted.
func (s *Service) entriesOf(ctx context.Context, p Payment) ([]JourneyEntry, error) {
	type step struct{ name, id string }
	var steps []step
	if p.sendEntryID != "" {
		name := "sent"
		if p.Direction == In {
			name = Credited
		}
		steps = append(steps, step{name, p.sendEntryID})
	}
	if p.Status == Returned {
		// A return's entry took the end's place on the payment; the settlement before it is the settlement
		// account's posting of the sent amount at the instant the payment was settled.
		for _, e := range p.Events {
			if e.Status != Settled {
				continue
			}
			id, err := s.settlementAt(ctx, p, e.At)
			if err != nil {
				return nil, err
			}
			if id != "" {
				steps = append(steps, step{Settled, id})
			}
		}
	}
	if p.endEntryID != "" {
		steps = append(steps, step{p.Status, p.endEntryID})
	}
	var out []JourneyEntry
	for _, st := range steps {
		e, err := s.Ledger.Store.JournalEntry(ctx, st.id)
		if err != nil {
			return nil, fmt.Errorf("payment %s: entry %s: %w", p.ID, st.id, err)
		}
		out = append(out, JourneyEntry{Step: st.name, Entry: e})
	}
	return out, nil
}

// settlementAt finds the entry that settled p at the instant at: the one settlement-account posting of p's sent
// amount paid out then ("" when there is none, or more than one payment of that amount settled at that instant).
func (s *Service) settlementAt(ctx context.Context, p Payment, at time.Time) (string, error) {
	gl, err := s.gl(ctx, p.Amount.Currency)
	if err != nil {
		return "", err
	}
	period, err := s.Ledger.Store.Statement(ctx, gl.settlement, at, at.Add(time.Microsecond))
	if err != nil {
		return "", err
	}
	var found []string
	for _, l := range period.Lines {
		if l.Amount == p.SentAmount().Minor {
			found = append(found, l.EntryID)
		}
	}
	if len(found) != 1 {
		return "", nil
	}
	return found[0], nil
}

// messagesOf finds every message that carried p or named it: out, the pacs.008 that carried it and the status
// reports and returns that answered it; in, the pacs.008 that brought it.
func (s *Service) messagesOf(ctx context.Context, p Payment) ([]Message, error) {
	if err := s.indexMessages(ctx); err != nil {
		return nil, err
	}
	rows, err := s.Ledger.DB.Query(ctx, `SELECT i.direction, i.message_id, i.role, i.tx_id, i.end_to_end_id, i.amount,
		i.currency, i.status, i.reason, m.name, m.scheme, m.status, m.attempts, m.last_error, m.created_at,
		m.updated_at, m.document FROM clearing_message_items i
		JOIN clearing_messages m ON m.direction = i.direction AND m.id = i.message_id
		WHERE i.tx_id = ? ORDER BY m.created_at, CASE i.role WHEN 'carried' THEN 0 WHEN 'status' THEN 1 ELSE 2 END,
		m.id, i.seq`, p.TxID)
	if err != nil {
		return nil, fmt.Errorf("payment messages: %w", err)
	}
	type row struct {
		m    Message
		item MessageItem
	}
	found, err := db.Collect(rows, func(r db.Scanner) (row, error) {
		var x row
		var minor, created, updated int64
		var cur, doc string
		err := r.Scan(&x.m.Direction, &x.m.ID, &x.item.Role, &x.item.TxID, &x.item.EndToEndID, &minor, &cur,
			&x.item.Status, &x.item.Reason, &x.m.Name, &x.m.Scheme, &x.m.Status, &x.m.Attempts, &x.m.LastError,
			&created, &updated, &doc)
		x.item.Amount = money.New(minor, money.Currency(cur))
		x.m.CreatedAt, x.m.UpdatedAt, x.m.Document = db.FromMicros(created), db.FromMicros(updated), []byte(doc)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("payment messages: %w", err)
	}
	// Transaction ids are unique only per sending bank: keep what can be about this payment's direction.
	about := map[string]bool{Out + RoleCarried: true, In + RoleStatus: true, In + RoleReturn: true}
	if p.Direction == In {
		about = map[string]bool{In + RoleCarried: true, Out + RoleReturn: true}
	}
	var out []Message
	for _, x := range found {
		if !about[x.m.Direction+x.item.Role] {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Direction == x.m.Direction && out[n-1].ID == x.m.ID {
			out[n-1].Items = append(out[n-1].Items, x.item)
			continue
		}
		x.m.Items = []MessageItem{x.item}
		out = append(out, x.m)
	}
	return out, nil
}

// Message returns one clearing message with its document; an unknown one is not_found.
func (s *Service) Message(ctx context.Context, direction, id string) (Message, error) {
	if (direction != In && direction != Out) || id == "" || len(id) > 64 || !text.Storable(id) {
		return Message{}, kumbara.ErrNotFound
	}
	var m Message
	var created, updated int64
	var doc string
	err := s.Ledger.DB.QueryRow(ctx, `SELECT direction, id, name, scheme, status, attempts, last_error, created_at,
		updated_at, document FROM clearing_messages WHERE direction = ? AND id = ?`, direction, id).Scan(&m.Direction,
		&m.ID, &m.Name, &m.Scheme, &m.Status, &m.Attempts, &m.LastError, &created, &updated, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, kumbara.ErrNotFound
	}
	if err != nil {
		return Message{}, fmt.Errorf("clearing message: %w", err)
	}
	m.CreatedAt, m.UpdatedAt, m.Document = db.FromMicros(created), db.FromMicros(updated), []byte(doc)
	return m, nil
}

// ClearingDay is a day of the clearing side as staff watch it: the clearing house's sessions that day, the
// domestic payments held for the next one, the outgoing messages it has not taken yet (whatever day they were
// written: while the clearing house is down they wait, each with its attempts and last error), and every message
// out and in of the day.
type ClearingDay struct {
	Day      calendar.Date
	Working  bool
	Sessions []time.Time // the AECH sessions of the day; none on a day the bank is closed
	Waiting  int         // domestic payments held for a session and due by the day, not yet in a message
	Pending  []Message   // outgoing messages not yet taken, oldest first
	Messages []Message   // the day's, oldest first, at most MaxDayMessages
	More     bool        // the day had more messages than those
}

// MaxDayMessages is the most messages Sessions lists of a day.
const MaxDayMessages = 500

// Sessions reads the clearing side's day.
func (s *Service) Sessions(ctx context.Context, day calendar.Date) (ClearingDay, error) {
	d := ClearingDay{Day: day}
	var err error
	if d.Working, err = s.Calendar.IsWorkingDay(ctx, day); err != nil {
		return ClearingDay{}, err
	}
	if d.Working {
		for _, at := range s.Config.Sessions {
			d.Sessions = append(d.Sessions, day.Start().Add(at))
		}
	}
	if d.Waiting, err = s.waitingForSession(ctx, day); err != nil {
		return ClearingDay{}, err
	}
	if err := s.indexMessages(ctx); err != nil {
		return ClearingDay{}, err
	}
	if d.Pending, err = s.messages(ctx, "m.direction = ? AND m.status = ?", []any{Out, msgPending}, MaxDayMessages); err != nil {
		return ClearingDay{}, err
	}
	d.Messages, err = s.messages(ctx, "m.created_at >= ? AND m.created_at < ?",
		[]any{db.Micros(day.Start()), db.Micros(day.AddDays(1).Start())}, MaxDayMessages+1)
	if err != nil {
		return ClearingDay{}, err
	}
	if len(d.Messages) > MaxDayMessages {
		d.Messages, d.More = d.Messages[:MaxDayMessages], true
	}
	return d, nil
}

// messages lists the messages where says, oldest first, each with what its items add up to.
func (s *Service) messages(ctx context.Context, where string, args []any, limit int) ([]Message, error) {
	rows, err := s.Ledger.DB.Query(ctx, `SELECT m.direction, m.id, m.name, m.scheme, m.status, m.attempts, m.last_error,
		m.created_at, m.updated_at, COUNT(i.seq), COALESCE(SUM(i.amount), 0), COALESCE(MIN(i.currency), ''),
		COALESCE(SUM(CASE WHEN i.status = 'RJCT' THEN 1 ELSE 0 END), 0)
		FROM clearing_messages m LEFT JOIN clearing_message_items i ON i.direction = m.direction AND i.message_id = m.id
		WHERE `+where+` GROUP BY m.direction, m.id, m.name, m.scheme, m.status, m.attempts, m.last_error, m.created_at,
		m.updated_at ORDER BY m.created_at, m.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("clearing messages: %w", err)
	}
	list, err := db.Collect(rows, func(r db.Scanner) (Message, error) {
		var m Message
		var created, updated, total int64
		var cur string
		err := r.Scan(&m.Direction, &m.ID, &m.Name, &m.Scheme, &m.Status, &m.Attempts, &m.LastError, &created,
			&updated, &m.Count, &total, &cur, &m.Rejected)
		m.CreatedAt, m.UpdatedAt, m.Total = db.FromMicros(created), db.FromMicros(updated), money.New(total, money.Currency(cur))
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("clearing messages: %w", err)
	}
	return list, nil
}

// indexMessages reads every message not yet read into its items (clearing_message_items): those written before
// the items were kept, and any a path that writes messages left to whoever reads them first. Each is read once.
func (s *Service) indexMessages(ctx context.Context) error {
	const batch = 100
	for {
		rows, err := s.Ledger.DB.Query(ctx, `SELECT direction, id, name, document FROM clearing_messages
			WHERE items_indexed = 0 ORDER BY created_at LIMIT ?`, batch)
		if err != nil {
			return fmt.Errorf("index messages: %w", err)
		}
		type kept struct{ direction, id, name, doc string }
		list, err := db.Collect(rows, func(r db.Scanner) (kept, error) {
			var k kept
			return k, r.Scan(&k.direction, &k.id, &k.name, &k.doc)
		})
		if err != nil {
			return fmt.Errorf("index messages: %w", err)
		}
		for _, k := range list {
			if err := s.indexMessage(ctx, k.direction, k.id, k.name, []byte(k.doc)); err != nil {
				return err
			}
		}
		if len(list) < batch {
			return nil
		}
	}
}

// indexMessage records what one message carried or said about which transactions, once: a message of the bank's
// own kinds whose document does not read (none should) is recorded with no items, and logged.
func (s *Service) indexMessage(ctx context.Context, direction, id, name string, doc []byte) error {
	items, err := messageItems(name, doc)
	if err != nil {
		s.log().Warn("payment: a clearing message that does not read", "direction", direction, "message", id,
			"error", err.Error())
		items = nil
	}
	const cols = 10
	return s.Ledger.DB.InTx(ctx, func(tx *db.Tx) error {
		for start := 0; start < len(items); start += 50 {
			chunk := items[start:min(start+50, len(items))]
			values := make([]string, len(chunk))
			args := make([]any, 0, cols*len(chunk))
			for i, it := range chunk {
				values[i] = "(" + db.Placeholders(cols) + ")"
				args = append(args, direction, id, start+i, it.Role, it.TxID, it.EndToEndID, it.Amount.Minor,
					string(it.Amount.Currency), it.Status, it.Reason)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO clearing_message_items (direction, message_id, seq, role, tx_id,
				end_to_end_id, amount, currency, status, reason) VALUES `+strings.Join(values, ", ")+`
				ON CONFLICT (direction, message_id, seq) DO NOTHING`, args...); err != nil {
				return fmt.Errorf("index message %s: %w", id, err)
			}
		}
		_, err := tx.Exec(ctx, "UPDATE clearing_messages SET items_indexed = 1 WHERE direction = ? AND id = ?",
			direction, id)
		return err
	})
}

// messageItems reads what a message carried (a pacs.008's payments) or said about transactions (a pacs.002's
// statuses, a pacs.004's returns), each by its transaction id, or its end-to-end id without one.
func messageItems(name string, doc []byte) ([]MessageItem, error) {
	key := func(tx, e2e string) string {
		if tx != "" {
			return tx
		}
		return e2e
	}
	var items []MessageItem
	switch name {
	case "pacs.008.001.08":
		m, err := iso20022.ParseCreditTransfer(doc)
		if err != nil {
			return nil, err
		}
		for _, t := range m.Transactions {
			items = append(items, MessageItem{Role: RoleCarried, TxID: key(t.TxID, t.EndToEndID),
				EndToEndID: t.EndToEndID, Amount: t.Amount})
		}
	case "pacs.002.001.10":
		m, err := iso20022.ParseStatusReport(doc)
		if err != nil {
			return nil, err
		}
		for _, t := range m.Transactions {
			items = append(items, MessageItem{Role: RoleStatus, TxID: key(t.OriginalTxID, t.OriginalEndToEndID),
				EndToEndID: t.OriginalEndToEndID, Status: t.Status, Reason: t.Reason})
		}
	case "pacs.004.001.09":
		m, err := iso20022.ParsePaymentReturn(doc)
		if err != nil {
			return nil, err
		}
		for _, r := range m.Returns {
			items = append(items, MessageItem{Role: RoleReturn, TxID: key(r.OriginalTxID, r.OriginalEndToEndID),
				EndToEndID: r.OriginalEndToEndID, Amount: r.Amount, Reason: r.Reason})
		}
	}
	return items, nil
}

// SessionRun is what running the clearing side by hand did: the payments a session put in messages, and the
// outgoing messages the clearing house has not taken since (they wait, and go again with the dispatcher).
type SessionRun struct {
	Sent, Waiting int
}

// RunSessionNow runs a clearing session now (RunSession), as staff ask for one, and answers how many payments it
// put in messages: a clearing house that does not take its messages is no failure of the session — they wait,
// and Waiting says how many. The audit log keeps who ran it and what it did (ActionSessionRun), a failure too.
func (s *Service) RunSessionNow(ctx context.Context) (SessionRun, error) {
	run, err := s.runSessionNow(ctx)
	if aerr := s.recordStaff(ctx, staffEntry(ctx, ActionSessionRun, runState(run), err)); err == nil {
		err = aerr
	}
	return run, err
}

func (s *Service) runSessionNow(ctx context.Context) (SessionRun, error) {
	today := calendar.DateOf(s.Ledger.Clock.Now())
	before, err := s.waitingForSession(ctx, today)
	if err != nil {
		return SessionRun{}, err
	}
	if _, err := s.RunSession(ctx); err != nil && !errors.Is(err, errNotTaken) {
		return SessionRun{}, err
	}
	after, err := s.waitingForSession(ctx, today)
	if err != nil {
		return SessionRun{}, err
	}
	return s.sessionRun(ctx, max(0, before-after))
}

// waitingForSession counts the domestic payments held for a clearing session, due by day and in no message yet.
func (s *Service) waitingForSession(ctx context.Context, day calendar.Date) (int, error) {
	var n int
	if err := s.Ledger.DB.QueryRow(ctx, `SELECT COUNT(*) FROM payments WHERE status IN (?, ?) AND scheme = ?
		AND direction = ? AND value_date <= ? AND message_id = ''`, Accepted, Waiting, AECH, Out, day.String()).
		Scan(&n); err != nil {
		return 0, fmt.Errorf("payments waiting for the session: %w", err)
	}
	return n, nil
}

// DispatchNow does the dispatcher's round now (Dispatch), as staff ask for it: what may leave leaves, the
// messages that wait are sent again, and Waiting says how many the clearing house has still not taken. The audit
// log keeps who asked and what waits (ActionDispatched), a failure too.
func (s *Service) DispatchNow(ctx context.Context) (SessionRun, error) {
	run, err := s.dispatchNow(ctx)
	if aerr := s.recordStaff(ctx, staffEntry(ctx, ActionDispatched, runState(run), err)); err == nil {
		err = aerr
	}
	return run, err
}

func (s *Service) dispatchNow(ctx context.Context) (SessionRun, error) {
	if err := s.Dispatch(ctx); err != nil {
		return SessionRun{}, err
	}
	return s.sessionRun(ctx, 0)
}

func (s *Service) sessionRun(ctx context.Context, sent int) (SessionRun, error) {
	run := SessionRun{Sent: sent}
	if err := s.Ledger.DB.QueryRow(ctx, "SELECT COUNT(*) FROM clearing_messages WHERE direction = ? AND status = ?",
		Out, msgPending).Scan(&run.Waiting); err != nil {
		return SessionRun{}, fmt.Errorf("waiting messages: %w", err)
	}
	return run, nil
}
