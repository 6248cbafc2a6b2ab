package db

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
)

// TestTheDatabaseLogsJSONLines: the SQLite checkpointer's warning went to slog's default logger, the one line of
// the bank's logs that was not JSON. It logs through the logger given, by default JSON on standard error.
func TestTheDatabaseLogsJSONLines(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, ok := d.log.Handler().(*slog.JSONHandler); !ok {
		t.Errorf("default log handler %T, want JSON", d.log.Handler())
	}
	l := slog.New(slog.DiscardHandler)
	d2, err := OpenWith(ctx, filepath.Join(t.TempDir(), "b.db"), Options{Logger: l})
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	if d2.log != l {
		t.Error("Options.Logger was not used")
	}
}
