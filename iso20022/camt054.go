package iso20022

import (
	"encoding/xml"
	"time"

	"github.com/kumbara/kumbara/money"
)

// Notification is a camt.054.001.08 BkToCstmrDbtCdtNtfctn with one Ntfctn: the entries booked (or pending) on an
// account, sent as they happen or gathered for a period a customer downloads. It carries no balances, and may
// carry no entries: the schema allows a notification of a period in which nothing was booked.
type Notification struct {
	MessageID      string
	CreatedAt      time.Time
	NotificationID string
	Account        Account
	Currency       money.Currency
	Owner          Party
	Servicer       Agent     // optional
	From, To       time.Time // FrToDt: both or neither
	Entries        []Entry
}

type xCamt054 struct {
	XMLName xml.Name          `xml:"BkToCstmrDbtCdtNtfctn"`
	GrpHdr  xReportHeader     `xml:"GrpHdr"`
	Ntfctn  []xNotificationV8 `xml:"Ntfctn"`
}

type xNotificationV8 struct {
	Id     string         `xml:"Id"`
	FrToDt *xPeriod       `xml:"FrToDt"`
	Acct   xReportAccount `xml:"Acct"`
	Ntry   []xEntry       `xml:"Ntry"`
}

// Marshal writes the notification; it refuses an entry in another currency than the account's.
func (m Notification) Marshal() ([]byte, error) {
	if err := m.validate(newChecker()); err != nil {
		return nil, err
	}
	n := xNotificationV8{Id: m.NotificationID, Acct: reportAccountOut(m.Account, m.Currency, m.Owner, m.Servicer),
		Ntry: make([]xEntry, len(m.Entries))}
	if !m.From.IsZero() {
		n.FrToDt = &xPeriod{FrDtTm: timeOut(m.From), ToDtTm: timeOut(m.To)}
	}
	for i, e := range m.Entries {
		n.Ntry[i] = entryOut(e)
	}
	return marshal(NameCamt054, xCamt054{GrpHdr: xReportHeader{MsgId: m.MessageID, CreDtTm: timeOut(m.CreatedAt)},
		Ntfctn: []xNotificationV8{n}})
}

// ParseNotification reads a camt.054.001.08 of one notification under the safe reader's rules.
func ParseNotification(doc []byte) (Notification, error) {
	var x xCamt054
	if err := decode(doc, NameCamt054, &x); err != nil {
		return Notification{}, err
	}
	c := newChecker()
	m := Notification{MessageID: x.GrpHdr.MsgId}
	var err error
	m.CreatedAt, err = timeIn(x.GrpHdr.CreDtTm)
	c.add("GrpHdr/CreDtTm", err)
	if len(x.Ntfctn) != 1 {
		c.add("Ntfctn", ErrFieldInvalid.With("%d notifications, not one", len(x.Ntfctn)))
		return Notification{}, c.err()
	}
	n := x.Ntfctn[0]
	nc := c.in("Ntfctn")
	m.NotificationID = n.Id
	if n.FrToDt != nil {
		m.From, err = timeIn(n.FrToDt.FrDtTm)
		nc.add("FrToDt/FrDtTm", err)
		m.To, err = timeIn(n.FrToDt.ToDtTm)
		nc.add("FrToDt/ToDtTm", err)
	}
	var balances []xBalance
	if n.Acct.Ccy == "" && len(n.Ntry) > 0 {
		balances = []xBalance{{Amt: n.Ntry[0].Amt}} // the currency of the first entry
	}
	m.Account, m.Currency, m.Owner, m.Servicer = reportAccountIn(n.Acct, balances, nc.in("Acct"))
	if len(n.Ntry) > 0 {
		m.Entries = make([]Entry, len(n.Ntry))
		for i, e := range n.Ntry {
			m.Entries[i] = entryIn(e, nc.at("Ntry", i))
		}
	}
	if !c.ok() {
		return Notification{}, c.err()
	}
	if err := m.validate(c); err != nil {
		return Notification{}, err
	}
	return m, nil
}

func (m Notification) validate(c checker) error {
	c.text("GrpHdr/MsgId", m.MessageID, 35, true)
	c.created(m.CreatedAt)
	n := c.in("Ntfctn")
	n.text("Id", m.NotificationID, 35, true)
	if !m.From.IsZero() || !m.To.IsZero() {
		n.dateTime("FrToDt/FrDtTm", m.From)
		n.dateTime("FrToDt/ToDtTm", m.To)
		if m.To.Before(m.From) {
			n.add("FrToDt", ErrFieldInvalid.With("ends before it starts"))
		}
	}
	n.reportAccount("Acct", m.Account, m.Currency, m.Owner, m.Servicer)
	for i, e := range m.Entries {
		e.validate(n.at("Ntry", i), m.Currency)
	}
	return c.err()
}
