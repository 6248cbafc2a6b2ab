package iso20022

import (
	"encoding/xml"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/money"
)

// Initiation is a pain.001.001.09 CstmrCdtTrfInitn: bulk payments a business customer uploads.
type Initiation struct {
	MessageID            string
	CreatedAt            time.Time
	NumberOfTransactions int    // NbOfTxs; Marshal writes the count when it is 0
	ControlSum           string // CtrlSum as written, an exact decimal; Marshal leaves it out when empty
	InitiatingParty      Party
	Batches              []PaymentInfo
}

// PaymentInfo is one PmtInf: the transfers from one account on one requested date.
type PaymentInfo struct {
	ID                                             string
	Method                                         string // TRF, the only one the bank takes
	RequestedDate                                  calendar.Date
	ServiceLevel, LocalInstrument, CategoryPurpose string
	Debtor                                         Party
	DebtorAccount                                  Account
	DebtorAgent                                    Agent // may be empty (SEPA's "NOTPROVIDED")
	ChargeBearer                                   string
	Transactions                                   []InitiationTx
}

// InitiationTx is one CdtTrfTxInf of a pain.001.
type InitiationTx struct {
	Line                      int // 1-based position of the transaction in the file (for per-line errors)
	InstructionID, EndToEndID string
	Amount                    money.Amount // InstdAmt
	ChargeBearer              string
	Creditor                  Party
	CreditorAccount           Account
	CreditorAgent             Agent
	Purpose, Remittance       string
}

// LineError is a problem of one transaction of a pain.001 (Line > 0, its position in the file) or of the group
// header or a batch (Line 0): Field is the element, relative to the transaction for a line ("CdtrAcct/Id/IBAN")
// and from the message for the others ("GrpHdr/CtrlSum", "PmtInf[2]/DbtrAcct/Id/IBAN"). Err is a *kumbara.Error
// with a stable code and the element as its parameter "element".
type LineError struct {
	Line  int
	Field string
	Err   error
}

func (e LineError) Error() string {
	if e.Line == 0 {
		return e.Field + ": " + e.Err.Error()
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Field + ": " + e.Err.Error()
}

func (e LineError) Unwrap() error { return e.Err }

type xPain001 struct {
	XMLName xml.Name        `xml:"CstmrCdtTrfInitn"`
	GrpHdr  xInitiationHdr  `xml:"GrpHdr"`
	PmtInf  []xPaymentInfo9 `xml:"PmtInf"`
}

type xInitiationHdr struct {
	MsgId    string `xml:"MsgId"`
	CreDtTm  string `xml:"CreDtTm"`
	NbOfTxs  string `xml:"NbOfTxs"`
	CtrlSum  string `xml:"CtrlSum,omitempty"`
	InitgPty xParty `xml:"InitgPty"`
}

type xPaymentInfo9 struct {
	PmtInfId    string          `xml:"PmtInfId"`
	PmtMtd      string          `xml:"PmtMtd"`
	NbOfTxs     string          `xml:"NbOfTxs,omitempty"`
	CtrlSum     string          `xml:"CtrlSum,omitempty"`
	PmtTpInf    *xPaymentType   `xml:"PmtTpInf"`
	ReqdExctnDt xDateChoice     `xml:"ReqdExctnDt"`
	Dbtr        xParty          `xml:"Dbtr"`
	DbtrAcct    xAccount        `xml:"DbtrAcct"`
	DbtrAgt     xAgent          `xml:"DbtrAgt"`
	ChrgBr      string          `xml:"ChrgBr,omitempty"`
	CdtTrfTxInf []xInitiationTx `xml:"CdtTrfTxInf"`
}

type xInitiationID struct {
	InstrId    string `xml:"InstrId,omitempty"`
	EndToEndId string `xml:"EndToEndId"`
}

type xInstructedAmount struct {
	InstdAmt *xAmount  `xml:"InstdAmt"`
	EqvtAmt  *struct{} `xml:"EqvtAmt"`
}

type xInitiationTx struct {
	PmtId    xInitiationID     `xml:"PmtId"`
	Amt      xInstructedAmount `xml:"Amt"`
	ChrgBr   string            `xml:"ChrgBr,omitempty"`
	CdtrAgt  *xAgent           `xml:"CdtrAgt"`
	Cdtr     *xParty           `xml:"Cdtr"`
	CdtrAcct *xAccount         `xml:"CdtrAcct"`
	Purp     *xCode            `xml:"Purp"`
	RmtInf   *xRemittance      `xml:"RmtInf"`
}

// decimalPattern is a DecimalNumber as the bank reads it: digits, and decimals after a point.
var decimalPattern = regexp.MustCompile(`^[0-9]{1,18}(\.[0-9]{1,17})?$`)

// controlSum adds decimals exactly (no floats); ok is false when one is not a plain decimal.
type controlSum struct {
	sum big.Rat
	bad bool
}

func (s *controlSum) add(v string) {
	v = strings.TrimSpace(v)
	var r big.Rat
	if !decimalPattern.MatchString(v) {
		s.bad = true
		return
	}
	r.SetString(v)
	s.sum.Add(&s.sum, &r)
}

// equals reports whether the written control sum is the sum.
func (s *controlSum) equals(written string) bool {
	written = strings.TrimSpace(written)
	var r big.Rat
	if !decimalPattern.MatchString(written) {
		return false
	}
	r.SetString(written)
	return r.Cmp(&s.sum) == 0
}

// text is the sum as a decimal with the given decimals.
func (s *controlSum) text(decimals int) string { return s.sum.FloatString(decimals) }

// Marshal writes the initiation: NbOfTxs (the count when NumberOfTransactions is 0) and CtrlSum in the group
// header as given, and each batch's own NbOfTxs and CtrlSum computed. It refuses a file the bank's own reader
// would find fault with: a count or control sum that does not match, an invalid IBAN or BIC, a missing name.
func (m Initiation) Marshal() ([]byte, error) {
	c := newChecker()
	lines := m.validate(c)
	if err := c.err(); err != nil {
		return nil, err
	}
	if len(lines) > 0 {
		l := lines[0]
		return nil, ErrInvalid.With("line %d: %s", l.Line, l.Field).WithParam("element", l.Field).Wrap(l.Err)
	}
	count := m.NumberOfTransactions
	if count == 0 {
		count = m.count()
	}
	x := xPain001{GrpHdr: xInitiationHdr{MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt), NbOfTxs: countOut(count),
		CtrlSum: m.ControlSum, InitgPty: partyOut(m.InitiatingParty)}}
	x.PmtInf = make([]xPaymentInfo9, len(m.Batches))
	for i, b := range m.Batches {
		var sum controlSum
		xb := xPaymentInfo9{
			PmtInfId: b.ID, PmtMtd: b.Method, NbOfTxs: countOut(len(b.Transactions)),
			PmtTpInf:    paymentTypeOut(b.ServiceLevel, b.LocalInstrument, b.CategoryPurpose),
			ReqdExctnDt: xDateChoice{Dt: b.RequestedDate.String()},
			Dbtr:        partyOut(b.Debtor), DbtrAgt: agentOut(b.DebtorAgent), ChrgBr: b.ChargeBearer,
			CdtTrfTxInf: make([]xInitiationTx, len(b.Transactions)),
		}
		if a := accountOut(b.DebtorAccount); a != nil {
			xb.DbtrAcct = *a
		}
		decimals := 0
		for j, tx := range b.Transactions {
			amount := amountOut(tx.Amount)
			sum.add(amount.Value)
			decimals = max(decimals, tx.Amount.Currency.MinorUnits())
			cdtr := partyOut(tx.Creditor)
			xb.CdtTrfTxInf[j] = xInitiationTx{
				PmtId: xInitiationID{InstrId: tx.InstructionID, EndToEndId: tx.EndToEndID},
				Amt:   xInstructedAmount{InstdAmt: &amount}, ChrgBr: tx.ChargeBearer,
				CdtrAgt: agentPtrOut(tx.CreditorAgent), Cdtr: &cdtr, CdtrAcct: accountOut(tx.CreditorAccount),
				Purp: codeOut(tx.Purpose), RmtInf: remittanceOut(tx.Remittance),
			}
		}
		xb.CtrlSum = sum.text(decimals)
		x.PmtInf[i] = xb
	}
	return marshal(NamePain001, x)
}

func (m Initiation) count() int {
	n := 0
	for _, b := range m.Batches {
		n += len(b.Transactions)
	}
	return n
}

// ParseInitiation reads a pain.001: it refuses a malformed document as a whole (one error: the safe reader's
// refusals, or a group header without a usable MsgId, CreDtTm or NbOfTxs), and otherwise returns the initiation
// together with the problems of its lines (LineError): a transaction whose fields do not fit (an amount with too
// many decimals or in a currency the bank does not offer, a missing creditor name or account, an invalid IBAN or
// BIC, a text too long, an unknown code) is a problem of its line, and the other lines stand; a batch's own
// problems (its debtor account, requested date, method) and NbOfTxs or CtrlSum that do not match the
// transactions (in the group header or a batch) are problems of Line 0, which a caller answers by refusing the
// file (pain.002 group status RJCT).
func ParseInitiation(doc []byte) (Initiation, []LineError, error) {
	var x xPain001
	if err := decode(doc, NamePain001, &x); err != nil {
		return Initiation{}, nil, err
	}
	c := newChecker()
	g := x.GrpHdr
	m := Initiation{MessageID: g.MsgId, ControlSum: strings.TrimSpace(g.CtrlSum), InitiatingParty: partyIn(g.InitgPty)}
	var err error
	m.CreatedAt, err = timeIn(g.CreDtTm)
	c.add("GrpHdr/CreDtTm", err)
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.dateTime("GrpHdr/CreDtTm", m.CreatedAt)
	if n := strings.TrimSpace(g.NbOfTxs); n == "" || len(n) > 9 || !digitsOnly(n) {
		c.add("GrpHdr/NbOfTxs", ErrFieldInvalid.With("not a number"))
	} else {
		m.NumberOfTransactions, _ = strconv.Atoi(n)
	}
	if err := c.err(); err != nil {
		return Initiation{}, nil, err
	}
	line := 0
	var problems []LineError
	m.Batches = make([]PaymentInfo, len(x.PmtInf))
	for i, xb := range x.PmtInf {
		bc := c.at("PmtInf", i)
		b := PaymentInfo{ID: xb.PmtInfId, Method: xb.PmtMtd, Debtor: partyIn(xb.Dbtr),
			DebtorAccount: accountIn(&xb.DbtrAcct), DebtorAgent: agentIn(xb.DbtrAgt), ChargeBearer: xb.ChrgBr}
		b.ServiceLevel, b.LocalInstrument, b.CategoryPurpose = paymentTypeIn(xb.PmtTpInf)
		b.RequestedDate, err = dateChoiceIn(&xb.ReqdExctnDt)
		bc.add("ReqdExctnDt", err)
		var sum controlSum
		b.Transactions = make([]InitiationTx, len(xb.CdtTrfTxInf))
		for j, xt := range xb.CdtTrfTxInf {
			line++
			tc := checker{list: new([]problem)}
			tx := InitiationTx{Line: line, InstructionID: xt.PmtId.InstrId, EndToEndID: xt.PmtId.EndToEndId,
				ChargeBearer: xt.ChrgBr, Creditor: partyPtrIn(xt.Cdtr), CreditorAccount: accountIn(xt.CdtrAcct),
				CreditorAgent: agentPtrIn(xt.CdtrAgt), Purpose: codeIn(xt.Purp)}
			switch {
			case xt.Amt.InstdAmt != nil:
				sum.add(xt.Amt.InstdAmt.Value)
				tx.Amount, err = amountIn(*xt.Amt.InstdAmt)
				tc.add("Amt/InstdAmt", err)
			case xt.Amt.EqvtAmt != nil:
				sum.bad = true
				tc.add("Amt/EqvtAmt", ErrFieldInvalid.With("an equivalent amount"))
			default:
				sum.bad = true
				tc.add("Amt/InstdAmt", ErrFieldMissing)
			}
			tx.Remittance, err = remittanceIn(xt.RmtInf)
			tc.add("RmtInf/Ustrd", err)
			if tc.ok() {
				tx.validate(tc)
			}
			problems = append(problems, lineErrors(line, *tc.list)...)
			b.Transactions[j] = tx
		}
		if xb.NbOfTxs != "" {
			bc.add("NbOfTxs", countIn(xb.NbOfTxs, len(xb.CdtTrfTxInf)))
		}
		if xb.CtrlSum != "" && !sum.bad && !sum.equals(xb.CtrlSum) {
			bc.add("CtrlSum", ErrControlSumMismatch.With("batch control sum %s", xb.CtrlSum))
		}
		m.Batches[i] = b
	}
	m.validateGroup(c)
	if err := countIn(g.NbOfTxs, line); err != nil {
		c.add("GrpHdr/NbOfTxs", err)
	}
	if m.ControlSum != "" {
		var sum controlSum
		for _, xb := range x.PmtInf {
			for _, xt := range xb.CdtTrfTxInf {
				if xt.Amt.InstdAmt == nil {
					sum.bad = true
					continue
				}
				sum.add(xt.Amt.InstdAmt.Value)
			}
		}
		if !sum.bad && !sum.equals(m.ControlSum) {
			c.add("GrpHdr/CtrlSum", ErrControlSumMismatch.With("control sum %s", m.ControlSum))
		}
	}
	return m, append(lineErrors(0, *c.list), problems...), nil
}

// lineErrors turns a line's problems into LineErrors whose error names the element.
func lineErrors(line int, ps []problem) []LineError {
	out := make([]LineError, 0, len(ps))
	for _, p := range ps {
		err := p.err
		if e, ok := kumbara.As(err); ok {
			err = e.WithParam("element", p.path)
		}
		out = append(out, LineError{Line: line, Field: p.path, Err: err})
	}
	return out
}

// validate checks the whole initiation into c (the group and the batches) and returns the lines' problems.
func (m Initiation) validate(c checker) []LineError {
	m.validateGroup(c)
	if m.NumberOfTransactions != 0 && m.NumberOfTransactions != m.count() {
		c.add("GrpHdr/NbOfTxs", ErrCountMismatch.With("NbOfTxs %d, %d transactions", m.NumberOfTransactions, m.count()))
	}
	var sum controlSum
	var lines []LineError
	for _, b := range m.Batches {
		for _, tx := range b.Transactions {
			tc := checker{list: new([]problem)}
			tx.validate(tc)
			lines = append(lines, lineErrors(tx.Line, *tc.list)...)
			sum.add(tx.Amount.Decimal())
		}
	}
	if m.ControlSum != "" && !sum.bad && !sum.equals(m.ControlSum) {
		c.add("GrpHdr/CtrlSum", ErrControlSumMismatch.With("control sum %s", m.ControlSum))
	}
	return lines
}

// validateGroup checks the group header and the batches, without their transactions.
func (m Initiation) validateGroup(c checker) {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.dateTime("GrpHdr/CreDtTm", m.CreatedAt)
	if m.NumberOfTransactions < 0 {
		c.add("GrpHdr/NbOfTxs", ErrFieldInvalid.With("negative"))
	}
	if m.ControlSum != "" && !decimalPattern.MatchString(m.ControlSum) {
		c.add("GrpHdr/CtrlSum", ErrFieldInvalid.With("not a decimal"))
	}
	c.party("GrpHdr/InitgPty", m.InitiatingParty, false)
	if len(m.Batches) == 0 {
		c.add("PmtInf", ErrFieldMissing)
	}
	for i, b := range m.Batches {
		bc := c.at("PmtInf", i)
		bc.text("PmtInfId", b.ID, 35, true)
		bc.code("PmtMtd", b.Method, true, "TRF")
		bc.required("ReqdExctnDt/Dt", b.RequestedDate.IsZero())
		bc.date("ReqdExctnDt/Dt", b.RequestedDate)
		bc.text("PmtTpInf/SvcLvl/Cd", b.ServiceLevel, 4, false)
		bc.text("PmtTpInf/LclInstrm/Cd", b.LocalInstrument, 35, false)
		bc.text("PmtTpInf/CtgyPurp/Cd", b.CategoryPurpose, 4, false)
		bc.party("Dbtr", b.Debtor, false)
		bc.account("DbtrAcct", b.DebtorAccount, true)
		bc.agent("DbtrAgt", b.DebtorAgent, false)
		bc.code("ChrgBr", b.ChargeBearer, false, chargeBearers...)
		if len(b.Transactions) == 0 {
			bc.add("CdtTrfTxInf", ErrFieldMissing)
		}
	}
}

// validate checks one transaction's fields into c, with paths relative to the transaction.
func (tx InitiationTx) validate(c checker) {
	c.text("PmtId/InstrId", tx.InstructionID, 35, false)
	c.text("PmtId/EndToEndId", tx.EndToEndID, 35, true)
	c.amount("Amt/InstdAmt", tx.Amount, false)
	c.code("ChrgBr", tx.ChargeBearer, false, chargeBearers...)
	c.agent("CdtrAgt", tx.CreditorAgent, false)
	c.party("Cdtr", tx.Creditor, true)
	c.account("CdtrAcct", tx.CreditorAccount, true)
	c.text("Purp/Cd", tx.Purpose, 4, false)
	c.text("RmtInf/Ustrd", tx.Remittance, 140, false)
}
