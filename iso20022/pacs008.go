package iso20022

import (
	"encoding/xml"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
)

// Transaction is one credit transfer of a pacs.008 (CdtTrfTxInf).
type Transaction struct {
	InstructionID, EndToEndID, TxID, UETR string // UETR optional (UUIDv4 format), EndToEndID ≤35, others ≤35
	Amount                                money.Amount
	InstructedAmount                      *money.Amount // optional InstdAmt
	ChargeBearer                          string        // DEBT, CRED, SHAR, SLEV
	ServiceLevel                          string        // optional, e.g. "SEPA"
	LocalInstrument                       string        // optional, e.g. "INST"
	CategoryPurpose                       string        // optional
	// SettlementDate is the transaction's own IntrBkSttlmDt, for a message whose group header has none (Fedwire
	// writes it per transaction); zero when the group's applies.
	SettlementDate calendar.Date
	// InstructingAgent and InstructedAgent are the transaction's own InstgAgt and InstdAgt, when the group header
	// does not name them; zero when absent.
	InstructingAgent, InstructedAgent Agent

	Debtor          Party
	DebtorAccount   Account
	DebtorAgent     Agent
	Creditor        Party
	CreditorAccount Account
	CreditorAgent   Agent

	IntermediaryAgent *Agent // optional IntrmyAgt1 (a correspondent)
	Purpose           string // optional ExternalPurpose1Code (4 chars)
	Remittance        string // optional unstructured, ≤ 140
}

// CreditTransfer is a pacs.008.001.08 FIToFICstmrCdtTrf.
type CreditTransfer struct {
	MessageID string
	CreatedAt time.Time
	// SettlementDate is IntrBkSttlmDt in the group header; a transaction without a date of its own settles on it.
	SettlementDate   calendar.Date
	SettlementMethod string // "CLRG" (written when empty), "INDA", "INGA" or "COVE"
	ClearingSystem   string // optional proprietary code (ClrSys/Prtry), e.g. "AECH", "AIPS", "STEP2"
	// ClearingSystemCode is the clearing system by its external code (ClrSys/Cd, at most 3 characters, e.g. "FDW"),
	// the other form of ClearingSystem; never both.
	ClearingSystemCode                string
	InstructingAgent, InstructedAgent Agent
	Transactions                      []Transaction // NbOfTxs and TtlIntrBkSttlmAmt computed by Marshal (all one currency)
}

// The codes of ChrgBr and SttlmMtd.
var (
	chargeBearers     = []string{"DEBT", "CRED", "SHAR", "SLEV"}
	settlementMethods = []string{"CLRG", "INDA", "INGA", "COVE"}
)

type xPacs008 struct {
	XMLName xml.Name   `xml:"FIToFICstmrCdtTrf"`
	GrpHdr  xGrpHdr008 `xml:"GrpHdr"`
	Txs     []xTx008   `xml:"CdtTrfTxInf"`
}

type xSettlement struct {
	SttlmMtd string `xml:"SttlmMtd"`
	ClrSys   *xCode `xml:"ClrSys"`
}

type xGrpHdr008 struct {
	MsgId             string      `xml:"MsgId"`
	CreDtTm           string      `xml:"CreDtTm"`
	NbOfTxs           string      `xml:"NbOfTxs"`
	TtlIntrBkSttlmAmt *xAmount    `xml:"TtlIntrBkSttlmAmt"`
	IntrBkSttlmDt     string      `xml:"IntrBkSttlmDt,omitempty"`
	SttlmInf          xSettlement `xml:"SttlmInf"`
	InstgAgt          *xAgent     `xml:"InstgAgt"`
	InstdAgt          *xAgent     `xml:"InstdAgt"`
}

type xPaymentID struct {
	InstrId    string `xml:"InstrId,omitempty"`
	EndToEndId string `xml:"EndToEndId"`
	TxId       string `xml:"TxId,omitempty"`
	UETR       string `xml:"UETR,omitempty"`
}

type xPaymentType struct {
	SvcLvl    *xCode `xml:"SvcLvl"`
	LclInstrm *xCode `xml:"LclInstrm"`
	CtgyPurp  *xCode `xml:"CtgyPurp"`
}

type xTx008 struct {
	PmtId          xPaymentID    `xml:"PmtId"`
	PmtTpInf       *xPaymentType `xml:"PmtTpInf"`
	IntrBkSttlmAmt xAmount       `xml:"IntrBkSttlmAmt"`
	IntrBkSttlmDt  string        `xml:"IntrBkSttlmDt,omitempty"`
	InstdAmt       *xAmount      `xml:"InstdAmt"`
	ChrgBr         string        `xml:"ChrgBr"`
	InstgAgt       *xAgent       `xml:"InstgAgt"`
	InstdAgt       *xAgent       `xml:"InstdAgt"`
	IntrmyAgt1     *xAgent       `xml:"IntrmyAgt1"`
	Dbtr           xParty        `xml:"Dbtr"`
	DbtrAcct       *xAccount     `xml:"DbtrAcct"`
	DbtrAgt        xAgent        `xml:"DbtrAgt"`
	CdtrAgt        xAgent        `xml:"CdtrAgt"`
	Cdtr           xParty        `xml:"Cdtr"`
	CdtrAcct       *xAccount     `xml:"CdtrAcct"`
	Purp           *xCode        `xml:"Purp"`
	RmtInf         *xRemittance  `xml:"RmtInf"`
}

func paymentTypeOut(serviceLevel, localInstrument, categoryPurpose string) *xPaymentType {
	if serviceLevel == "" && localInstrument == "" && categoryPurpose == "" {
		return nil
	}
	return &xPaymentType{SvcLvl: codeOut(serviceLevel), LclInstrm: codeOut(localInstrument),
		CtgyPurp: codeOut(categoryPurpose)}
}

func paymentTypeIn(x *xPaymentType) (serviceLevel, localInstrument, categoryPurpose string) {
	if x == nil {
		return "", "", ""
	}
	return codeIn(x.SvcLvl), codeIn(x.LclInstrm), codeIn(x.CtgyPurp)
}

func settlementOut(method, proprietary, code string) xSettlement {
	if method == "" {
		method = "CLRG"
	}
	s := xSettlement{SttlmMtd: method}
	if proprietary != "" || code != "" {
		s.ClrSys = &xCode{Cd: code, Prtry: proprietary}
	}
	return s
}

func settlementIn(x xSettlement) (method, proprietary, code string) {
	method = x.SttlmMtd
	if x.ClrSys != nil {
		proprietary, code = x.ClrSys.Prtry, x.ClrSys.Cd
	}
	return method, proprietary, code
}

func (c checker) settlement(elem, method, proprietary, code string) {
	c.code(elem+"/SttlmMtd", method, false, settlementMethods...)
	if proprietary != "" && code != "" {
		c.add(elem+"/ClrSys", ErrFieldInvalid.With("both Cd and Prtry"))
	}
	c.text(elem+"/ClrSys/Prtry", proprietary, 35, false)
	c.text(elem+"/ClrSys/Cd", code, 3, false)
}

func (c checker) created(t time.Time) { c.dateTime("GrpHdr/CreDtTm", t) }

// Marshal writes the message, with NbOfTxs and TtlIntrBkSttlmAmt computed. It refuses a message that would not
// fit the schema or that the bank could not settle: no transaction, more than one currency, a missing or too
// long id, an invalid IBAN or BIC, an unknown code.
func (m CreditTransfer) Marshal() ([]byte, error) {
	total, err := m.validate(newChecker())
	if err != nil {
		return nil, err
	}
	x := xPacs008{GrpHdr: xGrpHdr008{
		MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt), NbOfTxs: countOut(len(m.Transactions)),
		IntrBkSttlmDt: dateOut(m.SettlementDate),
		SttlmInf:      settlementOut(m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode),
		InstgAgt:      agentPtrOut(m.InstructingAgent), InstdAgt: agentPtrOut(m.InstructedAgent),
	}}
	t := amountOut(total)
	x.GrpHdr.TtlIntrBkSttlmAmt = &t
	x.Txs = make([]xTx008, len(m.Transactions))
	for i, tx := range m.Transactions {
		x.Txs[i] = xTx008{
			PmtId:          xPaymentID{InstrId: tx.InstructionID, EndToEndId: tx.EndToEndID, TxId: tx.TxID, UETR: tx.UETR},
			PmtTpInf:       paymentTypeOut(tx.ServiceLevel, tx.LocalInstrument, tx.CategoryPurpose),
			IntrBkSttlmAmt: amountOut(tx.Amount),
			IntrBkSttlmDt:  dateOut(tx.SettlementDate),
			InstdAmt:       amountPtrOut(tx.InstructedAmount),
			ChrgBr:         tx.ChargeBearer,
			InstgAgt:       agentPtrOut(tx.InstructingAgent),
			InstdAgt:       agentPtrOut(tx.InstructedAgent),
			Dbtr:           partyOut(tx.Debtor),
			DbtrAcct:       accountOut(tx.DebtorAccount),
			DbtrAgt:        agentOut(tx.DebtorAgent),
			CdtrAgt:        agentOut(tx.CreditorAgent),
			Cdtr:           partyOut(tx.Creditor),
			CdtrAcct:       accountOut(tx.CreditorAccount),
			Purp:           codeOut(tx.Purpose),
			RmtInf:         remittanceOut(tx.Remittance),
		}
		if tx.IntermediaryAgent != nil {
			a := agentOut(*tx.IntermediaryAgent)
			x.Txs[i].IntrmyAgt1 = &a
		}
	}
	return marshal(NamePacs008, x)
}

// ParseCreditTransfer reads a pacs.008.001.08 under the safe reader's rules and checks what the bank relies on:
// ids, amounts exact in an offered currency, one currency, NbOfTxs and TtlIntrBkSttlmAmt (when given) equal to the
// transactions' count and sum, IBANs, BICs and codes.
func ParseCreditTransfer(doc []byte) (CreditTransfer, error) {
	var x xPacs008
	if err := decode(doc, NamePacs008, &x); err != nil {
		return CreditTransfer{}, err
	}
	c := newChecker()
	g := x.GrpHdr
	m := CreditTransfer{MessageID: g.MsgId, InstructingAgent: agentPtrIn(g.InstgAgt), InstructedAgent: agentPtrIn(g.InstdAgt)}
	gi := groupIn(c, g.CreDtTm, g.IntrBkSttlmDt, g.SttlmInf)
	m.CreatedAt, m.SettlementDate = gi.created, gi.settlementDate
	m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode = gi.method, gi.system, gi.systemCode
	var err error
	m.Transactions = make([]Transaction, len(x.Txs))
	for i, xt := range x.Txs {
		tc := c.at("CdtTrfTxInf", i)
		tx := Transaction{
			InstructionID: xt.PmtId.InstrId, EndToEndID: xt.PmtId.EndToEndId, TxID: xt.PmtId.TxId, UETR: xt.PmtId.UETR,
			ChargeBearer: xt.ChrgBr, InstructingAgent: agentPtrIn(xt.InstgAgt), InstructedAgent: agentPtrIn(xt.InstdAgt),
			Debtor: partyIn(xt.Dbtr), DebtorAccount: accountIn(xt.DbtrAcct), DebtorAgent: agentIn(xt.DbtrAgt),
			Creditor: partyIn(xt.Cdtr), CreditorAccount: accountIn(xt.CdtrAcct), CreditorAgent: agentIn(xt.CdtrAgt),
			Purpose: codeIn(xt.Purp),
		}
		tx.ServiceLevel, tx.LocalInstrument, tx.CategoryPurpose = paymentTypeIn(xt.PmtTpInf)
		tx.Amount, err = amountIn(xt.IntrBkSttlmAmt)
		tc.add("IntrBkSttlmAmt", err)
		tx.InstructedAmount, err = amountPtrIn(xt.InstdAmt)
		tc.add("InstdAmt", err)
		tx.SettlementDate, err = dateIn(xt.IntrBkSttlmDt)
		tc.add("IntrBkSttlmDt", err)
		if xt.IntrmyAgt1 != nil {
			a := agentIn(*xt.IntrmyAgt1)
			tx.IntermediaryAgent = &a
		}
		tx.Remittance, err = remittanceIn(xt.RmtInf)
		tc.add("RmtInf/Ustrd", err)
		m.Transactions[i] = tx
	}
	if !c.ok() {
		return CreditTransfer{}, c.err()
	}
	c.add("GrpHdr/NbOfTxs", countIn(g.NbOfTxs, len(x.Txs)))
	total, err := m.validate(c)
	if err != nil {
		return CreditTransfer{}, err
	}
	if err := totalIn(c, "GrpHdr/TtlIntrBkSttlmAmt", g.TtlIntrBkSttlmAmt, total); err != nil {
		return CreditTransfer{}, err
	}
	return m, nil
}

// remittanceIn reads the unstructured remittance information: one line at most, as SEPA allows.
func remittanceIn(x *xRemittance) (string, error) {
	if x == nil || len(x.Ustrd) == 0 {
		return "", nil
	}
	if len(x.Ustrd) > 1 {
		return "", ErrFieldInvalid.With("more than one Ustrd")
	}
	return x.Ustrd[0], nil
}

// validate checks the message into c and returns the interbank settlement total.
func (m CreditTransfer) validate(c checker) (money.Amount, error) {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	c.date("GrpHdr/IntrBkSttlmDt", m.SettlementDate)
	c.settlement("GrpHdr/SttlmInf", m.SettlementMethod, m.ClearingSystem, m.ClearingSystemCode)
	c.agent("GrpHdr/InstgAgt", m.InstructingAgent, false)
	c.agent("GrpHdr/InstdAgt", m.InstructedAgent, false)
	if len(m.Transactions) == 0 {
		c.add("CdtTrfTxInf", ErrFieldMissing)
	}
	var s sum
	for i, tx := range m.Transactions {
		tc := c.at("CdtTrfTxInf", i)
		tx.validate(tc)
		if m.SettlementDate.IsZero() && tx.SettlementDate.IsZero() {
			tc.add("IntrBkSttlmDt", ErrFieldMissing)
		}
		s.add(tx.Amount)
	}
	s.check(c, "GrpHdr/TtlIntrBkSttlmAmt")
	return s.total, c.err()
}

func (tx Transaction) validate(c checker) {
	c.text("PmtId/InstrId", tx.InstructionID, 35, false)
	c.text("PmtId/EndToEndId", tx.EndToEndID, 35, true)
	c.text("PmtId/TxId", tx.TxID, 35, false)
	c.uetr("PmtId/UETR", tx.UETR)
	c.text("PmtTpInf/SvcLvl/Cd", tx.ServiceLevel, 4, false)
	c.text("PmtTpInf/LclInstrm/Cd", tx.LocalInstrument, 35, false)
	c.text("PmtTpInf/CtgyPurp/Cd", tx.CategoryPurpose, 4, false)
	c.amount("IntrBkSttlmAmt", tx.Amount, false)
	c.date("IntrBkSttlmDt", tx.SettlementDate)
	if tx.InstructedAmount != nil {
		c.amount("InstdAmt", *tx.InstructedAmount, false)
	}
	c.code("ChrgBr", tx.ChargeBearer, true, chargeBearers...)
	c.agent("InstgAgt", tx.InstructingAgent, false)
	c.agent("InstdAgt", tx.InstructedAgent, false)
	if tx.IntermediaryAgent != nil {
		c.agent("IntrmyAgt1", *tx.IntermediaryAgent, true)
	}
	c.party("Dbtr", tx.Debtor, true)
	c.account("DbtrAcct", tx.DebtorAccount, false)
	c.agent("DbtrAgt", tx.DebtorAgent, true)
	c.agent("CdtrAgt", tx.CreditorAgent, true)
	c.party("Cdtr", tx.Creditor, true)
	c.account("CdtrAcct", tx.CreditorAccount, true)
	c.text("Purp/Cd", tx.Purpose, 4, false)
	c.text("RmtInf/Ustrd", tx.Remittance, 140, false)
}
