package iso20022

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
)

// Statement is a camt.053.001.08 BkToCstmrStmt with one Stmt.
type Statement struct {
	MessageID      string
	CreatedAt      time.Time
	StatementID    string
	SequenceNumber int64 // ElctrncSeqNb when > 0
	Account        Account
	Currency       money.Currency
	Owner          Party
	Servicer       Agent
	From, To       time.Time // FrToDt: both or neither
	// Opening and Closing are the OPBD and CLBD balances, signed: a negative balance is written as its amount
	// with CdtDbtInd DBIT.
	Opening, Closing         money.Amount
	OpeningDate, ClosingDate calendar.Date
	Entries                  []Entry
}

type xCamt053 struct {
	XMLName xml.Name       `xml:"BkToCstmrStmt"`
	GrpHdr  xReportHeader  `xml:"GrpHdr"`
	Stmt    []xStatementV8 `xml:"Stmt"`
}

type xPeriod struct {
	FrDtTm string `xml:"FrDtTm"`
	ToDtTm string `xml:"ToDtTm"`
}

type xBalanceType struct {
	CdOrPrtry xCode `xml:"CdOrPrtry"`
}

type xBalance struct {
	Tp        xBalanceType `xml:"Tp"`
	Amt       xAmount      `xml:"Amt"`
	CdtDbtInd string       `xml:"CdtDbtInd"`
	Dt        xDateChoice  `xml:"Dt"`
}

type xStatementV8 struct {
	Id           string         `xml:"Id"`
	ElctrncSeqNb string         `xml:"ElctrncSeqNb,omitempty"`
	FrToDt       *xPeriod       `xml:"FrToDt"`
	Acct         xReportAccount `xml:"Acct"`
	Bal          []xBalance     `xml:"Bal"`
	Ntry         []xEntry       `xml:"Ntry"`
}

func balanceOut(code string, a money.Amount, d calendar.Date) xBalance {
	abs := a
	if abs.Minor < 0 {
		abs.Minor = -abs.Minor
	}
	return xBalance{Tp: xBalanceType{CdOrPrtry: xCode{Cd: code}}, Amt: amountOut(abs), CdtDbtInd: creditDebit(a.Minor >= 0),
		Dt: xDateChoice{Dt: d.String()}}
}

func balanceIn(x xBalance, c checker) (money.Amount, calendar.Date) {
	a, err := amountIn(x.Amt)
	c.add("Amt", err)
	switch x.CdtDbtInd {
	case "CRDT":
	case "DBIT":
		a.Minor = -a.Minor
	default:
		c.add("CdtDbtInd", ErrFieldInvalid.With("not CRDT or DBIT"))
	}
	d, err := dateChoiceIn(&x.Dt)
	c.add("Dt", err)
	return a, d
}

// Marshal writes the statement. Besides the schema's rules it refuses entries or balances in another currency
// than the account's, and balances that do not add up: the opening balance and the booked entries must give the
// closing balance.
func (m Statement) Marshal() ([]byte, error) {
	if err := m.validate(newChecker()); err != nil {
		return nil, err
	}
	s := xStatementV8{
		Id:   m.StatementID,
		Acct: reportAccountOut(m.Account, m.Currency, m.Owner, m.Servicer),
		Bal:  []xBalance{balanceOut("OPBD", m.Opening, m.OpeningDate), balanceOut("CLBD", m.Closing, m.ClosingDate)},
		Ntry: make([]xEntry, len(m.Entries)),
	}
	if m.SequenceNumber > 0 {
		s.ElctrncSeqNb = strconv.FormatInt(m.SequenceNumber, 10)
	}
	if !m.From.IsZero() {
		s.FrToDt = &xPeriod{FrDtTm: timeOut(m.From), ToDtTm: timeOut(m.To)}
	}
	for i, e := range m.Entries {
		s.Ntry[i] = entryOut(e)
	}
	return marshal(NameCamt053, xCamt053{GrpHdr: xReportHeader{MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt)},
		Stmt: []xStatementV8{s}})
}

// ParseStatement reads a camt.053.001.08 of one statement (the clearing house's settlement report, a
// correspondent's statement) under the safe reader's rules. The opening balance is OPBD, or PRCD when there is
// no OPBD; the closing balance CLBD. It checks the entries' amounts, currencies and references, and that the
// opening balance and the booked entries give the closing balance.
func ParseStatement(doc []byte) (Statement, error) {
	var x xCamt053
	if err := decode(doc, NameCamt053, &x); err != nil {
		return Statement{}, err
	}
	c := newChecker()
	m := Statement{MessageID: x.GrpHdr.MsgId}
	var err error
	m.CreatedAt, err = timeIn(x.GrpHdr.CreDtTm)
	c.add("GrpHdr/CreDtTm", err)
	if len(x.Stmt) != 1 {
		c.add("Stmt", ErrFieldInvalid.With("%d statements, not one", len(x.Stmt)))
		return Statement{}, c.err()
	}
	s := x.Stmt[0]
	sc := c.in("Stmt")
	m.StatementID = s.Id
	if s.ElctrncSeqNb != "" {
		v := strings.TrimSpace(s.ElctrncSeqNb)
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 || !digitsOnly(v) {
			sc.add("ElctrncSeqNb", ErrFieldInvalid.With("not a positive number"))
		}
		m.SequenceNumber = n
	}
	if s.FrToDt != nil {
		m.From, err = timeIn(s.FrToDt.FrDtTm)
		sc.add("FrToDt/FrDtTm", err)
		m.To, err = timeIn(s.FrToDt.ToDtTm)
		sc.add("FrToDt/ToDtTm", err)
	}
	m.Account, m.Currency, m.Owner, m.Servicer = reportAccountIn(s.Acct, s.Bal, sc.in("Acct"))
	var opening, prcd, closing *xBalance
	for i := range s.Bal {
		switch codeIn(&s.Bal[i].Tp.CdOrPrtry) {
		case "OPBD":
			opening = &s.Bal[i]
		case "PRCD":
			prcd = &s.Bal[i]
		case "CLBD":
			closing = &s.Bal[i]
		}
	}
	if opening == nil {
		opening = prcd
	}
	if opening == nil || closing == nil {
		sc.add("Bal", ErrFieldMissing.With("OPBD (or PRCD) and CLBD"))
	} else {
		m.Opening, m.OpeningDate = balanceIn(*opening, sc.in("Bal[OPBD]"))
		m.Closing, m.ClosingDate = balanceIn(*closing, sc.in("Bal[CLBD]"))
	}
	if len(s.Ntry) > 0 {
		m.Entries = make([]Entry, len(s.Ntry))
		for i, e := range s.Ntry {
			m.Entries[i] = entryIn(e, sc.at("Ntry", i))
		}
	}
	if !c.ok() {
		return Statement{}, c.err()
	}
	if err := m.validate(c); err != nil {
		return Statement{}, err
	}
	return m, nil
}

// reportAccountIn reads the account reported on; without Ccy, its currency is the first balance's.
func reportAccountIn(x xReportAccount, balances []xBalance, c checker) (Account, money.Currency, Party, Agent) {
	a := accountIn(&xAccount{Id: x.Id})
	ccy := x.Ccy
	if ccy == "" && len(balances) > 0 {
		ccy = balances[0].Amt.Ccy
	}
	currency, err := money.ParseCurrency(strings.TrimSpace(ccy))
	c.add("Ccy", err)
	return a, currency, partyPtrIn(x.Ownr), agentPtrIn(x.Svcr)
}

func (m Statement) validate(c checker) error {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	s := c.in("Stmt")
	s.text("Id", m.StatementID, 35, true)
	if m.SequenceNumber < 0 {
		s.add("ElctrncSeqNb", ErrFieldInvalid.With("negative"))
	}
	if !m.From.IsZero() || !m.To.IsZero() {
		s.dateTime("FrToDt/FrDtTm", m.From)
		s.dateTime("FrToDt/ToDtTm", m.To)
		if m.To.Before(m.From) {
			s.add("FrToDt", ErrFieldInvalid.With("ends before it starts"))
		}
	}
	s.reportAccount("Acct", m.Account, m.Currency, m.Owner, m.Servicer)
	for _, b := range []struct {
		elem   string
		amount money.Amount
		date   calendar.Date
	}{{"Bal[OPBD]", m.Opening, m.OpeningDate}, {"Bal[CLBD]", m.Closing, m.ClosingDate}} {
		bc := s.in(b.elem)
		abs := b.amount
		if abs.Minor < 0 {
			abs.Minor = -abs.Minor
		}
		bc.amount("Amt", abs, true)
		if b.amount.Currency != m.Currency {
			bc.add("Amt", ErrFieldInvalid.With("currency %s in an account in %s", b.amount.Currency, m.Currency))
		}
		bc.required("Dt/Dt", b.date.IsZero())
		bc.date("Dt/Dt", b.date)
	}
	balance := m.Opening.Minor
	overflow := false
	for i, e := range m.Entries {
		e.validate(s.at("Ntry", i), m.Currency)
		if e.Status != "" && e.Status != "BOOK" {
			continue
		}
		v := e.Amount.Minor
		if !e.Credit {
			v = -v
		}
		if (v > 0 && balance > (1<<63-1)-v) || (v < 0 && balance < -(1<<63-1)-v) {
			overflow = true
		}
		balance += v
	}
	if c.ok() && (overflow || balance != m.Closing.Minor) {
		s.add("Bal[CLBD]/Amt", ErrControlSumMismatch.With("opening and booked entries give %s, closing is %s",
			money.FormatMinor(balance, m.Currency.MinorUnits()), m.Closing.Decimal()))
	}
	return c.err()
}
