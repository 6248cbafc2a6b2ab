package beneficiary_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
)

// The IBAN registry's examples: Albania's (bank code 212) and Germany's.
const (
	albanianIBAN = "AL47 2121 1009 0000 0002 3569 8741"
	germanIBAN   = "DE89370400440532013000"
)

type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	cs  *customer.Service
	svc *beneficiary.Service
	n   atomic.Int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	f.svc = &beneficiary.Service{DB: d, Clock: f.clk}
	return f
}

func (f *fixture) person(t *testing.T) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37), n%2 == 0, n).String(),
		FirstName:  "Arta", LastName: fmt.Sprintf("Kola%c", 'a'+n), Mobile: fmt.Sprintf("+35569%07d", n)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func byIBAN() beneficiary.Input {
	return beneficiary.Input{Name: "Dritan Çela", Nickname: "Vëllai", IBAN: albanianIBAN, Phone: "069 123 4567",
		Address: beneficiary.Address{Street: "Rruga Kavajës 8", City: "Durrës", PostalCode: "2001", Country: "al"}}
}

func byAccount() beneficiary.Input {
	return beneficiary.Input{Name: "John Smith", AccountNumber: "1234-5678 90", BIC: "chasus33", BankName: "JPMorgan Chase",
		BankAddress: "383 Madison Avenue, New York", Phone: "+1 (212) 555-0100",
		Address: beneficiary.Address{Street: "5th Avenue 1", City: "New York", PostalCode: "10001", Country: "US"}}
}

func TestAddKeepsTheBeneficiaryInTheBanksForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		b, err := f.svc.Add(f.ctx, c.ID, byIBAN())
		if err != nil {
			t.Fatal(err)
		}
		if b.IBAN != "AL47212110090000000235698741" || b.Phone != "+355691234567" || b.Address.Country != "AL" ||
			b.Printable() != albanianIBAN || b.BankCountry() != "AL" {
			t.Errorf("kept %+v", b)
		}
		got, err := f.svc.Get(f.ctx, c.ID, b.ID)
		if err != nil || got.Name != "Dritan Çela" || got.Nickname != "Vëllai" || !got.CreatedAt.Equal(f.clk.Now()) {
			t.Fatalf("get: %+v %v", got, err)
		}
		a, err := f.svc.Add(f.ctx, c.ID, byAccount())
		if err != nil {
			t.Fatal(err)
		}
		if a.AccountNumber != "1234567890" || a.BIC != "CHASUS33" || a.Phone != "+12125550100" || a.BankCountry() != "US" {
			t.Errorf("kept %+v", a)
		}
	})
}

func TestAnotherCustomersBeneficiaryIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		owner, other := f.person(t), f.person(t)
		b, err := f.svc.Add(f.ctx, owner.ID, byIBAN())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(f.ctx, other.ID, b.ID); !errors.Is(err, beneficiary.ErrNotFound) {
			t.Errorf("get: %v", err)
		}
		if _, err := f.svc.Update(f.ctx, other.ID, b.ID, byAccount()); !errors.Is(err, beneficiary.ErrNotFound) {
			t.Errorf("update: %v", err)
		}
		if err := f.svc.Delete(f.ctx, other.ID, b.ID); !errors.Is(err, beneficiary.ErrNotFound) {
			t.Errorf("delete: %v", err)
		}
		if list, _ := f.svc.List(f.ctx, other.ID, ""); len(list) != 0 {
			t.Errorf("other's list: %v", list)
		}
		for _, id := range []string{"", "x\x00", string([]byte{0xff}), fmt.Sprintf("%070d", 1)} {
			if _, err := f.svc.Get(f.ctx, owner.ID, id); !errors.Is(err, beneficiary.ErrNotFound) {
				t.Errorf("get %q: %v", id, err)
			}
		}
		if got, err := f.svc.Get(f.ctx, owner.ID, b.ID); err != nil || got.ID != b.ID {
			t.Errorf("owner's beneficiary changed: %v", err)
		}
	})
}

func TestSearchIgnoresAccentsAndCaseAndReadsTheAccount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		cela, _ := f.svc.Add(f.ctx, c.ID, byIBAN())
		smith, _ := f.svc.Add(f.ctx, c.ID, byAccount())
		in := byIBAN()
		in.Name, in.Nickname, in.IBAN = "Ëmbëlsira 100%", "", germanIBAN
		shop, err := f.svc.Add(f.ctx, c.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string][]string{
			"":            {cela.ID, shop.ID, smith.ID},
			"cela":        {cela.ID},
			"ÇELA dritan": {cela.ID},
			"vellai":      {cela.ID},
			"al47 2121":   {cela.ID},
			"DE89 3704":   {shop.ID},
			"12345":       {smith.ID},
			"embelsira":   {shop.ID},
			"100%":        {shop.ID},
			"_":           nil,
			"%":           {shop.ID}, // the name holds one: a literal, not a wildcard
			"cela smith":  nil,
			"nobody":      nil,
			"x\x00":       nil,
		} {
			list, err := f.svc.List(f.ctx, c.ID, q)
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			var ids []string
			for _, b := range list {
				ids = append(ids, b.ID)
			}
			if !slices.Equal(ids, want) {
				t.Errorf("%q found %v, want %v", q, ids, want)
			}
		}
		long := fmt.Sprintf("%0101d", 0)
		if _, err := f.svc.List(f.ctx, c.ID, long); !errors.Is(err, kumbara.ErrInvalidQuery) {
			t.Errorf("long query: %v", err)
		}
	})
}

func TestUpdateReplacesTheBeneficiary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		b, _ := f.svc.Add(f.ctx, c.ID, byIBAN())
		f.clk.Advance(time.Hour)
		in := byIBAN()
		in.Nickname, in.Address.City = "Vëllai i madh", "Tiranë"
		got, err := f.svc.Update(f.ctx, c.ID, b.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Nickname != "Vëllai i madh" || got.Address.City != "Tiranë" || !got.CreatedAt.Equal(b.CreatedAt) ||
			!got.UpdatedAt.Equal(f.clk.Now()) {
			t.Errorf("updated %+v", got)
		}
		if list, _ := f.svc.List(f.ctx, c.ID, "madh"); len(list) != 1 {
			t.Errorf("search after update: %v", list)
		}
		// Moving to an account the customer saved already is a duplicate, and nothing changes.
		other, _ := f.svc.Add(f.ctx, c.ID, byAccount())
		if _, err := f.svc.Update(f.ctx, c.ID, other.ID, in); !errors.Is(err, beneficiary.ErrDuplicate) {
			t.Errorf("update to a saved account: %v", err)
		}
		if again, _ := f.svc.Get(f.ctx, c.ID, other.ID); again.AccountNumber != "1234567890" {
			t.Errorf("refused update changed %+v", again)
		}
	})
}

func TestDuplicatesAreRefusedPerCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, other := f.person(t), f.person(t)
		if _, err := f.svc.Add(f.ctx, c.ID, byIBAN()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Add(f.ctx, c.ID, byAccount()); err != nil {
			t.Fatal(err)
		}
		same := byIBAN()
		same.Name, same.IBAN = "Someone else", "al47212110090000000235698741"
		if _, err := f.svc.Add(f.ctx, c.ID, same); !errors.Is(err, beneficiary.ErrDuplicate) {
			t.Errorf("same IBAN: %v", err)
		}
		branch := byAccount()
		branch.BIC, branch.AccountNumber = "CHASUS33XXX", "12345 67890"
		if _, err := f.svc.Add(f.ctx, c.ID, branch); !errors.Is(err, beneficiary.ErrDuplicate) {
			t.Errorf("same account at the same bank: %v", err)
		}
		elsewhere := byAccount()
		elsewhere.BIC = "DEUTDEFF"
		if _, err := f.svc.Add(f.ctx, c.ID, elsewhere); err != nil {
			t.Errorf("same number at another bank: %v", err)
		}
		if _, err := f.svc.Add(f.ctx, other.ID, byIBAN()); err != nil {
			t.Errorf("another customer's book: %v", err)
		}
	})
}

func TestTheBookHoldsAtMostTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		in := byAccount()
		for i := range beneficiary.MaxPerCustomer {
			in.AccountNumber = fmt.Sprintf("ACC%d", i)
			if _, err := f.svc.Add(f.ctx, c.ID, in); err != nil {
				t.Fatalf("%d: %v", i, err)
			}
		}
		in.AccountNumber = "ONEMORE"
		_, err := f.svc.Add(f.ctx, c.ID, in)
		if e, ok := kumbara.As(err); !errors.Is(err, beneficiary.ErrLimit) || !ok || e.Params["max"] != "200" {
			t.Fatalf("beyond the limit: %v", err)
		}
		list, _ := f.svc.List(f.ctx, c.ID, "")
		if err := f.svc.Delete(f.ctx, c.ID, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Add(f.ctx, c.ID, in); err != nil {
			t.Errorf("after a delete: %v", err)
		}
	})
}

func TestDeleteRemovesIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		b, _ := f.svc.Add(f.ctx, c.ID, byIBAN())
		if err := f.svc.Delete(f.ctx, c.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(f.ctx, c.ID, b.ID); !errors.Is(err, beneficiary.ErrNotFound) {
			t.Errorf("after delete: %v", err)
		}
		if err := f.svc.Delete(f.ctx, c.ID, b.ID); !errors.Is(err, beneficiary.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		if _, err := f.svc.Add(f.ctx, c.ID, byIBAN()); err != nil {
			t.Errorf("saving it again: %v", err)
		}
	})
}

func TestEveryChangeIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		b, _ := f.svc.Add(f.ctx, c.ID, byIBAN())
		if _, err := f.svc.Update(f.ctx, c.ID, b.ID, byAccount()); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delete(f.ctx, c.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		// Refusals change nothing and record nothing.
		_, _ = f.svc.Add(f.ctx, c.ID, beneficiary.Input{Name: "x"})
		_ = f.svc.Delete(f.ctx, c.ID, b.ID)
		page, err := audit.Activity(f.ctx, d, c.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range page.Entries {
			if !strings.HasPrefix(e.Action, "beneficiary.") {
				continue // the customer's creation
			}
			if e.Actor != audit.Customer(c.ID) || e.Result != audit.ResultOK || e.After != `{"beneficiary_id":"`+b.ID+`"}` {
				t.Errorf("entry %+v", e)
			}
			got = append(got, e.Action)
		}
		want := []string{beneficiary.ActionRemoved, beneficiary.ActionChanged, beneficiary.ActionAdded}
		if !slices.Equal(got, want) {
			t.Errorf("actions %v, want %v", got, want)
		}
	})
}

// fieldCodes returns the field → code pairs of a validation_failed.
func fieldCodes(t *testing.T, err error) map[string]string {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || !errors.Is(err, kumbara.ErrValidationFailed) {
		t.Fatalf("not validation_failed: %v", err)
	}
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Code
	}
	return out
}

func TestBadInputIsRefusedFieldByFieldAndNothingIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.person(t)
		for _, tc := range []struct {
			name   string
			change func(*beneficiary.Input)
			want   map[string]string
		}{
			{"blank name", func(in *beneficiary.Input) { in.Name = "  " }, map[string]string{"name": "field_required"}},
			{"name with a control character", func(in *beneficiary.Input) { in.Name = "Dritan\u202eÇela" },
				map[string]string{"name": "description_invalid_characters"}},
			{"name too long", func(in *beneficiary.Input) { in.Name = fmt.Sprintf("%071d", 0) },
				map[string]string{"name": "description_too_long"}},
			{"nickname with a line break", func(in *beneficiary.Input) { in.Nickname = "a\nb" },
				map[string]string{"nickname": "description_invalid_characters"}},
			{"bad mod-97", func(in *beneficiary.Input) { in.IBAN = "AL48212110090000000235698741" },
				map[string]string{"iban": "iban_invalid"}},
			{"wrong length for the country", func(in *beneficiary.Input) { in.IBAN = "DE8937040044053201300" },
				map[string]string{"iban": "iban_invalid"}},
			{"country without IBANs", func(in *beneficiary.Input) { in.IBAN = "US12345678901234" },
				map[string]string{"iban": "iban_invalid"}},
			{"no account", func(in *beneficiary.Input) { in.IBAN = "" },
				map[string]string{"iban": "beneficiary_account_missing"}},
			{"both accounts", func(in *beneficiary.Input) { in.AccountNumber = "123" },
				map[string]string{"account_number": "beneficiary_account_both"}},
			{"bad BIC", func(in *beneficiary.Input) { in.BIC = "1234AL2T" }, map[string]string{"bic": "bic_invalid"}},
			{"no city", func(in *beneficiary.Input) { in.Address.City = "" },
				map[string]string{"address.city": "field_required"}},
			{"no country", func(in *beneficiary.Input) { in.Address.Country = "" },
				map[string]string{"address.country": "field_required"}},
			{"not a country", func(in *beneficiary.Input) { in.Address.Country = "EU" },
				map[string]string{"address.country": "beneficiary_country_invalid"}},
			{"three letters", func(in *beneficiary.Input) { in.Address.Country = "ALB" },
				map[string]string{"address.country": "beneficiary_country_invalid"}},
			{"bad phone", func(in *beneficiary.Input) { in.Phone = "call me" },
				map[string]string{"phone": "beneficiary_phone_invalid"}},
			{"street too long", func(in *beneficiary.Input) { in.Address.Street = fmt.Sprintf("%071d", 0) },
				map[string]string{"address.street": "description_too_long"}},
		} {
			in := byIBAN()
			tc.change(&in)
			_, err := f.svc.Add(f.ctx, c.ID, in)
			if got := fieldCodes(t, err); !equalMaps(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		for _, tc := range []struct {
			name   string
			change func(*beneficiary.Input)
			want   map[string]string
		}{
			{"account without its bank", func(in *beneficiary.Input) { in.BIC, in.BankName, in.BankAddress = "", "", "" },
				map[string]string{"bic": "field_required", "bank_name": "field_required", "bank_address": "field_required"}},
			{"bad account number", func(in *beneficiary.Input) { in.AccountNumber = "12/34" },
				map[string]string{"account_number": "beneficiary_account_number_invalid"}},
			{"account number too long", func(in *beneficiary.Input) { in.AccountNumber = fmt.Sprintf("%035d", 1) },
				map[string]string{"account_number": "beneficiary_account_number_invalid"}},
		} {
			in := byAccount()
			tc.change(&in)
			_, err := f.svc.Add(f.ctx, c.ID, in)
			if got := fieldCodes(t, err); !equalMaps(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			}
		}
		if list, _ := f.svc.List(f.ctx, c.ID, ""); len(list) != 0 {
			t.Errorf("refused input stored: %v", list)
		}
	})
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCountryAndPhone(t *testing.T) {
	for in, want := range map[string]string{"AL": "AL", "al": "AL", " xk ": "XK", "DE": "DE", "EU": "", "UK": "",
		"UN": "", "ZZ": "", "AA": "", "A1": "", "": "", "ALB": "", "Ал": ""} {
		got, ok := beneficiary.Country(in)
		if got != want || ok != (want != "") {
			t.Errorf("Country(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]string{"0691234567": "+355691234567", "+355 69 123 4567": "+355691234567",
		"+49 (30) 123-4567": "+49301234567", "0049 30 1234567": "+49301234567", "+1.212.555.0100": "+12125550100",
		"12345678": "", "+123": "", "+0123456789": "", "+49 30 x": "", "++4930123456": "", "+1234567890123456": ""} {
		got, ok := beneficiary.Phone(in)
		if got != want || ok != (want != "") {
			t.Errorf("Phone(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
}
