package audit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// searchLog appends a day of mixed entries, one a minute from t0, and returns them as appended (seq 1…).
func searchLog(t *testing.T, d *db.DB) []audit.Entry {
	t.Helper()
	teller, manager := audit.StaffActor("teller", "teller"), audit.StaffActor("manager", "manager")
	entries := []audit.Entry{
		{Actor: audit.Customer("cust-a"), Action: "login.succeeded", CustomerID: "cust-a"},
		{Actor: teller, Action: "cash.deposited", CustomerID: "cust-a", AccountID: "acc-a"},
		{Actor: teller, Action: "customer.created", CustomerID: "cust-b"},
		{Actor: manager, Action: "staff.unblocked", After: `{"username":"teller"}`},
		{Actor: audit.System("kumbara"), Action: "staff.created"},
		{Actor: audit.Customer("teller"), Action: "login.succeeded", CustomerID: "teller"}, // a customer named like staff
		{Actor: teller, Action: "staff.login.failed", Result: "staff_code_invalid"},
		{Actor: manager, Action: "account.status_changed", CustomerID: "cust-a", AccountID: "acc-a"},
		{Actor: teller, Action: "staff.login"},
		{Actor: teller, Action: "staffing.odd"}, // shares "staff" but not "staff."
	}
	ctx := context.Background()
	for i := range entries {
		entries[i].At = t0.Add(time.Duration(i) * time.Minute)
		if err := audit.Record(ctx, d, t0, entries[i]); err != nil {
			t.Fatal(err)
		}
		entries[i].Seq = int64(i + 1)
	}
	return entries
}

func seqs(p audit.Page) []int64 {
	var out []int64
	for _, e := range p.Entries {
		out = append(out, e.Seq)
	}
	return out
}

func TestSearchFiltersByCustomerStaffActionAndTimeNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		searchLog(t, d)
		tests := []struct {
			name   string
			filter audit.Filter
			want   []int64
		}{
			{"everything", audit.Filter{}, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
			{"a customer", audit.Filter{CustomerID: "cust-a"}, []int64{8, 2, 1}},
			{"a member of staff, not a customer of the same name", audit.Filter{Staff: "teller"}, []int64{10, 9, 7, 3, 2}},
			{"an action", audit.Filter{Action: "staff.login"}, []int64{9}},
			{"an action prefix", audit.Filter{Action: "staff."}, []int64{9, 7, 5, 4}},
			{"a member's staff actions", audit.Filter{Staff: "teller", Action: "staff."}, []int64{9, 7}},
			{"a time range, its end excluded", audit.Filter{From: t0.Add(2 * time.Minute), To: t0.Add(5 * time.Minute)},
				[]int64{5, 4, 3}},
			{"a customer and a member", audit.Filter{CustomerID: "cust-a", Staff: "manager"}, []int64{8}},
			{"nobody", audit.Filter{Staff: "nobody"}, nil},
			{"an id no row can hold", audit.Filter{CustomerID: "x\x00y"}, nil},
			{"invalid UTF-8", audit.Filter{Action: "\xff."}, nil},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				p, err := audit.Search(context.Background(), d, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got := seqs(p); !slices.Equal(got, tc.want) || p.Next != 0 {
					t.Fatalf("got %v (next %d), want %v", got, p.Next, tc.want)
				}
			})
		}
	})
}

func TestSearchPagesWithTheBeforeCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		all := searchLog(t, d)
		l := &audit.Log{DB: d}
		ctx := context.Background()
		f := audit.Filter{Staff: "teller", Limit: 2}
		var got []int64
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("the pages never end")
			}
			p, err := l.Search(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, seqs(p)...)
			if p.Next == 0 {
				break
			}
			f.Before = p.Next
		}
		if !slices.Equal(got, []int64{10, 9, 7, 3, 2}) {
			t.Fatalf("paged %v", got)
		}
		p, err := l.Search(ctx, audit.Filter{CustomerID: "cust-a", Limit: 1})
		if err != nil || len(p.Entries) != 1 || p.Next != 8 {
			t.Fatalf("first page %+v, %v", p, err)
		}
		e := p.Entries[0]
		want := all[7]
		if e.Actor != want.Actor || e.Action != want.Action || e.AccountID != "acc-a" || !e.At.Equal(want.At) || e.Hash == "" {
			t.Fatalf("entry %+v, want %+v", e, want)
		}
	})
}
