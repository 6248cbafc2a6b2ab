package operation_test

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const pw = "Sigurt#2026Banka"

// fixture is a bank with a back-office member (maker), two managers (checkers), a teller and a customer with an
// ALL account holding 2,000,000.00.
type fixture struct {
	ctx                      context.Context
	b                        *app.Bank
	clk                      *clock.Fake
	maker, checker, checker2 staff.Member
	teller, service          staff.Member
	customer                 customer.Customer
	account                  ledger.Account
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), clk: clock.NewFake(t0)}
	b, err := app.New(f.ctx, app.Config{DB: d, Clock: f.clk, Secret: bytes.Repeat([]byte{0x5a}, 32),
		Bank:    customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"},
		CardBIN: "400000", Hasher: password.ForTests})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	f.b = b
	admin, err := b.Staff.Create(f.ctx, nil, staff.NewMember{Username: "admin", FullName: "Ana Admin", Branch: "Drejtoria",
		Roles: []staff.Role{staff.Admin}, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, roles ...staff.Role) staff.Member {
		c, err := b.Staff.Create(f.ctx, &admin.Member, staff.NewMember{Username: name, FullName: "Blerta Kola",
			Branch: "Tiranë", Roles: roles, Password: pw})
		if err != nil {
			t.Fatal(err)
		}
		return c.Member
	}
	f.maker, f.checker, f.checker2 = add("backoffice", staff.BackOffice), add("manager", staff.Manager), add("manager2", staff.Manager)
	f.teller, f.service = add("teller", staff.Teller), add("service", staff.CustomerService)
	birth := time.Date(1985, 5, 1, 0, 0, 0, 0, time.UTC)
	if f.customer, err = b.Customers.CreateIndividual(f.ctx, customer.NewIndividual{FirstName: "Arta", LastName: "Çela",
		NationalID: kyc.NewNationalID(birth, true, 1).String(), BirthDate: birth, Mobile: "+355691234567"}); err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(f.ctx, f.customer.ID, "Fillim2026x", false); err != nil {
		t.Fatal(err)
	}
	if f.account, err = b.Customers.OpenAccount(f.ctx, f.customer.ID, money.ALL, ledger.TypeCurrent, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.CashDeposit(f.ctx, f.account.ID, money.New(2_000_000_00, money.ALL), "test"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) balance(t *testing.T) int64 {
	t.Helper()
	a, err := f.b.Ledger.Get(f.ctx, f.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func codeOf(err error) string { return kumbara.CodeOf(err) }

// TestAReversalWaitsForASecondMemberAndRunsOnce: the maker's reversal changes nothing until a manager approves
// it; the maker cannot approve their own; of two managers approving at once exactly one runs it; the entry is
// reversed once and the steps are in the audit log with the staff who took them.
func TestAReversalWaitsForASecondMemberAndRunsOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		entry, err := f.b.Ledger.CashDeposit(f.ctx, f.account.ID, money.New(500_00, money.ALL), "by mistake")
		if err != nil {
			t.Fatal(err)
		}
		before := f.balance(t)
		o, err := f.b.Operations.Reverse(f.ctx, f.maker, operation.Reversal{EntryID: entry, Reason: "deposit on the wrong account"})
		if err != nil || o.Pending == nil {
			t.Fatalf("Reverse = %+v, %v; want a pending request", o, err)
		}
		if got := f.balance(t); got != before {
			t.Fatalf("balance moved to %d before approval", got)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.maker, o.Pending.ID, o.Pending.Hash); codeOf(err) != "staff_permission_denied" {
			t.Errorf("the maker (no approvals.decide) approving: %v", err)
		}
		// A manager who made a request cannot approve it either: checked with a manager's own request.
		own, err := f.b.Approvals.Submit(f.ctx, f.checker, approval.New{Kind: string(operation.KindReversal),
			Payload: operation.Reversal{EntryID: entry, Reason: "own"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.checker, own.ID, own.Hash); !errors.Is(err, approval.ErrOwnRequest) {
			t.Errorf("approving one's own request: %v", err)
		}
		var wg sync.WaitGroup
		results := make([]error, 2)
		for i, m := range []staff.Member{f.checker, f.checker2} {
			wg.Go(func() { _, results[i] = f.b.Operations.Approve(f.ctx, m, o.Pending.ID, o.Pending.Hash) })
		}
		wg.Wait()
		won := 0
		for _, err := range results {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, approval.ErrDecided):
				t.Errorf("the losing checker: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d checkers ran the reversal (%v)", won, results)
		}
		if got := f.balance(t); got != before-500_00 {
			t.Errorf("balance %d after the reversal, want %d", got, before-500_00)
		}
		r, err := f.b.Approvals.Get(f.ctx, f.checker, o.Pending.ID)
		if err != nil || r.Status != approval.Executed || r.Result == "" {
			t.Errorf("the request after approval: %+v, %v", r, err)
		}
		entries := staffActions(t, f, d)
		for _, want := range []string{"backoffice:approval.requested", "approval.approved", "approval.executed"} {
			if !slices.ContainsFunc(entries, func(s string) bool { return s == want || len(s) > len(want) && s[len(s)-len(want):] == want }) {
				t.Errorf("audit %v lacks %s", entries, want)
			}
		}
	})
}

// staffActions lists the staff entries of the audit log as "username:action".
func staffActions(t *testing.T, f *fixture, d *db.DB) []string {
	t.Helper()
	rows, err := d.Query(f.ctx, "SELECT actor_id, action FROM audit_log WHERE actor_kind = ? ORDER BY seq", audit.ActorStaff)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Collect(rows, func(r db.Scanner) (string, error) {
		var who, what string
		err := r.Scan(&who, &what)
		return who + ":" + what, err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestAChangedPayloadCannotBeApproved: a payload edited in the table after the request, or a hash that is not the
// one taken at the request, is refused and nothing runs.
func TestAChangedPayloadCannotBeApproved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		o, err := f.b.Operations.SetOverdraft(f.ctx, f.maker, f.account.ID, "5000.00")
		if err != nil || o.Pending == nil {
			t.Fatalf("SetOverdraft = %+v, %v", o, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, "00"+o.Pending.Hash[2:]); !errors.Is(err, approval.ErrPayloadChanged) {
			t.Errorf("approving another hash: %v", err)
		}
		tampered := bytes.Replace(o.Pending.Payload, []byte(`"5000.00"`), []byte(`"900000.00"`), 1)
		if _, err := d.Exec(f.ctx, "UPDATE approvals SET payload = ? WHERE id = ?", string(tampered), o.Pending.ID); err != nil {
			t.Fatal(err)
		}
		for _, hash := range []string{o.Pending.Hash, ""} {
			if _, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, hash); !errors.Is(err, approval.ErrPayloadChanged) {
				t.Errorf("approving a tampered payload with hash %q: %v", hash, err)
			}
		}
		a, _ := f.b.Ledger.Get(f.ctx, f.account.ID)
		if a.OverdraftLimit != 0 {
			t.Errorf("overdraft %d after refused approvals", a.OverdraftLimit)
		}
	})
}

// TestRequestsExpireAfterADayAndRejectionsNeedAReason.
func TestRequestsExpireAfterADayAndRejectionsNeedAReason(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		o, err := f.b.Operations.ReactivateChannel(f.ctx, f.service, f.customer.ID)
		if err != nil || o.Pending == nil {
			t.Fatalf("ReactivateChannel = %+v, %v", o, err)
		}
		if _, err := f.b.Operations.Reject(f.ctx, f.checker, o.Pending.ID, " no"); !errors.Is(err, approval.ErrReasonRequired) {
			t.Errorf("a rejection without a reason: %v", err)
		}
		late, err := f.b.Operations.SetOverdraft(f.ctx, f.maker, f.account.ID, "100.00")
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.b.Operations.Reject(f.ctx, f.checker, o.Pending.ID, "the customer did not ask for it")
		if err != nil || r.Status != approval.Rejected {
			t.Fatalf("Reject = %+v, %v", r, err)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.checker2, o.Pending.ID, ""); !errors.Is(err, approval.ErrDecided) {
			t.Errorf("approving a rejected request: %v", err)
		}
		f.clk.Advance(approval.Validity)
		if _, err := f.b.Operations.Approve(f.ctx, f.checker, late.Pending.ID, ""); !errors.Is(err, approval.ErrExpired) {
			t.Errorf("approving after 24 hours: %v", err)
		}
		list, err := f.b.Approvals.List(f.ctx, f.checker, approval.Filter{Status: approval.Pending})
		if err != nil || len(list) != 0 {
			t.Errorf("pending after a day: %v, %v", list, err)
		}
		list, err = f.b.Approvals.List(f.ctx, f.checker, approval.Filter{Status: approval.Expired})
		if err != nil || len(list) != 1 || list[0].ID != late.Pending.ID {
			t.Errorf("expired: %v, %v", list, err)
		}
	})
}

// TestWhatNeedsASecondMember walks the four-eyes table: a cash withdrawal above the threshold and not at it, a
// new mobile or email and not an address, and a member without the operation's permission refused outright.
func TestWhatNeedsASecondMember(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		before := f.balance(t)
		o, err := f.b.Operations.Withdraw(f.ctx, f.teller, f.account.ID, "1000000.00", "")
		if err != nil || o.Pending != nil || o.Ref == "" {
			t.Errorf("a withdrawal at the threshold: %+v, %v", o, err)
		}
		if _, err := f.b.Operations.Withdraw(f.ctx, f.teller, f.account.ID, "1000000.01", ""); !errors.Is(err, operation.ErrReasonRequired) {
			t.Errorf("a large withdrawal without a reason: %v", err)
		}
		o, err = f.b.Operations.Withdraw(f.ctx, f.teller, f.account.ID, "1000000.01", "buying a flat")
		if err != nil || o.Pending == nil {
			t.Fatalf("a withdrawal above the threshold: %+v, %v", o, err)
		}
		if got := f.balance(t); got != before-1_000_000_00 {
			t.Errorf("balance %d, want only the first withdrawal out", got)
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash)
		if err != nil || r.Status != approval.Failed || r.Result != "insufficient_funds" {
			t.Errorf("the large withdrawal approved on what is left: %+v, %v", r, err)
		}

		o, err = f.b.Operations.ChangeContact(f.ctx, f.service, f.customer.ID, customer.Contact{Mobile: f.customer.Mobile,
			Address: "Rruga e Durrësit 12, Tiranë"})
		if err != nil || o.Pending != nil {
			t.Errorf("an address change: %+v, %v", o, err)
		}
		o, err = f.b.Operations.ChangeContact(f.ctx, f.service, f.customer.ID, customer.Contact{Mobile: "069 765 4321",
			Address: "Rruga e Durrësit 12, Tiranë"})
		if err != nil || o.Pending == nil {
			t.Fatalf("a mobile change: %+v, %v", o, err)
		}
		if c, _ := f.b.Customers.Get(f.ctx, f.customer.ID); c.Mobile != f.customer.Mobile {
			t.Errorf("mobile changed to %s before approval", c.Mobile)
		}
		if _, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, o.Pending.Hash); err != nil {
			t.Fatal(err)
		}
		if c, _ := f.b.Customers.Get(f.ctx, f.customer.ID); c.Mobile != "+355697654321" {
			t.Errorf("mobile %s after approval", c.Mobile)
		}
		_, err = f.b.Operations.ChangeContact(f.ctx, f.service, f.customer.ID, customer.Contact{Mobile: "+355697654321",
			Email: "not an email", Address: "Rruga e Durrësit 12, Tiranë"})
		if fe, ok := kumbara.As(err); !ok || len(fe.Fields) != 1 || fe.Fields[0].Code != "email_invalid" {
			t.Errorf("a bad email: %v", err)
		}

		for _, c := range []struct {
			name string
			do   func() error
		}{
			{"teller reverses", func() error {
				_, err := f.b.Operations.Reverse(f.ctx, f.teller, operation.Reversal{EntryID: "x", Reason: "because"})
				return err
			}},
			{"teller sets an overdraft", func() error {
				_, err := f.b.Operations.SetOverdraft(f.ctx, f.teller, f.account.ID, "10.00")
				return err
			}},
			{"back office edits contacts", func() error {
				_, err := f.b.Operations.ChangeContact(f.ctx, f.maker, f.customer.ID, customer.Contact{Mobile: "069 111 2222"})
				return err
			}},
			{"manager withdraws cash", func() error {
				_, err := f.b.Operations.Withdraw(f.ctx, f.checker, f.account.ID, "1.00", "")
				return err
			}},
		} {
			if err := c.do(); codeOf(err) != "staff_permission_denied" {
				t.Errorf("%s: %v", c.name, err)
			}
		}
	})
}

// TestAStaleContactChangeIsNotApplied: details changed after the request are not overwritten by its approval.
func TestAStaleContactChangeIsNotApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		o, err := f.b.Operations.ChangeContact(f.ctx, f.service, f.customer.ID, customer.Contact{Mobile: "069 765 4321"})
		if err != nil || o.Pending == nil {
			t.Fatalf("%+v, %v", o, err)
		}
		if _, _, err := f.b.Customers.ChangeContact(f.ctx, f.customer.ID, customer.Contact{Mobile: "069 222 3333"}); err != nil {
			t.Fatal(err)
		}
		r, err := f.b.Operations.Approve(f.ctx, f.checker, o.Pending.ID, "")
		if err != nil || r.Status != approval.Failed || r.Result != "operation_stale" {
			t.Errorf("approving a stale change: %+v, %v", r, err)
		}
		if c, _ := f.b.Customers.Get(f.ctx, f.customer.ID); c.Mobile != "+355692223333" {
			t.Errorf("mobile %s", c.Mobile)
		}
	})
}

// TestReversalRequestsAreCheckedBeforeTheyWait: an unknown entry, an entry already reversed, and no reason are
// refused when asked for, not when approved.
func TestReversalRequestsAreCheckedBeforeTheyWait(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		entry, err := f.b.Ledger.CashDeposit(f.ctx, f.account.ID, money.New(1_00, money.ALL), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.b.Ledger.Reverse(f.ctx, entry, "test"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			r    operation.Reversal
			want string
		}{
			{operation.Reversal{EntryID: "no-such-entry", Reason: "because"}, "transaction_not_found"},
			{operation.Reversal{EntryID: "\xff", Reason: "because"}, "transaction_not_found"},
			{operation.Reversal{EntryID: entry, Reason: "because"}, "already_reversed"},
			{operation.Reversal{EntryID: entry, Reason: ""}, "operation_reason_required"},
		} {
			if _, err := f.b.Operations.Reverse(f.ctx, f.maker, c.r); codeOf(err) != c.want {
				t.Errorf("Reverse(%+v) = %v, want %s", c.r, err, c.want)
			}
		}
		list, _ := f.b.Approvals.List(f.ctx, f.checker, approval.Filter{})
		if len(list) != 0 {
			t.Errorf("%d requests stored from refused asks", len(list))
		}
	})
}
