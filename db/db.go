// Package db opens the bank's database — embedded SQLite by default, PostgreSQL in production — applies the
// embedded migrations, and hides the few dialect differences (placeholders, row locks, bulk updates, error
// classification). Domain packages own their SQL; they write it once, portable, with '?' placeholders.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names the database engine behind a DB.
type Engine int

const (
	SQLite Engine = iota
	Postgres
)

func (e Engine) String() string {
	if e == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is the bank's database. Writes go through Write; reads that need no transaction may use Read. On SQLite they
// are two pools: one writer connection (SQLite admits one writer; queueing in Go is cheaper than SQLITE_BUSY
// retries) and several read-only connections that WAL lets run beside it. On PostgreSQL both are the same pool.
type DB struct {
	Engine Engine
	write  *sql.DB
	read   *sql.DB

	mu       sync.RWMutex
	rebind   map[string]string
	colTypes map[string]map[string]string // PostgreSQL column types by table, for bulk statements

	// SQLite only: statements prepared once per pool (parsing is a large share of SQLite's work per statement;
	// pgx caches its own), and the checkpointer that keeps WAL checkpoints off the writer's path.
	readStmts  stmtCache
	writeStmts stmtCache
	stopCkpt   func()

	opts      Options
	faults    atomic.Pointer[Faults]
	writeTurn chan struct{} // SQLite: whose turn it is to write (see acquire)
	log       *slog.Logger
}

// Options bound how long the bank waits for its database, and how big SQLite's write-ahead log may grow. A zero
// field takes its default. The bounds hold for the work of a Scope (requests, group commits): a stalled database is
// answered with 503 instead of holding requests for as long as it stalls.
type Options struct {
	// Timeout is the longest one database call of a Scope may take once it has its connection: a read, a
	// statement, a whole transaction (default 5 s).
	Timeout time.Duration
	// AcquireTimeout is the longest a write of a Scope waits for a connection, or on SQLite for the write lock
	// (default 5 s). Nothing has been written when it passes, so the answer is a plain 503 unavailable.
	AcquireTimeout time.Duration
	// WALLimit is the size past which SQLite's write-ahead log is truncated (default 256 MiB: each truncation
	// holds the writer while the last readers finish, so a smaller limit truncates often enough to show in p99).
	WALLimit int64
	// Logger is where the database's own background work (SQLite's checkpoints) logs; by default JSON lines on
	// standard error, like the bank's other logs.
	Logger *slog.Logger
}

// DefaultOptions are the bounds `serve` runs with.
func DefaultOptions() Options {
	return Options{Timeout: 5 * time.Second, AcquireTimeout: 5 * time.Second, WALLimit: 256 << 20}
}

func (o Options) withDefaults() Options {
	def := DefaultOptions()
	if o.Timeout <= 0 {
		o.Timeout = def.Timeout
	}
	if o.AcquireTimeout <= 0 {
		o.AcquireTimeout = def.AcquireTimeout
	}
	if o.WALLimit <= 0 {
		o.WALLimit = def.WALLimit
	}
	return o
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects PostgreSQL, anything else is a SQLite file path.
func Open(ctx context.Context, dsn string) (*DB, error) { return OpenWith(ctx, dsn, DefaultOptions()) }

// OpenWith is Open with other bounds than the defaults.
func OpenWith(ctx context.Context, dsn string, opts Options) (*DB, error) {
	d := &DB{rebind: map[string]string{}, readStmts: stmtCache{m: map[string]*sql.Stmt{}},
		writeStmts: stmtCache{m: map[string]*sql.Stmt{}}, opts: opts.withDefaults(), log: opts.Logger}
	if d.log == nil {
		d.log = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		pool, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(48)
		pool.SetMaxIdleConns(48)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		d.Engine, d.write, d.read = Postgres, pool, pool
	} else {
		path := strings.TrimPrefix(dsn, "sqlite://")
		if path == "" {
			return nil, errors.New("open sqlite: empty path")
		}
		const pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(100)" +
			"&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_pragma=mmap_size(1073741824)"
		// The writer never checkpoints itself (wal_autocheckpoint=0): a background connection does, so a commit
		// does not stall behind copying the WAL back into the database file. synchronous=FULL syncs the WAL at
		// every commit, so money answered 201 survives a power loss (NORMAL may lose the last commits); the group
		// commit shares that fsync among the transfers of a batch. journal_size_limit truncates the WAL back to
		// WALLimit whenever it restarts from the beginning.
		w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=synchronous(FULL)&_pragma=wal_autocheckpoint(0)"+
			"&_pragma=journal_size_limit("+strconv.FormatInt(d.opts.WALLimit, 10)+")&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=synchronous(NORMAL)&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		r.SetConnMaxIdleTime(0)
		d.Engine, d.write, d.read, d.writeTurn = SQLite, w, r, make(chan struct{}, 1)
		// The writer must create the file (and switch it to WAL) before readers open it read-only.
		if _, err := w.ExecContext(ctx, "PRAGMA user_version"); err != nil {
			d.Close()
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		}
	}
	if err := d.write.PingContext(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to %s: %w", d.Engine, err)
	}
	if d.Engine == SQLite {
		if err := d.startCheckpointer(strings.TrimPrefix(dsn, "sqlite://"), d.opts.WALLimit); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	if d.stopCkpt != nil {
		d.stopCkpt()
	}
	d.readStmts.close()
	d.writeStmts.close()
	err := d.write.Close()
	if d.read != d.write {
		if e := d.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.read.PingContext(ctx) }

// Ready checks the database answers reads and takes writes (for /readyz): a full disk, a database left read-only
// by a failover or a writer that is stuck all fail it, where a ping alone would still succeed. The write is one
// row of settings, rewritten.
func (d *DB) Ready(ctx context.Context) error {
	if err := d.Ping(ctx); err != nil {
		return fault(NothingWritten, fmt.Errorf("ping: %w", err))
	}
	_, err := d.Exec(ctx, `INSERT INTO settings (name, value) VALUES ('readiness_probe', ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, time.Now().UTC().Format(time.RFC3339Nano))
	if err != nil {
		return fmt.Errorf("write probe: %w", err)
	}
	return nil
}

// SQL returns the writer pool, for tools that need a *sql.DB (migrations).
func (d *DB) SQL() *sql.DB { return d.write }

// Rebind turns '?' placeholders into the engine's form ($1, $2… on PostgreSQL). Queries are cached.
func (d *DB) Rebind(q string) string {
	if d.Engine != Postgres {
		return q
	}
	d.mu.RLock()
	out, ok := d.rebind[q]
	d.mu.RUnlock()
	if ok {
		return out
	}
	out = RebindFor(Postgres, q)
	d.mu.Lock()
	if len(d.rebind) < 10000 { // dynamic queries (IN lists) must not grow the cache without bound
		d.rebind[q] = out
	}
	d.mu.Unlock()
	return out
}

// RebindFor rewrites '?' placeholders outside string literals for engine e.
func RebindFor(e Engine, q string) string {
	if e != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inString := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inString = !inString
			b.WriteByte(c)
		case c == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ForUpdate is the row-lock suffix for a SELECT inside a write transaction. SQLite needs none: its writer holds the
// whole database.
func (d *DB) ForUpdate() string {
	if d.Engine == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// ForNoKeyUpdate is ForUpdate for a row used as a mutex that other transactions reference by foreign key: on
// PostgreSQL a plain FOR UPDATE also blocks their key-share locks (taken by any insert that references the row),
// which deadlocks against a transaction that holds other rows and inserts such a reference. Empty on SQLite.
func (d *DB) ForNoKeyUpdate() string {
	if d.Engine == Postgres {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// Placeholders returns "?, ?, …" with n marks, for IN lists and multi-row inserts.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Query runs a read outside a transaction. In a Scope it may take at most Options.Timeout.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = d.readContext(ctx)
	if st := d.readStmts.get(ctx, d, d.read, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.read.QueryContext(ctx, d.Rebind(q), args...)
}

// QueryRow runs a single-row read outside a transaction. In a Scope it may take at most Options.Timeout.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = d.readContext(ctx)
	if st := d.readStmts.get(ctx, d, d.read, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.read.QueryRowContext(ctx, d.Rebind(q), args...)
}

// Exec runs one write statement in its own transaction. A failure of the database comes back as a Fault that says
// whether the statement may have been applied. In a Scope its connection is waited for at most AcquireTimeout and
// the statement takes at most Timeout.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := d.retry(ctx, func() (err error) {
		res, err = d.execOnce(ctx, q, args)
		return d.commitFault(err)
	})
	noteWrite(ctx, err)
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (d *DB) execOnce(ctx context.Context, q string, args []any) (sql.Result, error) {
	conn, release, err := d.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, cancel := d.bounded(ctx)
	defer cancel()
	apply, injected := d.injectedCommit()
	if !apply {
		return nil, &Fault{Outcome: OutcomeUnknown, Err: injected}
	}
	res, err := conn.ExecContext(ctx, d.Rebind(q), args...)
	if err != nil {
		return nil, err
	}
	if injected != nil {
		return nil, &Fault{Outcome: OutcomeUnknown, Err: injected}
	}
	return res, nil
}

// Tx is a write transaction.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	deadline time.Time // of a transaction in a Scope; zero outside one
	// base is the context InTx was given, and ctx the one its statements run with when they are given base, as
	// they nearly always are: made once per transaction, not once per statement.
	base, ctx context.Context
}

// DB returns the database the transaction belongs to.
func (t *Tx) DB() *DB { return t.db }

// SQL returns the transaction itself, for a library that writes in the caller's transaction through database/sql
// (the job queue, package jobs). Its statements are not bound by the transaction's deadline.
func (t *Tx) SQL() *sql.Tx { return t.tx }

// within gives a statement of the transaction the transaction's deadline, whatever context it is run with. cancel is
// nil when there is nothing to release: a statement run with the transaction's own context (the common case) shares
// the context made for the transaction, so a group commit's statements cost no timer each.
func (t *Tx) within(ctx context.Context) (_ context.Context, cancel context.CancelFunc) {
	if ctx == t.base && t.ctx != nil {
		return t.ctx, nil
	}
	if dl, ok := ctx.Deadline(); t.deadline.IsZero() || (ok && dl.Before(t.deadline)) {
		return ctx, nil
	}
	return context.WithDeadline(ctx, t.deadline)
}

// inTx is ctx for a query whose rows are read after Query returns: a deadline made for it is released by its timer.
func (t *Tx) inTx(ctx context.Context) context.Context {
	ctx, cancel := t.within(ctx)
	if cancel != nil {
		ctx = outliving(ctx, cancel)
	}
	return ctx
}

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx, cancel := t.within(ctx)
	if cancel != nil {
		defer cancel()
	}
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = t.inTx(ctx)
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = t.inTx(ctx)
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.Rebind(q), args...)
}

// bounded gives one database call of a Scope, once it has its connection, at most Options.Timeout.
func (d *DB) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if !scoped(ctx) {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, d.opts.Timeout)
}

// readContext is bounded for a read whose rows outlive the call.
func (d *DB) readContext(ctx context.Context) context.Context {
	if !scoped(ctx) {
		return ctx
	}
	return outliving(d.bounded(ctx))
}

// outliving returns ctx for rows that are read after the call that made them returns: its deadline cannot be
// cancelled when the call returns, so its timer is left to release it when it runs out.
func outliving(ctx context.Context, cancel context.CancelFunc) context.Context {
	context.AfterFunc(ctx, cancel)
	return ctx
}

// InTx runs fn in one write transaction and commits it if fn returns nil. Serialization failures and deadlocks
// (PostgreSQL and the distributed engines compatible with it) are retried a few times with the whole fn, so fn
// must not have effects outside the transaction. A failure of the database comes back as a Fault that says whether
// the commit may have been applied. In a Scope the connection is waited for at most AcquireTimeout, and the
// transaction, every statement of it included, takes at most Timeout.
func (d *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	if d.Engine == SQLite {
		defer d.writeStmts.preparePending(ctx, d, d.write)
	}
	err := d.retry(ctx, func() error { return d.inTxOnce(ctx, fn) })
	noteWrite(ctx, err)
	return err
}

// sqliteBusyWait is how long a write outside a Scope waits for SQLite's write lock while another process (or a
// TRUNCATE checkpoint) holds it; in a Scope it waits AcquireTimeout, the write lock being SQLite's connection.
const sqliteBusyWait = 10 * time.Second

// retry runs once until it succeeds or fails for good. Serialization failures and deadlocks are retried a few
// times, and so is a pooled connection found dead before anything was sent on it (driver.ErrBadConn). SQLite's
// "busy" (another process, or a checkpoint, holds the write lock for a moment) is retried for sqliteBusyWait
// (AcquireTimeout in a Scope) unless ctx ends first: SQLite's own busy wait does not heed the context, so it is
// kept short (busy_timeout 100 ms) and the rest of the waiting is done here. Nothing is retried that may have
// committed.
func (d *DB) retry(ctx context.Context, once func() error) error {
	start := time.Now()
	busyWait := sqliteBusyWait
	if scoped(ctx) {
		busyWait = d.opts.AcquireTimeout
	}
	for attempt := 0; ; attempt++ {
		err := once()
		if err == nil || !(IsRetryable(err) || errors.Is(err, driver.ErrBadConn)) || MayHaveCommitted(err) || ctx.Err() != nil {
			return err
		}
		if isBusy(err) {
			if time.Since(start) >= busyWait {
				return err
			}
		} else if attempt >= 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(min(attempt+1, 10)) * 2 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

func (d *DB) inTxOnce(ctx context.Context, fn func(*Tx) error) (err error) {
	conn, release, err := d.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	base := ctx
	ctx, cancel := d.bounded(ctx)
	defer cancel()
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fault(NothingWritten, fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	tx := &Tx{tx: sqlTx, db: d, base: base, ctx: ctx}
	if dl, ok := ctx.Deadline(); ok && scoped(ctx) {
		tx.deadline = dl
	}
	if d.Engine == SQLite {
		// SQLite's driver watches a cancellable context with a goroutine per statement. The writer's statements
		// are local work under its own lock, which an interrupt would not shorten when the disk stalls; the
		// transaction's deadline is still kept, at the acquire and before the COMMIT (commit).
		tx.ctx = context.WithoutCancel(ctx)
	}
	if err = fn(tx); err != nil {
		// The COMMIT was never sent: whatever failed, nothing of fn was written.
		return fault(NothingWritten, err)
	}
	return d.commit(ctx, sqlTx)
}

// acquire takes a connection of the writer pool, in a Scope waiting at most AcquireTimeout: when it fails nothing
// has been written. The caller closes the connection with the release it returns.
func (d *DB) acquire(ctx context.Context) (*sql.Conn, func(), error) {
	if f := d.injected().Acquire; f != nil {
		if err := f(); err != nil {
			return nil, nil, &Fault{Outcome: NothingWritten, Err: fmt.Errorf("acquire: %w", err)}
		}
	}
	actx := ctx
	if scoped(ctx) {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, d.opts.AcquireTimeout)
		defer cancel()
	}
	if d.writeTurn != nil {
		// SQLite's one writer connection is taken in turn: database/sql hands a freed connection to a random
		// waiter, which under a burst of writes leaves some waiting far longer than the queue is long.
		select {
		case d.writeTurn <- struct{}{}:
		case <-actx.Done():
			return nil, nil, &Fault{Outcome: NothingWritten, Err: fmt.Errorf("acquire: %w", actx.Err())}
		}
	}
	conn, err := d.write.Conn(actx)
	if err != nil {
		d.endTurn()
		return nil, nil, &Fault{Outcome: NothingWritten, Err: fmt.Errorf("acquire: %w", err)}
	}
	return conn, func() { conn.Close(); d.endTurn() }, nil
}

func (d *DB) endTurn() {
	if d.writeTurn != nil {
		<-d.writeTurn
	}
}

// commit commits tx. Once the COMMIT is sent its outcome is unknown until it answers; a failure that leaves it
// so is an OutcomeUnknown Fault.
func (d *DB) commit(ctx context.Context, tx *sql.Tx) error {
	if err := ctx.Err(); err != nil {
		// database/sql refuses to commit past the deadline and rolls back: nothing is written.
		return &Fault{Outcome: NothingWritten, Err: fmt.Errorf("commit: %w", err)}
	}
	apply, injected := d.injectedCommit()
	if !apply {
		_ = tx.Rollback()
		return &Fault{Outcome: OutcomeUnknown, Err: fmt.Errorf("commit: %w", injected)}
	}
	if err := tx.Commit(); err != nil {
		if errors.Is(err, sql.ErrTxDone) {
			return &Fault{Outcome: NothingWritten, Err: fmt.Errorf("commit: %w", err)} // already rolled back
		}
		return d.commitFault(fmt.Errorf("commit: %w", err))
	}
	if injected != nil {
		return &Fault{Outcome: OutcomeUnknown, Err: fmt.Errorf("commit: %w", injected)}
	}
	return nil
}

// injectedCommit asks the injected faults about the next COMMIT: whether to apply it, and the error its caller
// gets.
func (d *DB) injectedCommit() (apply bool, err error) {
	if f := d.injected().Commit; f != nil {
		return f()
	}
	return true, nil
}

// IsUniqueViolation reports whether err is a unique or primary key constraint failure.
func IsUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsRetryable reports whether err is a transient conflict that the whole transaction may be retried for.
func IsRetryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_BUSY
	}
	return false
}
