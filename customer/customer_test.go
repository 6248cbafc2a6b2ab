package customer_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var bank = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	cs  *customer.Service
}

func newFixture(d *db.DB) *fixture {
	clk := clock.NewFake(t0)
	return &fixture{ctx: context.Background(), d: d, clk: clk, cs: &customer.Service{DB: d, Clock: clk, Bank: bank}}
}

func birth(n int) time.Time { return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 53*n) }

// individual describes the n-th valid individual of a test.
func individual(n int) customer.NewIndividual {
	return customer.NewIndividual{NationalID: kyc.NewNationalID(birth(n), n%2 == 0, n).String(),
		FirstName: "Arben", LastName: "Hoxha", Mobile: fmt.Sprintf("+35569%07d", n), Email: "arben@example.al",
		Address: "Rruga e Durrësit 12, Tiranë", ContractVersion: "002", Branch: "Tiranë Qendër"}
}

func (f *fixture) individual(t *testing.T, n int) customer.Customer {
	t.Helper()
	c, err := f.cs.CreateIndividual(f.ctx, individual(n))
	if err != nil {
		t.Fatalf("CreateIndividual: %v", err)
	}
	return c
}

func (f *fixture) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// wantFields fails unless err is a validation_failed error with exactly the field problems want.
func wantFields(t *testing.T, err error, want ...kumbara.FieldError) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || e.Kind != kumbara.KindInvalid || e.Code != "validation_failed" {
		t.Fatalf("error = %v, want validation_failed", err)
	}
	got := slices.Clone(e.Fields)
	cmp := func(a, b kumbara.FieldError) int { return strings.Compare(a.Field+a.Code, b.Field+b.Code) }
	slices.SortFunc(got, cmp)
	want = slices.Clone(want)
	slices.SortFunc(want, cmp)
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %+v, want %+v", got, want)
	}
}

func wantCode(t *testing.T, err error, kind kumbara.Kind, code string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok || e.Kind != kind || e.Code != code {
		t.Fatalf("error = %v, want %s of kind %d", err, code, kind)
	}
}

func TestCreateIndividualStoresANormalisedCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		nid := kyc.NewNationalID(time.Date(1992, 11, 2, 0, 0, 0, 0, time.UTC), true, 7)
		typed := strings.ToLower(nid.Number[:5] + " " + nid.Number[5:])
		c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{NationalID: typed, FirstName: "  Elira ",
			LastName: "Shehu", Mobile: "068 200 0002", Email: "elira@example.al", Branch: "Durrës"})
		if err != nil {
			t.Fatalf("CreateIndividual: %v", err)
		}
		if _, err := kyc.ParseClientNumber(c.ClientNumber); err != nil {
			t.Errorf("drawn client number %q: %v", c.ClientNumber, err)
		}
		want := customer.Customer{ID: c.ID, ClientNumber: c.ClientNumber, Kind: customer.Individual,
			NationalID: nid.Number, FirstName: "Elira", LastName: "Shehu", BirthDate: nid.BirthDate,
			Mobile: "+355682000002", Email: "elira@example.al", Branch: "Durrës", Status: "active", CreatedAt: t0,
			Language: i18n.SQ}
		if c != want {
			t.Errorf("CreateIndividual = %+v\nwant %+v", c, want)
		}
		got, err := f.cs.Get(f.ctx, c.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got != want {
			t.Errorf("Get = %+v\nwant %+v", got, want)
		}
		if got.Name() != "Elira Shehu" {
			t.Errorf("Name() = %q", got.Name())
		}

		chosen := individual(2)
		chosen.ClientNumber = "100 000 001"
		c2, err := f.cs.CreateIndividual(f.ctx, chosen)
		if err != nil {
			t.Fatalf("CreateIndividual with a client number: %v", err)
		}
		if c2.ClientNumber != "100000001" {
			t.Errorf("client number %q, want 100000001", c2.ClientNumber)
		}
	})
}

func TestCreateIndividualRefusesInvalidDetails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		bad := func(field, code string) kumbara.FieldError { return kumbara.FieldError{Field: field, Code: code} }
		for _, tc := range []struct {
			name   string
			change func(*customer.NewIndividual)
			want   []kumbara.FieldError
		}{
			{"wrong check letter", func(n *customer.NewIndividual) {
				n.NationalID = n.NationalID[:9] + string('A'+(n.NationalID[9]-'A'+1)%20)
			}, []kumbara.FieldError{bad("national_id", "national_id_invalid")}},
			{"national ID with an impossible date", func(n *customer.NewIndividual) { n.NationalID = "J02311999W" },
				[]kumbara.FieldError{bad("national_id", "national_id_invalid")}},
			{"missing national ID", func(n *customer.NewIndividual) { n.NationalID = "" },
				[]kumbara.FieldError{bad("national_id", "national_id_invalid")}},
			{"landline number", func(n *customer.NewIndividual) { n.Mobile = "+355 4 222 3333" },
				[]kumbara.FieldError{bad("mobile", "mobile_invalid")}},
			{"foreign mobile", func(n *customer.NewIndividual) { n.Mobile = "+39 333 123 4567" },
				[]kumbara.FieldError{bad("mobile", "mobile_invalid")}},
			{"missing mobile", func(n *customer.NewIndividual) { n.Mobile = "" },
				[]kumbara.FieldError{bad("mobile", "mobile_invalid")}},
			{"missing first name", func(n *customer.NewIndividual) { n.FirstName = "" },
				[]kumbara.FieldError{bad("first_name", "field_required")}},
			{"blank last name", func(n *customer.NewIndividual) { n.LastName = "  \t" },
				[]kumbara.FieldError{bad("last_name", "field_required")}},
			{"everything wrong at once", func(n *customer.NewIndividual) {
				*n = customer.NewIndividual{NationalID: "X", Mobile: "1"}
			}, []kumbara.FieldError{bad("first_name", "field_required"), bad("last_name", "field_required"),
				bad("national_id", "national_id_invalid"), bad("mobile", "mobile_invalid")}},
			{"client number starting with 0", func(n *customer.NewIndividual) { n.ClientNumber = "012345678" },
				[]kumbara.FieldError{bad("client_number", "client_number_invalid")}},
			{"client number of 8 digits", func(n *customer.NewIndividual) { n.ClientNumber = "12345678" },
				[]kumbara.FieldError{bad("client_number", "client_number_invalid")}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := individual(1)
				tc.change(&n)
				c, err := f.cs.CreateIndividual(f.ctx, n)
				if err == nil {
					t.Fatalf("CreateIndividual = %+v, want an error", c)
				}
				wantFields(t, err, tc.want...)
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM customers"); n != 0 {
			t.Errorf("%d customers stored from invalid details", n)
		}
	})
}

func TestCreateBusinessRefusesInvalidDetails(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		valid := customer.NewBusiness{NIPT: kyc.NewNIPT('L', 12345678).String(), CompanyName: "Ëmbëlsira Tirana Shpk",
			Mobile: "+355694000004"}
		bad := func(field, code string) kumbara.FieldError { return kumbara.FieldError{Field: field, Code: code} }
		for _, tc := range []struct {
			name   string
			change func(*customer.NewBusiness)
			want   []kumbara.FieldError
		}{
			{"wrong NIPT check letter", func(n *customer.NewBusiness) { n.NIPT = n.NIPT[:9] + string('A'+(n.NIPT[9]-'A'+1)%20) },
				[]kumbara.FieldError{bad("nipt", "nipt_invalid")}},
			{"NIPT too short", func(n *customer.NewBusiness) { n.NIPT = "L1234567" }, []kumbara.FieldError{bad("nipt", "nipt_invalid")}},
			{"NIPT with a letter among the digits", func(n *customer.NewBusiness) { n.NIPT = "L1234A678B" },
				[]kumbara.FieldError{bad("nipt", "nipt_invalid")}},
			{"missing company name", func(n *customer.NewBusiness) { n.CompanyName = " " },
				[]kumbara.FieldError{bad("company_name", "field_required")}},
			{"invalid mobile", func(n *customer.NewBusiness) { n.Mobile = "0691234" }, []kumbara.FieldError{bad("mobile", "mobile_invalid")}},
			{"everything wrong at once", func(n *customer.NewBusiness) { *n = customer.NewBusiness{} },
				[]kumbara.FieldError{bad("company_name", "field_required"), bad("nipt", "nipt_invalid"), bad("mobile", "mobile_invalid")}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := valid
				tc.change(&n)
				c, err := f.cs.CreateBusiness(f.ctx, n)
				if err == nil {
					t.Fatalf("CreateBusiness = %+v, want an error", c)
				}
				wantFields(t, err, tc.want...)
			})
		}
		c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: strings.ToLower(valid.NIPT), CompanyName: " " + valid.CompanyName,
			Mobile: "0694000004"})
		if err != nil {
			t.Fatalf("CreateBusiness: %v", err)
		}
		if c.Kind != customer.Business || c.NIPT != valid.NIPT || c.NationalID != "" || c.Name() != valid.CompanyName ||
			c.Mobile != "+355694000004" || !c.BirthDate.IsZero() {
			t.Errorf("CreateBusiness = %+v", c)
		}
		if got, err := f.cs.Get(f.ctx, c.ID); err != nil || got != c {
			t.Errorf("Get = %+v, %v; want %+v", got, err, c)
		}
	})
}

func TestDuplicateIdentifiersAreCustomerExists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		first := f.individual(t, 1)
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('K', 1).String(),
			CompanyName: "Kantina Shpk", Mobile: "+355671111111", ClientNumber: "200000001"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			create func() error
		}{
			{"same national ID", func() error { _, err := f.cs.CreateIndividual(f.ctx, individual(1)); return err }},
			{"same national ID typed in lower case", func() error {
				n := individual(1)
				n.NationalID = strings.ToLower(n.NationalID)
				_, err := f.cs.CreateIndividual(f.ctx, n)
				return err
			}},
			{"same national ID under a chosen client number", func() error {
				n := individual(1)
				n.ClientNumber = "300000001"
				_, err := f.cs.CreateIndividual(f.ctx, n)
				return err
			}},
			{"same client number", func() error {
				n := individual(2)
				n.ClientNumber = first.ClientNumber
				_, err := f.cs.CreateIndividual(f.ctx, n)
				return err
			}},
			{"same NIPT", func() error {
				_, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: biz.NIPT, CompanyName: "Tjetër Shpk",
					Mobile: "+355672222222"})
				return err
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, tc.create(), kumbara.KindConflict, "customer_exists")
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM customers"); n != 2 {
			t.Errorf("%d customers, want the 2 originals", n)
		}
	})
}

func TestConcurrentSignUpsWithOneNationalIDCreateOneCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		const callers = 8
		errs := make([]error, callers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range callers {
			wg.Go(func() {
				<-start
				_, errs[i] = f.cs.CreateIndividual(f.ctx, individual(1))
			})
		}
		close(start)
		wg.Wait()
		created := 0
		for i, err := range errs {
			switch {
			case err == nil:
				created++
			case kumbara.CodeOf(err) != "customer_exists":
				t.Errorf("caller %d: %v, want success or customer_exists", i, err)
			}
		}
		if created != 1 || f.count(t, "SELECT COUNT(*) FROM customers") != 1 {
			t.Errorf("%d callers created the customer, want 1", created)
		}
	})
}

func TestByUsernameFindsByClientNumberOrNationalID(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		c := f.individual(t, 1)
		f.individual(t, 2)
		biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('L', 42).String(),
			CompanyName: "Ëmbëlsira Tirana Shpk", Mobile: "+355694000004"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, username, want string
		}{
			{"client number", c.ClientNumber, c.ID},
			{"client number in groups", c.ClientNumber[:3] + " " + c.ClientNumber[3:6] + " " + c.ClientNumber[6:], c.ID},
			{"client number with spaces around", "  " + c.ClientNumber + " ", c.ID},
			{"national ID", c.NationalID, c.ID},
			{"national ID in lower case", strings.ToLower(c.NationalID), c.ID},
			{"national ID with a space", c.NationalID[:5] + " " + c.NationalID[5:], c.ID},
			{"business client number", biz.ClientNumber, biz.ID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := f.cs.ByUsername(f.ctx, tc.username)
				if err != nil {
					t.Fatalf("ByUsername(%q): %v", tc.username, err)
				}
				if got.ID != tc.want {
					t.Errorf("ByUsername(%q) = %s, want %s", tc.username, got.ID, tc.want)
				}
			})
		}
		for _, username := range []string{"", "999999999", "099999999", "arben", "arben@example.al", biz.NIPT,
			kyc.NewNationalID(birth(9), false, 9).String(), c.ClientNumber + "0", "\xff\x00", c.ClientNumber + "\x00"} {
			_, err := f.cs.ByUsername(f.ctx, username)
			wantCode(t, err, kumbara.KindNotFound, "customer_not_found")
		}
		for _, lookup := range []func() (customer.Customer, error){
			func() (customer.Customer, error) { return f.cs.Get(f.ctx, "no-such-id") },
			func() (customer.Customer, error) { return f.cs.Get(f.ctx, "\xff") },
			func() (customer.Customer, error) { return f.cs.ByClientNumber(f.ctx, "999999999") },
			func() (customer.Customer, error) { return f.cs.ByNationalID(f.ctx, "J00101999W\x00") },
		} {
			_, err := lookup()
			wantCode(t, err, kumbara.KindNotFound, "customer_not_found")
		}
	})
}

func TestOpenAccountMakesAnIBANInTheConfiguredBank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		for i, b := range []customer.Bank{bank, {Name: "Banka Tjetër", Code: "998", Branch: "0420", BIC: "TJETALTRXXX"}} {
			t.Run(b.Code+"-"+b.Branch, func(t *testing.T) {
				cs := &customer.Service{DB: d, Clock: f.clk, Bank: b}
				c, err := cs.CreateIndividual(f.ctx, individual(10+i))
				if err != nil {
					t.Fatal(err)
				}
				store := ledger.Store{DB: d}
				for j, tc := range []struct {
					cur     money.Currency
					typ     string
					product string
				}{
					{money.ALL, ledger.TypeCurrent, "1"},
					{money.EUR, ledger.TypeSavings, "2"},
					{money.USD, ledger.TypeCurrent, "1"},
				} {
					a, err := cs.OpenAccount(f.ctx, c.ID, tc.cur, tc.typ, "Llogaria ime")
					if err != nil {
						t.Fatalf("OpenAccount(%s, %s): %v", tc.cur, tc.typ, err)
					}
					number := c.ClientNumber + tc.product + fmt.Sprintf("%03d", j+1) + tc.cur.Numeric()
					if a.Number != number {
						t.Errorf("account number %q, want %q", a.Number, number)
					}
					ib, err := iban.Parse(a.IBAN)
					if err != nil {
						t.Fatalf("IBAN %q does not parse: %v", a.IBAN, err)
					}
					if ib.String() != a.IBAN || ib.Country() != "AL" || ib.BankCode() != b.Code ||
						ib.BranchCode() != b.Branch || ib.AccountPart() != a.Number {
						t.Errorf("IBAN %s: country %s bank %s branch %s account %s; want AL %s %s %s", a.IBAN,
							ib.Country(), ib.BankCode(), ib.BranchCode(), ib.AccountPart(), b.Code, b.Branch, a.Number)
					}
					stored, err := store.ByIBAN(f.ctx, a.IBAN)
					if err != nil {
						t.Fatalf("ByIBAN: %v", err)
					}
					if stored.ID != a.ID || stored.CustomerID != c.ID || stored.Currency != tc.cur || stored.Type != tc.typ ||
						stored.Name != "Llogaria ime" || stored.Status != ledger.Active || stored.Balance != 0 ||
						stored.IsGL() || !stored.OpenedAt.Equal(t0) {
						t.Errorf("stored account = %+v", stored)
					}
				}
			})
		}
	})
}

func TestOpenAccountRefusesUnknownProductsCurrenciesAndCustomers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		c := f.individual(t, 1)
		for _, tc := range []struct {
			name     string
			customer string
			cur      money.Currency
			typ      string
			kind     kumbara.Kind
			code     string
		}{
			{"unknown product", c.ID, money.ALL, "checking", kumbara.KindInvalid, "type_invalid"},
			{"a GL account type", c.ID, money.ALL, ledger.TypeVault, kumbara.KindInvalid, "type_invalid"},
			{"empty product", c.ID, money.ALL, "", kumbara.KindInvalid, "type_invalid"},
			{"product in upper case", c.ID, money.ALL, "CURRENT", kumbara.KindInvalid, "type_invalid"},
			{"unknown currency", c.ID, "XXX", ledger.TypeCurrent, kumbara.KindInvalid, "unknown_currency"},
			{"currency in lower case", c.ID, "eur", ledger.TypeCurrent, kumbara.KindInvalid, "unknown_currency"},
			{"empty currency", c.ID, "", ledger.TypeSavings, kumbara.KindInvalid, "unknown_currency"},
			{"unknown customer", "no-such-customer", money.ALL, ledger.TypeCurrent, kumbara.KindNotFound, "customer_not_found"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a, err := f.cs.OpenAccount(f.ctx, tc.customer, tc.cur, tc.typ, "")
				if err == nil {
					t.Fatalf("OpenAccount = %+v, want %s", a, tc.code)
				}
				wantCode(t, err, tc.kind, tc.code)
			})
		}
		if n := f.count(t, "SELECT COUNT(*) FROM accounts"); n != 0 {
			t.Errorf("%d accounts opened by refused requests", n)
		}
	})
}

func TestRepresentativesAreTheIndividualsWhoActForABusiness(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		var people []customer.Customer
		for i, number := range []string{"500000003", "500000001", "500000002"} {
			n := individual(i + 1)
			n.ClientNumber = number
			c, err := f.cs.CreateIndividual(f.ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			people = append(people, c)
		}
		nipt := kyc.NewNIPT('M', 7).String()
		newBiz := func(reps ...string) (customer.Customer, error) {
			return f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: nipt, CompanyName: "Ëmbëlsira Tirana Shpk",
				Mobile: "+355694000004", Representatives: reps})
		}

		_, err := newBiz(people[0].ID, "no-such-person")
		wantCode(t, err, kumbara.KindNotFound, "customer_not_found")
		if n := f.count(t, "SELECT COUNT(*) FROM customers WHERE nipt = ?", nipt); n != 0 {
			t.Fatalf("the business was stored though a representative is unknown")
		}
		if n := f.count(t, "SELECT COUNT(*) FROM business_representatives"); n != 0 {
			t.Fatalf("%d representatives stored for a refused business", n)
		}

		biz, err := newBiz(people[0].ID, people[1].ID)
		if err != nil {
			t.Fatalf("CreateBusiness with representatives: %v", err)
		}
		reps, err := f.cs.Representatives(f.ctx, biz.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range reps {
			got = append(got, r.ClientNumber)
			if r.Kind != customer.Individual || r.Name() != "Arben Hoxha" || r.NationalID == "" {
				t.Errorf("representative %+v", r)
			}
		}
		if want := []string{"500000001", "500000003"}; !slices.Equal(got, want) {
			t.Errorf("representatives %v, want %v in client number order", got, want)
		}
		for _, id := range []string{people[2].ID, "no-such-business"} {
			if reps, err := f.cs.Representatives(f.ctx, id); err != nil || len(reps) != 0 {
				t.Errorf("Representatives(%s) = %v, %v; want none", id, reps, err)
			}
		}
	})
}
