package uniquecode_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/uniquecode"
)

func TestIssuingACodeIsAuditedWithoutTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		teller := audit.StaffActor("teller", "teller")
		f.ctx = audit.WithOrigin(audit.WithActor(f.ctx, teller), audit.Origin{RequestID: "req-3", Client: "10.0.0.3"})
		first := f.issue(t, f.alice, uniquecode.Recovery)
		second := f.issue(t, f.alice, uniquecode.Recovery)
		p, err := audit.Search(context.Background(), d, audit.Filter{Action: uniquecode.ActionIssued})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Entries) != 2 {
			t.Fatalf("%d entries, want 2", len(p.Entries))
		}
		e := p.Entries[0]
		var after struct {
			ID, Purpose string
			Revoked     int
		}
		if err := json.Unmarshal([]byte(e.After), &after); err != nil {
			t.Fatal(err)
		}
		if e.Actor != teller || e.CustomerID != f.alice || e.RequestID != "req-3" || after.ID == "" ||
			after.Purpose != "recovery" || after.Revoked != 1 || !strings.Contains(e.After, `"expires_at":"2026-03-03T08:00:00Z"`) {
			t.Fatalf("entry %+v", e)
		}
		for _, e := range p.Entries {
			for _, code := range []string{first, second, uniquecode.Format(first), uniquecode.Format(second)} {
				if strings.Contains(e.After, code) {
					t.Fatalf("the entry holds the code: %s", e.After)
				}
			}
		}
		if _, _, err := f.codes.Issue(f.ctx, "no-such-customer", uniquecode.Registration, "teller"); err == nil {
			t.Fatal("a code for nobody")
		}
		if p, _ := audit.Search(context.Background(), d, audit.Filter{Action: uniquecode.ActionIssued}); len(p.Entries) != 2 {
			t.Fatalf("%d entries after a refusal, want 2", len(p.Entries))
		}
	})
}
