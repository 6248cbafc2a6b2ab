package ledger_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

var teller = audit.StaffActor("teller", "teller")

// staffCtx is a request by the teller from a branch workstation.
func staffCtx() context.Context {
	ctx := audit.WithOrigin(context.Background(), audit.Origin{RequestID: "req-7", Client: "10.0.0.7"})
	return audit.WithActor(ctx, teller)
}

// entriesOf returns the audit entries of action, newest first.
func entriesOf(t *testing.T, d *db.DB, action string) []audit.Entry {
	t.Helper()
	p, err := audit.Search(context.Background(), d, audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

// state decodes an entry's before or after JSON.
func stateOf(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("state %q: %v", s, err)
	}
	return m
}

// wantEntry checks the one entry of action: by the teller, from the request, about account a.
func wantEntry(t *testing.T, d *db.DB, action string, a ledger.Account) audit.Entry {
	t.Helper()
	es := entriesOf(t, d, action)
	if len(es) != 1 {
		t.Fatalf("%s: %d entries, want 1: %+v", action, len(es), es)
	}
	e := es[0]
	if e.Actor != teller || e.CustomerID != a.CustomerID || e.AccountID != a.ID || e.Result != audit.ResultOK ||
		e.RequestID != "req-7" || e.Client != "10.0.0.7" {
		t.Fatalf("%s: entry %+v", action, e)
	}
	return e
}

func TestCashAtTheBranchIsAuditedWithTheTellerAndTheBalances(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.open(t, 0)
		ctx := staffCtx()
		dep, err := f.l.CashDeposit(ctx, a.ID, money.New(5_000_00, money.ALL), "arka 1")
		if err != nil {
			t.Fatal(err)
		}
		e := wantEntry(t, d, ledger.ActionCashDeposited, a)
		before, after := stateOf(t, e.Before), stateOf(t, e.After)
		if before["balance"] != 0.0 || after["balance"] != 5_000_00.0 || after["amount"] != 5_000_00.0 ||
			after["currency"] != "ALL" || after["entry"] != dep {
			t.Fatalf("deposit before %v after %v", before, after)
		}
		wd, err := f.l.CashWithdrawal(ctx, a.ID, money.New(1_200_50, money.ALL), "")
		if err != nil {
			t.Fatal(err)
		}
		e = wantEntry(t, d, ledger.ActionCashWithdrawn, a)
		if after := stateOf(t, e.After); stateOf(t, e.Before)["balance"] != 5_000_00.0 || after["balance"] != 3_799_50.0 ||
			after["amount"] != -1_200_50.0 || after["entry"] != wd {
			t.Fatalf("withdrawal %+v", e)
		}
		// Refused under the ledger's locks: the batch appends nothing for it.
		if _, err := f.l.CashWithdrawal(ctx, a.ID, money.New(1_000_000_00, money.ALL), ""); !errors.Is(err, ledger.ErrInsufficientFunds) {
			t.Fatalf("withdrawal beyond the balance: %v", err)
		}
		if n := len(entriesOf(t, d, ledger.ActionCashWithdrawn)); n != 1 {
			t.Fatalf("%d withdrawal entries after a refusal, want 1", n)
		}
		// Without a member of staff in the context the bank itself is the actor.
		if _, err := f.l.CashDeposit(context.Background(), a.ID, money.New(1_00, money.ALL), ""); err != nil {
			t.Fatal(err)
		}
		if es := entriesOf(t, d, ledger.ActionCashDeposited); len(es) != 2 || es[0].Actor != audit.System(audit.Bank) {
			t.Fatalf("deposits %+v", es)
		}
		if _, err := audit.Verify(context.Background(), d, audit.Head{}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAStatusOrOverdraftChangeIsAuditedBeforeAndAfterAndARefusalIsNot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.funded(t, 100_00)
		ctx := staffCtx()
		if err := f.l.ChangeStatus(ctx, a.ID, ledger.Blocked); err != nil {
			t.Fatal(err)
		}
		e := wantEntry(t, d, ledger.ActionStatusChanged, a)
		if e.Before != `{"status":"active"}` || e.After != `{"status":"blocked"}` {
			t.Fatalf("status before %s after %s", e.Before, e.After)
		}
		if err := f.l.ChangeStatus(ctx, a.ID, ledger.Closed); !errors.Is(err, ledger.ErrAccountNotEmpty) {
			t.Fatalf("closing a funded account: %v", err)
		}
		if n := len(entriesOf(t, d, ledger.ActionStatusChanged)); n != 1 {
			t.Fatalf("%d status entries after a refusal, want 1", n)
		}

		if err := f.l.ChangeOverdraft(ctx, a.ID, 500_00); err != nil {
			t.Fatal(err)
		}
		e = wantEntry(t, d, ledger.ActionOverdraftChanged, a)
		if e.Before != `{"overdraft_limit":0}` || e.After != `{"overdraft_limit":50000}` {
			t.Fatalf("overdraft before %s after %s", e.Before, e.After)
		}
		if err := f.l.ChangeOverdraft(ctx, a.ID, -1); !errors.Is(err, ledger.ErrOverdraftExceeded) {
			t.Fatalf("a negative limit: %v", err)
		}
		if n := len(entriesOf(t, d, ledger.ActionOverdraftChanged)); n != 1 {
			t.Fatalf("%d overdraft entries after a refusal, want 1", n)
		}
	})
}

func TestAReversalIsAuditedOnEachCustomerAccountItPostsTo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.funded(t, 10_000), f.open(t, 0)
		entry, err := f.l.Post(f.ctx, transfer(a.ID, b.ID, 2_500))
		if err != nil {
			t.Fatal(err)
		}
		ctx := staffCtx()
		rev, err := f.l.Reverse(ctx, entry, "Gabim i arkëtarit")
		if err != nil {
			t.Fatal(err)
		}
		es := entriesOf(t, d, ledger.ActionReversed)
		if len(es) != 2 {
			t.Fatalf("%d reversal entries, want one per customer account: %+v", len(es), es)
		}
		got := map[string]map[string]any{}
		for _, e := range es {
			if e.Actor != teller || e.RequestID != "req-7" {
				t.Fatalf("entry %+v", e)
			}
			after := stateOf(t, e.After)
			if after["entry"] != rev || after["reverses"] != entry || after["reason"] != "Gabim i arkëtarit" {
				t.Fatalf("after %v", after)
			}
			got[e.AccountID] = after
			if (e.AccountID == a.ID) != (e.CustomerID == a.CustomerID) {
				t.Fatalf("entry about account %s names customer %s", e.AccountID, e.CustomerID)
			}
		}
		if got[a.ID]["amount"] != 2_500.0 || got[a.ID]["balance"] != 10_000.0 || got[b.ID]["amount"] != -2_500.0 ||
			got[b.ID]["balance"] != 0.0 {
			t.Fatalf("reversal states %v", got)
		}
		if _, err := f.l.Reverse(ctx, entry, "again"); !errors.Is(err, ledger.ErrAlreadyReversed) {
			t.Fatalf("second reversal: %v", err)
		}
		if n := len(entriesOf(t, d, ledger.ActionReversed)); n != 2 {
			t.Fatalf("%d reversal entries after a refused one, want 2", n)
		}
	})
}
