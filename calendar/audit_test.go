package calendar_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

func TestAnnouncingAndWithdrawingAHolidayIsAuditedAndARefusalIsNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		officer := audit.StaffActor("backoffice", "backoffice")
		ctx := audit.WithOrigin(audit.WithActor(context.Background(), officer), audit.Origin{RequestID: "req-4"})
		s := newService(d)
		entries := func(action string) []audit.Entry {
			t.Helper()
			p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
			if err != nil {
				t.Fatal(err)
			}
			return p.Entries
		}
		if err := s.Announce(ctx, "holiday_eid_al_adha", date(t, "2028-05-05")); err != nil {
			t.Fatal(err)
		}
		if err := s.Announce(ctx, "holiday_eid_al_adha", date(t, "2028-05-06")); !errors.Is(err, calendar.ErrHolidayExists) {
			t.Fatalf("announced twice: %v", err)
		}
		es := entries(calendar.ActionAnnounced)
		if len(es) != 1 || es[0].Actor != officer || es[0].RequestID != "req-4" || es[0].Before != "" ||
			es[0].After != `{"name":"holiday_eid_al_adha","date":"2028-05-05"}` {
			t.Fatalf("announced %+v", es)
		}
		if err := s.Withdraw(ctx, "holiday_eid_al_adha", 2028); err != nil {
			t.Fatal(err)
		}
		if err := s.Withdraw(ctx, "holiday_eid_al_adha", 2028); !errors.Is(err, calendar.ErrHolidayNotFound) {
			t.Fatalf("withdrawn twice: %v", err)
		}
		es = entries(calendar.ActionWithdrawn)
		if len(es) != 1 || es[0].Actor != officer || es[0].After != "" ||
			es[0].Before != `{"name":"holiday_eid_al_adha","date":"2028-05-05"}` {
			t.Fatalf("withdrawn %+v", es)
		}
	})
}
