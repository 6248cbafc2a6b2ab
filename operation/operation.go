// Package operation is what the bank's staff do to customers, their accounts and channels: the one entry point
// the back office and `kumbara admin` both call, so that every staff action is checked against the member's
// permission, goes through four-eyes where the bank says so, and names the member in the audit log, the same way
// whichever face it came from.
//
// Four-eyes is decided here, in one table (Service.table): an operation marked there is not done when a member
// asks for it but stored as an approval request (package approval) with its exact payload; when a second member
// approves that payload's hash, the same payload is decoded and run by the same code as an operation done at once.
// The domain services record the change in the audit log in their own transaction, with the member the context
// carries (audit.WithActor).
package operation

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/uniquecode"
)

// Kind names an operation that may wait for a second member; it is an approval request's kind.
type Kind string

// The operations that four-eyes may hold.
const (
	KindReversal       Kind = "entry.reverse"
	KindOverdraft      Kind = "overdraft.set"
	KindContact        Kind = "contact.change"
	KindReactivation   Kind = "channel.reactivate"
	KindCashWithdrawal Kind = "cash.withdraw"
	KindTariff         Kind = "tariff.set"
	KindFXPublish      Kind = "fx.publish"
	KindFXOffer        Kind = "fx.offer"
	// KindCardReactivateLost reactivates a card its holder reported lost (cards.go).
	KindCardReactivateLost Kind = "card.reactivate_lost"
	// KindDisputeDecide records the network's decision on a card dispute (disputes.go).
	KindDisputeDecide Kind = "card.dispute_decide"
	// KindCreditOpen opens a credit card with its limits (credit.go).
	KindCreditOpen Kind = "credit.open"
)

// Config is the bank's four-eyes thresholds.
type Config struct {
	// CashApproval is, per currency, the largest branch cash withdrawal (minor units) a teller pays out alone;
	// above it a second member approves. A currency without one always needs a second member.
	CashApproval map[money.Currency]int64
}

// DefaultConfig: withdrawals above 1,000,000 ALL or 10,000 of a foreign currency need a second member.
func DefaultConfig() Config {
	limits := map[money.Currency]int64{}
	for _, c := range money.Currencies() {
		limits[c] = 10_000_00
	}
	limits[money.ALL] = 1_000_000_00
	return Config{CashApproval: limits}
}

// Service runs staff operations on the bank's domain services.
type Service struct {
	Ledger    *ledger.Ledger
	Customers *customer.Service
	Auth      *auth.Service
	Cards     *card.Service
	Codes     *uniquecode.Service
	Approvals *approval.Service
	Directory *bankdir.Service    // the banks customers pay (payments.go)
	Tariff    *tariff.Service     // what a payment to another bank costs (payments.go)
	FX        *fx.Service         // the bank's exchange rates (fx.go)
	Issuing   *issuing.Service    // card payments' disputes (disputes.go)
	Credit    *creditcard.Service // credit cards opened and supplemented (credit.go)
	Config    Config
}

// Outcome is what asking for an operation did: either it was done (Ref names what it made or changed: an entry,
// an account) or it waits for a second member (Pending; nothing changed yet).
type Outcome struct {
	Ref     string
	Pending *approval.Request
}

// op is one row of the table of operations that four-eyes may hold.
type op struct {
	permission staff.Permission
	// fourEyes reports whether this payload needs a second member; nil: always.
	fourEyes func(ctx context.Context, payload []byte) (bool, error)
	// run does the operation with payload, as approved or at once, and returns its Ref.
	run func(ctx context.Context, payload []byte) (string, error)
}

// table is the one place that says which operations need a second member, and when.
func (s *Service) table() map[Kind]op {
	return map[Kind]op{
		KindReversal:           {permission: staff.EntryReverse, run: s.runReversal},
		KindOverdraft:          {permission: staff.OverdraftSet, run: s.runOverdraft},
		KindContact:            {permission: staff.ContactEdit, fourEyes: contactNeedsApproval, run: s.runContact},
		KindReactivation:       {permission: staff.ChannelManage, run: s.runReactivation},
		KindCashWithdrawal:     {permission: staff.CashBranch, fourEyes: s.cashNeedsApproval, run: s.runCashWithdrawal},
		KindTariff:             {permission: staff.TariffManage, run: s.runTariff},
		KindFXPublish:          {permission: staff.RatesSet, run: s.runFXPublish},
		KindFXOffer:            {permission: staff.RatesSet, fourEyes: s.offerNeedsApproval, run: s.runFXOffer},
		KindCardReactivateLost: {permission: staff.CardBlock, run: s.runCardReactivateLost},
		KindDisputeDecide:      {permission: staff.ClearingOperate, run: s.runDisputeDecide},
		KindCreditOpen:         {permission: staff.CardIssue, run: s.runCreditOpen},
	}
}

// FourEyes lists the operations four-eyes may hold, for the back office's help and the tests.
func (s *Service) FourEyes() []Kind {
	return []Kind{KindReversal, KindOverdraft, KindContact, KindReactivation, KindCashWithdrawal, KindTariff,
		KindFXPublish, KindFXOffer, KindCardReactivateLost, KindDisputeDecide, KindCreditOpen}
}

// acting is ctx naming by as the actor of whatever the domain records.
func acting(ctx context.Context, by staff.Member) context.Context {
	return audit.WithActor(ctx, audit.StaffActor(by.Username, by.RoleNames()))
}

// held is the target an approval request is filed under: the customer and the account it is about.
type held struct{ customerID, accountID string }

// do asks for operation kind with payload on behalf of by: refused without the operation's permission; stored as
// an approval request when the table says it needs a second member; done at once otherwise. Either way the
// payload is encoded once and the same bytes are what runs, at once or when approved.
func (s *Service) do(ctx context.Context, by staff.Member, kind Kind, payload any, t held) (Outcome, error) {
	o, ok := s.table()[kind]
	if !ok {
		return Outcome{}, fmt.Errorf("operation %q is not in the table", kind)
	}
	if err := by.Require(o.permission); err != nil {
		return Outcome{}, err
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return Outcome{}, fmt.Errorf("operation %s: %w", kind, err)
	}
	needs := true
	if o.fourEyes != nil {
		if needs, err = o.fourEyes(ctx, raw); err != nil {
			return Outcome{}, err
		}
	}
	if needs {
		r, err := s.Approvals.Submit(ctx, by, approval.New{Kind: string(kind), Payload: json.RawMessage(raw),
			CustomerID: t.customerID, AccountID: t.accountID})
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Pending: &r}, nil
	}
	ref, err := o.run(acting(ctx, by), raw)
	return Outcome{Ref: ref}, err
}

// Approve is by approving request id as shown to them with hash (empty: as stored; see approval.Claim), and
// running it: the returned request is executed (Result is the operation's Ref) or failed (Result is the
// refusal's code, the operation having been refused when it ran, e.g. a reversal already reversed). An error is
// the approval itself refused, and then nothing was done.
func (s *Service) Approve(ctx context.Context, by staff.Member, id, hash string) (approval.Request, error) {
	r, err := s.Approvals.Claim(ctx, by, id, hash)
	if err != nil {
		return approval.Request{}, err
	}
	o, ok := s.table()[Kind(r.Kind)]
	var ref string
	var opErr error
	if !ok {
		opErr = fmt.Errorf("operation %q is not in the table", r.Kind)
	} else {
		// The checker is the actor of the change: it happens when, and because, they approve.
		ref, opErr = o.run(acting(ctx, by), r.Payload)
	}
	return s.Approvals.Finish(ctx, by, r, ref, opErr)
}

// Reject is by refusing request id with a reason (approval.Reject).
func (s *Service) Reject(ctx context.Context, by staff.Member, id, reason string) (approval.Request, error) {
	return s.Approvals.Reject(ctx, by, id, reason)
}

// decode reads an operation's payload: a payload that does not decode is the table's bug or a changed row.
func decode[T any](payload []byte) (T, error) {
	var v T
	if err := json.Unmarshal(payload, &v); err != nil {
		return v, fmt.Errorf("operation payload: %w", err)
	}
	return v, nil
}
