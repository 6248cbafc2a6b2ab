package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"slices"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kumbara/kumbara"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Outcome is what a failure of the database did to the work it interrupted.
type Outcome int

const (
	// NothingWritten: the failure came before anything could commit — no connection, a failed BEGIN, a statement
	// of a transaction whose COMMIT was never sent. Repeating the work is safe.
	NothingWritten Outcome = iota + 1
	// OutcomeUnknown: a COMMIT was sent and its answer never came, so it may or may not have been applied. Only
	// a repeat that finds its own first attempt (an idempotency key) is safe.
	OutcomeUnknown
)

// Fault is a failure of the database itself — unreachable, stalled, out of space, restarting — rather than a
// refusal of a statement, with what it did to the work it interrupted.
type Fault struct {
	Outcome Outcome
	Err     error
}

func (f *Fault) Error() string {
	if f.Outcome == OutcomeUnknown {
		return "database failed, outcome unknown: " + f.Err.Error()
	}
	return "database failed, nothing written: " + f.Err.Error()
}

func (f *Fault) Unwrap() error { return f.Err }

// RetryAfter is how long a client is asked to wait before repeating a request the database failed.
const RetryAfter = 2 * time.Second

// fault wraps err as a Fault with outcome when it is a failure of the database, and returns it unchanged
// otherwise (a constraint, a syntax error, no rows: the database answered).
func fault(outcome Outcome, err error) error {
	if err == nil || !isFault(err) {
		return err
	}
	var f *Fault
	if errors.As(err, &f) {
		if f.Outcome >= outcome {
			return err
		}
	}
	return &Fault{Outcome: outcome, Err: err}
}

// isFault reports whether err is the database failing rather than answering: the connection refused, reset or
// closed, a deadline passed, the server shutting down or out of resources, SQLite's file unwritable or locked.
func isFault(err error) bool {
	var f *Fault
	var ce *pgconn.ConnectError
	if errors.As(err, &f) || errors.As(err, &ce) {
		return true // a connection that could not be made, whatever the server said
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && len(pg.Code) == 5 {
		switch pg.Code[:2] {
		case "08", // connection exception
			"53", // insufficient resources: disk full, out of memory, too many connections
			"57", // operator intervention: query canceled (statement_timeout), shutting down, cannot connect now
			"58": // system error: I/O
			return true
		}
		// 25006: a read-only transaction (a standby after a failover); 40001, 40P01: conflicts that outlasted
		// their retries.
		return slices.Contains([]string{"25006", "40001", "40P01"}, pg.SQLState())
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR,
			sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_INTERRUPT,
			sqlite3.SQLITE_PROTOCOL:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOSPC)
}

// commitFault classifies the failure of a COMMIT (or of a statement sent in autocommit). PostgreSQL answering with
// an error means it did not commit; losing the answer, or a deadline passing while it was on its way, leaves the
// outcome unknown. SQLite commits in-process and rolls an interrupted statement back: busy, locked, interrupted
// and a context that ended are refusals before anything was written; an I/O error or a full disk in the middle of
// a commit is not known to have left nothing behind.
func (d *DB) commitFault(err error) error {
	var f *Fault
	if err == nil || errors.As(err, &f) {
		return err // classified where it happened
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return fault(NothingWritten, err)
	}
	if d.Engine == SQLite {
		var se *sqlite.Error
		if errors.As(err, &se) {
			switch se.Code() & 0xff {
			case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_INTERRUPT:
				return fault(NothingWritten, err)
			}
			return fault(OutcomeUnknown, err)
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return fault(NothingWritten, err)
		}
	}
	if pgconn.SafeToRetry(err) || errors.Is(err, driver.ErrBadConn) {
		return fault(NothingWritten, err) // nothing was sent
	}
	return fault(OutcomeUnknown, err)
}

// IsFault reports whether err is, or wraps, a failure of the database (see Fault).
func IsFault(err error) bool { return err != nil && isFault(err) }

// MayHaveCommitted reports whether err says a COMMIT may have been applied although it failed: the caller should
// look for its work (by idempotency key) before answering.
func MayHaveCommitted(err error) bool {
	var f *Fault
	return errors.As(err, &f) && f.Outcome == OutcomeUnknown
}

// scope is one request's database work: whether any of it may have committed.
type scope struct{ wrote atomic.Bool }

type scopeKey struct{}

// Scope marks ctx as the database work of one request. Within it every database call is bounded (Options.Timeout
// once it has a connection, Options.AcquireTimeout to get one), so a stalled database is answered quickly while
// the request's own work (hashing a password, say) is not counted; and the scope remembers whether any of its
// writes committed, so Classify can tell a request that changed nothing from one whose outcome is unknown.
// Transports call it once per request, the ledger once per group commit; work outside a scope (jobs, staff
// commands) waits as long as its own context lets it. A nil DB gives ctx back unchanged.
func (d *DB) Scope(ctx context.Context) (context.Context, context.CancelFunc) {
	if d == nil {
		return ctx, func() {}
	}
	return context.WithCancel(context.WithValue(ctx, scopeKey{}, &scope{}))
}

// NoteWrite records in ctx's request scope that work of the request may have committed. Writes through DB note
// themselves; work done on the request's behalf under another context (the ledger's group commit) is noted by
// whoever hands the result back.
func NoteWrite(ctx context.Context) {
	if s, ok := ctx.Value(scopeKey{}).(*scope); ok {
		s.wrote.Store(true)
	}
}

// noteWrite notes in ctx's scope a write that committed, or may have.
func noteWrite(ctx context.Context, err error) {
	if err == nil || MayHaveCommitted(err) {
		NoteWrite(ctx)
	}
}

func scoped(ctx context.Context) bool {
	_, ok := ctx.Value(scopeKey{}).(*scope)
	return ok
}

func wrote(ctx context.Context) bool {
	s, ok := ctx.Value(scopeKey{}).(*scope)
	return ok && s.wrote.Load()
}

// Classify turns a failure of the database into the error a client is answered with: 503 unavailable when the
// request is known to have changed nothing (it may be repeated as it is), 503 outcome_unknown when something of it
// may have committed (repeat it with the same Idempotency-Key, which finds the first attempt's result). Both ask the
// client to wait RetryAfter. A domain error, or an error that is not the database failing, is returned unchanged.
func Classify(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := kumbara.As(err); ok && e.Kind != kumbara.KindInternal {
		return err
	}
	if errors.Is(err, context.Canceled) || !isFault(err) {
		return err // the client went away (nobody reads the answer), or a fault of ours
	}
	retry := strconv.Itoa(int(RetryAfter / time.Second))
	if MayHaveCommitted(err) || wrote(ctx) {
		return kumbara.ErrOutcomeUnknown.WithParam("retry_after", retry).Wrap(err)
	}
	return kumbara.ErrUnavailable.WithParam("retry_after", retry).Wrap(err)
}

// Faults makes the database fail as a real one does when it goes away, for tests of what the bank answers then.
// A nil function injects nothing.
type Faults struct {
	// Acquire, asked before a write takes a connection, fails it with its error as if the server refused the
	// connection: nothing is written.
	Acquire func() error
	// Commit, asked before each COMMIT (and autocommit write), may fail it: with apply the COMMIT is applied and
	// its answer lost; without, the connection dies with the COMMIT on its way and nothing is applied. Either way
	// the caller cannot know which.
	Commit func() (apply bool, err error)
}

// InjectFaults sets the faults the database injects from now on (Faults{} for none). For tests only.
func (d *DB) InjectFaults(f Faults) { d.faults.Store(&f) }

func (d *DB) injected() *Faults {
	if f := d.faults.Load(); f != nil {
		return f
	}
	return &Faults{}
}
