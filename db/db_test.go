package db_test

import (
	"context"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestMigrationsApplyOnBothEnginesAndAreIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if _, err := d.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?)", "k", "v"); err != nil {
			t.Fatal(err)
		}
		_, err := d.Exec(ctx, "INSERT INTO settings (name, value) VALUES (?, ?)", "k", "v2")
		if !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate key: want unique violation, got %v", err)
		}
		var v string
		if err := d.QueryRow(ctx, "SELECT value FROM settings WHERE name = ?", "k").Scan(&v); err != nil || v != "v" {
			t.Fatalf("read back: %q %v", v, err)
		}
	})
}

func TestRebindKeepsQuestionMarksInsideStrings(t *testing.T) {
	got := db.RebindFor(db.Postgres, "SELECT '?' , a FROM t WHERE a = ? AND b = ?")
	want := "SELECT '?' , a FROM t WHERE a = $1 AND b = $2"
	if got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}
