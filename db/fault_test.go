package db_test

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// refused and reset are the errors a client sees when the server refuses a connection or drops one mid-answer.
func refused() error { return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED} }
func reset() error   { return &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET} }

func insertSetting(ctx context.Context, d *db.DB, name string) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, 'v')", name)
		return err
	})
}

func settingExists(t *testing.T, d *db.DB, name string) bool {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM settings WHERE name = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// wantClassified fails unless Classify answers err with the kind and code, asking the client to come back later.
func wantClassified(t *testing.T, ctx context.Context, err error, kind kumbara.Kind, code string) {
	t.Helper()
	e, ok := kumbara.As(db.Classify(ctx, err))
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("Classify(%v) = %v, want kind %d code %s", err, db.Classify(ctx, err), kind, code)
	}
	if e.Params["retry_after"] == "" {
		t.Errorf("%s carries no retry_after", code)
	}
}

// The three ways to write — a transaction, a statement in autocommit, a pipelined transaction (PostgreSQL's group
// commit) — must each say what a failure did.
var writes = []struct {
	name  string
	write func(ctx context.Context, d *db.DB, name string) error
}{
	{"transaction", insertSetting},
	{"statement", func(ctx context.Context, d *db.DB, name string) error {
		_, err := d.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, 'v')", name)
		return err
	}},
	{"pipelined", func(ctx context.Context, d *db.DB, name string) error {
		return d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return []db.Stmt{{SQL: "INSERT INTO settings (name, value) VALUES (?, 'v')", Args: []any{name}}}, nil
		})
	}},
}

func TestAWriteRefusedItsConnectionChangedNothingAndSaysSo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, w := range writes {
			ctx, cancel := d.Scope(context.Background())
			d.InjectFaults(db.Faults{Acquire: refused})
			err := w.write(ctx, d, w.name)
			d.InjectFaults(db.Faults{})
			if !db.IsFault(err) || db.MayHaveCommitted(err) {
				t.Errorf("%s: %v, want a fault that wrote nothing", w.name, err)
			}
			wantClassified(t, ctx, err, kumbara.KindUnavailable, "unavailable")
			if settingExists(t, d, w.name) {
				t.Errorf("%s: written although its connection was refused", w.name)
			}
			cancel()
		}
	})
}

func TestACommitWhoseAnswerIsLostHasAnUnknownOutcome(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, applied := range []bool{true, false} {
			for _, w := range writes {
				name := w.name
				if applied {
					name += " applied"
				}
				ctx, cancel := d.Scope(context.Background())
				var asked atomic.Int32
				d.InjectFaults(db.Faults{Commit: func() (bool, error) { asked.Add(1); return applied, reset() }})
				err := w.write(ctx, d, name)
				d.InjectFaults(db.Faults{})
				if !db.MayHaveCommitted(err) {
					t.Errorf("%s: %v, want an unknown outcome", name, err)
				}
				if asked.Load() != 1 {
					t.Errorf("%s: committed %d times; a COMMIT that may have applied must not be retried", name, asked.Load())
				}
				wantClassified(t, ctx, err, kumbara.KindOutcomeUnknown, "outcome_unknown")
				if got := settingExists(t, d, name); got != applied {
					t.Errorf("%s: written = %v, want %v", name, got, applied)
				}
				cancel()
			}
		}
	})
}

func TestAFailureAfterAnEarlierCommitOfTheRequestIsUnknownNotNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := d.Scope(context.Background())
		defer cancel()
		if err := insertSetting(ctx, d, "first"); err != nil {
			t.Fatal(err)
		}
		d.InjectFaults(db.Faults{Acquire: refused})
		err := insertSetting(ctx, d, "second")
		d.InjectFaults(db.Faults{})
		if db.MayHaveCommitted(err) {
			t.Fatalf("the second write itself wrote nothing: %v", err)
		}
		// Half the request is done: "nothing happened" would be a lie.
		wantClassified(t, ctx, err, kumbara.KindOutcomeUnknown, "outcome_unknown")
		// A request that wrote nothing before the same failure is told so.
		fresh, cancelFresh := d.Scope(context.Background())
		defer cancelFresh()
		wantClassified(t, fresh, err, kumbara.KindUnavailable, "unavailable")
	})
}

func TestDomainErrorsAndOurOwnFaultsAreNotTheDatabaseFailing(t *testing.T) {
	ctx := context.Background()
	domain := &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "insufficient_funds"}
	if got := db.Classify(ctx, domain); got != error(domain) {
		t.Errorf("a domain error became %v", got)
	}
	bug := errors.New("post: entry unbalanced")
	if got := db.Classify(ctx, bug); got != bug {
		t.Errorf("a fault of ours became %v", got)
	}
	gone := context.Canceled // the client went away
	if got := db.Classify(ctx, gone); got != gone {
		t.Errorf("a canceled request became %v", got)
	}
	if got := db.Classify(ctx, sql.ErrNoRows); got != sql.ErrNoRows {
		t.Errorf("no rows became %v", got)
	}
}

// holdWrites takes the database's writes away from d until the returned function runs: on PostgreSQL another
// session locks the table in EXCLUSIVE mode (reads go on), on SQLite another connection holds the write lock.
func holdWrites(t *testing.T, d *db.DB, dsn, table string) func() {
	t.Helper()
	ctx := context.Background()
	driver := "sqlite"
	if d.Engine == db.Postgres {
		driver = "pgx"
	} else {
		dsn = "file:" + dsn
	}
	other, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	lock := "LOCK TABLE " + table + " IN EXCLUSIVE MODE"
	if d.Engine == db.SQLite {
		lock = "INSERT INTO settings (name, value) VALUES ('held', 'held')" // takes SQLite's write lock
	}
	if _, err := tx.Exec(lock); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			_ = tx.Rollback()
			other.Close()
		}
	}
	t.Cleanup(release)
	return release
}

func TestAStalledDatabaseFailsARequestAtItsDeadlineNotWhenItRecovers(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(e.String(), func(t *testing.T) {
			dsn := dbtest.SQLiteDSN(t)
			if e == db.Postgres {
				dsn = dbtest.PostgresDSN(t)
			}
			ctx := context.Background()
			d, err := db.OpenWith(ctx, dsn, db.Options{Timeout: time.Second, AcquireTimeout: 500 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			release := holdWrites(t, d, dsn, "settings")
			for _, w := range writes {
				rctx, cancel := d.Scope(ctx)
				began := time.Now()
				err := w.write(rctx, d, w.name)
				took := time.Since(began)
				cancel()
				if took > 3*time.Second {
					t.Errorf("%s: answered after %v with the database stalled; its bound is 1 s", w.name, took)
				}
				// SQLite refuses at the write lock, before anything; PostgreSQL holds a statement sent in
				// autocommit, or a pipeline's writes sent with their COMMIT, at the table's lock, and a deadline
				// passing then cannot tell whether the lock was granted just in time.
				if e == db.Postgres && w.name != "transaction" {
					wantClassified(t, rctx, err, kumbara.KindOutcomeUnknown, "outcome_unknown")
				} else {
					wantClassified(t, rctx, err, kumbara.KindUnavailable, "unavailable")
				}
			}
			release()
			if err := insertSetting(ctx, d, "after"); err != nil {
				t.Fatalf("after the stall: %v", err)
			}
		})
	}
}

func TestReadinessNeedsWritesNotJustAnAnswer(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(e.String(), func(t *testing.T) {
			dsn := dbtest.SQLiteDSN(t)
			if e == db.Postgres {
				dsn = dbtest.PostgresDSN(t)
			}
			ctx := context.Background()
			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := d.Ready(ctx); err != nil {
				t.Fatalf("ready: %v", err)
			}
			release := holdWrites(t, d, dsn, "settings")
			probe, cancel := context.WithTimeout(ctx, time.Second)
			if err := d.Ping(probe); err != nil {
				t.Fatalf("ping with writes held: %v (reads must go on)", err)
			}
			if err := d.Ready(probe); err == nil {
				t.Error("ready while no write can be made")
			}
			cancel()
			release()
			if err := d.Ready(ctx); err != nil {
				t.Errorf("ready after writes came back: %v", err)
			}
		})
	}
}

// TestReadinessFailsOnAFullDisk makes every write to a file fail, as a full disk does (the process's file size
// limit at one byte: writes fail with EFBIG, reads go on), and asks SQLite's readiness.
func TestReadinessFailsOnAFullDisk(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite)
	if err := d.Ready(ctx); err != nil {
		t.Fatalf("ready: %v", err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skipf("no file size limit here: %v", err)
	}
	full := old
	full.Cur = 1
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &full); err != nil {
		t.Skipf("cannot limit file sizes: %v", err)
	}
	err := d.Ready(ctx)
	// Only this test's writes may meet the limit: put it back before anything else can write a file.
	if rerr := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); rerr != nil {
		t.Fatalf("restore the file size limit: %v", rerr)
	}
	if err == nil {
		t.Fatal("ready with a disk that takes no writes")
	}
	if !db.IsFault(err) {
		t.Errorf("a full disk is the database failing, got %v", err)
	}
	if err := d.Ready(ctx); err != nil {
		t.Errorf("ready once the disk takes writes again: %v", err)
	}
}

func TestSQLiteSyncsEveryCommitToDisk(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite)
	var mode int
	err := d.InTx(ctx, func(tx *db.Tx) error { return tx.QueryRow(ctx, "PRAGMA synchronous").Scan(&mode) })
	if err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("the writer's synchronous = %d, want 2 (FULL): a commit answered 201 must survive a power loss", mode)
	}
}

func TestSQLiteWALIsTruncatedOnceItPassesItsLimit(t *testing.T) {
	ctx := context.Background()
	path := dbtest.SQLiteDSN(t)
	const limit = 256 << 10
	d, err := db.OpenWith(ctx, path, db.Options{WALLimit: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, "CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	body := string(make([]byte, 8<<10))
	for i := range 400 { // about 3 MiB through the WAL, in commits of 64 KiB
		if i%8 == 0 {
			if _, err := d.Exec(ctx, "DELETE FROM filler"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.Exec(ctx, "INSERT INTO filler (body) VALUES (?)", body); err != nil {
			t.Fatal(err)
		}
	}
	var size int64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		st, err := os.Stat(path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		if size = st.Size(); size <= limit {
			return
		}
	}
	t.Errorf("the WAL stays at %d bytes, past its limit of %d", size, limit)
}

func TestTheWALIsTruncatedPastItsLimitOnceCaughtUpOrPastFourTimesIt(t *testing.T) {
	const limit = 64 << 20
	for _, c := range []struct {
		name     string
		size     int64
		caughtUp bool
		want     bool
	}{
		{"under the limit, caught up", limit / 2, true, false},
		{"at the limit", limit, true, false},
		{"past the limit, caught up", limit + 1, true, true},
		{"past the limit, still copying", limit + 1, false, false},
		{"four times the limit, still copying", 4 * limit, false, false},
		{"past four times the limit, still copying", 4*limit + 1, false, true},
	} {
		if got := db.TruncateWAL(c.size, c.caughtUp, limit); got != c.want {
			t.Errorf("%s: truncate = %v, want %v", c.name, got, c.want)
		}
	}
}
