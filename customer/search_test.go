package customer_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// searchBank is a few customers to search among: two with accents in their names, two namesakes, a business that
// shares its representative's mobile number, and a name with a wildcard in it.
type searchBank struct {
	cela, shehu, hoxha1, hoxha2, biz, percent customer.Customer
	account                                   ledger.Account
}

func (f *fixture) searchBank(t *testing.T) searchBank {
	t.Helper()
	person := func(n int, first, last, mobile string) customer.Customer {
		t.Helper()
		p := individual(n)
		p.FirstName, p.LastName, p.Mobile = first, last, mobile
		c, err := f.cs.CreateIndividual(f.ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	var b searchBank
	b.cela = person(1, "Dritan", "Çela", "+355673000003")
	b.shehu = person(2, "Elirë", "Shehu", "0682000002")
	b.hoxha1 = person(3, "Arben", "Hoxha", "+355691000001")
	b.hoxha2 = person(4, "Ilir", "Hoxha", "+355691000005")
	b.percent = person(5, "Ana", "100%_Marku", "+355691000006")
	biz, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: string(kyc.NewNIPT('L', 12345678)),
		CompanyName: "Ëmbëlsira Tirana Shpk", Mobile: "069 100 0001", Representatives: []string{b.hoxha1.ID}})
	if err != nil {
		t.Fatal(err)
	}
	b.biz = biz
	if b.account, err = f.cs.OpenAccount(f.ctx, b.cela.ID, money.EUR, ledger.TypeCurrent, ""); err != nil {
		t.Fatal(err)
	}
	return b
}

func clientNumbers(cs []customer.Customer) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ClientNumber)
	}
	return out
}

// TestSearchFindsCustomersByNameIgnoringAccentsAndCase: "Cela" finds "Çela", every word of the query must be in
// the name in any order, a business is found by its company name, and a wildcard typed is a character like any.
func TestSearchFindsCustomersByNameIgnoringAccentsAndCase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		b := f.searchBank(t)
		for _, tc := range []struct {
			query string
			want  []customer.Customer
		}{
			{"Cela", []customer.Customer{b.cela}},
			{"ÇELA", []customer.Customer{b.cela}},
			{"  cela   dritan ", []customer.Customer{b.cela}},
			{"elire", []customer.Customer{b.shehu}},
			{"hoxha", []customer.Customer{b.hoxha1, b.hoxha2}},
			{"Hoxha Ilir", []customer.Customer{b.hoxha2}},
			{"embelsira", []customer.Customer{b.biz}},
			{"100%", []customer.Customer{b.percent}},
			{"%", []customer.Customer{b.percent}},
			{"_", []customer.Customer{b.percent}},
			{"Çela Hoxha", nil},
			{"Gjergji", nil},
		} {
			got, err := f.cs.Search(f.ctx, tc.query, 10)
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.query, err)
			}
			if !slices.Equal(clientNumbers(got), clientNumbers(tc.want)) {
				t.Errorf("Search(%q) = %v, want %v", tc.query, clientNumbers(got), clientNumbers(tc.want))
			}
		}
		if got, err := f.cs.Search(f.ctx, "hoxha", 1); err != nil || len(got) != 1 {
			t.Errorf("Search(hoxha, 1) = %v, %v: want one", clientNumbers(got), err)
		}
	})
}

// TestSearchFindsACustomerByEachOfTheirIdentifiers: client number, national ID, NIPT, an account's IBAN and the
// mobile number, each as staff type it (spaces, lower case, the national or international form).
func TestSearchFindsACustomerByEachOfTheirIdentifiers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		b := f.searchBank(t)
		printable := iban.IBAN(b.account.IBAN).Printable()
		other, err := iban.NewAlbanian("999", "0001", "0000000000000042")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			query string
			want  []customer.Customer
		}{
			{b.cela.ClientNumber, []customer.Customer{b.cela}},
			{b.shehu.ClientNumber[:3] + " " + b.shehu.ClientNumber[3:], []customer.Customer{b.shehu}},
			{strings.ToLower(b.cela.NationalID), []customer.Customer{b.cela}},
			{b.biz.NIPT[:1] + " " + b.biz.NIPT[1:], []customer.Customer{b.biz}},
			{printable, []customer.Customer{b.cela}},
			{strings.ToLower(b.account.IBAN), []customer.Customer{b.cela}},
			{other.String(), nil},
			{"+355 68 200 0002", []customer.Customer{b.shehu}},
			{"068 200 0002", []customer.Customer{b.shehu}},
			{"00355682000002", []customer.Customer{b.shehu}},
			// The business and its representative share a number: both are found, the person first.
			{"069 100 0001", []customer.Customer{b.hoxha1, b.biz}},
			{"069 999 9999", nil},
			{"900000001", nil},
		} {
			got, err := f.cs.Search(f.ctx, tc.query, 0)
			if err != nil {
				t.Fatalf("Search(%q): %v", tc.query, err)
			}
			if !slices.Equal(clientNumbers(got), clientNumbers(tc.want)) {
				t.Errorf("Search(%q) = %v, want %v", tc.query, clientNumbers(got), clientNumbers(tc.want))
			}
		}
	})
}

// TestSearchRefusesAQueryTooLongAndFindsNothingForAnEmptyOne: nothing to look for is no error, too much is.
func TestSearchRefusesAQueryTooLongAndFindsNothingForAnEmptyOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		f.searchBank(t)
		for _, q := range []string{"", "   ", "\x00", "\xff\xfe"} {
			if got, err := f.cs.Search(f.ctx, q, 10); err != nil || len(got) != 0 {
				t.Errorf("Search(%q) = %v, %v: want nothing", q, clientNumbers(got), err)
			}
		}
		_, err := f.cs.Search(f.ctx, strings.Repeat("a", customer.MaxSearchQuery+1), 10)
		wantCode(t, err, kumbara.KindInvalid, "invalid_query")
	})
}

// migrationPairs reads the letters migration 00030 folds in SQL.
func migrationPairs(t *testing.T) (pairs [][2]string, up string) {
	t.Helper()
	b, err := os.ReadFile("../db/migrations/00030_customer_search_name.sql")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, m := range regexp.MustCompile(`'([^']+)', '([a-z])'\)`).FindAllStringSubmatch(s, -1) {
		pairs = append(pairs, [2]string{m[1], m[2]})
	}
	start := strings.Index(s, "UPDATE customers")
	return pairs, s[start : strings.Index(s[start:], ";")+start]
}

// The migration folds in SQL what ledger.Fold folds in Go, letter for letter: customers written before it and
// after it are found alike.
func TestMigrationFoldsNamesAsTheSearchDoes(t *testing.T) {
	t.Parallel()
	pairs, _ := migrationPairs(t)
	var from []string
	for _, p := range pairs {
		if got := ledger.Fold(p[0]); got != p[1] {
			t.Errorf("the migration folds %q to %q, Fold to %q", p[0], p[1], got)
		}
		from = append(from, p[0])
	}
	for r := rune(0xC0); r <= 0x17F; r++ {
		f := ledger.Fold(string(r))
		if len(f) == 1 && f[0] >= 'a' && f[0] <= 'z' && !slices.Contains(from, string(r)) {
			t.Errorf("Fold folds %q to %q, the migration leaves it", r, f)
		}
	}
}

// TestMigrationFoldsTheNamesOfCustomersWrittenBefore: a customer whose folded name the migration wrote is found
// as one written since.
func TestMigrationFoldsTheNamesOfCustomersWrittenBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(d)
		b := f.searchBank(t)
		var want string
		if err := d.QueryRow(f.ctx, "SELECT search_name FROM customers WHERE id = ?", b.biz.ID).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(f.ctx, "UPDATE customers SET search_name = ''"); err != nil {
			t.Fatal(err)
		}
		_, up := migrationPairs(t)
		if _, err := d.Exec(f.ctx, up); err != nil {
			t.Fatalf("the migration's update: %v", err)
		}
		var got string
		if err := d.QueryRow(f.ctx, "SELECT search_name FROM customers WHERE id = ?", b.biz.ID).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("the migration folds the business's name to %q, Go to %q", got, want)
		}
		found, err := f.cs.Search(f.ctx, "Cela", 10)
		if err != nil || !slices.Equal(clientNumbers(found), []string{b.cela.ClientNumber}) {
			t.Errorf("Search(Cela) after the migration = %v, %v", clientNumbers(found), err)
		}
	})
}
