package iso20022

import (
	"bytes"
	"encoding/xml"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/money"
)

// Address is a postal address: structured (StreetName, BuildingNumber, PostCode, TownName, Country ISO 3166) or
// AddressLines (unstructured, up to 2 lines of 70, as SEPA allows). Country is required when anything is given.
type Address struct {
	Street, BuildingNumber, PostalCode, City, Country string
	Lines                                             []string
}

// IsZero reports whether nothing of the address is given (it is then left out of a message).
func (a Address) IsZero() bool {
	return a.Street == "" && a.BuildingNumber == "" && a.PostalCode == "" && a.City == "" && a.Country == "" &&
		len(a.Lines) == 0
}

// Party is a person or a company: its name and postal address.
type Party struct {
	Name    string
	Address Address
}

// Account is an account by IBAN, or by Other (a non-IBAN account number), never both.
type Account struct{ IBAN, Other string }

// IsZero reports whether no account is given.
func (a Account) IsZero() bool { return a.IBAN == "" && a.Other == "" }

// Agent is a financial institution: by BIC (BICFI), or when it has no BIC by Name and Address, with an optional
// clearing member id (ClrSysMmbId/MmbId, e.g. a national bank code) and the clearing system that gave it
// (ClrSysId/Cd, e.g. "USABA").
type Agent struct {
	BIC, Name      string
	Address        Address
	MemberID       string
	ClearingSystem string // ClrSysMmbId/ClrSysId/Cd, only with a MemberID
}

// IsZero reports whether the agent is not given.
func (a Agent) IsZero() bool {
	return a.BIC == "" && a.Name == "" && a.Address.IsZero() && a.MemberID == "" && a.ClearingSystem == ""
}

// The XML shapes every 2019 message shares: PostalAddress24, PartyIdentification135, CashAccount38,
// BranchAndFinancialInstitutionIdentification6 and the amounts. Only the elements the bank uses are declared:
// encoding/xml writes them in the schema's order and skips the others when reading.

type xAmount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type xAddress struct {
	StrtNm  string   `xml:"StrtNm,omitempty"`
	BldgNb  string   `xml:"BldgNb,omitempty"`
	PstCd   string   `xml:"PstCd,omitempty"`
	TwnNm   string   `xml:"TwnNm,omitempty"`
	Ctry    string   `xml:"Ctry,omitempty"`
	AdrLine []string `xml:"AdrLine"`
}

type xParty struct {
	Nm      string    `xml:"Nm,omitempty"`
	PstlAdr *xAddress `xml:"PstlAdr"`
}

type xCode struct {
	Cd    string `xml:"Cd,omitempty"`
	Prtry string `xml:"Prtry,omitempty"`
}

type xMember struct {
	ClrSysId *xCode `xml:"ClrSysId"`
	MmbId    string `xml:"MmbId"`
}

type xFinInstn struct {
	BICFI       string    `xml:"BICFI,omitempty"`
	ClrSysMmbId *xMember  `xml:"ClrSysMmbId"`
	Nm          string    `xml:"Nm,omitempty"`
	PstlAdr     *xAddress `xml:"PstlAdr"`
}

type xAgent struct {
	FinInstnId xFinInstn `xml:"FinInstnId"`
}

type xOther struct {
	Id string `xml:"Id"`
}

type xAccountID struct {
	IBAN string  `xml:"IBAN,omitempty"`
	Othr *xOther `xml:"Othr"`
}

type xAccount struct {
	Id xAccountID `xml:"Id"`
}

type xRemittance struct {
	Ustrd []string `xml:"Ustrd"`
}

// document is the root every message is written in; its namespace is set per message.
type document struct {
	XMLName xml.Name
	Body    any
}

// marshal writes the Document of the message name around body (which carries its own element name).
func marshal(name string, body any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	err := xml.NewEncoder(&buf).Encode(document{XMLName: xml.Name{Space: namespacePrefix + name, Local: "Document"}, Body: body})
	if err != nil {
		return nil, ErrInvalid.With("%s", name).Wrap(err)
	}
	return buf.Bytes(), nil
}

// Conversions from the model to the XML shapes and back.

func addressOut(a Address) *xAddress {
	if a.IsZero() {
		return nil
	}
	return &xAddress{StrtNm: a.Street, BldgNb: a.BuildingNumber, PstCd: a.PostalCode, TwnNm: a.City, Ctry: a.Country,
		AdrLine: a.Lines}
}

func addressIn(x *xAddress) Address {
	if x == nil {
		return Address{}
	}
	return Address{Street: x.StrtNm, BuildingNumber: x.BldgNb, PostalCode: x.PstCd, City: x.TwnNm, Country: x.Ctry,
		Lines: x.AdrLine}
}

func partyOut(p Party) xParty { return xParty{Nm: p.Name, PstlAdr: addressOut(p.Address)} }

func partyIn(x xParty) Party { return Party{Name: x.Nm, Address: addressIn(x.PstlAdr)} }

func partyPtrIn(x *xParty) Party {
	if x == nil {
		return Party{}
	}
	return partyIn(*x)
}

func agentOut(a Agent) xAgent {
	x := xAgent{FinInstnId: xFinInstn{BICFI: a.BIC, Nm: a.Name, PstlAdr: addressOut(a.Address)}}
	if a.MemberID != "" {
		m := &xMember{MmbId: a.MemberID}
		if a.ClearingSystem != "" {
			m.ClrSysId = &xCode{Cd: a.ClearingSystem}
		}
		x.FinInstnId.ClrSysMmbId = m
	}
	return x
}

func agentPtrOut(a Agent) *xAgent {
	if a.IsZero() {
		return nil
	}
	x := agentOut(a)
	return &x
}

func agentIn(x xAgent) Agent {
	f := x.FinInstnId
	a := Agent{BIC: f.BICFI, Name: f.Nm, Address: addressIn(f.PstlAdr)}
	if f.ClrSysMmbId != nil {
		a.MemberID = f.ClrSysMmbId.MmbId
		if f.ClrSysMmbId.ClrSysId != nil {
			a.ClearingSystem = f.ClrSysMmbId.ClrSysId.Cd
		}
	}
	return a
}

func agentPtrIn(x *xAgent) Agent {
	if x == nil {
		return Agent{}
	}
	return agentIn(*x)
}

func accountOut(a Account) *xAccount {
	if a.IsZero() {
		return nil
	}
	x := &xAccount{Id: xAccountID{IBAN: a.IBAN}}
	if a.Other != "" {
		x.Id.Othr = &xOther{Id: a.Other}
	}
	return x
}

func accountIn(x *xAccount) Account {
	if x == nil {
		return Account{}
	}
	a := Account{IBAN: x.Id.IBAN}
	if x.Id.Othr != nil {
		a.Other = x.Id.Othr.Id
	}
	return a
}

func codeOut(s string) *xCode {
	if s == "" {
		return nil
	}
	return &xCode{Cd: s}
}

// codeIn reads a code-or-proprietary choice: the code, or the proprietary value when there is no code.
func codeIn(x *xCode) string {
	if x == nil {
		return ""
	}
	if x.Cd != "" {
		return x.Cd
	}
	return x.Prtry
}

func remittanceOut(s string) *xRemittance {
	if s == "" {
		return nil
	}
	return &xRemittance{Ustrd: []string{s}}
}

func amountOut(a money.Amount) xAmount { return xAmount{Ccy: string(a.Currency), Value: a.Decimal()} }

func amountPtrOut(a *money.Amount) *xAmount {
	if a == nil {
		return nil
	}
	x := amountOut(*a)
	return &x
}

// amountIn reads an amount: an offered currency, no more decimals than it has, never negative (the sign of a
// balance is its CdtDbtInd), and digits only (no exponent, no sign, no separators).
func amountIn(x xAmount) (money.Amount, error) {
	c, err := money.ParseCurrency(strings.TrimSpace(x.Ccy))
	if err != nil {
		return money.Amount{}, err
	}
	v := strings.TrimSpace(x.Value)
	if strings.HasPrefix(v, "-") {
		return money.Amount{}, money.ErrInvalidAmount.With("negative")
	}
	return money.ParseDecimal(v, c)
}

func amountPtrIn(x *xAmount) (*money.Amount, error) {
	if x == nil {
		return nil, nil
	}
	a, err := amountIn(*x)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// dateTimeLayout writes a time in UTC, with as many fractional digits as it has.
const dateTimeLayout = "2006-01-02T15:04:05.999999999Z"

func timeOut(t time.Time) string { return t.UTC().Format(dateTimeLayout) }

// timeIn reads an ISODateTime: with an offset or Z, or without (a local time, read in the bank's time zone).
func timeIn(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05.999999999", s, clock.Tirane)
	if err != nil {
		return time.Time{}, ErrFieldInvalid.With("not an ISO date and time")
	}
	return t.UTC(), nil
}

func dateOut(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func dateIn(s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return calendar.Date{}, ErrFieldInvalid.With("not an ISO date")
	}
	return d, nil
}

// countOut writes NbOfTxs.
func countOut(n int) string { return strconv.Itoa(n) }

// countIn reads NbOfTxs (Max15NumericText) and compares it with the transactions found.
func countIn(s string, found int) error {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 15 || !digitsOnly(s) {
		return ErrFieldInvalid.With("NbOfTxs is not a number")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n != int64(found) {
		return ErrCountMismatch.With("NbOfTxs %s, %d transactions", s, found)
	}
	return nil
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// The checks of the model, shared by Marshal (what it writes must fit the schema) and Parse (what the bank relies
// on): a check names the element it is about, and the first problem becomes the message's error.

type problem struct {
	path string
	err  error
}

// checker collects problems under a path prefix; copies made with in share the list.
type checker struct {
	prefix string
	list   *[]problem
}

func newChecker() checker { return checker{list: new([]problem)} }

// in is a checker for the elements under elem.
func (c checker) in(elem string) checker { return checker{prefix: join(c.prefix, elem), list: c.list} }

// at is a checker for the i-th (0-based) occurrence of elem, written 1-based.
func (c checker) at(elem string, i int) checker {
	return c.in(elem + "[" + strconv.Itoa(i+1) + "]")
}

func join(prefix, elem string) string {
	if prefix == "" {
		return elem
	}
	if elem == "" {
		return prefix
	}
	return prefix + "/" + elem
}

func (c checker) add(elem string, err error) {
	if err != nil {
		*c.list = append(*c.list, problem{join(c.prefix, elem), err})
	}
}

func (c checker) ok() bool { return len(*c.list) == 0 }

// err is the first problem, as the message's refusal: ErrInvalid naming the element, wrapping the cause (so
// errors.Is finds iban.ErrIBANInvalid too), except for the count and sum mismatches, which keep their codes.
func (c checker) err() error {
	if len(*c.list) == 0 {
		return nil
	}
	p := (*c.list)[0]
	if e, ok := kumbara.As(p.err); ok && (errors.Is(e, ErrCountMismatch) || errors.Is(e, ErrControlSumMismatch)) {
		return e.WithParam("element", p.path)
	}
	return ErrInvalid.With("%s", p.path).WithParam("element", p.path).Wrap(p.err)
}

// text checks a free text of at most max characters that may be left out unless required.
func (c checker) text(elem, s string, max int, required bool) {
	c.add(elem, checkText(s, max, required))
}

func checkText(s string, max int, required bool) error {
	if s == "" {
		if required {
			return ErrFieldMissing
		}
		return nil
	}
	n := 0
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return ErrFieldInvalid.With("not UTF-8")
			}
		}
		if !xmlChar(r) {
			return ErrFieldInvalid.With("character U+%04X", r)
		}
		n++
	}
	if n > max {
		return ErrFieldInvalid.With("longer than %d characters", max).WithParam("max", strconv.Itoa(max))
	}
	return nil
}

// xmlChar reports whether XML 1.0 can carry r.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// code checks a value from a code list.
func (c checker) code(elem, s string, required bool, list ...string) {
	if s == "" {
		if required {
			c.add(elem, ErrFieldMissing)
		}
		return
	}
	for _, v := range list {
		if s == v {
			return
		}
	}
	c.add(elem, ErrFieldInvalid.With("not a known code"))
}

var externalCode = regexp.MustCompile(`^[A-Z0-9]{1,4}$`)

// external checks a code of an external code list (a reason, a purpose): 1 to 4 upper-case letters or digits.
func (c checker) external(elem, s string) {
	if s != "" && !externalCode.MatchString(s) {
		c.add(elem, ErrFieldInvalid.With("not an external code"))
	}
}

var uetrPattern = regexp.MustCompile(`^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$`)

func (c checker) uetr(elem, s string) {
	if s != "" && !uetrPattern.MatchString(s) {
		c.add(elem, ErrFieldInvalid.With("not a UUIDv4"))
	}
}

// date checks a date the bank writes (zero is checked by the caller): a day that exists, years 1 to 9999.
func (c checker) date(elem string, d calendar.Date) {
	if d.IsZero() {
		return
	}
	if back, err := calendar.ParseDate(d.String()); err != nil || back != d || d.Year < 1 {
		c.add(elem, ErrFieldInvalid.With("not a date"))
	}
}

// dateTime checks a time the bank writes: given, and in years 1 to 9999 in UTC.
func (c checker) dateTime(elem string, t time.Time) {
	if t.IsZero() {
		c.add(elem, ErrFieldMissing)
	} else if y := t.UTC().Year(); y < 1 || y > 9999 {
		c.add(elem, ErrFieldInvalid.With("year %d", y))
	}
}

func (c checker) required(elem string, missing bool) {
	if missing {
		c.add(elem, ErrFieldMissing)
	}
}

func (c checker) country(elem, s string) {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		c.add(elem, ErrFieldInvalid.With("not an ISO 3166 country code"))
	}
}

func (c checker) address(elem string, a Address) {
	if a.IsZero() {
		return
	}
	c = c.in(elem)
	c.text("StrtNm", a.Street, 70, false)
	c.text("BldgNb", a.BuildingNumber, 16, false)
	c.text("PstCd", a.PostalCode, 16, false)
	c.text("TwnNm", a.City, 35, false)
	c.country("Ctry", a.Country)
	if len(a.Lines) > 2 {
		c.add("AdrLine", ErrFieldInvalid.With("more than 2 lines"))
	}
	for i, l := range a.Lines {
		c.text("AdrLine["+strconv.Itoa(i+1)+"]", l, 70, true)
	}
}

func (c checker) party(elem string, p Party, nameRequired bool) {
	c.text(elem+"/Nm", p.Name, 140, nameRequired)
	c.address(elem+"/PstlAdr", p.Address)
}

// account checks an account: an IBAN in its electronic form (iban.Parse) or another number, never both.
func (c checker) account(elem string, a Account, required bool) {
	switch {
	case a.IBAN != "" && a.Other != "":
		c.add(elem+"/Id", ErrFieldInvalid.With("both IBAN and Othr"))
	case a.IBAN != "":
		c.add(elem+"/Id/IBAN", checkIBAN(a.IBAN))
	case a.Other != "":
		c.text(elem+"/Id/Othr/Id", a.Other, 34, true)
	case required:
		c.add(elem, ErrFieldMissing)
	}
}

func checkIBAN(s string) error {
	i, err := iban.Parse(s)
	if err != nil {
		return err
	}
	if i.String() != s {
		return iban.ErrIBANInvalid.With("not in its electronic form")
	}
	return nil
}

func checkBIC(s string) error {
	b, err := iban.ParseBIC(s)
	if err != nil {
		return err
	}
	if b.String() != s {
		return iban.ErrBICInvalid.With("not in its electronic form")
	}
	return nil
}

// agent checks an institution: a valid BIC, or a name or clearing member id to know it by.
func (c checker) agent(elem string, a Agent, required bool) {
	if a.IsZero() {
		if required {
			c.add(elem, ErrFieldMissing)
		}
		return
	}
	c = c.in(elem + "/FinInstnId")
	if a.BIC != "" {
		c.add("BICFI", checkBIC(a.BIC))
	} else if a.Name == "" && a.MemberID == "" {
		c.add("BICFI", ErrFieldMissing)
	}
	c.text("ClrSysMmbId/MmbId", a.MemberID, 35, a.ClearingSystem != "")
	c.text("ClrSysMmbId/ClrSysId/Cd", a.ClearingSystem, 5, false)
	c.text("Nm", a.Name, 140, false)
	c.address("PstlAdr", a.Address)
}

// maxAmountDigits is the schema's totalDigits for an amount: 18 digits in all, decimals included.
const maxAmountDigits = 18

// amount checks an amount the bank writes: an offered currency, within the schema's digits, positive unless zero
// is allowed, never negative.
func (c checker) amount(elem string, a money.Amount, zeroAllowed bool) {
	c.add(elem, checkAmount(a, zeroAllowed))
}

func checkAmount(a money.Amount, zeroAllowed bool) error {
	if !a.Currency.Valid() {
		return money.ErrUnknownCurrency
	}
	if a.Minor < 0 || (a.Minor == 0 && !zeroAllowed) {
		return money.ErrAmountNotPositive
	}
	if len(strconv.FormatInt(a.Minor, 10)) > maxAmountDigits {
		return money.ErrAmountOutOfRange
	}
	return nil
}

// sum adds amounts of one currency in minor units; ok is false on a second currency or an overflow.
type sum struct {
	total    money.Amount
	mixed    bool
	overflow bool
}

func (s *sum) add(a money.Amount) {
	if s.total.Currency == "" {
		s.total.Currency = a.Currency
	} else if a.Currency != s.total.Currency {
		s.mixed = true
		return
	}
	if a.Minor > 0 && s.total.Minor > (1<<63-1)-a.Minor {
		s.overflow = true
		return
	}
	s.total.Minor += a.Minor
}

// check reports the sum's problems under elem.
func (s *sum) check(c checker, elem string) {
	switch {
	case s.mixed:
		c.add(elem, ErrFieldInvalid.With("transactions in more than one currency"))
	case s.overflow || len(strconv.FormatInt(s.total.Minor, 10)) > maxAmountDigits:
		c.add(elem, money.ErrAmountOutOfRange.With("the total is too large"))
	}
}

// interbankGroup is what the group headers of a pacs.008 and a pacs.004 share, as read.
type interbankGroup struct {
	created                    time.Time
	settlementDate             calendar.Date
	method, system, systemCode string
}

// groupIn reads the shared part of a pacs.008's or pacs.004's group header into c's problems.
func groupIn(c checker, created, settlementDate string, s xSettlement) interbankGroup {
	var g interbankGroup
	var err error
	g.created, err = timeIn(created)
	c.add("GrpHdr/CreDtTm", err)
	g.settlementDate, err = dateIn(settlementDate)
	c.add("GrpHdr/IntrBkSttlmDt", err)
	g.method, g.system, g.systemCode = settlementIn(s)
	c.required("GrpHdr/SttlmInf/SttlmMtd", g.method == "")
	return g
}

// totalIn checks a group's control sum, when it gives one (field), against the total of its transactions.
func totalIn(c checker, field string, given *xAmount, total money.Amount) error {
	if given == nil {
		return nil
	}
	amount, err := amountIn(*given)
	if err != nil {
		c.add(field, err)
	} else if amount != total {
		c.add(field, ErrControlSumMismatch.With("total %s, sum %s", amount, total))
	}
	return c.err()
}
