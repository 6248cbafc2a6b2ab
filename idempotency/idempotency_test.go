package idempotency_test

import (
	"context"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/idempotency"
)

var now = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func wantReused(t *testing.T, err error) {
	t.Helper()
	if e, ok := kumbara.As(err); !ok || e.Kind != kumbara.KindConflict || e.Code != "idempotency_key_reused" {
		t.Fatalf("err = %v, want idempotency_key_reused", err)
	}
}

func TestAClaimedKeyReplaysItsRequestAndRefusesAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		claim := func(hash, id string) (string, error) {
			var replay string
			err := d.InTx(ctx, func(tx *db.Tx) error {
				var err error
				replay, err = idempotency.Claim(ctx, tx, "c1/transfer/k1", hash, id, now)
				return err
			})
			return replay, err
		}
		if _, found, err := idempotency.Find(ctx, d, "c1/transfer/k1", "h1"); found || err != nil {
			t.Fatalf("Find before any claim: %v %v", found, err)
		}
		if replay, err := claim("h1", "t1"); replay != "" || err != nil {
			t.Fatalf("first claim: %q %v", replay, err)
		}
		if replay, err := claim("h1", "t2"); replay != "t1" || err != nil {
			t.Fatalf("the same request again: %q %v, want t1", replay, err)
		}
		_, err := claim("h2", "t3")
		wantReused(t, err)
		if id, found, err := idempotency.Find(ctx, d, "c1/transfer/k1", "h1"); id != "t1" || !found || err != nil {
			t.Fatalf("Find: %q %v %v", id, found, err)
		}
		_, found, err := idempotency.Find(ctx, d, "c1/transfer/k1", "h2")
		wantReused(t, err)
		if found {
			t.Fatal("a different request was found")
		}
		var created int64
		if err := d.QueryRow(ctx, "SELECT created_at FROM idempotency_keys WHERE scope_key = ?", "c1/transfer/k1").
			Scan(&created); err != nil || created != db.Micros(now) {
			t.Fatalf("created_at %d (%v), want %d", created, err, db.Micros(now))
		}
	})
}

func TestABatchReadsAndWritesTheSameKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		keys := []idempotency.Key{{Scope: "a", Hash: "ha", ResourceID: "ra"}, {Scope: "b", Hash: "hb", ResourceID: "rb"}}
		if err := d.PipelinedTx(ctx, func() []db.Read { return nil }, func() ([]db.Stmt, error) {
			return idempotency.Insert(d, keys, now), nil
		}); err != nil {
			t.Fatal(err)
		}
		found := map[string]idempotency.Key{}
		if err := d.PipelinedTx(ctx, func() []db.Read {
			return []db.Read{idempotency.Read(d, []string{"a", "b", "c"}, func(k idempotency.Key) { found[k.Scope] = k })}
		}, func() ([]db.Stmt, error) { return nil, nil }); err != nil {
			t.Fatal(err)
		}
		if len(found) != 2 || found["a"] != keys[0] || found["b"] != keys[1] {
			t.Fatalf("read %+v, want %+v", found, keys)
		}
		if id, err := found["b"].Replay("hb"); id != "rb" || err != nil {
			t.Fatalf("Replay: %q %v", id, err)
		}
		_, err := found["b"].Replay("other")
		wantReused(t, err)
		if id, ok, err := idempotency.Find(ctx, d, "a", "ha"); id != "ra" || !ok || err != nil {
			t.Fatalf("a key a batch wrote is not found outside it: %q %v %v", id, ok, err)
		}
		if len(idempotency.Insert(d, nil, now)) != 0 {
			t.Fatal("no keys, yet statements")
		}
	})
}
