package audit_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// appendN appends n entries, one transaction each, alternating two customers.
func appendN(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := audit.WithOrigin(context.Background(), audit.Origin{RequestID: "req-1", Client: "192.0.2.7"})
	for i := range n {
		cust := []string{"cust-a", "cust-b"}[i%2]
		err := d.InTx(ctx, func(tx *db.Tx) error {
			return audit.Append(ctx, tx, t0.Add(time.Duration(i)*time.Second), audit.Stamp(ctx, audit.Entry{
				Actor: audit.Customer(cust), Action: "login.password.failed", CustomerID: cust,
				After: audit.State(map[string]int{"failures": i}), Result: "password_wrong"}))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, d *db.DB, published audit.Head) (audit.Head, *audit.Broken) {
	t.Helper()
	h, err := audit.Verify(context.Background(), d, published)
	var b *audit.Broken
	if err != nil && !errors.As(err, &b) {
		t.Fatal(err)
	}
	return h, b
}

func TestAnUntouchedChainVerifiesToItsHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if h, b := verify(t, d, audit.Head{}); b != nil || h.Seq != 0 || h.Hash != audit.Genesis {
			t.Fatalf("empty log: head %v, broken %v", h, b)
		}
		appendN(t, d, 5)
		h, b := verify(t, d, audit.Head{})
		if b != nil || h.Seq != 5 {
			t.Fatalf("head %v, broken %v", h, b)
		}
		stored, err := audit.CurrentHead(context.Background(), d)
		if err != nil || stored != h {
			t.Fatalf("stored head %v (%v), verified %v", stored, err, h)
		}
		if _, b := verify(t, d, audit.Head{Seq: 3, Hash: mustHash(t, d, 3)}); b != nil {
			t.Fatalf("a published head inside the chain: %v", b)
		}
	})
}

func mustHash(t *testing.T, d *db.DB, seq int64) string {
	t.Helper()
	var h string
	if err := d.QueryRow(context.Background(), `SELECT hash FROM audit_log WHERE seq = ?`, seq).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// Tampering is what someone with write access to the database could do; no route of the bank can.
func TestVerifyNamesTheFirstTamperedEntry(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string
		want   int64
	}{
		{"a row deleted", []string{`DELETE FROM audit_log WHERE seq = 3`}, 3},
		{"the first row deleted", []string{`DELETE FROM audit_log WHERE seq = 1`}, 1},
		{"a field edited", []string{`UPDATE audit_log SET result = 'ok' WHERE seq = 4`}, 4},
		{"the time edited", []string{`UPDATE audit_log SET at = at + 1 WHERE seq = 2`}, 2},
		{"an edit rehashed", []string{`UPDATE audit_log SET actor_id = 'cust-x', hash = (SELECT hash FROM audit_log WHERE seq = 1) WHERE seq = 2`}, 2},
		{"two rows swapped", []string{`UPDATE audit_log SET seq = 100 WHERE seq = 2`,
			`UPDATE audit_log SET seq = 2 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 100`}, 2},
		{"the last row deleted", []string{`DELETE FROM audit_log WHERE seq = 6`}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				appendN(t, d, 6)
				for _, q := range tc.tamper {
					if _, err := d.Exec(context.Background(), q); err != nil {
						t.Fatal(err)
					}
				}
				_, b := verify(t, d, audit.Head{})
				if b == nil || b.Seq != tc.want {
					t.Fatalf("broken = %v, want entry %d", b, tc.want)
				}
			})
		})
	}
}

func TestACutTailIsFoundAgainstAPublishedHead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		appendN(t, d, 6)
		published, b := verify(t, d, audit.Head{})
		if b != nil {
			t.Fatal(b)
		}
		// The tail cut and the head row rewound with it: the chain alone is consistent again.
		ctx := context.Background()
		for _, q := range []string{`DELETE FROM audit_log WHERE seq > 4`,
			`UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_log WHERE seq = 4)`} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if _, b := verify(t, d, audit.Head{}); b != nil {
			t.Fatalf("without a published head the cut chain is whole: %v", b)
		}
		if _, b := verify(t, d, published); b == nil || b.Seq != 5 {
			t.Fatalf("against the published head %v: broken = %v, want entry 5", published, b)
		}
		// A rewritten tail of the same length differs from the published head.
		appendN(t, d, 2)
		if _, b := verify(t, d, published); b == nil || b.Seq != 6 {
			t.Fatalf("rewritten tail: broken = %v, want entry 6", b)
		}
	})
}

func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 5 {
					errs <- d.InTx(ctx, func(tx *db.Tx) error {
						return audit.Append(ctx, tx, t0, audit.Entry{Actor: audit.System("test"),
							Action: fmt.Sprintf("test.%d.%d", g, i)}, audit.Entry{Actor: audit.System("test"), Action: "test.pair"})
					})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if h, b := verify(t, d, audit.Head{}); b != nil || h.Seq != 80 {
			t.Fatalf("head %v, broken %v", h, b)
		}
	})
}

func TestACustomerSeesOnlyTheirOwnActivityNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		appendN(t, d, 7) // cust-a: 1, 3, 5, 7
		ctx := context.Background()
		p, err := audit.Activity(ctx, d, "cust-a", 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Entries) != 3 || p.Entries[0].Seq != 7 || p.Entries[2].Seq != 3 || p.Next != 3 {
			t.Fatalf("first page %+v", p)
		}
		for _, e := range p.Entries {
			if e.CustomerID != "cust-a" || e.RequestID != "req-1" || e.Client != "192.0.2.7" {
				t.Fatalf("entry %+v", e)
			}
		}
		p, err = audit.Activity(ctx, d, "cust-a", p.Next, 3)
		if err != nil || len(p.Entries) != 1 || p.Entries[0].Seq != 1 || p.Next != 0 {
			t.Fatalf("last page %+v, %v", p, err)
		}
		if p, err := audit.Activity(ctx, d, "cust-nobody", 0, 10); err != nil || len(p.Entries) != 0 {
			t.Fatalf("a stranger's page %+v, %v", p, err)
		}
	})
}

func TestParseHeadReadsWhatStringWrites(t *testing.T) {
	h := audit.Head{Seq: 42, Hash: audit.Genesis}
	if got, err := audit.ParseHead(h.String()); err != nil || got != h {
		t.Fatalf("%v, %v", got, err)
	}
	for _, bad := range []string{"", "42", "x:" + audit.Genesis, "42:abc", "-1:" + audit.Genesis, "1:" + audit.Genesis[:62] + "zz"} {
		if _, err := audit.ParseHead(bad); err == nil {
			t.Errorf("ParseHead(%q) accepted", bad)
		}
	}
}

func FuzzParseHead(f *testing.F) {
	f.Add("1:" + audit.Genesis)
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		if h, err := audit.ParseHead(s); err == nil && h.String() != s {
			t.Fatalf("%q read as %v", s, h)
		}
	})
}

func TestParseQueryTakesACursorAndALimitOnly(t *testing.T) {
	tests := []struct {
		query string
		want  audit.Query
		field string
	}{
		{"", audit.Query{}, ""},
		{"cursor=12&limit=5", audit.Query{Cursor: 12, Limit: 5}, ""},
		{"cursor=0", audit.Query{}, "cursor"},
		{"cursor=012", audit.Query{}, "cursor"},
		{"cursor=abc", audit.Query{}, "cursor"},
		{"limit=101", audit.Query{}, "limit"},
		{"limit=0", audit.Query{}, "limit"},
		{"customer_id=other", audit.Query{}, "customer_id"},
	}
	for _, tc := range tests {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := audit.ParseQuery(q)
		if tc.field == "" {
			if err != nil || got != tc.want {
				t.Errorf("%q: %+v, %v", tc.query, got, err)
			}
			continue
		}
		var ke *kumbara.Error
		if !errors.As(err, &ke) || ke.Code != "invalid_query" || len(ke.Fields) != 1 || ke.Fields[0].Field != tc.field {
			t.Errorf("%q: %v, want invalid_query on %s", tc.query, err, tc.field)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("cursor=5&limit=10")
	f.Add("cursor=-1")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := url.ParseQuery(s)
		if err != nil {
			return
		}
		if got, err := audit.ParseQuery(q); err == nil && (got.Cursor < 0 || got.Limit < 0 || got.Limit > audit.MaxPage) {
			t.Fatalf("%q read as %+v", s, got)
		}
	})
}

func TestADuplicatedEntryIsFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		appendN(t, d, 4)
		if _, err := d.Exec(context.Background(), `INSERT INTO audit_log (seq, at, actor_kind, actor_id, actor_role, action,
			customer_id, account_id, before_state, after_state, result, request_id, client, hash)
			SELECT seq, at, actor_kind, actor_id, actor_role, action, 'cust-z', account_id, before_state, after_state,
			result, request_id, client, hash FROM audit_log WHERE seq = 2`); err != nil {
			t.Fatal(err)
		}
		if _, b := verify(t, d, audit.Head{}); b == nil || b.Seq != 2 {
			t.Fatalf("broken = %v, want entry 2", b)
		}
	})
}
