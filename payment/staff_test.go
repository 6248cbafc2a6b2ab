package payment_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
)

func ids(ps []payment.Payment) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// TestStaffFindPaymentsAcrossCustomersNewestFirst: staff search every customer's payments, the newest first, by
// customer, by an IBAN of either side, by status (the rejects and returns together), scheme, direction and time,
// a page at a time whatever number of payments share an instant.
func TestStaffFindPaymentsAcrossCustomersNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		elira, arben := f.person(t, "Elira", "Çela"), f.person(t, "Arben", "Hoxha")
		ea := f.account(t, elira.ID, money.ALL, 100_000_00)
		aa := f.account(t, arben.ID, money.ALL, 100_000_00)
		if err := f.ch.Reject(f.ctx, iban.IBAN(otherBank), "AC04"); err != nil {
			t.Fatal(err)
		}
		first := f.pay(t, elira.ID, domestic(ea.ID, credins, "1000"))
		f.clk.Advance(time.Minute)
		rejected := f.pay(t, elira.ID, domestic(ea.ID, otherBank, "2000"))
		f.clk.Advance(time.Minute)
		// Three payments in one instant: the cursor tells them apart by id.
		same := []payment.Payment{f.pay(t, arben.ID, domestic(aa.ID, credins, "10")),
			f.pay(t, arben.ID, domestic(aa.ID, credins, "20")), f.pay(t, arben.ID, domestic(aa.ID, credins, "30"))}
		f.clk.Advance(time.Minute)
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: iban.IBAN(ea.IBAN), Amount: money.New(500_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		all, err := f.svc.Search(f.ctx, payment.StaffFilter{})
		if err != nil || len(all) != 6 {
			t.Fatalf("Search = %d payments, %v; want 6", len(all), err)
		}
		incoming := all[0]
		if incoming.Direction != payment.In || incoming.CustomerID != elira.ID {
			t.Fatalf("the newest is %s of %s, want the incoming payment to Elira", incoming.Direction, incoming.CustomerID)
		}
		for i := 1; i < len(all); i++ {
			a, b := all[i-1], all[i]
			if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID) {
				t.Fatalf("not newest first at %d: %v", i, ids(all))
			}
		}
		var paged []payment.Payment
		for before := ""; ; {
			page, err := f.svc.Search(f.ctx, payment.StaffFilter{Limit: 2, Before: before})
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if len(page) < 2 {
				break
			}
			before = page[len(page)-1].Cursor()
		}
		if !slices.Equal(ids(paged), ids(all)) {
			t.Errorf("pages of two %v, want %v", ids(paged), ids(all))
		}
		sameIDs := ids(same)
		slices.Sort(sameIDs)
		slices.Reverse(sameIDs)
		for _, c := range []struct {
			name   string
			filter payment.StaffFilter
			want   []string
		}{
			{"a customer", payment.StaffFilter{CustomerID: arben.ID}, sameIDs},
			{"the customer's IBAN, typed with spaces", payment.StaffFilter{IBAN: iban.IBAN(ea.IBAN).Printable()},
				[]string{incoming.ID, rejected.ID, first.ID}},
			{"the counterparty's IBAN", payment.StaffFilter{IBAN: strings.ToLower(otherBank)}, []string{rejected.ID}},
			{"rejects and returns", payment.StaffFilter{Status: []string{payment.Rejected, payment.Returned}},
				[]string{rejected.ID}},
			{"incoming", payment.StaffFilter{Direction: payment.In}, []string{incoming.ID}},
			{"a scheme nothing went by", payment.StaffFilter{Scheme: payment.SWIFT}, nil},
			{"a time range", payment.StaffFilter{From: first.CreatedAt, To: first.CreatedAt.Add(time.Minute)},
				[]string{first.ID}},
		} {
			got, err := f.svc.Search(f.ctx, c.filter)
			if err != nil || !slices.Equal(ids(got), c.want) {
				t.Errorf("%s: %v, %v; want %v", c.name, ids(got), err, c.want)
			}
		}
	})
}

// TestTheStaffSearchSaysEveryProblemAtOnce: an IBAN that is not one, a status, scheme and direction the bank does
// not have, a cursor that is not one and a range that ends before it starts are each said beside their field.
func TestTheStaffSearchSaysEveryProblemAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		now := f.clk.Now()
		_, err := f.svc.Search(f.ctx, payment.StaffFilter{IBAN: "AL00 1234", Status: []string{"lost"}, Scheme: "fax",
			Direction: "sideways", Before: "yesterday", From: now, To: now.Add(-time.Hour)})
		e, ok := kumbara.As(err)
		if !ok || e.Code != "validation_failed" || e.Kind != kumbara.KindInvalid {
			t.Fatalf("Search = %v, want validation_failed", err)
		}
		fields := map[string]string{}
		for _, fe := range e.Fields {
			fields[fe.Field] = fe.Code
		}
		want := map[string]string{"iban": "iban_invalid", "status": "invalid", "scheme": "invalid",
			"direction": "invalid", "before": "invalid_query", "to": "invalid_date_range"}
		for field, code := range want {
			if fields[field] != code {
				t.Errorf("%s: %q, want %q (all: %v)", field, fields[field], code, fields)
			}
		}
		if got, err := f.svc.Search(f.ctx, payment.StaffFilter{CustomerID: "\x00"}); err != nil || len(got) != 0 {
			t.Errorf("a customer id no customer has: %v, %v", got, err)
		}
	})
}

// messageNames lists a journey's messages as "direction name role[status reason]".
func messageNames(j payment.Journey) []string {
	var out []string
	for _, m := range j.Messages {
		s := m.Direction + " " + m.Name
		for _, it := range m.Items {
			s += " " + strings.Join(strings.Fields(it.Role+" "+it.Status+" "+it.Reason), " ")
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func steps(j payment.Journey) []string {
	var out []string
	for _, e := range j.Entries {
		out = append(out, e.Step+":"+e.Entry.Kind)
	}
	return out
}

// TestAPaymentsJourneyShowsItsEntriesAndEveryMessage follows a payment settled and then returned by the
// beneficiary's bank, one rejected and one received: each journey holds the statuses, the hold, the entries in the
// books in order (the settlement of the returned one too) and every message that carried or answered it, with
// its document; an unknown payment is payment_not_found.
func TestAPaymentsJourneyShowsItsEntriesAndEveryMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Elira", "Çela")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		if err := f.ch.Reject(f.ctx, iban.IBAN(otherBank), "AC01"); err != nil {
			t.Fatal(err)
		}
		returned := f.pay(t, c.ID, domestic(a.ID, credins, "25000"))
		rejected := f.pay(t, c.ID, domestic(a.ID, otherBank, "3000"))
		if _, err := f.svc.RunSession(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Hour)
		tx := f.journey(t, returned.ID).Payment.TxID
		if _, err := f.ch.Return(f.ctx, tx, "AC04"); err != nil {
			t.Fatalf("Return: %v", err)
		}
		if _, err := f.ch.Return(f.ctx, tx, "AC04"); !errors.Is(err, clearinghouse.ErrReturned) {
			t.Errorf("a second return: %v", err)
		}
		if _, err := f.ch.Inject(f.ctx, clearinghouse.Inbound{IBAN: iban.IBAN(a.IBAN), Amount: money.New(700_00, money.ALL),
			Name: "Alba Trade"}); err != nil {
			t.Fatal(err)
		}

		j := f.journey(t, returned.ID)
		if j.Payment.Status != payment.Returned || j.Payment.Reason != "AC04" || len(j.Payment.Events) != 7 {
			t.Errorf("the returned payment: %s %s through %d events", j.Payment.Status, j.Payment.Reason, len(j.Payment.Events))
		}
		if j.Hold == nil || j.Hold.Amount != 25_100_00 || j.Hold.Status != "captured" {
			t.Errorf("its hold: %+v", j.Hold)
		}
		if got, want := steps(j), []string{"sent:payment_out", "settled:payment_settled", "returned:payment_returned"}; !slices.Equal(got, want) {
			t.Errorf("its entries %v, want %v", got, want)
		}
		if got, want := messageNames(j), []string{"out pacs.008.001.08 carried", "in pacs.002.001.10 status ACSC",
			"in pacs.004.001.09 return AC04"}; !slices.Equal(got, want) {
			t.Errorf("its messages %v, want %v", got, want)
		}
		for _, m := range j.Messages {
			if name, err := isoName(m.Document); err != nil || name != m.Name {
				t.Errorf("message %s's document reads as %q, %v", m.ID, name, err)
			}
		}

		j = f.journey(t, rejected.ID)
		if got, want := steps(j), []string{"sent:payment_out", "rejected:payment_rejected"}; !slices.Equal(got, want) {
			t.Errorf("the rejected payment's entries %v, want %v", got, want)
		}
		if got, want := messageNames(j), []string{"out pacs.008.001.08 carried", "in pacs.002.001.10 status RJCT AC01"}; !slices.Equal(got, want) {
			t.Errorf("the rejected payment's messages %v, want %v", got, want)
		}

		in, err := f.svc.Search(f.ctx, payment.StaffFilter{Direction: payment.In})
		if err != nil || len(in) != 1 {
			t.Fatalf("the incoming payment: %v, %v", in, err)
		}
		j = f.journey(t, in[0].ID)
		if got, want := steps(j), []string{"credited:payment_in"}; !slices.Equal(got, want) || j.Hold != nil {
			t.Errorf("the incoming payment's entries %v (hold %v), want %v", got, j.Hold, want)
		}
		if got, want := messageNames(j), []string{"in pacs.008.001.08 carried"}; !slices.Equal(got, want) {
			t.Errorf("the incoming payment's messages %v, want %v", got, want)
		}
		for _, id := range []string{"0190c0de-0000-7000-8000-000000000000", "", strings.Repeat("x", 65), "a\x00b"} {
			if _, err := f.svc.Journey(f.ctx, id); !errors.Is(err, payment.ErrNotFound) {
				t.Errorf("Journey(%q) = %v, want payment_not_found", id, err)
			}
		}
		f.sound(t)
	})
}

func (f *fixture) journey(t testing.TB, id string) payment.Journey {
	t.Helper()
	j, err := f.svc.Journey(f.ctx, id)
	if err != nil {
		t.Fatalf("Journey: %v", err)
	}
	return j
}

// TestTheClearingDayShowsWhatWaitsWhileTheClearingHouseIsDown: a day's messages out and in with their status and
// attempts; while the clearing house is down an outgoing message waits with the error it met, the domestic
// payments held for the session are counted, and once it is up the dispatcher delivers it and the day says so.
func TestTheClearingDayShowsWhatWaitsWhileTheClearingHouseIsDown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t, "Genti", "Dervishi")
		a := f.account(t, c.ID, money.ALL, 100_000_00)
		f.pay(t, c.ID, domestic(a.ID, credins, "1000"))
		f.pay(t, c.ID, domestic(a.ID, otherBank, "2000"))
		today := f.day(t)
		day, err := f.svc.Sessions(f.ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		if !day.Working || len(day.Sessions) != 3 || day.Waiting != 2 || len(day.Messages) != 0 || len(day.Pending) != 0 {
			t.Fatalf("before the session: %+v", day)
		}
		if err := f.ch.Set(f.ctx, clearinghouse.Settings{Down: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunSession(f.ctx); err == nil {
			t.Fatal("a session with the clearing house down succeeded")
		}
		// Staff running it by hand are told what waits rather than refused.
		if run, err := f.svc.RunSessionNow(f.ctx); err != nil || run != (payment.SessionRun{Sent: 0, Waiting: 1}) {
			t.Fatalf("RunSessionNow while down = %+v, %v", run, err)
		}
		day, err = f.svc.Sessions(f.ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		if day.Waiting != 0 || len(day.Pending) != 1 || len(day.Messages) != 1 {
			t.Fatalf("while down: waiting %d, pending %d, messages %d", day.Waiting, len(day.Pending), len(day.Messages))
		}
		m := day.Pending[0]
		if m.Status != payment.MessagePending || m.Attempts != 2 || !strings.Contains(m.LastError, "unavailable") ||
			m.Count != 2 || m.Total != money.New(3000_00, money.ALL) || m.Name != "pacs.008.001.08" {
			t.Errorf("the waiting message: %+v", m)
		}
		if err := f.ch.Set(f.ctx, clearinghouse.Settings{}); err != nil {
			t.Fatal(err)
		}
		if run, err := f.svc.DispatchNow(f.ctx); err != nil || run.Waiting != 0 {
			t.Fatalf("DispatchNow = %+v, %v", run, err)
		}
		if _, err := f.ch.Work(f.ctx); err != nil {
			t.Fatal(err)
		}
		day, err = f.svc.Sessions(f.ctx, today)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range day.Messages {
			got = append(got, m.Direction+" "+m.Name+" "+m.Status)
		}
		want := []string{"out pacs.008.001.08 delivered", "in pacs.002.001.10 processed"}
		if len(day.Pending) != 0 || !slices.Equal(got, want) || day.Messages[0].Attempts != 3 || day.Messages[1].Count != 2 {
			t.Errorf("once up: pending %d, messages %v (%+v), want %v", len(day.Pending), got, day.Messages, want)
		}
		if other, err := f.svc.Sessions(f.ctx, today.AddDays(5)); err != nil || other.Working || len(other.Sessions) != 0 ||
			len(other.Messages) != 0 {
			t.Errorf("a Saturday: %+v, %v", other, err)
		}
		m, err = f.svc.Message(f.ctx, payment.Out, day.Messages[0].ID)
		if err != nil || !strings.Contains(string(m.Document), "<FIToFICstmrCdtTrf>") {
			t.Errorf("Message: %v", err)
		}
		for _, dir := range []string{payment.In, "sideways"} {
			if _, err := f.svc.Message(f.ctx, dir, day.Messages[0].ID); !errors.Is(err, kumbara.ErrNotFound) {
				t.Errorf("Message(%s) = %v, want not_found", dir, err)
			}
		}
	})
}

// day is the fixture's day in Tirana.
func (f *fixture) day(t testing.TB) calendar.Date {
	t.Helper()
	return calendar.DateOf(f.clk.Now())
}

func isoName(doc []byte) (string, error) { return iso20022.MessageName(doc) }
