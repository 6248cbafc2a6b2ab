package iso20022

import (
	"strings"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
)

// Entry is one entry of a camt.053 statement or a camt.054 notification: a Ntry with at most one
// NtryDtls/TxDtls, the transaction behind it.
type Entry struct {
	Reference              string       // NtryRef, and AcctSvcrRef (the bank's reference) written the same
	Amount                 money.Amount // positive
	Credit                 bool         // CRDT / DBIT
	Status                 string       // "BOOK" (written when empty), "PDNG" or "INFO"
	BookingDate, ValueDate calendar.Date
	// BankTxCode is the bank transaction code: "PMNT/RCDT/ESCT" (three codes of at most 4 characters) is written
	// as Domn/Fmly/SubFmlyCd, anything else as a proprietary code.
	BankTxCode                      string
	EndToEndID, InstructionID, TxID string
	// The other side: the debtor of a credit, the creditor of a debit.
	Counterparty        Party
	CounterpartyAccount Account
	CounterpartyAgent   Agent
	Remittance          string // ≤ 140
	AdditionalInfo      string // AddtlNtryInf, ≤ 500
}

// entryStatuses is the ExternalEntryStatus1Code list.
var entryStatuses = []string{"BOOK", "PDNG", "INFO"}

type xDateChoice struct {
	Dt   string `xml:"Dt,omitempty"`
	DtTm string `xml:"DtTm,omitempty"`
}

type xFamily struct {
	Cd        string `xml:"Cd"`
	SubFmlyCd string `xml:"SubFmlyCd"`
}

type xDomain struct {
	Cd   string  `xml:"Cd"`
	Fmly xFamily `xml:"Fmly"`
}

type xProprietaryCode struct {
	Cd string `xml:"Cd"`
}

type xBankTxCode struct {
	Domn  *xDomain          `xml:"Domn"`
	Prtry *xProprietaryCode `xml:"Prtry"`
}

type xTxRefs struct {
	InstrId    string `xml:"InstrId,omitempty"`
	EndToEndId string `xml:"EndToEndId,omitempty"`
	TxId       string `xml:"TxId,omitempty"`
}

type xRelatedParties struct {
	Dbtr     *xPartyChoice `xml:"Dbtr"`
	DbtrAcct *xAccount     `xml:"DbtrAcct"`
	Cdtr     *xPartyChoice `xml:"Cdtr"`
	CdtrAcct *xAccount     `xml:"CdtrAcct"`
}

type xRelatedAgents struct {
	DbtrAgt *xAgent `xml:"DbtrAgt"`
	CdtrAgt *xAgent `xml:"CdtrAgt"`
}

type xTxDetails struct {
	Refs      *xTxRefs         `xml:"Refs"`
	RltdPties *xRelatedParties `xml:"RltdPties"`
	RltdAgts  *xRelatedAgents  `xml:"RltdAgts"`
	RmtInf    *xRemittance     `xml:"RmtInf"`
}

type xEntryDetails struct {
	TxDtls []xTxDetails `xml:"TxDtls"`
}

type xEntry struct {
	NtryRef      string          `xml:"NtryRef,omitempty"`
	Amt          xAmount         `xml:"Amt"`
	CdtDbtInd    string          `xml:"CdtDbtInd"`
	Sts          xCode           `xml:"Sts"`
	BookgDt      *xDateChoice    `xml:"BookgDt"`
	ValDt        *xDateChoice    `xml:"ValDt"`
	AcctSvcrRef  string          `xml:"AcctSvcrRef,omitempty"`
	BkTxCd       xBankTxCode     `xml:"BkTxCd"`
	NtryDtls     []xEntryDetails `xml:"NtryDtls"`
	AddtlNtryInf string          `xml:"AddtlNtryInf,omitempty"`
}

// xReportAccount is a CashAccount39: the account reported on, its currency, owner and servicer.
type xReportAccount struct {
	Id   xAccountID `xml:"Id"`
	Ccy  string     `xml:"Ccy,omitempty"`
	Ownr *xParty    `xml:"Ownr"`
	Svcr *xAgent    `xml:"Svcr"`
}

type xReportHeader struct {
	MsgId   string `xml:"MsgId"`
	CreDtTm string `xml:"CreDtTm"`
}

func creditDebit(credit bool) string {
	if credit {
		return "CRDT"
	}
	return "DBIT"
}

func dateChoiceOut(d calendar.Date) *xDateChoice {
	if d.IsZero() {
		return nil
	}
	return &xDateChoice{Dt: d.String()}
}

// dateChoiceIn reads a date, or a date and time as the day it falls on in Tirane.
func dateChoiceIn(x *xDateChoice) (calendar.Date, error) {
	if x == nil {
		return calendar.Date{}, nil
	}
	if x.Dt != "" {
		return dateIn(x.Dt)
	}
	if x.DtTm == "" {
		return calendar.Date{}, nil
	}
	t, err := timeIn(x.DtTm)
	if err != nil {
		return calendar.Date{}, err
	}
	return calendar.DateOf(t), nil
}

// domainCode splits a bank transaction code written Domn/Fmly/SubFmlyCd, each of 1 to 4 characters.
func domainCode(s string) ([]string, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return nil, false
	}
	for _, p := range parts {
		if p == "" || len(p) > 4 || checkText(p, 4, true) != nil {
			return nil, false
		}
	}
	return parts, true
}

func bankTxCodeOut(s string) xBankTxCode {
	if parts, ok := domainCode(s); ok {
		return xBankTxCode{Domn: &xDomain{Cd: parts[0], Fmly: xFamily{Cd: parts[1], SubFmlyCd: parts[2]}}}
	}
	if s == "" {
		return xBankTxCode{}
	}
	return xBankTxCode{Prtry: &xProprietaryCode{Cd: s}}
}

func bankTxCodeIn(x xBankTxCode) string {
	if d := x.Domn; d != nil && d.Cd != "" && d.Fmly.Cd != "" && d.Fmly.SubFmlyCd != "" {
		return d.Cd + "/" + d.Fmly.Cd + "/" + d.Fmly.SubFmlyCd
	}
	if x.Prtry != nil {
		return x.Prtry.Cd
	}
	return ""
}

func (e Entry) hasDetails() bool {
	return e.EndToEndID != "" || e.InstructionID != "" || e.TxID != "" || e.Counterparty.Name != "" ||
		!e.Counterparty.Address.IsZero() || !e.CounterpartyAccount.IsZero() || !e.CounterpartyAgent.IsZero() ||
		e.Remittance != ""
}

func entryOut(e Entry) xEntry {
	status := e.Status
	if status == "" {
		status = "BOOK"
	}
	x := xEntry{
		NtryRef: e.Reference, AcctSvcrRef: e.Reference, Amt: amountOut(e.Amount), CdtDbtInd: creditDebit(e.Credit),
		Sts: xCode{Cd: status}, BookgDt: dateChoiceOut(e.BookingDate), ValDt: dateChoiceOut(e.ValueDate),
		BkTxCd: bankTxCodeOut(e.BankTxCode), AddtlNtryInf: e.AdditionalInfo,
	}
	if !e.hasDetails() {
		return x
	}
	d := xTxDetails{RmtInf: remittanceOut(e.Remittance)}
	if e.EndToEndID != "" || e.InstructionID != "" || e.TxID != "" {
		d.Refs = &xTxRefs{InstrId: e.InstructionID, EndToEndId: e.EndToEndID, TxId: e.TxID}
	}
	party, account := partyChoiceOut(e.Counterparty), accountOut(e.CounterpartyAccount)
	if party != nil || account != nil {
		if e.Credit {
			d.RltdPties = &xRelatedParties{Dbtr: party, DbtrAcct: account}
		} else {
			d.RltdPties = &xRelatedParties{Cdtr: party, CdtrAcct: account}
		}
	}
	if agent := agentPtrOut(e.CounterpartyAgent); agent != nil {
		if e.Credit {
			d.RltdAgts = &xRelatedAgents{DbtrAgt: agent}
		} else {
			d.RltdAgts = &xRelatedAgents{CdtrAgt: agent}
		}
	}
	x.NtryDtls = []xEntryDetails{{TxDtls: []xTxDetails{d}}}
	return x
}

// entryIn reads an entry into c; an entry of more than one transaction (a batch booking) is refused rather than
// read in part.
func entryIn(x xEntry, c checker) Entry {
	e := Entry{Reference: x.NtryRef, Status: codeIn(&x.Sts), BankTxCode: bankTxCodeIn(x.BkTxCd),
		AdditionalInfo: x.AddtlNtryInf}
	if e.Reference == "" {
		e.Reference = x.AcctSvcrRef
	}
	c.required("Sts/Cd", e.Status == "")
	var err error
	e.Amount, err = amountIn(x.Amt)
	c.add("Amt", err)
	switch x.CdtDbtInd {
	case "CRDT":
		e.Credit = true
	case "DBIT":
	default:
		c.add("CdtDbtInd", ErrFieldInvalid.With("not CRDT or DBIT"))
	}
	e.BookingDate, err = dateChoiceIn(x.BookgDt)
	c.add("BookgDt", err)
	e.ValueDate, err = dateChoiceIn(x.ValDt)
	c.add("ValDt", err)
	var details []xTxDetails
	for _, d := range x.NtryDtls {
		details = append(details, d.TxDtls...)
	}
	if len(details) > 1 {
		c.add("NtryDtls/TxDtls", ErrFieldInvalid.With("%d transactions in one entry", len(details)))
	}
	if len(details) == 0 {
		return e
	}
	d := details[0]
	if d.Refs != nil {
		e.InstructionID, e.EndToEndID, e.TxID = d.Refs.InstrId, d.Refs.EndToEndId, d.Refs.TxId
	}
	if p := d.RltdPties; p != nil {
		if e.Credit {
			e.Counterparty, e.CounterpartyAccount = partyChoiceIn(p.Dbtr), accountIn(p.DbtrAcct)
		} else {
			e.Counterparty, e.CounterpartyAccount = partyChoiceIn(p.Cdtr), accountIn(p.CdtrAcct)
		}
	}
	if a := d.RltdAgts; a != nil {
		if e.Credit {
			e.CounterpartyAgent = agentPtrIn(a.DbtrAgt)
		} else {
			e.CounterpartyAgent = agentPtrIn(a.CdtrAgt)
		}
	}
	e.Remittance, err = remittanceIn(d.RmtInf)
	c.add("NtryDtls/TxDtls/RmtInf/Ustrd", err)
	return e
}

// validate checks an entry of an account in currency.
func (e Entry) validate(c checker, currency money.Currency) {
	c.text("NtryRef", e.Reference, 35, false)
	c.amount("Amt", e.Amount, false)
	if e.Amount.Currency != currency {
		c.add("Amt", ErrFieldInvalid.With("currency %s in an account in %s", e.Amount.Currency, currency))
	}
	c.code("Sts/Cd", e.Status, false, entryStatuses...)
	c.date("BookgDt/Dt", e.BookingDate)
	c.date("ValDt/Dt", e.ValueDate)
	c.text("BkTxCd/Prtry/Cd", e.BankTxCode, 35, false)
	d := c.in("NtryDtls/TxDtls")
	d.text("Refs/InstrId", e.InstructionID, 35, false)
	d.text("Refs/EndToEndId", e.EndToEndID, 35, false)
	d.text("Refs/TxId", e.TxID, 35, false)
	d.party("RltdPties/Pty", e.Counterparty, false)
	d.account("RltdPties/Acct", e.CounterpartyAccount, false)
	d.agent("RltdAgts", e.CounterpartyAgent, false)
	d.text("RmtInf/Ustrd", e.Remittance, 140, false)
	c.text("AddtlNtryInf", e.AdditionalInfo, 500, false)
}

// reportAccountOut writes the account of a statement or notification.
func reportAccountOut(a Account, currency money.Currency, owner Party, servicer Agent) xReportAccount {
	x := xReportAccount{Ccy: string(currency), Svcr: agentPtrOut(servicer)}
	if acc := accountOut(a); acc != nil {
		x.Id = acc.Id
	}
	if owner.Name != "" || !owner.Address.IsZero() {
		o := partyOut(owner)
		x.Ownr = &o
	}
	return x
}

func (c checker) reportAccount(elem string, a Account, currency money.Currency, owner Party, servicer Agent) {
	c.account(elem, a, true)
	if !currency.Valid() {
		c.add(elem+"/Ccy", money.ErrUnknownCurrency)
	}
	c.party(elem+"/Ownr", owner, false)
	c.agent(elem+"/Svcr", servicer, false)
}
