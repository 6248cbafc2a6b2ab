package bulk

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/iso20022"
)

// The ISO 20022 statuses a pain.002 gives a line, and a group or PmtInf made of lines.
const (
	isoAccepted  = "ACCP" // a payment, accepted for execution
	isoValidated = "ACTC" // valid, waiting for the batch's confirmation
	isoPending   = "PDNG" // confirmed, its payment being made
	isoRejected  = "RJCT"
	isoPartly    = "PART"
)

// expiredReason is the status reason of the lines of a batch that was not confirmed in time: no answer from the
// customer.
const expiredReason = "NOAS"

// StatusReport is the batch's pain.002.001.10 status report: the group's status and each PmtInf's and line's, with
// the original ids of the file (MsgId, PmtInfId, InstrId, EndToEndId). A line is ACCP once it is a payment, RJCT when
// it was invalid or refused (with its ISO reason, and the bank's code as additional information), ACTC while the
// batch waits for its confirmation and PDNG while its payment is being made; every line of an expired batch is RJCT
// (NOAS). A group or PmtInf whose lines share one status has it; mixed, it is PART.
func (s *Service) StatusReport(ctx context.Context, customerID, batchID string) ([]byte, error) {
	b, err := s.Get(ctx, customerID, batchID)
	if err != nil {
		return nil, err
	}
	return b.report(strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", ""), s.now()).Marshal()
}

// report is the batch's status report, message id at now.
func (b Batch) report(id string, now time.Time) iso20022.CustomerStatusReport {
	m := iso20022.CustomerStatusReport{MessageID: id, CreatedAt: now, OriginalMessageID: b.MessageID,
		OriginalMessageName: iso20022.NamePain001}
	var all []string
	for _, l := range b.Items {
		st := iso20022.TxStatus{OriginalInstructionID: l.InstructionID, OriginalEndToEndID: l.EndToEndID,
			Status: b.lineStatus(l)}
		if st.Status == isoRejected {
			st.Reason, st.AdditionalInfo = expiredReason, ErrExpired.Code
			if len(l.Problems) > 0 {
				p := l.Problems[0]
				st.Reason, st.AdditionalInfo = p.Reason, p.Code
				if p.Field != "" {
					st.AdditionalInfo += " " + p.Field
				}
			}
			st.AdditionalInfo = shown(st.AdditionalInfo, 105)
		}
		if n := len(m.Batches); n == 0 || m.Batches[n-1].OriginalPaymentInfoID != l.PaymentInfoID {
			m.Batches = append(m.Batches, iso20022.BatchStatus{OriginalPaymentInfoID: l.PaymentInfoID})
		}
		last := &m.Batches[len(m.Batches)-1]
		last.Transactions = append(last.Transactions, st)
		all = append(all, st.Status)
	}
	for i := range m.Batches {
		var own []string
		for _, t := range m.Batches[i].Transactions {
			own = append(own, t.Status)
		}
		m.Batches[i].Status = together(own)
	}
	m.GroupStatus = together(all)
	if b.Status == Expired {
		m.GroupReason = expiredReason
	}
	return m
}

// lineStatus is a line's ISO status in the batch's state.
func (b Batch) lineStatus(l Line) string {
	switch {
	case l.Status == LineAccepted:
		return isoAccepted
	case l.Status == LineInvalid, l.Status == LineRejected, b.Status == Expired:
		return isoRejected
	case b.Status == PendingConfirmation:
		return isoValidated
	}
	return isoPending
}

// together is the status of lines with the given statuses: theirs when they share one, else PART.
func together(statuses []string) string {
	if len(statuses) == 0 {
		return isoRejected
	}
	for _, st := range statuses[1:] {
		if st != statuses[0] {
			return isoPartly
		}
	}
	return statuses[0]
}

// ReportFileName is the file name of a batch's status report, in plain ASCII: "pain002-<batch id>.xml".
func ReportFileName(batchID string) string {
	b := make([]byte, 0, len(batchID))
	for i := 0; i < len(batchID) && len(b) < 64; i++ {
		if c := batchID[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' {
			b = append(b, c)
		}
	}
	return "pain002-" + string(b) + ".xml"
}
