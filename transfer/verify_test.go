package transfer_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/vop"
)

// checkBurst is the allowance of name checks the tests give each customer: few, so one test can spend it.
const checkBurst = 3

// counted is a name check that counts the checks made through it.
type counted struct {
	v transfer.Verifier
	n atomic.Int64
}

func (c *counted) Check(ctx context.Context, customerID string, ib iban.IBAN, name string) (vop.Outcome, error) {
	c.n.Add(1)
	return c.v.Check(ctx, customerID, ib, name)
}

// unreachable is a check that cannot be made, whatever it is asked: the scheme's "verification not possible".
type unreachable struct{ at time.Time }

func (u unreachable) Check(context.Context, string, iban.IBAN, string) (vop.Outcome, error) {
	return vop.Outcome{Result: vop.NotPossible, CheckedAt: u.at}, nil
}

// withNameCheck gives f's transfer service the name check app.New wires into it (vop.Service, answering this
// bank's IBANs from its accounts), counted, and returns the check.
func (f *fixture) withNameCheck() (*vop.Service, *counted) {
	v := &vop.Service{DB: f.d, Clock: f.clk, Own: bank, Accounts: &f.l.Store, Customers: f.cs,
		CustomerAllowance: vop.Allowance{Burst: checkBurst, Every: time.Hour}}
	c := &counted{v: v}
	f.svc.Payees = c
	return v, c
}

// An in-bank transfer that names its payee has the name checked against the beneficiary account, as a payment to
// another bank has, and keeps what the payer was told: the result, the account's name on a close match only, and
// when. No result blocks the transfer; a name the check does not take, or a customer out of checks, refuses it as
// the check does; a transfer that names no one checks nothing and keeps nothing.
func TestAnInBankTransferChecksThePayeesNameAndKeepsTheAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		names, checks := f.withNameCheck()
		payee := f.person(t, "Elira", "Shehu")
		to := f.account(t, payee.ID, money.ALL, 0)
		closed := f.account(t, payee.ID, money.ALL, 0)
		f.setStatus(t, closed.ID, ledger.Closed)

		for _, tc := range []struct {
			name      string
			to        ledger.Account
			payeeName string
			own       bool              // an own transfer, to the payer's second account
			verifier  transfer.Verifier // instead of the bank's check
			spent     bool              // the customer's checks are all spent before
			result    vop.Result        // "": no check ran
			shownName string            // the account's name the payer is shown
			code      string            // the refusal, "" when the transfer is made
			field     string            // the field the refusal is about
		}{
			{name: "the name on the account is a match", to: to, payeeName: "Elira Shehu", result: vop.Match},
			{name: "words in another order still match", to: to, payeeName: "shehu ELIRA", result: vop.Match},
			{name: "a typo is a close match that shows the account's name", to: to, payeeName: "Elira Shehi",
				result: vop.CloseMatch, shownName: "Elira Shehu"},
			{name: "another name is no match and does not stop the transfer", to: to, payeeName: "Dritan Çela",
				result: vop.NoMatch},
			{name: "a check that cannot be made does not stop the transfer", to: to, payeeName: "Elira Shehu",
				verifier: unreachable{at: t0}, result: vop.NotPossible},
			{name: "a closed account cannot be checked, and the ledger refuses to pay it", to: closed,
				payeeName: "Elira Shehu", code: "account_closed"},
			{name: "without a name nothing is checked", to: to},
			{name: "a name of spaces is no name", to: to, payeeName: "   "},
			{name: "a customer out of checks is rate limited", to: to, payeeName: "Elira Shehu", spent: true,
				code: "rate_limited"},
			{name: "a bidi override is not a name", to: to, payeeName: "Elira\u202eShehu", code: "description_invalid_characters",
				field: "payee_name"},
			{name: "a name longer than the scheme's is refused", to: to, payeeName: strings.Repeat("a", 141),
				code: "description_too_long", field: "payee_name"},
			{name: "an own transfer names no payee", payeeName: "Arben Hoxha", own: true, code: "validation_failed",
				field: "payee_name"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				payer := f.person(t, "Arben", "Hoxha")
				from := f.account(t, payer.ID, money.ALL, 100000)
				req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: tc.to.IBAN,
					Amount: "10", Currency: "ALL", PayeeName: tc.payeeName}
				if tc.own {
					second := f.account(t, payer.ID, money.ALL, 0)
					req = transfer.Request{Type: transfer.Own, FromAccountID: from.ID, ToAccountID: second.ID,
						Amount: "10", Currency: "ALL", PayeeName: tc.payeeName}
				}
				if tc.spent {
					for range checkBurst {
						if _, err := names.Check(f.ctx, payer.ID, iban.IBAN(to.IBAN), "Elira Shehu"); err != nil {
							t.Fatal(err)
						}
					}
				}
				f.svc.Payees = checks
				if tc.verifier != nil {
					f.svc.Payees = tc.verifier
				}
				defer func() { f.svc.Payees = checks }()
				before := checks.n.Load()

				p, perr := f.svc.Preview(f.ctx, payer.ID, req)
				tr, _, err := f.svc.Create(f.ctx, payer.ID, "k-"+payer.ID, req)
				if tc.code != "" {
					for _, e := range []error{perr, err} {
						got, _ := kumbara.As(e)
						if got == nil || (got.Code != tc.code && !hasFieldCode(got, tc.code)) {
							t.Fatalf("error = %v, want %s", e, tc.code)
						}
						if tc.field != "" {
							wantField(t, e, tc.field)
						}
						if tc.code == "rate_limited" && got.Params["retry_after"] == "" {
							t.Errorf("rate_limited without retry_after: %+v", got)
						}
					}
					if n := f.count(t, "SELECT COUNT(*) FROM transfers WHERE customer_id = ?", payer.ID); n != 0 {
						t.Errorf("%d transfers made, want none", n)
					}
					return
				}
				if perr != nil || err != nil {
					t.Fatalf("Preview: %v; Create: %v", perr, err)
				}
				if tr.Status != transfer.Completed {
					t.Fatalf("transfer is %s, want completed whatever the check said", tr.Status)
				}
				got, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
				if err != nil {
					t.Fatal(err)
				}
				for what, v := range map[string]vop.Outcome{"Preview": p.Verification, "Create": tr.Verification, "Get": got.Verification} {
					if v.Result != tc.result || v.Name != tc.shownName {
						t.Errorf("%s's check = %+v, want %q with the name %q", what, v, tc.result, tc.shownName)
					}
					if checked := !v.CheckedAt.IsZero(); checked != (tc.result != "") || (checked && !v.CheckedAt.Equal(t0)) {
						t.Errorf("%s's check was answered at %v, want %v", what, v.CheckedAt, tc.result != "")
					}
				}
				if tc.result == "" {
					if n := checks.n.Load() - before; n != 0 {
						t.Errorf("%d checks made for a transfer that names no one, want 0", n)
					}
					if n := f.count(t, "SELECT COUNT(*) FROM transfers WHERE id = ? AND vop_result = '' AND vop_name = ''"+
						" AND vop_checked_at IS NULL", tr.ID); n != 1 {
						t.Errorf("a transfer without a check has its check's columns filled")
					}
				}
			})
		}
		f.sound(t)
	})
}

func hasFieldCode(e *kumbara.Error, code string) bool {
	for _, fe := range e.Fields {
		if fe.Code == code {
			return true
		}
	}
	return false
}

// A repeat of a transfer that checked a name answers the first transfer with what its check said, and spends
// none of the customer's checks; the same key with another name is another request.
func TestARepeatedTransferReplaysItsNameCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		_, checks := f.withNameCheck()
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from, to := f.account(t, payer.ID, money.ALL, 100000), f.account(t, payee.ID, money.ALL, 0)
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "10",
			Currency: "ALL", PayeeName: "Elira Shehi"}
		first, replayed, err := f.svc.Create(f.ctx, payer.ID, "same", req)
		if err != nil || replayed {
			t.Fatalf("Create = %v, replayed %v", err, replayed)
		}
		f.clk.Advance(time.Minute)
		again, replayed, err := f.svc.Create(f.ctx, payer.ID, "same", req)
		if err != nil || !replayed || again.ID != first.ID {
			t.Fatalf("repeat = %+v, replayed %v, %v; want the first transfer", again, replayed, err)
		}
		if again.Verification != first.Verification || again.Verification.Result != vop.CloseMatch ||
			!again.Verification.CheckedAt.Equal(t0) {
			t.Errorf("repeat's check = %+v, want the first's %+v", again.Verification, first.Verification)
		}
		if n := checks.n.Load(); n != 1 {
			t.Errorf("%d checks made, want 1: a repeat checks nothing", n)
		}
		other := req
		other.PayeeName = "Elira Shehu"
		_, _, err = f.svc.Create(f.ctx, payer.ID, "same", other)
		wantCode(t, err, kumbara.KindConflict, "idempotency_key_reused")

		// A request without a name hashes as it always did: its repeat with a name of spaces is the same request.
		plain := req
		plain.PayeeName = ""
		made, _, err := f.svc.Create(f.ctx, payer.ID, "plain", plain)
		if err != nil {
			t.Fatal(err)
		}
		plain.PayeeName = "  "
		if got, replayed, err := f.svc.Create(f.ctx, payer.ID, "plain", plain); err != nil || !replayed || got.ID != made.ID {
			t.Errorf("repeat without a name = %+v, replayed %v, %v", got, replayed, err)
		}
		if got := f.balance(t, to.ID); got != 2000 {
			t.Errorf("payee has %d, want 2000: two transfers, each made once", got)
		}
		f.sound(t)
	})
}

// A transfer that waits for its confirmation keeps what its check said through the confirmation: the transfer it
// becomes, its answers and its receipt say it.
func TestAConfirmedTransferKeepsItsNameCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newSCAFixture(t, d)
		f.withNameCheck()
		payer, from, to := f.pair(t, money.EUR, 100000)
		req := pay(from, to, "250")
		req.PayeeName = "Dritan Çele"
		tr, _, err := f.svc.Create(f.ctx, payer.ID, "k1", req)
		if err != nil || tr.Status != transfer.PendingConfirmation {
			t.Fatalf("Create = %+v, %v; want it waiting for confirmation", tr, err)
		}
		pending, err := f.svc.Get(f.ctx, payer.ID, tr.ID)
		if err != nil || pending.Verification.Result != vop.CloseMatch || pending.Verification.Name != "Dritan Çela" {
			t.Fatalf("pending transfer's check = %+v, %v; want a close match with Dritan Çela", pending.Verification, err)
		}
		_, code := f.lastSMS(t, payer.Mobile)
		done, _, err := f.svc.Confirm(f.ctx, payer.ID, tr.ID, sca.Proof{Method: sca.MethodSMS, Code: code})
		if err != nil || done.Status != transfer.Completed {
			t.Fatalf("Confirm = %+v, %v", done, err)
		}
		if done.Verification != pending.Verification {
			t.Errorf("completed transfer's check = %+v, want %+v", done.Verification, pending.Verification)
		}
		_, pdf, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, statement.English)
		if err != nil {
			t.Fatal(err)
		}
		if txt := pdfText(t, pdf); txt != "" {
			for _, want := range []string{"Name check", "The name almost matches the account", "Name on the account: Dritan Çela"} {
				if !strings.Contains(txt, want) {
					t.Errorf("receipt does not say %q:\n%s", want, txt)
				}
			}
		}
		f.sound(t)
	})
}

// The receipt prints the check as the payer was told it, in their language, and prints no check when none ran.
func TestTheReceiptSaysWhatTheNameCheckToldThePayer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.withNameCheck()
		payer, payee := f.person(t, "Arben", "Hoxha"), f.person(t, "Elira", "Shehu")
		from, to := f.account(t, payer.ID, money.ALL, 100000), f.account(t, payee.ID, money.ALL, 0)
		for _, tc := range []struct {
			name, payeeName string
			lang            statement.Lang
			want, wantNot   []string
		}{
			{"a match in Albanian", "Elira Shehu", statement.Albanian,
				[]string{"Verifikimi i emrit", "Emri përputhet me llogarinë"}, []string{"Emri në llogari"}},
			{"a close match names the account's holder", "Elira Shehi", statement.Albanian,
				[]string{"Verifikimi i emrit", "Emri përputhet pothuajse me llogarinë", "Emri në llogari: Elira Shehu"}, nil},
			{"no match in English", "Dritan Çela", statement.English,
				[]string{"Name check", "The name does not match the account"}, []string{"Name on the account"}},
			{"no check, no line", "", statement.English, nil, []string{"Name check"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tr, _, err := f.svc.Create(f.ctx, payer.ID, "r-"+strings.ReplaceAll(tc.name, " ", "-"), transfer.Request{Type: transfer.Internal,
					FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "1", Currency: "ALL", PayeeName: tc.payeeName})
				if err != nil {
					t.Fatal(err)
				}
				_, pdf, err := f.svc.Receipt(f.ctx, payer.ID, tr.ID, bank, tc.lang)
				if err != nil {
					t.Fatal(err)
				}
				txt := pdfText(t, pdf)
				if txt == "" {
					t.Skip("pdftotext is not installed")
				}
				for _, want := range tc.want {
					if !strings.Contains(txt, want) {
						t.Errorf("receipt does not say %q:\n%s", want, txt)
					}
				}
				for _, not := range tc.wantNot {
					if strings.Contains(txt, not) {
						t.Errorf("receipt says %q:\n%s", not, txt)
					}
				}
			})
		}
	})
}
