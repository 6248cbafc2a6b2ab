// Package approval is four-eyes (maker–checker): an operation that needs a second member of staff is stored as a
// request with its exact payload and that payload's SHA-256, and is done only when another member with
// staff.ApprovalsDecide approves that same hash within 24 hours. Which operations need it, and what they do once
// approved, is decided by package operation; this package keeps the requests and their one-way states.
//
// The states: pending → approved → executed | failed, or pending → rejected (with a reason). Approving is a
// guarded change (UPDATE … WHERE status = 'pending' AND payload_hash = ?), so of two checkers at once exactly one
// goes on to execute the operation. A pending request past its expiry is expired: it can be neither approved nor
// rejected. Every step is appended to the audit log in its own transaction.
package approval

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/staff"
)

// Validity is how long a request waits for its checker.
const Validity = 24 * time.Hour

// The states of a request.
const (
	Pending  = "pending"
	Approved = "approved" // claimed by its checker, the operation running
	Executed = "executed"
	Failed   = "failed" // approved, but the operation was refused when it ran (Result holds the code)
	Rejected = "rejected"
	Expired  = "expired" // pending past ExpiresAt (read as such; never approved)
)

// The audit actions of four-eyes, each appended in the transaction of its step by the member taking it.
const (
	ActionRequested = "approval.requested"
	ActionApproved  = "approval.approved"
	ActionExecuted  = "approval.executed"
	ActionFailed    = "approval.failed"
	ActionRejected  = "approval.rejected"
)

// AuditActions lists every action this package records, for the catalogue's tests.
func AuditActions() []string {
	return []string{ActionRequested, ActionApproved, ActionExecuted, ActionFailed, ActionRejected}
}

// Request is an operation waiting for, or decided by, a second member.
type Request struct {
	ID         string
	Kind       string // the operation, e.g. "entry.reverse" (package operation)
	Payload    []byte // the operation's exact JSON
	Hash       string // hex SHA-256 of Payload, taken when the request was made
	CustomerID string // the customer it is about, if any
	AccountID  string // the account it is about, if any
	Maker      string // the username of the member who asked
	MakerRoles string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	Status     string
	Checker    string // who approved or rejected it
	DecidedAt  time.Time
	Reason     string // why it was rejected
	Result     string // what the operation did (executed) or the refusal's code (failed)
}

// Service keeps the requests.
type Service struct {
	DB    *db.DB
	Clock clock.Clock
}

// Hash is the hex SHA-256 of a payload: what the checker is shown and approves.
func Hash(payload []byte) string {
	sum := sha256.Sum256(payload)
	return hex.EncodeToString(sum[:])
}

// New is what a maker asks for: the operation's kind, its payload (encoded once, as it will be executed) and whom
// it is about.
type New struct {
	Kind       string
	Payload    any
	CustomerID string
	AccountID  string
}

// Submit stores maker's request and returns it pending. The maker needs no permission here: the operation they
// asked for checked theirs.
func (s *Service) Submit(ctx context.Context, maker staff.Member, n New) (Request, error) {
	payload, err := json.Marshal(n.Payload)
	if err != nil {
		return Request{}, fmt.Errorf("approval payload: %w", err)
	}
	now := s.Clock.Now()
	r := Request{ID: uuid.Must(uuid.NewV7()).String(), Kind: n.Kind, Payload: payload, Hash: Hash(payload),
		CustomerID: n.CustomerID, AccountID: n.AccountID, Maker: maker.Username, MakerRoles: maker.RoleNames(),
		CreatedAt: now, ExpiresAt: now.Add(Validity), Status: Pending}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO approvals (id, kind, payload, payload_hash, customer_id, account_id,
			maker, maker_roles, created_at, expires_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Kind, string(r.Payload), r.Hash, r.CustomerID, r.AccountID, r.Maker, r.MakerRoles,
			db.Micros(r.CreatedAt), db.Micros(r.ExpiresAt), r.Status); err != nil {
			return fmt.Errorf("approval submit: %w", err)
		}
		return audit.Append(ctx, tx, now, entry(ctx, maker, ActionRequested, r, audit.ResultOK))
	})
	return r, err
}

// entry is the audit entry of a step of r taken by m.
func entry(ctx context.Context, m staff.Member, action string, r Request, result string) audit.Entry {
	return audit.Stamp(ctx, audit.Entry{Actor: audit.StaffActor(m.Username, m.RoleNames()), Action: action,
		CustomerID: r.CustomerID, AccountID: r.AccountID, Result: result,
		After: audit.State(map[string]string{"request": r.ID, "kind": r.Kind, "hash": r.Hash, "maker": r.Maker,
			"reason": r.Reason})})
}

const columns = `id, kind, payload, payload_hash, customer_id, account_id, maker, maker_roles, created_at,
	expires_at, status, checker, decided_at, reason, result`

func scan(row db.Scanner) (Request, error) {
	var r Request
	var payload string
	var created, expires int64
	var decided sql.NullInt64
	if err := row.Scan(&r.ID, &r.Kind, &payload, &r.Hash, &r.CustomerID, &r.AccountID, &r.Maker, &r.MakerRoles,
		&created, &expires, &r.Status, &r.Checker, &decided, &r.Reason, &r.Result); err != nil {
		return Request{}, err
	}
	r.Payload = []byte(payload)
	r.CreatedAt, r.ExpiresAt = db.FromMicros(created), db.FromMicros(expires)
	if decided.Valid {
		r.DecidedAt = db.FromMicros(decided.Int64)
	}
	return r, nil
}

// seen is r as of now: a pending request past its expiry reads as expired.
func seen(r Request, now time.Time) Request {
	if r.Status == Pending && !now.Before(r.ExpiresAt) {
		r.Status = Expired
	}
	return r
}

// Get returns one request; by needs staff.ApprovalsRead or staff.ApprovalsDecide, or to be its maker.
func (s *Service) Get(ctx context.Context, by staff.Member, id string) (Request, error) {
	r, err := s.get(ctx, s.DB.QueryRow(ctx, "SELECT "+columns+" FROM approvals WHERE id = ?", id))
	if err != nil {
		return Request{}, err
	}
	if r.Maker != by.Username && !by.Can(staff.ApprovalsRead) && !by.Can(staff.ApprovalsDecide) {
		return Request{}, by.Require(staff.ApprovalsRead)
	}
	return r, nil
}

func (s *Service) get(ctx context.Context, row *sql.Row) (Request, error) {
	r, err := scan(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, ErrNotFound
	}
	if err != nil {
		return Request{}, fmt.Errorf("approval: %w", err)
	}
	return seen(r, s.Clock.Now()), nil
}

// Filter chooses requests to list.
type Filter struct {
	Status     string // one of the states; empty: every state
	CustomerID string
	Maker      string // the username of the member who asked; empty: anyone's
	Limit      int    // 0 is 50
}

// List returns requests, the newest first; by needs staff.ApprovalsRead or staff.ApprovalsDecide, or to list only
// their own (Maker is by's username: a teller follows the withdrawals they asked for, as Get shows them each). A
// pending request is listed as expired once past its expiry, and Status Pending leaves those out.
func (s *Service) List(ctx context.Context, by staff.Member, f Filter) ([]Request, error) {
	if !by.Can(staff.ApprovalsDecide) && (f.Maker == "" || f.Maker != by.Username) {
		if err := by.Require(staff.ApprovalsRead); err != nil {
			return nil, err
		}
	}
	now := s.Clock.Now()
	q := "SELECT " + columns + " FROM approvals WHERE 1 = 1"
	var args []any
	switch f.Status {
	case "":
	case Pending:
		q += " AND status = ? AND expires_at > ?"
		args = append(args, Pending, db.Micros(now))
	case Expired:
		q += " AND status = ? AND expires_at <= ?"
		args = append(args, Pending, db.Micros(now))
	default:
		q += " AND status = ?"
		args = append(args, f.Status)
	}
	if f.CustomerID != "" {
		q += " AND customer_id = ?"
		args = append(args, f.CustomerID)
	}
	if f.Maker != "" {
		q += " AND maker = ?"
		args = append(args, f.Maker)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q += fmt.Sprintf(" ORDER BY created_at DESC, id DESC LIMIT %d", limit)
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("approvals: %w", err)
	}
	list, err := db.Collect(rows, scan)
	for i := range list {
		list[i] = seen(list[i], now)
	}
	return list, err
}

// PendingOf lists the requests of kind waiting in time, the newest first, at most limit: for the page of what they
// would change to say that a change waits, and who asked for it. It asks for no permission: such a page is gated
// by the permission to read what the request changes, and a request's kind and maker say no more than that.
func (s *Service) PendingOf(ctx context.Context, kind string, limit int) ([]Request, error) {
	rows, err := s.DB.Query(ctx, "SELECT "+columns+` FROM approvals WHERE kind = ? AND status = ? AND expires_at > ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, kind, Pending, db.Micros(s.Clock.Now()), limit)
	if err != nil {
		return nil, fmt.Errorf("approvals of %s: %w", kind, err)
	}
	return db.Collect(rows, scan)
}

// Waiting counts the pending requests by may decide: those in time and made by another member. Reading it needs
// staff.ApprovalsDecide (nil error and 0 without it: nothing waits for a member who cannot decide).
func (s *Service) Waiting(ctx context.Context, by staff.Member) (int, error) {
	if !by.Can(staff.ApprovalsDecide) {
		return 0, nil
	}
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM approvals WHERE status = ? AND expires_at > ? AND maker <> ?",
		Pending, db.Micros(s.Clock.Now()), by.Username).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("approvals waiting: %w", err)
	}
	return n, nil
}

// Claim is checker approving request id as shown with hash: the one guarded change that lets exactly one checker
// go on to execute the operation, which the caller then does and reports with Finish. Refused: without
// staff.ApprovalsDecide, the maker themselves (approval_own_request), a hash that is not the payload's
// (approval_payload_changed: also when the stored payload no longer hashes to the hash taken at the request),
// decided (approval_decided) or expired (approval_expired). An empty hash approves the stored payload as long as
// it still hashes to the hash taken at the request (a command line that showed the request just before).
func (s *Service) Claim(ctx context.Context, checker staff.Member, id, hash string) (Request, error) {
	if err := checker.Require(staff.ApprovalsDecide); err != nil {
		return Request{}, err
	}
	now := s.Clock.Now()
	var r Request
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = s.get(ctx, tx.QueryRow(ctx, "SELECT "+columns+" FROM approvals WHERE id = ?", id)); err != nil {
			return err
		}
		if err := decidable(r, checker); err != nil {
			return err
		}
		hash = strings.ToLower(strings.TrimSpace(hash))
		if Hash(r.Payload) != r.Hash || hash != "" && hash != r.Hash {
			return ErrPayloadChanged
		}
		res, err := tx.Exec(ctx, `UPDATE approvals SET status = ?, checker = ?, decided_at = ?
			WHERE id = ? AND status = ? AND payload_hash = ? AND expires_at > ?`,
			Approved, checker.Username, db.Micros(now), r.ID, Pending, r.Hash, db.Micros(now))
		if err != nil {
			return fmt.Errorf("approval claim: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(ErrDecided, err)
		}
		r.Status, r.Checker, r.DecidedAt = Approved, checker.Username, now
		return audit.Append(ctx, tx, now, entry(ctx, checker, ActionApproved, r, audit.ResultOK))
	})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}

// decidable refuses deciding r: its maker, or r no longer pending.
func decidable(r Request, checker staff.Member) error {
	switch {
	case r.Maker == checker.Username:
		return ErrOwnRequest
	case r.Status == Expired:
		return ErrExpired
	case r.Status != Pending:
		return ErrDecided
	}
	return nil
}

// Finish records what the approved request r did: executed with result, or failed with the refusal's code
// (opErr). It is the checker's step, appended to the audit log with the same result.
func (s *Service) Finish(ctx context.Context, checker staff.Member, r Request, result string, opErr error) (Request, error) {
	r.Status, r.Result = Executed, result
	if opErr != nil {
		r.Status, r.Result = Failed, kumbara.CodeOf(opErr)
	}
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE approvals SET status = ?, result = ? WHERE id = ? AND status = ?",
			r.Status, r.Result, r.ID, Approved); err != nil {
			return fmt.Errorf("approval finish: %w", err)
		}
		outcome := audit.ResultOK
		if opErr != nil {
			outcome = r.Result
		}
		action := ActionExecuted
		if opErr != nil {
			action = ActionFailed
		}
		return audit.Append(ctx, tx, now, entry(ctx, checker, action, r, outcome))
	})
	return r, err
}

// Reject is checker refusing request id, with a reason the maker will read (3 to 500 characters). The same
// refusals as Claim, but for the hash: a rejection does nothing, whatever the payload.
func (s *Service) Reject(ctx context.Context, checker staff.Member, id, reason string) (Request, error) {
	if err := checker.Require(staff.ApprovalsDecide); err != nil {
		return Request{}, err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 3 || n > 500 {
		return Request{}, ErrReasonRequired
	}
	now := s.Clock.Now()
	var r Request
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if r, err = s.get(ctx, tx.QueryRow(ctx, "SELECT "+columns+" FROM approvals WHERE id = ?", id)); err != nil {
			return err
		}
		if err := decidable(r, checker); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE approvals SET status = ?, checker = ?, decided_at = ?, reason = ?
			WHERE id = ? AND status = ? AND expires_at > ?`,
			Rejected, checker.Username, db.Micros(now), reason, r.ID, Pending, db.Micros(now))
		if err != nil {
			return fmt.Errorf("approval reject: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return errors.Join(ErrDecided, err)
		}
		r.Status, r.Checker, r.DecidedAt, r.Reason = Rejected, checker.Username, now, reason
		return audit.Append(ctx, tx, now, entry(ctx, checker, ActionRejected, r, audit.ResultOK))
	})
	if err != nil {
		return Request{}, err
	}
	return r, nil
}
