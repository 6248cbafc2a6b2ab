package payment_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

// TestEveryStaffClearingActionIsAudited: each action staff take on the clearing side — a session and a dispatch run
// by hand, the sandbox's rejections, behaviour, inbound payments and returns, a reconciliation of the day or of a
// report — leaves one entry by the member of staff, in the request that asked for it, with what it did; what the
// bank does by itself (the periodic session, dispatch and close of business, the sandbox answering) leaves none.
func TestEveryStaffClearingActionIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Elira", "Çela")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		ctx := audit.WithOrigin(audit.WithActor(f.ctx, audit.StaffActor("olta", "backoffice")),
			audit.Origin{RequestID: "req-clearing", Client: "os:olta"})
		p := f.pay(t, c.ID, domestic(a.ID, credins, "2500"))
		day := f.day(t)
		var tx string
		for _, step := range []struct {
			action, before, after string
			do                    func() error
		}{
			{clearinghouse.ActionRejecting, "", `{"iban":"` + otherBank + `","reason":"AC01"}`, func() error {
				return f.ch.Reject(ctx, iban.IBAN(otherBank), "AC01")
			}},
			{clearinghouse.ActionRejecting, "", `{"iban":"` + otherBank + `","reason":""}`, func() error {
				return f.ch.Reject(ctx, iban.IBAN(otherBank), "")
			}},
			{clearinghouse.ActionSet, `{"down":false,"delay_ms":0}`, `{"down":true,"delay_ms":2000}`, func() error {
				return f.ch.Set(ctx, clearinghouse.Settings{Down: true, Delay: 2 * time.Second})
			}},
			{payment.ActionSessionRun, "", `{"sent":1,"waiting":1}`, func() error {
				_, err := f.svc.RunSessionNow(ctx)
				return err
			}},
			{clearinghouse.ActionSet, `{"down":true,"delay_ms":2000}`, `{"down":false,"delay_ms":0}`, func() error {
				return f.ch.Set(ctx, clearinghouse.Settings{})
			}},
			{payment.ActionDispatched, "", `{"sent":0,"waiting":0}`, func() error {
				if _, err := f.svc.DispatchNow(ctx); err != nil {
					return err
				}
				_, err := f.ch.Work(f.ctx)
				return err
			}},
			{clearinghouse.ActionInbound, "", `"iban":"` + a.IBAN + `","amount":70000,"currency":"ALL","scheme":"aech","payer":"Alba Trade"}`,
				func() error {
					_, err := f.ch.Inject(ctx, clearinghouse.Inbound{IBAN: iban.IBAN(a.IBAN), Amount: money.New(700_00, money.ALL),
						Name: "Alba Trade"})
					return err
				}},
			{clearinghouse.ActionReturned, "", `"reason":"AC04"}`, func() error {
				tx = f.journey(t, p.ID).Payment.TxID
				_, err := f.ch.Return(ctx, tx, "AC04")
				return err
			}},
			{payment.ActionReconciled, "", `{"day":"` + day.String() + `","currency":"ALL","statement":`, func() error {
				f.settled(t) // the bank's own rounds: no entry
				_, err := f.svc.ReconcileNow(ctx, day)
				return err
			}},
			{payment.ActionReconciled, "", `{"day":"` + day.String() + `","currency":"ALL","statement":`, func() error {
				_, err := f.svc.Reconcile(ctx, day, f.report(t, day, money.ALL))
				return err
			}},
			{payment.ActionReconciled, "", `{"day":"` + day.AddDays(-7).String() + `","theirs":0,"ours":0,"matched":0,"breaks":0}`,
				func() error {
					_, err := f.svc.ReconcileNow(ctx, day.AddDays(-7))
					return err
				}},
		} {
			before := staffEntries(t, d)
			if err := step.do(); err != nil {
				t.Fatalf("%s: %v", step.action, err)
			}
			got := staffEntries(t, d)
			if len(got) != len(before)+1 {
				t.Fatalf("%s left %d entries, want one", step.action, len(got)-len(before))
			}
			e := got[0]
			if e.Action != step.action || e.Actor != audit.StaffActor("olta", "backoffice") || e.Result != audit.ResultOK ||
				e.RequestID != "req-clearing" || e.Client != "os:olta" || e.Before != step.before ||
				!strings.Contains(e.After, step.after) {
				t.Errorf("%s's entry: %+v, want before %s and after with %s", step.action, e, step.before, step.after)
			}
		}
		// The bank's own work on the clearing side is no staff action.
		n := len(clearingEntries(t, d))
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Dispatch(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ReconcileDay(f.ctx, day); err != nil {
			t.Fatal(err)
		}
		if got := clearingEntries(t, d); len(got) != n {
			t.Errorf("the bank's own rounds left %d entries: %+v", len(got)-n, got[:len(got)-n])
		}
	})
}

// staffEntries are the member of staff olta's entries, newest first.
func staffEntries(t *testing.T, d *db.DB) []audit.Entry {
	t.Helper()
	p, err := audit.Search(t.Context(), d, audit.Filter{Staff: "olta"})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

// clearingEntries are every entry of the clearing side's actions.
func clearingEntries(t *testing.T, d *db.DB) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for _, prefix := range []string{"clearing.", "clearinghouse."} {
		p, err := audit.Search(t.Context(), d, audit.Filter{Action: prefix})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Entries...)
	}
	return out
}
