// Package audit is the bank's append-only, hash-chained log of what customers, staff and the system did: who
// (Actor), what (a stable Action name), on whom (a customer and/or an account), the state before and after a
// change, the result (ok or the refusal's code), and where from (request id and client address). An entry is
// appended in the same database transaction as the change it records, so neither exists without the other.
//
// Each row stores its sequence number and SHA-256(previous row's hash ‖ canonical encoding of the entry): deleting,
// editing or reordering a row breaks the chain at that row, and Verify finds it. A single head row (the last
// sequence number and hash) is locked and moved by every append in the appending transaction, which gives the
// chain one order on both engines and across instances. Cutting off the tail (and rewinding the head with it) is
// found by comparing with a head published earlier (the bank logs it and exports it as a metric every minute).
//
// No code path updates or deletes audit rows.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara/db"
)

// Kinds of actor.
const (
	ActorCustomer = "customer"
	ActorStaff    = "staff"
	ActorSystem   = "system"
)

// ResultOK is the result of an action that succeeded; a refused action keeps its refusal's code.
const ResultOK = "ok"

// Genesis is the "previous hash" of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Actor is who acted: a kind (ActorCustomer, ActorStaff, ActorSystem), their id, and for staff the role they
// acted in (empty for customers and the system).
type Actor struct {
	Kind string
	ID   string
	Role string
}

// Customer is the actor for a customer acting for themselves.
func Customer(id string) Actor { return Actor{Kind: ActorCustomer, ID: id} }

// System is the actor for the bank's own background work, named by what it is (e.g. "settlement").
func System(name string) Actor { return Actor{Kind: ActorSystem, ID: name} }

// Entry is one line of the log.
type Entry struct {
	Seq        int64 // set by the append
	At         time.Time
	Actor      Actor
	Action     string // a stable name such as login.password.failed, transfer.created, device.trusted
	CustomerID string // the customer the action is about, if any
	AccountID  string // the account the action is about, if any
	Before     string // JSON of the state before a change, never a secret; empty when none
	After      string // JSON of the state after a change, never a secret; empty when none
	Result     string // ResultOK or the refusal's code
	RequestID  string
	Client     string // the client's address
	Hash       string // hex SHA-256(the previous entry's hash ‖ canonical encoding); set by the append
}

// State encodes v as the JSON of an entry's Before or After. A value that cannot be encoded (never expected from
// the plain structs and maps callers pass) is recorded as its error, rather than losing the entry.
func State(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return strconv.Quote("unencodable: " + err.Error())
	}
	return string(b)
}

// canonical is the entry's encoding that the chain hashes: every field, length-prefixed, in a fixed order, so no
// two different entries encode alike.
func canonical(e Entry) []byte {
	fields := []string{strconv.FormatInt(e.Seq, 10), strconv.FormatInt(db.Micros(e.At), 10), e.Actor.Kind,
		e.Actor.ID, e.Actor.Role, e.Action, e.CustomerID, e.AccountID, e.Before, e.After, e.Result, e.RequestID,
		e.Client}
	n := 0
	for _, f := range fields {
		n += 4 + len(f)
	}
	out := make([]byte, 0, n)
	for _, f := range fields {
		out = binary.BigEndian.AppendUint32(out, uint32(len(f)))
		out = append(out, f...)
	}
	return out
}

// hashOf is hex SHA-256(prev ‖ canonical(e)), prev in its binary form.
func hashOf(prev string, e Entry) (string, error) {
	p, err := hex.DecodeString(prev)
	if err != nil || len(p) != sha256.Size {
		return "", fmt.Errorf("audit: previous hash %q is not a SHA-256", prev)
	}
	h := sha256.New()
	h.Write(p)
	h.Write(canonical(e))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Head is the chain's last entry: its sequence number and hash (0 and Genesis for an empty log).
type Head struct {
	Seq  int64
	Hash string
}

func (h Head) String() string { return strconv.FormatInt(h.Seq, 10) + ":" + h.Hash }

// ParseHead reads a head as Head.String writes it ("SEQ:HASH").
func ParseHead(s string) (Head, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			seq, err := strconv.ParseInt(s[:i], 10, 64)
			if err != nil || seq < 0 || strconv.FormatInt(seq, 10) != s[:i] || len(s[i+1:]) != 2*sha256.Size {
				break
			}
			if _, err := hex.DecodeString(s[i+1:]); err != nil {
				break
			}
			return Head{Seq: seq, Hash: s[i+1:]}, nil
		}
	}
	return Head{}, fmt.Errorf("audit: head %q is not SEQ:SHA256", s)
}

// chain numbers and hashes entries after head, stamping those without a time with now, and returns the new head.
func chain(head Head, now time.Time, entries []Entry) (Head, error) {
	for i := range entries {
		e := &entries[i]
		if e.At.IsZero() {
			e.At = now
		}
		e.At = db.FromMicros(db.Micros(e.At))
		if e.Result == "" {
			e.Result = ResultOK
		}
		e.Seq = head.Seq + 1
		h, err := hashOf(head.Hash, *e)
		if err != nil {
			return head, err
		}
		e.Hash = h
		head = Head{Seq: e.Seq, Hash: h}
	}
	return head, nil
}

var columns = []string{"seq", "at", "actor_kind", "actor_id", "actor_role", "action", "customer_id", "account_id",
	"before_state", "after_state", "result", "request_id", "client", "hash"}

const selectColumns = `seq, at, actor_kind, actor_id, actor_role, action, customer_id, account_id, before_state,
	after_state, result, request_id, client, hash`

func values(e Entry) []any {
	return []any{e.Seq, db.Micros(e.At), e.Actor.Kind, e.Actor.ID, e.Actor.Role, e.Action, e.CustomerID, e.AccountID,
		e.Before, e.After, e.Result, e.RequestID, e.Client, e.Hash}
}

func scan(r db.Scanner) (Entry, error) {
	var e Entry
	var at int64
	err := r.Scan(&e.Seq, &at, &e.Actor.Kind, &e.Actor.ID, &e.Actor.Role, &e.Action, &e.CustomerID, &e.AccountID,
		&e.Before, &e.After, &e.Result, &e.RequestID, &e.Client, &e.Hash)
	e.At = db.FromMicros(at)
	return e, err
}

// Append writes entries, in order, at the end of the chain in the caller's transaction: the head row is locked
// until the transaction ends, so concurrent appenders queue there and the chain keeps one order. Entries without
// a time get now. Call it as late in the transaction as the change allows: the lock is held from here to commit.
func Append(ctx context.Context, tx *db.Tx, now time.Time, entries ...Entry) error {
	if len(entries) == 0 {
		return nil
	}
	d := tx.DB()
	var head Head
	if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+d.ForUpdate()).
		Scan(&head.Seq, &head.Hash); err != nil {
		return fmt.Errorf("audit: lock head: %w", err)
	}
	stmts, err := Staged(d, head, now, entries)
	if err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s.SQL, s.Args...); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
	}
	return nil
}

// LockHead is the read that locks the head row for a pipelined transaction (a ledger batch); each gets the head.
func LockHead(d *db.DB, each func(Head)) db.Read {
	return db.Read{SQL: `SELECT seq, hash FROM audit_head WHERE id = 1` + d.ForUpdate(), Each: func(r db.Scanner) error {
		var h Head
		if err := r.Scan(&h.Seq, &h.Hash); err != nil {
			return fmt.Errorf("audit: lock head: %w", err)
		}
		each(h)
		return nil
	}}
}

// Staged chains entries after head (locked by the caller in this transaction) and returns the statements that
// write them: one multi-row insert and the head's update, whatever the number of entries.
func Staged(d *db.DB, head Head, now time.Time, entries []Entry) ([]db.Stmt, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	next, err := chain(head, now, entries)
	if err != nil {
		return nil, err
	}
	rows := make([][]any, len(entries))
	for i, e := range entries {
		rows[i] = values(e)
	}
	stmts := d.InsertRows("audit_log", columns, rows)
	return append(stmts, db.Stmt{SQL: `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`,
		Args: []any{next.Seq, next.Hash}}), nil
}

// CurrentHead reads the chain's head as the head row has it.
func CurrentHead(ctx context.Context, d *db.DB) (Head, error) {
	var h Head
	if err := d.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&h.Seq, &h.Hash); err != nil {
		return Head{}, fmt.Errorf("audit: read head: %w", err)
	}
	return h, nil
}

// Record appends entries in a transaction of their own, for an action that changed nothing (a refusal, a failed
// login) and so has no transaction to join.
func Record(ctx context.Context, d *db.DB, now time.Time, entries ...Entry) error {
	return d.InTx(ctx, func(tx *db.Tx) error { return Append(ctx, tx, now, entries...) })
}

// Clip shortens s, text a caller sent that is recorded as it was refused, to at most 64 bytes on a rune boundary.
func Clip(s string) string {
	if len(s) <= 64 {
		return s
	}
	n := 64
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
