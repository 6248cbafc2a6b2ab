package iso20022

import (
	"encoding/xml"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
)

// Return is one transaction of a pacs.004.001.09 PmtRtr: the return of a credit transfer received earlier.
type Return struct {
	ReturnID                                                string
	OriginalMessageID, OriginalMessageName                  string
	OriginalInstructionID, OriginalEndToEndID, OriginalTxID string
	OriginalUETR                                            string       // optional
	OriginalAmount                                          money.Amount // optional OrgnlIntrBkSttlmAmt (zero: left out)
	Amount                                                  money.Amount // RtrdIntrBkSttlmAmt
	ChargeBearer                                            string       // optional
	Reason                                                  string       // ExternalReturnReason1Code: AC01, AC04, AC06, AM05, MS03, FOCR...
	AdditionalInfo                                          string       // optional, ≤ 105
	Debtor, Creditor                                        Party        // of the original
	DebtorAccount, CreditorAccount                          Account
	DebtorAgent, CreditorAgent                              Agent
}

// PaymentReturn is a pacs.004.001.09 PmtRtr.
type PaymentReturn struct {
	MessageID                         string
	CreatedAt                         time.Time
	SettlementDate                    calendar.Date // IntrBkSttlmDt in the group header
	SettlementMethod                  string        // "CLRG" (written when empty), "INDA", "INGA" or "COVE"
	ClearingSystem                    string        // optional ClrSys/Prtry
	ClearingSystemCode                string        // optional ClrSys/Cd; never with ClearingSystem
	InstructingAgent, InstructedAgent Agent
	Returns                           []Return // NbOfTxs and TtlRtrdIntrBkSttlmAmt computed by Marshal (all one currency)
}

type xPacs004 struct {
	XMLName xml.Name      `xml:"PmtRtr"`
	GrpHdr  xReturnHeader `xml:"GrpHdr"`
	Txs     []xReturnTx   `xml:"TxInf"`
}

type xReturnHeader struct {
	MsgId                 string      `xml:"MsgId"`
	CreDtTm               string      `xml:"CreDtTm"`
	NbOfTxs               string      `xml:"NbOfTxs"`
	TtlRtrdIntrBkSttlmAmt *xAmount    `xml:"TtlRtrdIntrBkSttlmAmt"`
	IntrBkSttlmDt         string      `xml:"IntrBkSttlmDt,omitempty"`
	SttlmInf              xSettlement `xml:"SttlmInf"`
	InstgAgt              *xAgent     `xml:"InstgAgt"`
	InstdAgt              *xAgent     `xml:"InstdAgt"`
}

type xOriginalGroupInfo struct {
	OrgnlMsgId   string `xml:"OrgnlMsgId"`
	OrgnlMsgNmId string `xml:"OrgnlMsgNmId"`
}

// xPartyChoice is a Party40Choice: a party, or an institution (which the bank does not read).
type xPartyChoice struct {
	Pty *xParty `xml:"Pty"`
}

type xOriginalTxRef struct {
	Dbtr     *xPartyChoice `xml:"Dbtr"`
	DbtrAcct *xAccount     `xml:"DbtrAcct"`
	DbtrAgt  *xAgent       `xml:"DbtrAgt"`
	CdtrAgt  *xAgent       `xml:"CdtrAgt"`
	Cdtr     *xPartyChoice `xml:"Cdtr"`
	CdtrAcct *xAccount     `xml:"CdtrAcct"`
}

type xReturnTx struct {
	RtrId               string              `xml:"RtrId,omitempty"`
	OrgnlGrpInf         *xOriginalGroupInfo `xml:"OrgnlGrpInf"`
	OrgnlInstrId        string              `xml:"OrgnlInstrId,omitempty"`
	OrgnlEndToEndId     string              `xml:"OrgnlEndToEndId,omitempty"`
	OrgnlTxId           string              `xml:"OrgnlTxId,omitempty"`
	OrgnlUETR           string              `xml:"OrgnlUETR,omitempty"`
	OrgnlIntrBkSttlmAmt *xAmount            `xml:"OrgnlIntrBkSttlmAmt"`
	RtrdIntrBkSttlmAmt  xAmount             `xml:"RtrdIntrBkSttlmAmt"`
	ChrgBr              string              `xml:"ChrgBr,omitempty"`
	RtrRsnInf           []xStatusReasons    `xml:"RtrRsnInf"`
	OrgnlTxRef          *xOriginalTxRef     `xml:"OrgnlTxRef"`
}

func partyChoiceOut(p Party) *xPartyChoice {
	if p.Name == "" && p.Address.IsZero() {
		return nil
	}
	x := partyOut(p)
	return &xPartyChoice{Pty: &x}
}

func partyChoiceIn(x *xPartyChoice) Party {
	if x == nil {
		return Party{}
	}
	return partyPtrIn(x.Pty)
}

// Marshal writes the returns, with NbOfTxs and TtlRtrdIntrBkSttlmAmt computed. It refuses a return without its
// id, the original's references, a positive amount or a reason, and returns in more than one currency.
func (m PaymentReturn) Marshal() ([]byte, error) {
	total, err := m.validate(newChecker())
	if err != nil {
		return nil, err
	}
	t := amountOut(total)
	x := xPacs004{GrpHdr: xReturnHeader{
		MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt), NbOfTxs: countOut(len(m.Returns)), TtlRtrdIntrBkSttlmAmt: &t,
		IntrBkSttlmDt: dateOut(m.SettlementDate),
		SttlmInf:      settlementOut(m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode),
		InstgAgt:      agentPtrOut(m.InstructingAgent), InstdAgt: agentPtrOut(m.InstructedAgent),
	}}
	x.Txs = make([]xReturnTx, len(m.Returns))
	for i, r := range m.Returns {
		xt := xReturnTx{
			RtrId:              r.ReturnID,
			OrgnlGrpInf:        &xOriginalGroupInfo{OrgnlMsgId: r.OriginalMessageID, OrgnlMsgNmId: r.OriginalMessageName},
			OrgnlInstrId:       r.OriginalInstructionID,
			OrgnlEndToEndId:    r.OriginalEndToEndID,
			OrgnlTxId:          r.OriginalTxID,
			OrgnlUETR:          r.OriginalUETR,
			RtrdIntrBkSttlmAmt: amountOut(r.Amount),
			ChrgBr:             r.ChargeBearer,
			RtrRsnInf:          reasonsOut(r.Reason, r.AdditionalInfo),
		}
		if r.OriginalAmount != (money.Amount{}) {
			o := amountOut(r.OriginalAmount)
			xt.OrgnlIntrBkSttlmAmt = &o
		}
		ref := xOriginalTxRef{
			Dbtr: partyChoiceOut(r.Debtor), DbtrAcct: accountOut(r.DebtorAccount), DbtrAgt: agentPtrOut(r.DebtorAgent),
			CdtrAgt: agentPtrOut(r.CreditorAgent), Cdtr: partyChoiceOut(r.Creditor), CdtrAcct: accountOut(r.CreditorAccount),
		}
		if ref != (xOriginalTxRef{}) {
			xt.OrgnlTxRef = &ref
		}
		x.Txs[i] = xt
	}
	return marshal(NamePacs004, x)
}

// ParsePaymentReturn reads a pacs.004.001.09 under the safe reader's rules, checking the returns' references,
// amounts, reasons and the group's count and total.
func ParsePaymentReturn(doc []byte) (PaymentReturn, error) {
	var x xPacs004
	if err := decode(doc, NamePacs004, &x); err != nil {
		return PaymentReturn{}, err
	}
	c := newChecker()
	g := x.GrpHdr
	m := PaymentReturn{MessageID: g.MsgId, InstructingAgent: agentPtrIn(g.InstgAgt), InstructedAgent: agentPtrIn(g.InstdAgt)}
	gi := groupIn(c, g.CreDtTm, g.IntrBkSttlmDt, g.SttlmInf)
	m.CreatedAt, m.SettlementDate = gi.created, gi.settlementDate
	m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode = gi.method, gi.system, gi.systemCode
	var err error
	m.Returns = make([]Return, len(x.Txs))
	for i, xt := range x.Txs {
		tc := c.at("TxInf", i)
		r := Return{ReturnID: xt.RtrId, OriginalInstructionID: xt.OrgnlInstrId, OriginalEndToEndID: xt.OrgnlEndToEndId,
			OriginalTxID: xt.OrgnlTxId, OriginalUETR: xt.OrgnlUETR, ChargeBearer: xt.ChrgBr}
		if xt.OrgnlGrpInf != nil {
			r.OriginalMessageID, r.OriginalMessageName = xt.OrgnlGrpInf.OrgnlMsgId, xt.OrgnlGrpInf.OrgnlMsgNmId
		}
		if xt.OrgnlIntrBkSttlmAmt != nil {
			r.OriginalAmount, err = amountIn(*xt.OrgnlIntrBkSttlmAmt)
			tc.add("OrgnlIntrBkSttlmAmt", err)
		}
		r.Amount, err = amountIn(xt.RtrdIntrBkSttlmAmt)
		tc.add("RtrdIntrBkSttlmAmt", err)
		r.Reason, r.AdditionalInfo = reasonsIn(xt.RtrRsnInf)
		if ref := xt.OrgnlTxRef; ref != nil {
			r.Debtor, r.DebtorAccount, r.DebtorAgent = partyChoiceIn(ref.Dbtr), accountIn(ref.DbtrAcct), agentPtrIn(ref.DbtrAgt)
			r.Creditor, r.CreditorAccount, r.CreditorAgent = partyChoiceIn(ref.Cdtr), accountIn(ref.CdtrAcct), agentPtrIn(ref.CdtrAgt)
		}
		m.Returns[i] = r
	}
	if !c.ok() {
		return PaymentReturn{}, c.err()
	}
	c.add("GrpHdr/NbOfTxs", countIn(g.NbOfTxs, len(x.Txs)))
	total, err := m.validate(c)
	if err != nil {
		return PaymentReturn{}, err
	}
	if err := totalIn(c, "GrpHdr/TtlRtrdIntrBkSttlmAmt", g.TtlRtrdIntrBkSttlmAmt, total); err != nil {
		return PaymentReturn{}, err
	}
	return m, nil
}

func (m PaymentReturn) validate(c checker) (money.Amount, error) {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	c.required("GrpHdr/IntrBkSttlmDt", m.SettlementDate.IsZero())
	c.date("GrpHdr/IntrBkSttlmDt", m.SettlementDate)
	c.settlement("GrpHdr/SttlmInf", m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode)
	c.agent("GrpHdr/InstgAgt", m.InstructingAgent, false)
	c.agent("GrpHdr/InstdAgt", m.InstructedAgent, false)
	if len(m.Returns) == 0 {
		c.add("TxInf", ErrFieldMissing)
	}
	var s sum
	for i, r := range m.Returns {
		r.validate(c.at("TxInf", i))
		s.add(r.Amount)
	}
	s.check(c, "GrpHdr/TtlRtrdIntrBkSttlmAmt")
	return s.total, c.err()
}

func (r Return) validate(c checker) {
	c.text("RtrId", r.ReturnID, 35, true)
	c.text("OrgnlGrpInf/OrgnlMsgId", r.OriginalMessageID, 35, true)
	c.text("OrgnlGrpInf/OrgnlMsgNmId", r.OriginalMessageName, 35, true)
	c.text("OrgnlInstrId", r.OriginalInstructionID, 35, false)
	c.text("OrgnlEndToEndId", r.OriginalEndToEndID, 35, true)
	c.text("OrgnlTxId", r.OriginalTxID, 35, false)
	c.uetr("OrgnlUETR", r.OriginalUETR)
	if r.OriginalAmount != (money.Amount{}) {
		c.amount("OrgnlIntrBkSttlmAmt", r.OriginalAmount, false)
	}
	c.amount("RtrdIntrBkSttlmAmt", r.Amount, false)
	c.code("ChrgBr", r.ChargeBearer, false, chargeBearers...)
	c.required("RtrRsnInf/Rsn/Cd", r.Reason == "")
	c.external("RtrRsnInf/Rsn/Cd", r.Reason)
	c.text("RtrRsnInf/AddtlInf", r.AdditionalInfo, 105, false)
	c.party("OrgnlTxRef/Dbtr/Pty", r.Debtor, false)
	c.account("OrgnlTxRef/DbtrAcct", r.DebtorAccount, false)
	c.agent("OrgnlTxRef/DbtrAgt", r.DebtorAgent, false)
	c.agent("OrgnlTxRef/CdtrAgt", r.CreditorAgent, false)
	c.party("OrgnlTxRef/Cdtr/Pty", r.Creditor, false)
	c.account("OrgnlTxRef/CdtrAcct", r.CreditorAccount, false)
}
