package operation

import (
	"context"
	"encoding/json"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/staff"
)

// Card disputes (chargebacks, package issuing), as staff raise them for a customer and record the network's
// decision (staff.ClearingOperate). Opening one moves no money (no provisional credit is given), so one member
// does it at once. Deciding one moves money — won credits the customer back — so it always waits for a second
// member (kind card.dispute_decide), lost as won: the decision is the bank's word to the customer either way.

// OpenDispute raises a chargeback on a posted presentment with the customer's reason, at once
// (issuing.Service.OpenDispute).
func (s *Service) OpenDispute(ctx context.Context, by staff.Member, clearingID, reason string) (issuing.Dispute, error) {
	if err := by.Require(staff.ClearingOperate); err != nil {
		return issuing.Dispute{}, err
	}
	return s.Issuing.OpenDispute(acting(ctx, by), clearingID, reason, by.Username)
}

// DisputeDecision is the payload of a dispute's decision.
type DisputeDecision struct {
	DisputeID string `json:"dispute_id"`
	Won       bool   `json:"won"`
}

// DecideDispute proposes the network's decision on an open dispute: always four-eyes. A dispute decided already
// (card_dispute_decided) or with a decision waiting already (operation_pending) is refused before it waits.
func (s *Service) DecideDispute(ctx context.Context, by staff.Member, id string, won bool) (Outcome, error) {
	if err := by.Require(staff.ClearingOperate); err != nil {
		return Outcome{}, err
	}
	d, err := s.Issuing.Dispute(ctx, id)
	if err != nil {
		return Outcome{}, err
	}
	if d.Status != issuing.DisputeOpen {
		return Outcome{}, issuing.ErrDisputeDecided
	}
	waiting, err := s.DisputeDecisions(ctx)
	if err != nil {
		return Outcome{}, err
	}
	if _, ok := waiting[d.ID]; ok {
		return Outcome{}, ErrPending
	}
	c, err := s.Issuing.Clearing(ctx, d.ClearingID)
	if err != nil {
		return Outcome{}, err
	}
	t := held{accountID: c.AccountID}
	if c.AccountID != "" {
		if a, err := s.Ledger.Get(ctx, c.AccountID); err == nil {
			t.customerID = a.CustomerID
		}
	}
	return s.do(ctx, by, KindDisputeDecide, DisputeDecision{DisputeID: d.ID, Won: won}, t)
}

// PendingDecision is a dispute's decision waiting for a second member: the request, and what it would decide.
type PendingDecision struct {
	Request approval.Request
	Won     bool
}

// DisputeDecisions lists the decisions waiting for a second member, by dispute: what the disputes' pages show
// beside each open dispute (who proposed what), to whoever reads the disputes.
func (s *Service) DisputeDecisions(ctx context.Context) (map[string]PendingDecision, error) {
	list, err := s.Approvals.PendingOf(ctx, string(KindDisputeDecide), pendingShown)
	if err != nil {
		return nil, err
	}
	out := map[string]PendingDecision{}
	for _, r := range list {
		var p DisputeDecision
		if json.Unmarshal(r.Payload, &p) == nil {
			out[p.DisputeID] = PendingDecision{Request: r, Won: p.Won}
		}
	}
	return out, nil
}

// pendingShown bounds the decisions read at once: more than a bank's back office keeps waiting.
const pendingShown = 500

func (s *Service) runDisputeDecide(ctx context.Context, payload []byte) (string, error) {
	p, err := decode[DisputeDecision](payload)
	if err != nil {
		return "", err
	}
	// The checker decides: the change happens when, and because, they approve.
	d, err := s.Issuing.DecideDispute(ctx, p.DisputeID, p.Won, audit.Operator(ctx).ID)
	if err != nil {
		return "", err
	}
	if d.EntryID != "" {
		return d.EntryID, nil
	}
	return d.ID, nil
}
