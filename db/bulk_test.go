package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestPipelinedTxReadsDecidesAndWritesInOneTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rows := [][]any{{"a", "1"}, {"b", "2"}, {"c", "3"}}
		err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return d.InsertRows("settings", []string{"name", "value"}, rows), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var seen []string
		err = d.PipelinedTx(ctx, func() []db.Read {
			seen = nil
			in, args := d.In("name", []string{"a", "c"})
			return []db.Read{{SQL: "SELECT name, value FROM settings WHERE " + in + " ORDER BY name" + d.ForUpdate(),
				Args: args, Each: func(r db.Scanner) error {
					var n, v string
					if err := r.Scan(&n, &v); err != nil {
						return err
					}
					seen = append(seen, n+"="+v)
					return nil
				}}}
		}, func() ([]db.Stmt, error) {
			return d.UpdateRows("settings", "name", []string{"value"}, [][]any{{"a", "10"}, {"c", "30"}}), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 || seen[0] != "a=1" || seen[1] != "c=3" {
			t.Fatalf("reads saw %v", seen)
		}
		for name, want := range map[string]string{"a": "10", "b": "2", "c": "30"} {
			var v string
			if err := d.QueryRow(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v); err != nil || v != want {
				t.Fatalf("%s = %q (%v), want %q", name, v, err, want)
			}
		}
	})
}

func TestPipelinedTxWritesNothingWhenAStatementFails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "INSERT INTO settings (name, value) VALUES ('taken', 'x')"); err != nil {
			t.Fatal(err)
		}
		err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return append(d.InsertRows("settings", []string{"name", "value"}, [][]any{{"fresh", "y"}}),
				d.InsertRows("settings", []string{"name", "value"}, [][]any{{"taken", "z"}})...), nil
		})
		if !db.IsUniqueViolation(err) {
			t.Fatalf("want a unique violation, got %v", err)
		}
		decided := errors.New("refused")
		if err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return nil, decided
		}); !errors.Is(err, decided) {
			t.Fatalf("write's error: %v", err)
		}
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM settings WHERE name = 'fresh'").Scan(&n); err != nil || n != 0 {
			t.Fatalf("a failed transaction left %d rows (%v)", n, err)
		}
		// The connection is usable again afterwards.
		for i := 0; i < 3; i++ {
			if err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
				return d.UpdateRows("settings", "name", []string{"value"}, [][]any{{"taken", "ok"}}), nil
			}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestInsertRowsKeepsNullsInNumberColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, `INSERT INTO customers (id, client_number, kind, created_at) VALUES ('c', '100000009', 'individual', 1)`); err != nil {
			t.Fatal(err)
		}
		err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return d.InsertRows("sessions", []string{"token_hash", "id", "customer_id", "assurance", "created_at",
				"last_seen_at", "expires_at", "ended_at"}, [][]any{{"h1", "s1", "c", "full", int64(1), int64(1), int64(2), nil},
				{"h2", "s2", "c", "full", int64(1), int64(1), int64(2), int64(5)}}), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var nulls int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL").Scan(&nulls); err != nil || nulls != 1 {
			t.Fatalf("NULL ended_at rows: %d (%v)", nulls, err)
		}
	})
}

func TestColumnTypesForBulkWritesAreLoadedAtStart(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	for table, col := range map[string]string{"postings": "amount", "accounts": "balance", "idempotency_keys": "created_at"} {
		if got := d.KnownColumnTypes(table)[col]; got != "bigint" {
			t.Errorf("%s.%s known as %q before any bulk write, want bigint", table, col, got)
		}
	}
}

func TestAFailedReadOfColumnTypesKeepsWhatWasKnown(t *testing.T) {
	d := dbtest.Open(t, db.Postgres)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.LoadColumnTypes(ctx); err == nil {
		t.Fatal("LoadColumnTypes with a cancelled context succeeded")
	}
	if got := d.KnownColumnTypes("postings")["amount"]; got != "bigint" {
		t.Fatalf("after a failed read postings.amount is known as %q, want bigint", got)
	}
}

func TestATableUnknownAtItsFirstBulkWriteIsAskedForAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		insert := func() error {
			return d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
				return d.InsertRows("later", []string{"id", "n"}, [][]any{{"a", int64(1)}, {"b", nil}}), nil
			})
		}
		if err := insert(); err == nil {
			t.Fatal("insert into a missing table succeeded")
		}
		if _, err := d.Exec(ctx, "CREATE TABLE later (id TEXT PRIMARY KEY, n BIGINT)"); err != nil {
			t.Fatal(err)
		}
		// Remembering the missing table's (empty) column types would send n as text from now on.
		if err := insert(); err != nil {
			t.Fatalf("insert once the table exists: %v", err)
		}
		var sum int64
		if err := d.QueryRow(ctx, "SELECT COALESCE(SUM(n), 0) FROM later").Scan(&sum); err != nil || sum != 1 {
			t.Fatalf("sum %d, %v", sum, err)
		}
	})
}
