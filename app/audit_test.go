package app_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/transfer"
)

func actions(p audit.Page) []string {
	var out []string
	for _, e := range p.Entries {
		out = append(out, e.Action+"="+e.Result)
	}
	return out
}

// TestCustomersActionsAreAuditedInTheirTransactions: a wrong password, a login, a transfer, a refused transfer and
// a logout each leave their entry, with the request's id and address, in one chain that verifies; each customer's
// activity holds their own entries only.
func TestCustomersActionsAreAuditedInTheirTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		o := &observer{}
		cfg := config(d)
		cfg.Observer, cfg.DeliverAtOnce = o, true
		b := open(t, cfg)
		c, from := person(t, b, 1)
		other, to := person(t, b, 2)
		ctx := audit.WithOrigin(context.Background(), audit.Origin{RequestID: "req-42", Client: "203.0.113.9"})
		if _, err := b.Auth.Login(ctx, c.ClientNumber, "wrong-Password1"); err == nil {
			t.Fatal("a wrong password logged in")
		}
		ch, err := b.Auth.Login(ctx, c.ClientNumber, "Fillim2026x")
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := b.Sandbox.InboxFor(ctx, c.Mobile, 1)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("the code's SMS: %v, %v", msgs, err)
		}
		code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[0].Body)
		token, _, err := b.Auth.VerifyOTP(ctx, ch.ID, code)
		if err != nil {
			t.Fatal(err)
		}
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "10.00",
			Currency: "ALL", Description: "Qira"}
		if _, _, err := b.Transfers.Create(ctx, c.ID, "audited-1", req); err != nil {
			t.Fatal(err)
		}
		req.Amount = "2000.00" // beyond the balance: refused in the ledger's batch
		if _, _, err := b.Transfers.Create(ctx, c.ID, "audited-2", req); err == nil {
			t.Fatal("a transfer beyond the balance went through")
		}
		req.Amount = "abc" // refused before the ledger
		if _, _, err := b.Transfers.Create(ctx, c.ID, "audited-3", req); err == nil {
			t.Fatal("a malformed amount went through")
		}
		if err := b.Auth.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		p, err := audit.Activity(ctx, d, c.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		got := actions(p)
		for _, want := range []string{auth.ActionPasswordFailed + "=login_failed", auth.ActionCodeSent + "=ok",
			auth.ActionLogin + "=ok", transfer.ActionCreated + "=ok", transfer.ActionRefused + "=insufficient_funds",
			auth.ActionLogout + "=ok"} {
			if !slices.Contains(got, want) {
				t.Errorf("activity %v lacks %s", got, want)
			}
		}
		refusedEarly := 0
		for _, e := range p.Entries {
			if e.Action == auth.ActionPasswordSet || e.Actor == audit.System(audit.Bank) {
				continue // person() set the customer up outside any request: the password, and as the bank
			}
			if e.RequestID != "req-42" || e.Client != "203.0.113.9" || e.Actor != audit.Customer(c.ID) {
				t.Errorf("entry %s: request %q, client %q, actor %+v", e.Action, e.RequestID, e.Client, e.Actor)
			}
			if e.Action == transfer.ActionRefused && e.Result != "insufficient_funds" {
				refusedEarly++
			}
		}
		if refusedEarly != 1 {
			t.Errorf("%d transfers refused before the ledger recorded, want 1: %v", refusedEarly, got)
		}
		theirs, err := audit.Activity(ctx, d, other.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range theirs.Entries {
			if e.CustomerID != other.ID {
				t.Errorf("another customer's entry %+v in %s's activity", e, other.ID)
			}
		}
		head, err := audit.Verify(ctx, d, audit.Head{})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.PublishAuditHead(ctx); err != nil {
			t.Fatal(err)
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if len(o.heads) != 1 || o.heads[0] != head {
			t.Fatalf("published %v, verified head %v", o.heads, head)
		}
	})
}

// TestTheBenchSwitchPostsWithoutTheAuditOnlyWhenOn: a request marked WithoutAudit still writes its entry unless the
// bank was built for the bench's comparison.
func TestTheBenchSwitchPostsWithoutTheAuditOnlyWhenOn(t *testing.T) {
	for _, on := range []bool{false, true} {
		d := dbtest.Open(t, db.SQLite)
		cfg := config(d)
		cfg.BenchAuditSwitch = on
		b := open(t, cfg)
		c, from := person(t, b, 1)
		_, to := person(t, b, 2)
		ctx := transfer.WithoutAudit(context.Background())
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "10.00",
			Currency: "ALL"}
		if _, _, err := b.Transfers.Create(ctx, c.ID, "bench-1", req); err != nil {
			t.Fatal(err)
		}
		p, err := audit.Activity(ctx, d, c.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if has := slices.Contains(actions(p), transfer.ActionCreated+"=ok"); has == on {
			t.Errorf("switch %v: transfer audited %v", on, has)
		}
	}
}
