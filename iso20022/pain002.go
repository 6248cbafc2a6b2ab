package iso20022

import (
	"encoding/xml"
	"time"
)

// CustomerStatusReport is a pain.002.001.10 CstmrPmtStsRpt: the bank's answer to a pain.001.
type CustomerStatusReport struct {
	MessageID                              string
	CreatedAt                              time.Time
	OriginalMessageID, OriginalMessageName string
	GroupStatus                            string // ACCP, ACTC, PART, RJCT
	GroupReason                            string // optional: why, e.g. AM18 (NbOfTxs) or AM10 (CtrlSum)
	Batches                                []BatchStatus
}

// BatchStatus is the status of one PmtInf of the original and of its transactions. A transaction's status in a
// pain.002 has no OriginalTxID (a pain.001 has none).
type BatchStatus struct {
	OriginalPaymentInfoID string
	Status                string // optional
	Reason                string // optional
	Transactions          []TxStatus
}

type xPain002 struct {
	XMLName xml.Name              `xml:"CstmrPmtStsRpt"`
	GrpHdr  xReportHeader         `xml:"GrpHdr"`
	Orgnl   xOriginalGroup        `xml:"OrgnlGrpInfAndSts"`
	Batches []xOriginalBatchState `xml:"OrgnlPmtInfAndSts"`
}

type xOriginalBatchState struct {
	OrgnlPmtInfId string             `xml:"OrgnlPmtInfId"`
	PmtInfSts     string             `xml:"PmtInfSts,omitempty"`
	StsRsnInf     []xStatusReasons   `xml:"StsRsnInf"`
	TxInfAndSts   []xCustomerTxState `xml:"TxInfAndSts"`
}

type xCustomerTxState struct {
	OrgnlInstrId    string           `xml:"OrgnlInstrId,omitempty"`
	OrgnlEndToEndId string           `xml:"OrgnlEndToEndId,omitempty"`
	OrgnlUETR       string           `xml:"OrgnlUETR,omitempty"`
	TxSts           string           `xml:"TxSts,omitempty"`
	StsRsnInf       []xStatusReasons `xml:"StsRsnInf"`
}

// Marshal writes the report. It refuses one without the original message's id and name, with an unknown status
// or reason, or with a transaction's OriginalTxID (which a pain.002 cannot carry).
func (m CustomerStatusReport) Marshal() ([]byte, error) {
	if err := m.validate(newChecker()); err != nil {
		return nil, err
	}
	x := xPain002{
		GrpHdr: xReportHeader{MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt)},
		Orgnl: xOriginalGroup{OrgnlMsgId: m.OriginalMessageID, OrgnlMsgNmId: m.OriginalMessageName,
			GrpSts: m.GroupStatus, StsRsnInf: reasonsOut(m.GroupReason, "")},
		Batches: make([]xOriginalBatchState, len(m.Batches)),
	}
	for i, b := range m.Batches {
		xb := xOriginalBatchState{OrgnlPmtInfId: b.OriginalPaymentInfoID, PmtInfSts: b.Status,
			StsRsnInf: reasonsOut(b.Reason, ""), TxInfAndSts: make([]xCustomerTxState, len(b.Transactions))}
		for j, s := range b.Transactions {
			xb.TxInfAndSts[j] = xCustomerTxState{OrgnlInstrId: s.OriginalInstructionID, OrgnlEndToEndId: s.OriginalEndToEndID,
				OrgnlUETR: s.OriginalUETR, TxSts: s.Status, StsRsnInf: reasonsOut(s.Reason, s.AdditionalInfo)}
		}
		x.Batches[i] = xb
	}
	return marshal(NamePain002, x)
}

// ParseCustomerStatusReport reads a pain.002.001.10 under the safe reader's rules; of each status it reads the
// first reason.
func ParseCustomerStatusReport(doc []byte) (CustomerStatusReport, error) {
	var x xPain002
	if err := decode(doc, NamePain002, &x); err != nil {
		return CustomerStatusReport{}, err
	}
	c := newChecker()
	m := CustomerStatusReport{MessageID: x.GrpHdr.MsgId, OriginalMessageID: x.Orgnl.OrgnlMsgId,
		OriginalMessageName: x.Orgnl.OrgnlMsgNmId, GroupStatus: x.Orgnl.GrpSts}
	m.GroupReason, _ = reasonsIn(x.Orgnl.StsRsnInf)
	var err error
	m.CreatedAt, err = timeIn(x.GrpHdr.CreDtTm)
	c.add("GrpHdr/CreDtTm", err)
	if len(x.Batches) > 0 {
		m.Batches = make([]BatchStatus, len(x.Batches))
	}
	for i, xb := range x.Batches {
		b := BatchStatus{OriginalPaymentInfoID: xb.OrgnlPmtInfId, Status: xb.PmtInfSts}
		b.Reason, _ = reasonsIn(xb.StsRsnInf)
		if len(xb.TxInfAndSts) > 0 {
			b.Transactions = make([]TxStatus, len(xb.TxInfAndSts))
		}
		for j, t := range xb.TxInfAndSts {
			s := TxStatus{OriginalInstructionID: t.OrgnlInstrId, OriginalEndToEndID: t.OrgnlEndToEndId,
				OriginalUETR: t.OrgnlUETR, Status: t.TxSts}
			s.Reason, s.AdditionalInfo = reasonsIn(t.StsRsnInf)
			b.Transactions[j] = s
		}
		m.Batches[i] = b
	}
	if !c.ok() {
		return CustomerStatusReport{}, c.err()
	}
	if err := m.validate(c); err != nil {
		return CustomerStatusReport{}, err
	}
	return m, nil
}

func (m CustomerStatusReport) validate(c checker) error {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	g := c.in("OrgnlGrpInfAndSts")
	g.text("OrgnlMsgId", m.OriginalMessageID, 35, true)
	g.text("OrgnlMsgNmId", m.OriginalMessageName, 35, true)
	g.code("GrpSts", m.GroupStatus, len(m.Batches) == 0, statuses...)
	g.external("StsRsnInf/Rsn/Cd", m.GroupReason)
	for i, b := range m.Batches {
		bc := c.at("OrgnlPmtInfAndSts", i)
		bc.text("OrgnlPmtInfId", b.OriginalPaymentInfoID, 35, true)
		bc.code("PmtInfSts", b.Status, false, statuses...)
		bc.external("StsRsnInf/Rsn/Cd", b.Reason)
		for j, s := range b.Transactions {
			tc := bc.at("TxInfAndSts", j)
			if s.OriginalTxID != "" {
				tc.add("OrgnlTxId", ErrFieldInvalid.With("a pain.002 has no OrgnlTxId"))
			}
			s.validate(tc, false)
		}
	}
	return c.err()
}
