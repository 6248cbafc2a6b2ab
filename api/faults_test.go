package api_test

// What the API answers when its database fails: never a bare 500, but a 503 with Retry-After that says whether
// the request changed nothing (unavailable) or may have taken effect (outcome_unknown), and, when the transfer can
// be found after all, its real result.

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// failOnce makes the next COMMIT fail as a connection reset does, applied or not; the ones after go through.
func failOnce(d *db.DB, applied bool) {
	var done atomic.Bool
	d.InjectFaults(db.Faults{Commit: func() (bool, error) {
		if done.CompareAndSwap(false, true) {
			return applied, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
		}
		return true, nil
	}})
}

// checkRetryLater asserts r is a 503 problem with the code in lang that asks to come back after a while.
func (b *bank) checkRetryLater(t *testing.T, r reply, code string, lang i18n.Lang) {
	t.Helper()
	b.checkProblem(t, r, http.StatusServiceUnavailable, code, lang)
	if r.header.Get("Retry-After") == "" {
		t.Errorf("a 503 %s without Retry-After", code)
	}
}

func TestTheDatabaseFailingMidPaymentAnswers503AndTheRetryItsResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, arben, money.ALL, ledger.TypeSavings)
		before := minorOf(t, b.balanceOf(t, tok, to.ID))
		pay := func(key string, headers ...string) reply {
			t.Helper()
			r, err := b.send("POST", "/api/v1/transfers", tok, map[string]any{"type": "own", "from_account_id": from.ID,
				"to_account_id": to.ID, "amount": "10.00", "currency": "ALL"}, append([]string{"Idempotency-Key", key}, headers...)...)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		// The COMMIT never arrived: the outcome is unknown to the server too, and the repeat is the answer.
		for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
			failOnce(d, false)
			b.checkRetryLater(t, pay("lost-commit", "Accept-Language", string(lang)), "outcome_unknown", lang)
			d.InjectFaults(db.Faults{})
		}
		wantStatus(t, pay("lost-commit"), http.StatusCreated)
		if r := pay("lost-commit"); r.status != http.StatusCreated || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("a second repeat: %d, replayed %q", r.status, r.header.Get("Idempotent-Replayed"))
		}

		// The COMMIT applied and its answer was lost: the server finds the transfer and answers with it.
		failOnce(d, true)
		r := pay("lost-answer")
		d.InjectFaults(db.Faults{})
		wantStatus(t, r, http.StatusCreated)
		if r.str("status") != "completed" {
			t.Errorf("status %q, want completed", r.str("status"))
		}

		// The database refused the connection: nothing happened, and the answer says so.
		d.InjectFaults(db.Faults{Acquire: func() error { return &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED} }})
		b.checkRetryLater(t, pay("refused"), "unavailable", i18n.SQ)
		d.InjectFaults(db.Faults{})

		if got := minorOf(t, b.balanceOf(t, tok, to.ID)); got != before+2000 {
			t.Errorf("payee account went from %d to %d, want two transfers of 10.00 exactly", before, got)
		}
	})
}

func TestConnectionsClosedUnderTheServerAnswer503(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	b := newBank(t, d)
	tok := b.login(t, arben)
	ctx := context.Background()
	var name string
	if err := d.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", os.Getenv(dbtest.PostgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	allow := func(on bool) {
		t.Helper()
		if _, err := admin.Exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + map[bool]string{true: "true", false: "false"}[on]); err != nil {
			t.Fatal(err)
		}
	}
	// Every connection the bank holds is closed under it, and new ones are refused.
	allow(false)
	t.Cleanup(func() { allow(true) })
	if _, err := admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v1/accounts", "/readyz"} {
		r, err := b.send("GET", path, tok, nil)
		if err != nil {
			t.Fatal(err)
		}
		b.checkRetryLater(t, r, "unavailable", i18n.SQ)
	}
	allow(true)
	wantStatus(t, b.do(t, "GET", "/api/v1/accounts", tok, nil), http.StatusOK)
}

// holdWrites keeps writes away from the bank's database until the returned function runs: on PostgreSQL another
// session locks the table (reads go on), on SQLite another connection holds the write lock.
func holdWrites(t *testing.T, d *db.DB, table string) func() {
	t.Helper()
	ctx := context.Background()
	var conn *sql.Conn
	var other *sql.DB
	var err error
	if d.Engine == db.Postgres {
		var name string
		if err := d.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		other, err = sql.Open("pgx", dbtest.Rename(t, os.Getenv(dbtest.PostgresEnv), name))
	} else {
		var file string
		if err := d.QueryRow(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file); err != nil {
			t.Fatal(err)
		}
		other, err = sql.Open("sqlite", "file:"+file)
	}
	if err != nil {
		t.Fatal(err)
	}
	if conn, err = other.Conn(ctx); err != nil {
		t.Fatal(err)
	}
	lock := []string{"BEGIN", "LOCK TABLE " + table + " IN EXCLUSIVE MODE"}
	if d.Engine == db.SQLite {
		lock = []string{"BEGIN IMMEDIATE"}
	}
	for _, q := range lock {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	released := false
	release := func() {
		if !released {
			released = true
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			other.Close()
		}
	}
	t.Cleanup(release)
	return release
}

func TestAStalledDatabaseAnswers503QuicklyNotWhenItRecovers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		from := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		to := b.account(t, arben, money.ALL, ledger.TypeSavings)
		release := holdWrites(t, d, "accounts")
		go func() { time.Sleep(30 * time.Second); release() }() // today's server answered only then
		began := time.Now()
		r, err := b.send("POST", "/api/v1/transfers", tok, map[string]any{"type": "own", "from_account_id": from.ID,
			"to_account_id": to.ID, "amount": "10.00", "currency": "ALL"}, "Idempotency-Key", "stalled")
		if err != nil {
			t.Fatal(err)
		}
		took := time.Since(began)
		release()
		b.checkRetryLater(t, r, "unavailable", i18n.SQ)
		// A database call waits 5 s at most; a loaded machine may add to that, the stall may not.
		if took > 12*time.Second {
			t.Errorf("answered after %v with the database stalled", took)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/transfers", tok, map[string]any{"type": "own", "from_account_id": from.ID,
			"to_account_id": to.ID, "amount": "10.00", "currency": "ALL"}, "Idempotency-Key", "stalled"), http.StatusCreated)
	})
}

func TestReadyzFailsWhenTheDatabaseTakesNoWrites(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		wantStatus(t, b.do(t, "GET", "/readyz", "", nil), http.StatusOK)
		release := holdWrites(t, d, "settings")
		r, err := b.send("GET", "/readyz", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		b.checkRetryLater(t, r, "unavailable", i18n.SQ)
		release()
		wantStatus(t, b.do(t, "GET", "/readyz", "", nil), http.StatusOK)
	})
}
