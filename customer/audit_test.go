package customer_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

var clerk = audit.StaffActor("teller", "teller,service")

func entriesOf(t *testing.T, d *db.DB, action string) []audit.Entry {
	t.Helper()
	p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

func TestCreatingCustomersIsAuditedByTheMemberOfStaffAndARefusalIsNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		f.ctx = audit.WithOrigin(audit.WithActor(f.ctx, clerk), audit.Origin{RequestID: "req-1", Client: "10.1.1.1"})
		person := f.individual(t, 1)
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('K', 7).String(),
			CompanyName: "Furra e Lagjes Shpk", Mobile: "+355691234567", Branch: "Durrës",
			Representatives: []string{person.ID}})
		if err != nil {
			t.Fatal(err)
		}
		es := entriesOf(t, d, customer.ActionCreated)
		if len(es) != 2 {
			t.Fatalf("%d entries, want 2: %+v", len(es), es)
		}
		want := map[string]string{
			person.ID: `{"client_number":"` + person.ClientNumber + `","kind":"individual","branch":"Tiranë Qendër","contract_version":"002"}`,
			biz.ID:    `{"client_number":"` + biz.ClientNumber + `","kind":"business","branch":"Durrës","representatives":["` + person.ID + `"]}`,
		}
		for _, e := range es {
			if e.Actor != clerk || e.RequestID != "req-1" || e.Client != "10.1.1.1" || e.After != want[e.CustomerID] ||
				e.Before != "" || e.AccountID != "" {
				t.Fatalf("entry %+v, want after %s", e, want[e.CustomerID])
			}
		}
		// The same national ID again, and a business whose representative is nobody: both refused in the
		// transaction that would have appended the entry.
		if _, err := f.cs.CreateIndividual(f.ctx, individual(1)); !errors.Is(err, customer.ErrExists) {
			t.Fatalf("a second customer with one national ID: %v", err)
		}
		if _, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('K', 8).String(),
			CompanyName: "Askush Shpk", Mobile: "+355691234567", Representatives: []string{"no-such-person"}}); err == nil {
			t.Fatal("a business represented by nobody was created")
		}
		if n := len(entriesOf(t, d, customer.ActionCreated)); n != 2 {
			t.Fatalf("%d entries after two refusals, want 2", n)
		}
	})
}

func TestOpeningAnAccountIsAuditedWithItsIBANAndARefusalIsNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		c := f.individual(t, 2) // by the bank itself: no member of staff in the context
		ctx := audit.WithActor(f.ctx, clerk)
		a, err := f.cs.OpenAccount(ctx, c.ID, money.EUR, ledger.TypeSavings, "Kursime")
		if err != nil {
			t.Fatal(err)
		}
		es := entriesOf(t, d, customer.ActionAccountOpened)
		if len(es) != 1 || es[0].Actor != clerk || es[0].CustomerID != c.ID || es[0].AccountID != a.ID ||
			es[0].After != `{"iban":"`+a.IBAN+`","currency":"EUR","type":"savings"}` {
			t.Fatalf("entries %+v", es)
		}
		if created := entriesOf(t, d, customer.ActionCreated); len(created) != 1 || created[0].Actor != audit.System(audit.Bank) {
			t.Fatalf("created without a member of staff: %+v", created)
		}
		if _, err := f.cs.OpenAccount(ctx, "no-such-customer", money.ALL, ledger.TypeCurrent, ""); !errors.Is(err, customer.ErrNotFound) {
			t.Fatalf("an account for nobody: %v", err)
		}
		if _, err := f.cs.OpenAccount(ctx, c.ID, money.Currency("XXX"), ledger.TypeCurrent, ""); err == nil {
			t.Fatal("an account in no currency was opened")
		}
		if n := len(entriesOf(t, d, customer.ActionAccountOpened)); n != 1 {
			t.Fatalf("%d entries after refusals, want 1", n)
		}
	})
}
