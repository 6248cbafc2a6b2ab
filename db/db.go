// Package db opens the bank's database — embedded SQLite by default, PostgreSQL in production — applies the
// embedded migrations, and hides the few dialect differences (placeholders, row locks, bulk updates, error
// classification). Domain packages own their SQL; they write it once, portable, with '?' placeholders.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
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

	log *slog.Logger
}

// Option configures Open.
type Option func(*DB)

// WithLogger sets where the database's own background work (SQLite's checkpoints) logs; by default, JSON lines on
// standard error, like the bank's other logs.
func WithLogger(l *slog.Logger) Option {
	return func(d *DB) {
		if l != nil {
			d.log = l
		}
	}
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects PostgreSQL, anything else is a SQLite file path.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	d := &DB{rebind: map[string]string{}, readStmts: stmtCache{m: map[string]*sql.Stmt{}},
		writeStmts: stmtCache{m: map[string]*sql.Stmt{}}, log: slog.New(slog.NewJSONHandler(os.Stderr, nil))}
	for _, o := range opts {
		o(d)
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
		const pragmas = "_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)" +
			"&_pragma=foreign_keys(1)&_pragma=cache_size(-65536)&_pragma=temp_store(MEMORY)&_pragma=mmap_size(1073741824)"
		// The writer never checkpoints itself (wal_autocheckpoint=0): a background connection does, so a commit
		// does not stall behind copying the WAL back into the database file.
		w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		r.SetConnMaxIdleTime(0)
		d.Engine, d.write, d.read = SQLite, w, r
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
		if err := d.startCheckpointer(strings.TrimPrefix(dsn, "sqlite://")); err != nil {
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

// Ping checks the database answers (for /readyz).
func (d *DB) Ping(ctx context.Context) error { return d.read.PingContext(ctx) }

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

// Query runs a read outside a transaction.
func (d *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := d.readStmts.get(ctx, d, d.read, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.read.QueryContext(ctx, d.Rebind(q), args...)
}

// QueryRow runs a single-row read outside a transaction.
func (d *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := d.readStmts.get(ctx, d, d.read, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.read.QueryRowContext(ctx, d.Rebind(q), args...)
}

// Exec runs one write statement in its own transaction.
func (d *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := d.writeStmts.get(ctx, d, d.write, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return d.write.ExecContext(ctx, d.Rebind(q), args...)
}

// Tx is a write transaction.
type Tx struct {
	tx *sql.Tx
	db *DB
}

// DB returns the database the transaction belongs to.
func (t *Tx) DB() *DB { return t.db }

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.db.Rebind(q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := t.db.writeStmts.inTx(t.db, q); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.db.Rebind(q), args...)
}

// InTx runs fn in one write transaction and commits it if fn returns nil. Serialization failures and deadlocks
// (PostgreSQL and the distributed engines compatible with it) are retried a few times with the whole fn, so fn
// must not have effects outside the transaction.
func (d *DB) InTx(ctx context.Context, fn func(*Tx) error) error {
	var err error
	if d.Engine == SQLite {
		defer d.writeStmts.preparePending(ctx, d, d.write)
	}
	for attempt := 0; attempt < 5; attempt++ {
		err = d.inTxOnce(ctx, fn)
		if err == nil || !IsRetryable(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 2 * time.Millisecond)
	}
	return err
}

func (d *DB) inTxOnce(ctx context.Context, fn func(*Tx) error) (err error) {
	sqlTx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(&Tx{tx: sqlTx, db: d}); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
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
