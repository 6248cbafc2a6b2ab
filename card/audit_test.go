package card_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

var officer = audit.StaffActor("backoffice", "backoffice")

func entriesOf(t *testing.T, d *db.DB, action string) []audit.Entry {
	t.Helper()
	p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

func TestIssuingACardIsAuditedWithoutItsNumberOrPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.ctx = audit.WithActor(f.ctx, officer)
		c := f.issue(t)
		pan := f.reveal(t, c.ID)
		es := entriesOf(t, d, card.ActionIssued)
		if len(es) != 1 {
			t.Fatalf("%d entries, want 1", len(es))
		}
		e := es[0]
		if e.Actor != officer || e.CustomerID != f.alice.ID || e.AccountID != f.aliceAcc.ID || e.Before != "" ||
			e.After != `{"card":"`+c.ID+`","type":"visa","contactless":true,"expires":"`+c.Expires+`"}` {
			t.Fatalf("entry %+v", e)
		}
		for _, secret := range []string{pan[len(pan)-4:], c.Last6, "4739"} {
			if strings.Contains(e.After, secret) {
				t.Fatalf("the entry holds %q: %s", secret, e.After)
			}
		}
		// Refused in the transaction that would append the entry: a blocked account, another customer's.
		if err := d.InTx(f.ctx, func(tx *db.Tx) error {
			return ledger.SetStatus(f.ctx, tx, t0, f.aliceAcc.ID, ledger.Blocked)
		}); err != nil {
			t.Fatal(err)
		}
		for _, r := range []card.IssueRequest{{CustomerID: f.alice.ID, AccountID: f.aliceAcc.ID, Type: card.Visa, PIN: "4739"},
			{CustomerID: f.alice.ID, AccountID: f.bobAcc.ID, Type: card.Visa, PIN: "4739"}} {
			if _, err := f.cards.Issue(f.ctx, r); err == nil {
				t.Fatalf("issued on %s", r.AccountID)
			}
		}
		if n := len(entriesOf(t, d, card.ActionIssued)); n != 1 {
			t.Fatalf("%d entries after refusals, want 1", n)
		}
	})
}

func TestUnblockingAPINIsAuditedWithItsStateBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.issue(t)
		for range card.MaxPINFailures {
			_ = f.cards.VerifyPIN(f.ctx, c.ID, "0000")
		}
		ctx := audit.WithOrigin(audit.WithActor(f.ctx, officer), audit.Origin{RequestID: "req-9", Client: "10.0.0.9"})
		if err := f.cards.UnblockPIN(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		es := entriesOf(t, d, card.ActionPINUnblocked)
		if len(es) != 1 || es[0].Actor != officer || es[0].CustomerID != f.alice.ID || es[0].AccountID != f.aliceAcc.ID ||
			es[0].Before != `{"pin_blocked":true,"pin_failures":3}` ||
			es[0].After != `{"card":"`+c.ID+`","pin_blocked":false,"pin_failures":0}` || es[0].RequestID != "req-9" {
			t.Fatalf("entries %+v", es)
		}
		wantCode(t, f.cards.UnblockPIN(ctx, "no-such-card"), "card_not_found")
		if n := len(entriesOf(t, d, card.ActionPINUnblocked)); n != 1 {
			t.Fatalf("%d entries after an unknown card, want 1", n)
		}
	})
}
