package iso20022

import (
	"encoding/xml"
	"time"
)

// TxStatus is one transaction's status in a pacs.002 / pain.002.
type TxStatus struct {
	OriginalInstructionID, OriginalEndToEndID, OriginalTxID string
	OriginalUETR                                            string // optional
	Status                                                  string // ACCP, ACSC, ACSP, RJCT, PDNG, ACTC, ACWC, PART, ...
	Reason                                                  string // ExternalStatusReason1Code, e.g. AC01, AC04, AC06, AM04, RR04; "" when none
	AdditionalInfo                                          string // optional, ≤ 105
}

// StatusReport is a pacs.002.001.10 FIToFIPmtStsRpt.
type StatusReport struct {
	MessageID                         string
	CreatedAt                         time.Time
	InstructingAgent, InstructedAgent Agent  // optional
	OriginalMessageID                 string // the MsgId of the message reported on
	OriginalMessageName               string // e.g. "pacs.008.001.08"
	GroupStatus                       string // optional
	GroupReason                       string // optional: why the whole message has its status, e.g. AM18
	Transactions                      []TxStatus
}

// statuses is the ExternalPaymentTransactionStatus1Code (and group status) list.
var statuses = []string{"ACCC", "ACCP", "ACFC", "ACIS", "ACSC", "ACSP", "ACTC", "ACWC", "ACWP", "BLCK", "CANC",
	"PART", "PATC", "PDNG", "PRES", "RCVD", "RJCT"}

type xPacs002 struct {
	XMLName xml.Name         `xml:"FIToFIPmtStsRpt"`
	GrpHdr  xStatusHeader    `xml:"GrpHdr"`
	Orgnl   []xOriginalGroup `xml:"OrgnlGrpInfAndSts"`
	Txs     []xStatusTx      `xml:"TxInfAndSts"`
}

type xStatusHeader struct {
	MsgId    string  `xml:"MsgId"`
	CreDtTm  string  `xml:"CreDtTm"`
	InstgAgt *xAgent `xml:"InstgAgt"`
	InstdAgt *xAgent `xml:"InstdAgt"`
}

type xStatusReasons struct {
	Rsn      *xCode   `xml:"Rsn"`
	AddtlInf []string `xml:"AddtlInf"`
}

type xOriginalGroup struct {
	OrgnlMsgId   string           `xml:"OrgnlMsgId"`
	OrgnlMsgNmId string           `xml:"OrgnlMsgNmId"`
	GrpSts       string           `xml:"GrpSts,omitempty"`
	StsRsnInf    []xStatusReasons `xml:"StsRsnInf"`
}

type xStatusTx struct {
	OrgnlInstrId    string           `xml:"OrgnlInstrId,omitempty"`
	OrgnlEndToEndId string           `xml:"OrgnlEndToEndId,omitempty"`
	OrgnlTxId       string           `xml:"OrgnlTxId,omitempty"`
	OrgnlUETR       string           `xml:"OrgnlUETR,omitempty"`
	TxSts           string           `xml:"TxSts,omitempty"`
	StsRsnInf       []xStatusReasons `xml:"StsRsnInf"`
}

func reasonsOut(reason, info string) []xStatusReasons {
	if reason == "" && info == "" {
		return nil
	}
	r := xStatusReasons{Rsn: codeOut(reason)}
	if info != "" {
		r.AddtlInf = []string{info}
	}
	return []xStatusReasons{r}
}

// reasonsIn reads the first reason and its first line of additional information.
func reasonsIn(x []xStatusReasons) (reason, info string) {
	if len(x) == 0 {
		return "", ""
	}
	reason = codeIn(x[0].Rsn)
	if len(x[0].AddtlInf) > 0 {
		info = x[0].AddtlInf[0]
	}
	return reason, info
}

func txStatusOut(s TxStatus) xStatusTx {
	return xStatusTx{OrgnlInstrId: s.OriginalInstructionID, OrgnlEndToEndId: s.OriginalEndToEndID,
		OrgnlTxId: s.OriginalTxID, OrgnlUETR: s.OriginalUETR, TxSts: s.Status,
		StsRsnInf: reasonsOut(s.Reason, s.AdditionalInfo)}
}

func txStatusIn(x xStatusTx) TxStatus {
	s := TxStatus{OriginalInstructionID: x.OrgnlInstrId, OriginalEndToEndID: x.OrgnlEndToEndId,
		OriginalTxID: x.OrgnlTxId, OriginalUETR: x.OrgnlUETR, Status: x.TxSts}
	s.Reason, s.AdditionalInfo = reasonsIn(x.StsRsnInf)
	return s
}

func (s TxStatus) validate(c checker, withEndToEnd bool) {
	c.text("OrgnlInstrId", s.OriginalInstructionID, 35, false)
	c.text("OrgnlEndToEndId", s.OriginalEndToEndID, 35, withEndToEnd)
	c.text("OrgnlTxId", s.OriginalTxID, 35, false)
	c.uetr("OrgnlUETR", s.OriginalUETR)
	if s.OriginalInstructionID == "" && s.OriginalEndToEndID == "" && s.OriginalTxID == "" && s.OriginalUETR == "" {
		c.add("OrgnlEndToEndId", ErrFieldMissing)
	}
	c.code("TxSts", s.Status, true, statuses...)
	c.external("StsRsnInf/Rsn/Cd", s.Reason)
	c.text("StsRsnInf/AddtlInf", s.AdditionalInfo, 105, false)
}

// Marshal writes the report. It refuses one without the original message's id and name, with an unknown status
// or reason, or with neither a group status nor a transaction.
func (m StatusReport) Marshal() ([]byte, error) {
	if err := m.validate(newChecker()); err != nil {
		return nil, err
	}
	x := xPacs002{
		GrpHdr: xStatusHeader{MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt),
			InstgAgt: agentPtrOut(m.InstructingAgent), InstdAgt: agentPtrOut(m.InstructedAgent)},
		Orgnl: []xOriginalGroup{{OrgnlMsgId: m.OriginalMessageID, OrgnlMsgNmId: m.OriginalMessageName,
			GrpSts: m.GroupStatus, StsRsnInf: reasonsOut(m.GroupReason, "")}},
		Txs: make([]xStatusTx, len(m.Transactions)),
	}
	for i, s := range m.Transactions {
		x.Txs[i] = txStatusOut(s)
	}
	return marshal(NamePacs002, x)
}

// ParseStatusReport reads a pacs.002.001.10 under the safe reader's rules. Only the first original group is
// read (a report answers one message), and of each status its first reason.
func ParseStatusReport(doc []byte) (StatusReport, error) {
	var x xPacs002
	if err := decode(doc, NamePacs002, &x); err != nil {
		return StatusReport{}, err
	}
	c := newChecker()
	m := StatusReport{MessageID: x.GrpHdr.MsgId, InstructingAgent: agentPtrIn(x.GrpHdr.InstgAgt),
		InstructedAgent: agentPtrIn(x.GrpHdr.InstdAgt)}
	var err error
	m.CreatedAt, err = timeIn(x.GrpHdr.CreDtTm)
	c.add("GrpHdr/CreDtTm", err)
	if len(x.Orgnl) > 0 {
		o := x.Orgnl[0]
		m.OriginalMessageID, m.OriginalMessageName, m.GroupStatus = o.OrgnlMsgId, o.OrgnlMsgNmId, o.GrpSts
		m.GroupReason, _ = reasonsIn(o.StsRsnInf)
	}
	if len(x.Txs) > 0 {
		m.Transactions = make([]TxStatus, len(x.Txs))
		for i, t := range x.Txs {
			m.Transactions[i] = txStatusIn(t)
		}
	}
	if !c.ok() {
		return StatusReport{}, c.err()
	}
	if err := m.validate(c); err != nil {
		return StatusReport{}, err
	}
	return m, nil
}

func (m StatusReport) validate(c checker) error {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	c.agent("GrpHdr/InstgAgt", m.InstructingAgent, false)
	c.agent("GrpHdr/InstdAgt", m.InstructedAgent, false)
	g := c.in("OrgnlGrpInfAndSts")
	g.text("OrgnlMsgId", m.OriginalMessageID, 35, true)
	g.text("OrgnlMsgNmId", m.OriginalMessageName, 35, true)
	g.code("GrpSts", m.GroupStatus, len(m.Transactions) == 0, statuses...)
	g.external("StsRsnInf/Rsn/Cd", m.GroupReason)
	for i, s := range m.Transactions {
		s.validate(c.at("TxInfAndSts", i), false)
	}
	return c.err()
}
