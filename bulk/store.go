package bulk

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/text"
)

var batchColumns = []string{"id", "customer_id", "message_id", "document_hash", "status", "from_ibans", "line_count",
	"valid_count", "currency", "total", "fees", "debited", "lease_until", "created_at", "expires_at", "updated_at"}

var lineColumns = []string{"batch_id", "line_no", "payment_info_id", "instruction_id", "end_to_end_id", "status",
	"account_id", "type", "scheme", "amount", "currency", "fee", "debited", "value_date", "cp_name", "cp_account", "description",
	"request", "problems", "payment_id", "updated_at"}

// insert writes a new batch and its lines in tx.
func insert(ctx context.Context, tx *db.Tx, b Batch, hash string) error {
	_, err := tx.Exec(ctx, "INSERT INTO bulk_batches ("+strings.Join(batchColumns, ", ")+") VALUES ("+
		db.Placeholders(len(batchColumns))+")", b.ID, b.CustomerID, b.MessageID, hash, b.Status,
		strings.Join(b.FromIBANs, ","), int64(b.Lines), int64(b.Count), string(b.Total.Currency), b.Total.Minor,
		b.Fees.Minor, b.Debited.Minor, int64(0), db.Micros(b.CreatedAt), db.Micros(b.ExpiresAt), db.Micros(b.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert batch: %w", err)
	}
	rows := make([][]any, 0, len(b.Items))
	for _, l := range b.Items {
		req, err := json.Marshal(l.request)
		if err != nil {
			return fmt.Errorf("line %d: %w", l.Number, err)
		}
		rows = append(rows, []any{b.ID, int64(l.Number), l.PaymentInfoID, l.InstructionID, l.EndToEndID, l.Status,
			l.AccountID, l.Type, l.Scheme, l.Amount.Minor, string(l.Amount.Currency), l.Fee.Minor, l.Debited.Minor, dateText(l.ValueDate),
			l.CreditorName, l.CreditorAcct, l.Description, string(req), problemsJSON(l.Problems), nil,
			db.Micros(b.CreatedAt)})
	}
	for _, st := range tx.DB().InsertRows("bulk_lines", lineColumns, rows) {
		if _, err := tx.Exec(ctx, st.SQL, st.Args...); err != nil {
			return fmt.Errorf("insert lines: %w", err)
		}
	}
	return nil
}

func dateText(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func problemsJSON(ps []Problem) string {
	if len(ps) == 0 {
		return "[]"
	}
	b, err := json.Marshal(ps)
	if err != nil {
		return "[]" // plain strings and maps of strings always encode
	}
	return string(b)
}

const selectBatch = `SELECT id, customer_id, message_id, status, from_ibans, line_count, valid_count, currency, total,
	fees, debited, created_at, expires_at, updated_at FROM bulk_batches`

func scanBatch(r db.Scanner) (Batch, error) {
	var b Batch
	var lines, valid, total, fees, debited, created, expires, updated int64
	var cur, from string
	if err := r.Scan(&b.ID, &b.CustomerID, &b.MessageID, &b.Status, &from, &lines, &valid, &cur, &total, &fees,
		&debited, &created, &expires, &updated); err != nil {
		return Batch{}, err
	}
	c := money.Currency(cur)
	b.Lines, b.Count = int(lines), int(valid)
	b.Total, b.Fees = money.New(total, c), money.New(fees, c)
	b.Debited = money.New(debited, c)
	if from != "" {
		b.FromIBANs = strings.Split(from, ",")
	}
	b.CreatedAt, b.ExpiresAt, b.UpdatedAt = db.FromMicros(created), db.FromMicros(expires), db.FromMicros(updated)
	return b, nil
}

// read returns one of the customer's batches without its lines; another customer's, or none, is bulk_not_found.
func (s *Service) read(ctx context.Context, customerID, id string) (Batch, error) {
	if id == "" || !text.Storable(id) || len(id) > 64 {
		return Batch{}, ErrNotFound
	}
	b, err := scanBatch(s.db().QueryRow(ctx, selectBatch+" WHERE id = ? AND customer_id = ?", id, customerID))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, ErrNotFound
	}
	if err != nil {
		return Batch{}, fmt.Errorf("get batch: %w", err)
	}
	return b, nil
}

// byID reads a batch whoever's it is, for the job that makes its payments.
func (s *Service) byID(ctx context.Context, id string) (Batch, error) {
	b, err := scanBatch(s.db().QueryRow(ctx, selectBatch+" WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Batch{}, ErrNotFound
	}
	return b, err
}

const selectLine = `SELECT line_no, payment_info_id, instruction_id, end_to_end_id, status, account_id, type, scheme,
	amount, currency, fee, debited, value_date, cp_name, cp_account, description, request, problems,
	COALESCE(payment_id, '') FROM bulk_lines`

func scanLine(r db.Scanner) (Line, error) {
	var l Line
	var number, amount, fee, debited int64
	var cur, vd, req, ps string
	err := r.Scan(&number, &l.PaymentInfoID, &l.InstructionID, &l.EndToEndID, &l.Status, &l.AccountID, &l.Type,
		&l.Scheme, &amount, &cur, &fee, &debited, &vd, &l.CreditorName, &l.CreditorAcct, &l.Description, &req, &ps, &l.PaymentID)
	if err != nil {
		return Line{}, err
	}
	l.Number = int(number)
	c := money.Currency(cur)
	l.Amount, l.Fee, l.Debited = money.New(amount, c), money.New(fee, c), money.New(debited, c)
	if vd != "" {
		if l.ValueDate, err = calendar.ParseDate(vd); err != nil {
			return Line{}, fmt.Errorf("line %d: value date %q: %w", l.Number, vd, err)
		}
	}
	if err := json.Unmarshal([]byte(req), &l.request); err != nil {
		return Line{}, fmt.Errorf("line %d: request: %w", l.Number, err)
	}
	if err := json.Unmarshal([]byte(ps), &l.Problems); err != nil {
		return Line{}, fmt.Errorf("line %d: problems: %w", l.Number, err)
	}
	return l, nil
}

// lines reads a batch's lines in file order; with status, only those in it.
func (s *Service) lines(ctx context.Context, batchID, status string) ([]Line, error) {
	q, args := selectLine+" WHERE batch_id = ?", []any{batchID}
	if status != "" {
		q, args = q+" AND status = ?", append(args, status)
	}
	rows, err := s.db().Query(ctx, q+" ORDER BY line_no", args...)
	if err != nil {
		return nil, fmt.Errorf("batch lines: %w", err)
	}
	return db.Collect(rows, scanLine)
}

// counts fills the numbers of lines made payments and of lines refused, from the lines.
func (b *Batch) counts() {
	b.Accepted, b.RejectedLines = 0, 0
	for _, l := range b.Items {
		switch l.Status {
		case LineAccepted:
			b.Accepted++
		case LineInvalid, LineRejected:
			b.RejectedLines++
		}
	}
}

// countLines reads how many of a batch's lines are in each status.
func (s *Service) countLines(ctx context.Context, batchID string) (map[string]int, error) {
	rows, err := s.db().Query(ctx, "SELECT status, COUNT(*) FROM bulk_lines WHERE batch_id = ? GROUP BY status", batchID)
	if err != nil {
		return nil, fmt.Errorf("count lines: %w", err)
	}
	type count struct {
		status string
		n      int64
	}
	list, err := db.Collect(rows, func(r db.Scanner) (count, error) {
		var c count
		return c, r.Scan(&c.status, &c.n)
	})
	if err != nil {
		return nil, fmt.Errorf("count lines: %w", err)
	}
	out := map[string]int{}
	for _, c := range list {
		out[c.status] = int(c.n)
	}
	return out, nil
}

// Filter narrows a customer's list of batches.
type Filter struct {
	Limit int // at most 100; 0 is 20
}

// List returns the customer's batches, newest first, without their lines; a batch whose time to be confirmed has
// passed reads as expired.
func (s *Service) List(ctx context.Context, customerID string, f Filter) ([]Batch, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	rows, err := s.db().Query(ctx, selectBatch+" WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
		customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	list, err := db.Collect(rows, scanBatch)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	now := s.now()
	for i, b := range list {
		if b.Status == PendingConfirmation && !now.Before(b.ExpiresAt) {
			list[i].Status = Expired
		}
	}
	return list, nil
}
