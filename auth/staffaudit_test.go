package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

var service = audit.StaffActor("service", "service")

// staffCtx is a request of the customer service desk.
func staffCtx() context.Context {
	return audit.WithOrigin(audit.WithActor(context.Background(), service), audit.Origin{RequestID: "req-5", Client: "10.0.0.5"})
}

func auditOf(t *testing.T, d *db.DB, action string) []audit.Entry {
	t.Helper()
	p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

// The bank's actions on a customer's channel are each one entry by the member of staff, with the channel's
// state before and after; an unknown customer changes nothing and leaves no entry.
func TestStaffActionsOnTheChannelAreAuditedBeforeAndAfter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		for range 10 {
			if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw2); kumbara.CodeOf(err) == "channel_blocked" {
				break
			}
		}
		ctx := staffCtx()
		steps := []struct {
			action        string
			do            func(context.Context, string) error
			before, after string
		}{
			{auth.ActionChannelUnblocked, f.auth.Unblock,
				`{"blocked":true,"failed_attempts":5,"channel_closed":false,"web_login_required":false}`,
				`{"blocked":false,"failed_attempts":0,"channel_closed":false,"web_login_required":false}`},
			{auth.ActionChannelClosed, f.auth.CloseChannel,
				`{"blocked":false,"failed_attempts":0,"channel_closed":false,"web_login_required":false}`,
				`{"blocked":false,"failed_attempts":0,"channel_closed":true,"web_login_required":false}`},
			{auth.ActionChannelReactivated, f.auth.ReactivateChannel,
				`{"blocked":false,"failed_attempts":0,"channel_closed":true,"web_login_required":false}`,
				`{"blocked":false,"failed_attempts":0,"channel_closed":false,"web_login_required":true}`},
		}
		for _, s := range steps {
			if err := s.do(ctx, c.ID); err != nil {
				t.Fatalf("%s: %v", s.action, err)
			}
			es := auditOf(t, d, s.action)
			if len(es) != 1 {
				t.Fatalf("%s: %d entries, want 1", s.action, len(es))
			}
			e := es[0]
			if e.Actor != service || e.CustomerID != c.ID || e.RequestID != "req-5" || e.Client != "10.0.0.5" ||
				e.Result != audit.ResultOK || e.Before != s.before || e.After != s.after {
				t.Errorf("%s: entry %+v\nwant before %s\n     after  %s", s.action, e, s.before, s.after)
			}
			wantCode(t, s.do(ctx, "no-such-customer"), kumbara.KindNotFound, "customer_not_found")
			if n := len(auditOf(t, d, s.action)); n != 1 {
				t.Errorf("%s: %d entries after an unknown customer, want 1", s.action, n)
			}
		}
	})
}

// A password staff set is recorded once, as the customer's password change by the member of staff, without the
// password; one the policy refuses is not recorded.
func TestAPasswordStaffSetIsRecordedOnceByTheMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		before := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE customer_id = ?", c.ID)
		ctx := staffCtx()
		if err := f.auth.SetPassword(ctx, c.ID, pw2, true); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE customer_id = ?", c.ID); n != before+1 {
			t.Fatalf("%d entries for the staff-set password, want 1", n-before)
		}
		es := auditOf(t, d, auth.ActionPasswordChanged)
		if len(es) != 1 || es[0].Actor != service || es[0].CustomerID != c.ID || strings.Contains(es[0].After, pw2) ||
			es[0].After != `{"must_change":true,"unblocked":false}` {
			t.Fatalf("entries %+v", es)
		}
		if err := f.auth.SetPassword(ctx, c.ID, "abc", true); err == nil {
			t.Fatal("a password against the policy was set")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_log WHERE customer_id = ?", c.ID); n != before+1 {
			t.Fatalf("%d entries after a refused password, want 1", n-before)
		}
		// Without a member of staff in the context (a tool), the bank's command line is named as before.
		if err := f.auth.SetPassword(context.Background(), c.ID, pw3, true); err != nil {
			t.Fatal(err)
		}
		if es := auditOf(t, d, auth.ActionPasswordChanged); es[0].Actor != audit.System(auth.ActorAdmin) {
			t.Fatalf("without a member: %+v", es[0])
		}
	})
}
