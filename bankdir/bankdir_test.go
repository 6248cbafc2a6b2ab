package bankdir_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
)

var t0 = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// own is the bank the tests run: code 999, as the demo's.
var own = customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}

func newService(d *db.DB, clk clock.Clock) *bankdir.Service {
	return &bankdir.Service{DB: d, Clock: clk, Own: own}
}

// officer is the member of staff the tests act as.
var officer = audit.StaffActor("backoffice", "backoffice")

func staffCtx() context.Context {
	return audit.WithOrigin(audit.WithActor(context.Background(), officer), audit.Origin{RequestID: "req-7"})
}

// registryExample is the IBAN registry's Albanian example, AL47 2121 1009 0000 0002 3569 8741: bank code 212.
const registryExample = "AL47212110090000000235698741"

func mustIBAN(t *testing.T, s string) iban.IBAN {
	t.Helper()
	ib, err := iban.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return ib
}

// TestABankIsPutFoundByCodeBICAndIBANAndChanged: a bank put in the directory is found by its code, by its BIC and
// by a branch's BIC (the first 8 characters name the bank), and by an IBAN of its code; changing it keeps it
// active and is what the lookups then answer.
func TestABankIsPutFoundByCodeBICAndIBANAndChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		clk := clock.NewFake(t0)
		s := newService(d, clk)
		b, err := s.Put(ctx, bankdir.Bank{Code: " 212 ", BIC: "cdis al tr", Name: " Credins  Bank ", Instant: true})
		if err != nil {
			t.Fatal(err)
		}
		want := bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins  Bank", Instant: true, Active: true, UpdatedAt: t0}
		if b != want {
			t.Fatalf("put %+v, want %+v", b, want)
		}
		if _, err := s.Put(ctx, bankdir.Bank{Code: "205", BIC: "NCBAALTX", Name: "Banka Kombëtare Tregtare"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			find func() (bankdir.Bank, error)
		}{
			{"code", func() (bankdir.Bank, error) { return s.ByCode(ctx, "212") }},
			{"BIC", func() (bankdir.Bank, error) { return s.ByBIC(ctx, "CDISALTR") }},
			{"branch BIC", func() (bankdir.Bank, error) { return s.ByBIC(ctx, "cdisaltr123") }},
			{"head office BIC", func() (bankdir.Bank, error) { return s.ByBIC(ctx, "CDISALTRXXX") }},
			{"IBAN", func() (bankdir.Bank, error) { return s.ForIBAN(ctx, mustIBAN(t, registryExample)) }},
		} {
			got, err := tc.find()
			if err != nil || got.Code != "212" || got.Name != "Credins  Bank" {
				t.Errorf("by %s: %+v, %v", tc.name, got, err)
			}
		}

		clk.Advance(time.Hour)
		b, err = s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTRXXX", Name: "Banka Credins", Instant: false})
		if err != nil {
			t.Fatal(err)
		}
		if b.BIC != "CDISALTRXXX" || b.Name != "Banka Credins" || b.Instant || !b.Active || !b.UpdatedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("changed %+v", b)
		}
		got, err := s.ForIBAN(ctx, mustIBAN(t, registryExample))
		if err != nil || got != b {
			t.Fatalf("after the change: %+v, %v", got, err)
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "205" || list[1].Code != "212" {
			t.Fatalf("list %+v, %v", list, err)
		}
	})
}

// TestALookupRefusesThisBankAnUnknownOneAndAnInactiveOne: an IBAN (or a BIC, or a code) of this bank is
// bank_own, one of a bank the directory lacks bank_unknown, a foreign IBAN bank_unknown; a deactivated bank is
// bank_inactive for a payment while staff still find it, and active again once reactivated.
func TestALookupRefusesThisBankAnUnknownOneAndAnInactiveOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		ownIBAN, err := iban.NewAlbanian("999", "0001", "1234")
		if err != nil {
			t.Fatal(err)
		}
		other, err := iban.NewAlbanian("208", "1011", "99")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			err  error
			want *kumbara.Error
		}{
			{"own IBAN", second(s.ForIBAN(ctx, ownIBAN)), bankdir.ErrOwnBank},
			{"own BIC", second(s.ByBIC(ctx, "KUMBALT0")), bankdir.ErrOwnBank},
			{"own code", second(s.ByCode(ctx, "999")), bankdir.ErrOwnBank},
			{"unknown IBAN", second(s.ForIBAN(ctx, other)), bankdir.ErrUnknown},
			{"foreign IBAN", second(s.ForIBAN(ctx, mustIBAN(t, "DE89370400440532013000"))), bankdir.ErrUnknown},
			{"unknown BIC", second(s.ByBIC(ctx, "USALALTR")), bankdir.ErrUnknown},
			{"unknown code", second(s.ByCode(ctx, "208")), bankdir.ErrUnknown},
			{"BIC that does not read", second(s.ByBIC(ctx, "CDIS-ALTR")), iban.ErrBICInvalid},
		} {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.want.Code)
			}
			if e, ok := kumbara.As(tc.err); ok && e.Kind != tc.want.Kind {
				t.Errorf("%s: kind %v", tc.name, e.Kind)
			}
		}

		if err := s.SetActive(ctx, "212", false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ForIBAN(ctx, mustIBAN(t, registryExample)); !errors.Is(err, bankdir.ErrInactive) {
			t.Fatalf("an inactive bank: %v", err)
		}
		if b, err := s.ByCode(ctx, "212"); err != nil || b.Active {
			t.Fatalf("staff find the inactive bank: %+v, %v", b, err)
		}
		if err := s.SetActive(ctx, "212", true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ForIBAN(ctx, mustIBAN(t, registryExample)); err != nil {
			t.Fatalf("reactivated: %v", err)
		}
		if err := s.SetActive(ctx, "208", false); !errors.Is(err, bankdir.ErrUnknown) {
			t.Fatalf("deactivating an unknown bank: %v", err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// TestPuttingABankRefusesEveryBadField: each field's problem is said at once inside validation_failed, and this
// bank's own code or BIC, a BIC of another country or of another bank of the directory are refused; nothing is
// written.
func TestPuttingABankRefusesEveryBadField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			in     bankdir.Bank
			fields []kumbara.FieldError
		}{
			{"empty", bankdir.Bank{}, []kumbara.FieldError{{Field: "code", Code: "field_required"},
				{Field: "bic", Code: "field_required"}, {Field: "name", Code: "field_required"}}},
			{"bad code, BIC and name", bankdir.Bank{Code: "21", BIC: "12345678", Name: "Banka <b>"},
				[]kumbara.FieldError{{Field: "code", Code: "bank_code_invalid"}, {Field: "bic", Code: "bic_invalid"},
					{Field: "name", Code: "description_invalid_characters"}}},
			{"letters in the code", bankdir.Bank{Code: "2a2", BIC: "CDISALTR", Name: "X"},
				[]kumbara.FieldError{{Field: "code", Code: "bank_code_invalid"}}},
			{"foreign BIC", bankdir.Bank{Code: "213", BIC: "DEUTDEFF", Name: "Deutsche Bank"},
				[]kumbara.FieldError{{Field: "bic", Code: "bank_bic_country"}}},
			{"own code", bankdir.Bank{Code: "999", BIC: "SGSBALTX", Name: "Raiffeisen"},
				[]kumbara.FieldError{{Field: "code", Code: "bank_code_own"}}},
			{"own BIC", bankdir.Bank{Code: "213", BIC: "KUMBALT0ABC", Name: "Kumbara"},
				[]kumbara.FieldError{{Field: "bic", Code: "bank_code_own"}}},
			{"long name", bankdir.Bank{Code: "213", BIC: "SGSBALTX", Name: strings.Repeat("a", 71)},
				[]kumbara.FieldError{{Field: "name", Code: "description_too_long"}}},
		} {
			_, err := s.Put(ctx, tc.in)
			e, ok := kumbara.As(err)
			if !ok || e.Code != "validation_failed" || !slices.Equal(e.Fields, tc.fields) {
				t.Errorf("%s: %v (%+v), want %+v", tc.name, err, e, tc.fields)
			}
		}
		if _, err := s.Put(ctx, bankdir.Bank{Code: "213", BIC: "CDISALTR123", Name: "Another"}); !errors.Is(err, bankdir.ErrBICTaken) {
			t.Errorf("a BIC of another bank: %v", err)
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 1 {
			t.Errorf("list %+v, %v", list, err)
		}
	})
}

// TestEveryChangeIsAuditedWithTheStaffMember: adding, changing, deactivating and reactivating a bank are each an
// entry naming the member of staff and the request, with the bank before and after; putting a bank unchanged, a
// refusal and a state it already has leave none.
func TestEveryChangeIsAuditedWithTheStaffMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		put := func(b bankdir.Bank) {
			t.Helper()
			if _, err := s.Put(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		put(bankdir.Bank{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank", Instant: true})
		put(bankdir.Bank{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank", Instant: true})
		put(bankdir.Bank{Code: "202", BIC: "SGSBALTX", Name: "Raiffeisen Bank Albania", Instant: true})
		_, _ = s.Put(ctx, bankdir.Bank{Code: "202", BIC: "X", Name: "Raiffeisen"})
		for _, active := range []bool{false, false, true} {
			if err := s.SetActive(ctx, "202", active); err != nil {
				t.Fatal(err)
			}
		}
		p, err := audit.Search(context.Background(), d, audit.Filter{Action: "bank."})
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ action, before, after string }{
			{bankdir.ActionActivated, `{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank Albania","instant":true,"active":false}`,
				`{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank Albania","instant":true,"active":true}`},
			{bankdir.ActionDeactivated, `{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank Albania","instant":true,"active":true}`,
				`{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank Albania","instant":true,"active":false}`},
			{bankdir.ActionChanged, `{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank","instant":true,"active":true}`,
				`{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank Albania","instant":true,"active":true}`},
			{bankdir.ActionAdded, "", `{"code":"202","bic":"SGSBALTX","name":"Raiffeisen Bank","instant":true,"active":true}`},
		}
		if len(p.Entries) != len(want) {
			t.Fatalf("%d entries, want %d: %+v", len(p.Entries), len(want), p.Entries)
		}
		for i, w := range want {
			e := p.Entries[i]
			if e.Action != w.action || e.Before != w.before || e.After != w.after || e.Actor != officer ||
				e.RequestID != "req-7" || e.Result != audit.ResultOK {
				t.Errorf("entry %d: %+v, want %+v", i, e, w)
			}
		}
	})
}

// TestAChangeOnAnotherInstanceIsSeenWithinAMinute: the directory is kept for a minute, so a bank deactivated on
// another instance is still paid here until the minute has passed, and not after; a change made here is seen at
// once.
func TestAChangeOnAnotherInstanceIsSeenWithinAMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		clk := clock.NewFake(t0)
		here, there := newService(d, clk), newService(d, clk)
		if _, err := here.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		ib := mustIBAN(t, registryExample)
		if _, err := here.ForIBAN(ctx, ib); err != nil {
			t.Fatal(err)
		}
		if err := there.SetActive(ctx, "212", false); err != nil {
			t.Fatal(err)
		}
		if _, err := there.ForIBAN(ctx, ib); !errors.Is(err, bankdir.ErrInactive) {
			t.Fatalf("the instance that changed it: %v", err)
		}
		clk.Advance(59 * time.Second)
		if _, err := here.ForIBAN(ctx, ib); err != nil {
			t.Fatalf("within the minute: %v", err)
		}
		clk.Advance(time.Second)
		if _, err := here.ForIBAN(ctx, ib); !errors.Is(err, bankdir.ErrInactive) {
			t.Fatalf("after the minute: %v", err)
		}
	})
}
