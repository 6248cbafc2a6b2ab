// Package dbtest gives tests a fresh, migrated database on each engine: a temporary SQLite file always, and a
// throw-away PostgreSQL database when KUMBARA_TEST_POSTGRES names a server. With CI=true a missing PostgreSQL
// fails the test instead of skipping it, so CI can never pass on SQLite alone.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/kumbara/kumbara/db"
)

// PostgresEnv names the variable holding the URL of a PostgreSQL server the tests may create databases on.
const PostgresEnv = "KUMBARA_TEST_POSTGRES"

// Each runs fn as a subtest once per engine, each with its own fresh database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(e.String(), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh migrated database of the engine, closed and removed when the test ends.
func Open(t testing.TB, e db.Engine) *db.DB {
	t.Helper()
	dsn := SQLiteDSN(t)
	if e == db.Postgres {
		dsn = PostgresDSN(t)
	}
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return d
}

// SQLiteDSN returns the path of a new SQLite file in the test's temporary directory.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "kumbara.db")
}

// PostgresDSN creates an empty database on the configured server and returns its URL; it is dropped at cleanup.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL suite", PostgresEnv)
		}
		t.Skipf("%s not set: skipping PostgreSQL", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect postgres: %v", err)
	}
	defer admin.Close()
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "kumbara_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u.Path = "/" + name
	return u.String()
}

// Rename returns the URL of the database name on the configured PostgreSQL server base, for a test that opens a
// second session on the database it was given (to lock a table under the bank, say).
func Rename(t testing.TB, base, name string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// EachDSN runs fn as a subtest once per engine with the address of a fresh, empty database, for tests that open
// the database themselves (the command line, the whole server).
func EachDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(e.String(), func(t *testing.T) {
			dsn := SQLiteDSN(t)
			if e == db.Postgres {
				dsn = PostgresDSN(t)
			}
			fn(t, dsn)
		})
	}
}
