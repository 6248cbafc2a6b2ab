package threeds_test

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/threeds"
)

// Each proof a payment takes approves a purchase: the SMS code, the trusted device's signature, its Soft PIN and a
// passkey; the network then reads approved and is told so, and the approval records the method.
func TestAPurchaseIsApprovedWithEachProofOfAPayment(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		pass := f.register(t, h)
		for _, method := range []string{sca.MethodSMS, sca.MethodDevice, sca.MethodSoftPIN, sca.MethodPasskey} {
			t.Run(method, func(t *testing.T) {
				a := f.ask(t, h, "Librari Adrion", 2_450_00, money.ALL)
				got, err := f.svc.Approve(f.ctx, h.ID, a.ID, f.proof(t, h, a, method, pass))
				if err != nil {
					t.Fatalf("Approve: %v", err)
				}
				if got.Status != threeds.Approved || got.Method != method || got.DecidedAt.IsZero() {
					t.Fatalf("approved %+v", got)
				}
				if st, err := f.svc.Result(f.ctx, a.NetworkRef); err != nil || st != threeds.Approved {
					t.Fatalf("Result %q, %v; want approved", st, err)
				}
				if f.told.of(a.NetworkRef) != threeds.Approved {
					t.Errorf("the network was told %q", f.told.of(a.NetworkRef))
				}
			})
		}
		if n := f.audits(t, threeds.ActionApproved); n != 4 {
			t.Errorf("%d approvals audited, want 4", n)
		}
	})
}

// A proof is bound to its purchase (dynamic linking): one made for one approval's challenge, by any method,
// approves no other, and a wrong one changes nothing.
func TestAProofForOnePurchaseDoesNotApproveAnother(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		pass := f.register(t, h)
		tests := []struct {
			method, code string
		}{
			{sca.MethodSMS, "otp_invalid"},
			{sca.MethodDevice, "signature_invalid"},
			{sca.MethodSoftPIN, "soft_pin_invalid"},
			{sca.MethodPasskey, "passkey_invalid"},
		}
		for _, tt := range tests {
			t.Run(tt.method, func(t *testing.T) {
				first := f.ask(t, h, "Shop A", 100_00, money.EUR)
				proof := f.proof(t, h, first, tt.method, pass)
				second := f.ask(t, h, "Shop B", 100_00, money.EUR)
				_, err := f.svc.Approve(f.ctx, h.ID, second.ID, proof)
				wantCode(t, err, tt.code)
				if st := f.status(t, h, second.ID); st != threeds.Pending {
					t.Fatalf("second is %q after a proof for the first", st)
				}
				if err := f.auth.SettleFactor(f.ctx, h.ID, true); err != nil { // keep the channel open for the next
					t.Fatal(err)
				}
			})
		}
	})
}

// The SMS names the merchant, the amount and the card, in the holder's language, with the code that approves it.
func TestTheSMSNamesTheMerchantAndTheAmountInTheHoldersLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		sq, en := f.holder(t), f.holder(t)
		if err := f.cs.SetLanguage(f.ctx, en.ID, i18n.EN); err != nil {
			t.Fatal(err)
		}
		last4 := func(h holder) string { return h.card.Masked[len(h.card.Masked)-4:] }
		f.ask(t, sq, "Librari Adrion", 1_250_050, money.ALL)
		f.ask(t, en, "Librari Adrion", 1_250_050, money.EUR)
		for _, tt := range []struct {
			h    holder
			want []string
		}{
			{sq, []string{"aprovon blerjen online 12.500,50 ALL te Librari Adrion", "*" + last4(sq), "Mos ia tregoni"}},
			{en, []string{"approves the online purchase of 12,500.50 EUR at Librari Adrion", "*" + last4(en), "Do not share"}},
		} {
			body := f.sms(t, tt.h.Customer)
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("SMS %q lacks %q", body, w)
				}
			}
			if strings.Contains(body, tt.h.card.Masked[:6]) {
				t.Errorf("SMS %q shows more of the card than its last digits", body)
			}
		}
	})
}

// An approval waits 5 minutes: a second before, it can be approved; at 5 minutes it is expired, to the holder and
// to the network, and approving or rejecting it then is threeds_approval_expired with nothing changed.
func TestAnApprovalExpiresAfterFiveMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		late := f.ask(t, h, "Shop", 50_00, money.EUR)
		inTime := f.ask(t, h, "Shop", 60_00, money.EUR)
		f.clk.Advance(time.Minute)
		if left := inTime.TimeLeft(f.clk.Now()); left != 4*time.Minute {
			t.Fatalf("time left %v, want 4m", left)
		}
		// The SMS code lives 2 minutes; a new one is sent for the approval's remaining time.
		f.clk.Advance(4*time.Minute - time.Second) // 4m59s in
		if _, err := f.svc.Challenge(f.ctx, h.ID, inTime.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Approve(f.ctx, h.ID, inTime.ID, sca.Proof{Method: sca.MethodSMS, Code: f.code(t, h.Customer)}); err != nil {
			t.Fatalf("approve at 4m59s: %v", err)
		}
		f.clk.Advance(time.Second) // 5m
		proof := sca.Proof{Method: sca.MethodDevice, DeviceID: "d1", Signature: f.phone.sign([]byte(late.Challenge.Message))}
		_, err := f.svc.Approve(f.ctx, h.ID, late.ID, proof)
		wantCode(t, err, "threeds_approval_expired")
		_, err = f.svc.Reject(f.ctx, h.ID, late.ID)
		wantCode(t, err, "threeds_approval_expired")
		_, err = f.svc.Challenge(f.ctx, h.ID, late.ID, true)
		wantCode(t, err, "threeds_approval_expired")
		if st, _ := f.svc.Result(f.ctx, late.NetworkRef); st != threeds.Expired {
			t.Errorf("the network reads %q, want expired", st)
		}
		a, err := f.svc.Get(f.ctx, h.ID, late.ID)
		if err != nil || a.Status != threeds.Expired || a.Method != "" || !a.DecidedAt.IsZero() || a.TimeLeft(f.clk.Now()) != 0 {
			t.Fatalf("expired approval %+v, %v", a, err)
		}
		if n := f.audits(t, threeds.ActionApproved) + f.audits(t, threeds.ActionRejected); n != 1 {
			t.Errorf("%d decisions audited, want the one in time", n)
		}
	})
}

// A decision is made once: approving twice, rejecting twice, or one after the other is
// threeds_approval_not_pending, and the first decision stands.
func TestAnApprovalIsDecidedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		approved := f.ask(t, h, "Shop", 10_00, money.EUR)
		proof := f.proof(t, h, approved, sca.MethodDevice, nil)
		if _, err := f.svc.Approve(f.ctx, h.ID, approved.ID, proof); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Approve(f.ctx, h.ID, approved.ID, proof)
		wantCode(t, err, "threeds_approval_not_pending")
		_, err = f.svc.Reject(f.ctx, h.ID, approved.ID)
		wantCode(t, err, "threeds_approval_not_pending")
		if st := f.status(t, h, approved.ID); st != threeds.Approved {
			t.Fatalf("status %q, want approved", st)
		}

		rejected := f.ask(t, h, "Shop", 20_00, money.EUR)
		got, err := f.svc.Reject(f.ctx, h.ID, rejected.ID)
		if err != nil || got.Status != threeds.Rejected {
			t.Fatalf("Reject: %+v, %v", got, err)
		}
		_, err = f.svc.Reject(f.ctx, h.ID, rejected.ID)
		wantCode(t, err, "threeds_approval_not_pending")
		_, err = f.svc.Approve(f.ctx, h.ID, rejected.ID, f.proofFor(t, rejected))
		wantCode(t, err, "threeds_approval_not_pending")
		if st, _ := f.svc.Result(f.ctx, rejected.NetworkRef); st != threeds.Rejected || f.told.of(rejected.NetworkRef) != threeds.Rejected {
			t.Errorf("the network reads %q and was told %q, want rejected", st, f.told.of(rejected.NetworkRef))
		}
		if n := f.audits(t, threeds.ActionRejected); n != 1 {
			t.Errorf("%d rejections audited, want 1", n)
		}
	})
}

// proofFor signs a's challenge as it was when asked, with the trusted device.
func (f *fixture) proofFor(t testing.TB, a threeds.Approval) sca.Proof {
	t.Helper()
	return sca.Proof{Method: sca.MethodDevice, DeviceID: "d1", Signature: f.phone.sign([]byte(a.Challenge.Message))}
}

// Another customer's approval is not found, whatever they try, and stays as it was.
func TestAnotherCustomersApprovalIsNotFound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		owner, other := f.holder(t), f.holder(t)
		a := f.ask(t, owner, "Shop", 10_00, money.EUR)
		_, err := f.svc.Get(f.ctx, other.ID, a.ID)
		wantCode(t, err, "threeds_approval_not_found")
		_, err = f.svc.Approve(f.ctx, other.ID, a.ID, f.proofFor(t, a))
		wantCode(t, err, "threeds_approval_not_found")
		_, err = f.svc.Reject(f.ctx, other.ID, a.ID)
		wantCode(t, err, "threeds_approval_not_found")
		_, err = f.svc.Challenge(f.ctx, other.ID, a.ID, true)
		wantCode(t, err, "threeds_approval_not_found")
		if list, err := f.svc.List(f.ctx, other.ID, threeds.FilterAll); err != nil || len(list) != 0 {
			t.Fatalf("the other customer lists %v, %v", list, err)
		}
		if st := f.status(t, owner, a.ID); st != threeds.Pending {
			t.Fatalf("status %q, want pending", st)
		}
		if n := f.smsCount(t, owner.Customer); n != 1 {
			t.Errorf("%d SMS to the owner, want the one of the request", n)
		}
	})
}

// The network's reference makes asking idempotent: the same request again returns the first approval and sends
// no second SMS; the same reference for another purchase is a conflict.
func TestAskingAgainWithTheSameReferenceIsARepeat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		req := threeds.Request{CardID: h.card.ID, NetworkRef: "acs-77", Merchant: " Shop ", Amount: money.New(10_00, money.EUR)}
		first, replayed, err := f.svc.Ask(f.ctx, req)
		if err != nil || replayed || first.Merchant != "Shop" {
			t.Fatalf("Ask: %+v %v %v", first, replayed, err)
		}
		again, replayed, err := f.svc.Ask(f.ctx, req)
		if err != nil || !replayed || again.ID != first.ID {
			t.Fatalf("again: %+v %v %v", again, replayed, err)
		}
		other := req
		other.Amount = money.New(11_00, money.EUR)
		_, _, err = f.svc.Ask(f.ctx, other)
		wantCode(t, err, "threeds_reference_conflict")
		if n := f.smsCount(t, h.Customer); n != 1 {
			t.Errorf("%d SMS, want 1", n)
		}
		if list, _ := f.svc.List(f.ctx, h.ID, threeds.FilterAll); len(list) != 1 {
			t.Errorf("%d approvals, want 1", len(list))
		}
	})
}

// A card the bank did not issue, or one that cannot buy, is refused at once: no approval, no SMS.
func TestABlockedOrUnknownCardIsRefusedAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		ask := func(cardID, ref string) error {
			_, _, err := f.svc.Ask(f.ctx, threeds.Request{CardID: cardID, NetworkRef: ref, Merchant: "Shop",
				Amount: money.New(10_00, money.EUR)})
			return err
		}
		wantCode(t, ask("no-such-card", "r1"), "threeds_card_unknown")
		for _, st := range []string{"blocked", "lost", "replaced", "closed"} {
			if _, err := d.Exec(f.ctx, "UPDATE cards SET status = ? WHERE id = ?", st, h.card.ID); err != nil {
				t.Fatal(err)
			}
			wantCode(t, ask(h.card.ID, "r-"+st), "threeds_card_refused")
		}
		if _, err := d.Exec(f.ctx, "UPDATE cards SET status = 'active', expires = '2026-02' WHERE id = ?", h.card.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ask(h.card.ID, "r-expired"), "threeds_card_refused")
		if n := f.smsCount(t, h.Customer); n != 0 {
			t.Errorf("%d SMS for refused requests", n)
		}
		if _, err := f.svc.Result(f.ctx, "r1"); err == nil {
			t.Error("a refused request left an approval")
		}
	})
}

// What the network sends is checked before anything is kept.
func TestABadRequestFromTheNetworkIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		ok := threeds.Request{CardID: h.card.ID, NetworkRef: "x", Merchant: "Shop", Amount: money.New(1, money.EUR)}
		tests := []struct {
			name   string
			change func(*threeds.Request)
		}{
			{"no reference", func(r *threeds.Request) { r.NetworkRef = "" }},
			{"a long reference", func(r *threeds.Request) { r.NetworkRef = strings.Repeat("x", 65) }},
			{"no merchant", func(r *threeds.Request) { r.Merchant = "  " }},
			{"a long merchant", func(r *threeds.Request) { r.Merchant = strings.Repeat("m", 101) }},
			{"zero", func(r *threeds.Request) { r.Amount.Minor = 0 }},
			{"negative", func(r *threeds.Request) { r.Amount.Minor = -5 }},
			{"an unknown currency", func(r *threeds.Request) { r.Amount.Currency = "XXX" }},
			{"no card", func(r *threeds.Request) { r.CardID = "" }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req := ok
				tt.change(&req)
				_, _, err := f.svc.Ask(f.ctx, req)
				wantCode(t, err, "validation_failed")
			})
		}
		if list, _ := f.svc.List(f.ctx, h.ID, threeds.FilterAll); len(list) != 0 {
			t.Errorf("%d approvals kept", len(list))
		}
	})
}

// The list shows what waits and the history (decided or expired), newest first; an unknown filter is refused.
func TestTheListShowsPendingAndHistoryNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		old := f.ask(t, h, "Old", 1_00, money.EUR)
		f.clk.Advance(threeds.DefaultValidity) // old expires
		rejected := f.ask(t, h, "Rejected", 2_00, money.EUR)
		if _, err := f.svc.Reject(f.ctx, h.ID, rejected.ID); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Second)
		approved := f.ask(t, h, "Approved", 3_00, money.EUR)
		if _, err := f.svc.Approve(f.ctx, h.ID, approved.ID, f.proofFor(t, approved)); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Second)
		pending := f.ask(t, h, "Pending", 4_00, money.EUR)
		ids := func(filter string) []string {
			list, err := f.svc.List(f.ctx, h.ID, filter)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range list {
				out = append(out, a.Merchant+":"+string(a.Status))
			}
			return out
		}
		for _, tt := range []struct {
			filter string
			want   string
		}{
			{threeds.FilterAll, "Pending:pending Approved:approved Rejected:rejected Old:expired"},
			{threeds.FilterPending, "Pending:pending"},
			{threeds.FilterHistory, "Approved:approved Rejected:rejected Old:expired"},
			{"expired", "Old:expired"},
			{"approved", "Approved:approved"},
		} {
			if got := strings.Join(ids(tt.filter), " "); got != tt.want {
				t.Errorf("filter %q: %s, want %s", tt.filter, got, tt.want)
			}
		}
		if n, err := f.svc.PendingCount(f.ctx, h.ID); err != nil || n != 1 {
			t.Errorf("pending count %d, %v; want 1", n, err)
		}
		_, err := f.svc.List(f.ctx, h.ID, "everything")
		wantCode(t, err, "threeds_filter_invalid")
		_ = old
		_ = pending
	})
}

// Approvals and rejections at once: exactly one decision lands, every other request is
// threeds_approval_not_pending, and the network is told that one.
func TestConcurrentDecisionsLeaveOneDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		h := f.holder(t)
		a := f.ask(t, h, "Shop", 10_00, money.EUR)
		proof := f.proofFor(t, a)
		var wg sync.WaitGroup
		var won atomic.Int32
		errs := make(chan error, 10)
		for i := range 10 {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, err = f.svc.Approve(f.ctx, h.ID, a.ID, proof)
				} else {
					_, err = f.svc.Reject(f.ctx, h.ID, a.ID)
				}
				if err == nil {
					won.Add(1)
					return
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		if n := won.Load(); n != 1 {
			t.Fatalf("%d decisions landed, want 1", n)
		}
		for err := range errs {
			if kumbara.CodeOf(err) != "threeds_approval_not_pending" {
				t.Errorf("a losing decision: %v", err)
			}
		}
		st := f.status(t, h, a.ID)
		if f.told.of(a.NetworkRef) != st || (st != threeds.Approved && st != threeds.Rejected) {
			t.Errorf("status %q, the network was told %q", st, f.told.of(a.NetworkRef))
		}
		if n := f.audits(t, threeds.ActionApproved) + f.audits(t, threeds.ActionRejected); n != 1 {
			t.Errorf("%d decisions audited, want 1", n)
		}
	})
}
