package approval_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/staff"
)

func member(username string, role staff.Role) staff.Member {
	return staff.Member{ID: username, Username: username, Active: true, Roles: []staff.Role{role}}
}

// TestAMemberListsTheirOwnRequestsWithoutReadingTheInbox: a teller follows the withdrawals they asked for (Maker
// is their own username) though the inbox is not theirs to read, and sees nobody else's; a member who reads the
// inbox lists anyone's.
func TestAMemberListsTheirOwnRequestsWithoutReadingTheInbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := &approval.Service{DB: d, Clock: clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
		teller, service := member("teller", staff.Teller), member("service", staff.CustomerService)
		manager := member("manager", staff.Manager)
		mine, err := s.Submit(ctx, teller, approval.New{Kind: "cash.withdraw", Payload: map[string]string{"amount": "2000000.00"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Submit(ctx, service, approval.New{Kind: "contact.change", Payload: map[string]string{"mobile": "x"}}); err != nil {
			t.Fatal(err)
		}

		list, err := s.List(ctx, teller, approval.Filter{Maker: "teller"})
		if err != nil || len(list) != 1 || list[0].ID != mine.ID {
			t.Errorf("the teller's own: %+v, %v", list, err)
		}
		for _, f := range []approval.Filter{{}, {Maker: "service"}} {
			if _, err := s.List(ctx, teller, f); !errors.Is(err, staff.ErrPermissionDenied) {
				t.Errorf("the teller listing %+v: %v, want staff_permission_denied", f, err)
			}
		}
		if list, err := s.List(ctx, manager, approval.Filter{Maker: "service"}); err != nil || len(list) != 1 ||
			list[0].Maker != "service" {
			t.Errorf("the manager listing the service member's: %+v, %v", list, err)
		}
		if list, err := s.List(ctx, manager, approval.Filter{Status: approval.Pending}); err != nil || len(list) != 2 {
			t.Errorf("the manager's inbox: %d requests, %v", len(list), err)
		}
	})
}

// TestWaitingCountsWhatAMemberMayDecide: a manager is waited on by the requests of others that are pending and in
// time, not by their own, a decided one or an expired one; a member who cannot decide is waited on by none.
func TestWaitingCountsWhatAMemberMayDecide(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		s := &approval.Service{DB: d, Clock: clk}
		teller, manager, manager2 := member("teller", staff.Teller), member("manager", staff.Manager), member("manager2", staff.Manager)
		submit := func(by staff.Member) approval.Request {
			t.Helper()
			r, err := s.Submit(ctx, by, approval.New{Kind: "cash.withdraw", Payload: map[string]string{"amount": "2000000.00"}})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		old := submit(teller)
		clk.Advance(2 * time.Hour)
		submit(teller)
		rejected := submit(teller)
		submit(manager)
		if _, err := s.Reject(ctx, manager2, rejected.ID, "not asked for"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  staff.Member
			want int
		}{{manager, 2}, {manager2, 3}, {teller, 0}} {
			if n, err := s.Waiting(ctx, c.who); err != nil || n != c.want {
				t.Errorf("%s waited on by %d (%v), want %d", c.who.Username, n, err, c.want)
			}
		}
		clk.Advance(approval.Validity - time.Hour) // the first request expires
		if n, _ := s.Waiting(ctx, manager); n != 1 {
			t.Errorf("after %s expired the manager is waited on by %d, want 1", old.ID, n)
		}
	})
}
