package backoffice

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/web/core"
)

// A request's payload as a checker reads it: the exact JSON and its hash are what they approve, but what they
// weigh is the operation in words — a reversal's entry with its legs, an overdraft's limit before and after, the
// contact details before and after, a withdrawal's amount. A payload that does not decode into its kind's shape
// is shown as its JSON alone.

// requestView is a request as the inbox and its page show it.
type requestView struct {
	approval.Request
	KindLabel string // the operation in the page's language
	Summary   string // one line of what it does, for a list
	About     *customer.Customer
	Account   *accountRow // the account it is about, if any
	Own       bool        // the member looking made it
	// Result is what it did once decided: the refusal's message when it failed.
	Result string
	// What it does, by kind: one of these is set.
	Reversal     *reversalDetail
	Overdraft    *limitChange
	Contact      []contactRow
	Reactivation *operation.Reactivation
	Cash         *cashDetail
	Tariff       *tariffDetail
	FX           *fxDetail
	Credit       *creditDetail
}

// reversalDetail is a reversal's entry as the books hold it, and the reason given.
type reversalDetail struct {
	Reason string
	Entry  *journalView // nil if the entry cannot be read
}

// limitChange is an overdraft limit as it was and as it is to be.
type limitChange struct {
	IBAN          string
	Before, After money.Amount
}

// contactRow is one contact detail before and after.
type contactRow struct {
	Label, Before, After string
	Changed              bool
}

// cashDetail is a withdrawal to be paid out.
type cashDetail struct {
	IBAN   string
	Amount money.Amount
	Reason string
}

// journalView is an entry as a page lists it: its legs with their accounts and customers.
type journalView struct {
	ID, Kind, Description  string
	PostedAt               time.Time
	ReversesID, ReversedBy string
	Legs                   []legView
}

// legView is one posting of an entry.
type legView struct {
	Amount       int64
	Currency     money.Currency
	Account      string // the account's name, or the bank's own account's code
	IBAN         string // printable; empty for the bank's own accounts
	CustomerID   string
	CustomerName string
	AccountID    string
	Text         string // the posting's description in the page's language
}

// journalView says entry e in the page's language, naming the customer of each leg on a customer's account.
func (s *Server) journalView(r *http.Request, e ledger.JournalEntry) (journalView, error) {
	j := journalView{ID: e.ID, Kind: s.entryKind(r, e.Kind), Description: e.Description, PostedAt: e.PostedAt,
		ReversesID: e.ReversesID, ReversedBy: e.ReversedBy}
	names := map[string]string{}
	for _, l := range e.Legs {
		leg := legView{Amount: l.Amount, Currency: l.Currency, Account: l.Account.GLCode, AccountID: l.AccountID,
			Text: l.Describe(s.Catalogue, core.Lang(r))}
		if id := l.Account.CustomerID; id != "" {
			leg.Account, leg.IBAN, leg.CustomerID = l.Account.Title(s.Catalogue, core.Lang(r)), iban.IBAN(l.Account.IBAN).Printable(), id
			if _, ok := names[id]; !ok {
				c, err := s.Customers.Get(r.Context(), id)
				if err != nil {
					return journalView{}, err
				}
				names[id] = c.Name()
			}
			leg.CustomerName = names[id]
		}
		j.Legs = append(j.Legs, leg)
	}
	return j, nil
}

// entryKind names an entry's kind in the page's language, as the customers' history does.
func (s *Server) entryKind(r *http.Request, kind string) string {
	if key := "web_fin_kind_" + kind; s.Catalogue.Has(key) {
		return s.message(r, key, nil)
	}
	return kind
}

// requestView says request q in the page's language, with what it does and whom it is about.
func (s *Server) requestView(r *http.Request, q approval.Request) requestView {
	v := requestView{Request: q, KindLabel: q.Kind, Own: q.Maker == MemberOf(r).Username}
	if key := "web_bo_req_" + strings.ReplaceAll(q.Kind, ".", "_"); s.Catalogue.Has(key) {
		v.KindLabel = s.message(r, key, nil)
	}
	if q.Status == approval.Failed {
		v.Result = s.message(r, q.Result, nil)
	} else {
		v.Result = q.Result
	}
	customerID, accountID := q.CustomerID, q.AccountID
	switch operation.Kind(q.Kind) {
	case operation.KindReversal:
		var p operation.Reversal
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Reversal, v.Summary = &reversalDetail{Reason: p.Reason}, p.Reason
			if e, err := s.Ledger.JournalEntry(r.Context(), p.EntryID); err == nil {
				if j, err := s.journalView(r, e); err == nil {
					v.Reversal.Entry = &j
					customerID, accountID = firstCustomerLeg(j, customerID, accountID)
				}
			}
		}
	case operation.KindOverdraft:
		var p operation.Overdraft
		if json.Unmarshal(q.Payload, &p) == nil {
			before, ok1 := amountOf(p.Before, p.Currency)
			after, ok2 := amountOf(p.Limit, p.Currency)
			if ok1 && ok2 {
				v.Overdraft = &limitChange{IBAN: iban.IBAN(p.IBAN).Printable(), Before: before, After: after}
				v.Summary = s.amount(r, before) + " → " + s.amount(r, after)
			}
			if accountID == "" {
				accountID = p.AccountID
			}
		}
	case operation.KindContact:
		var p operation.ContactChange
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Contact = s.contactRows(r, p.Before, p.After)
			var changed []string
			for _, row := range v.Contact {
				if row.Changed {
					changed = append(changed, row.Label+": "+row.After)
				}
			}
			v.Summary = strings.Join(changed, " · ")
			if customerID == "" {
				customerID = p.CustomerID
			}
		}
	case operation.KindReactivation:
		var p operation.Reactivation
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Reactivation, v.Summary = &p, p.ClientNumber
			if customerID == "" {
				customerID = p.CustomerID
			}
		}
	case operation.KindCashWithdrawal:
		var p operation.Cash
		if json.Unmarshal(q.Payload, &p) == nil {
			if amt, ok := amountOf(p.Amount, p.Currency); ok {
				v.Cash = &cashDetail{IBAN: iban.IBAN(p.IBAN).Printable(), Amount: amt, Reason: p.Reason}
				v.Summary = s.amount(r, amt)
			}
			if accountID == "" {
				accountID = p.AccountID
			}
		}
	case operation.KindTariff:
		var p tariff.Rate
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Tariff = s.tariffDetail(r, p, q.Status == approval.Pending)
			v.Summary = v.Tariff.Rate.SchemeName + " · " + v.Tariff.Rate.ChargesName + " · " + string(p.Currency)
		}
	case operation.KindFXPublish:
		// The checker reads the figures beside the rate in force, with the page's decimal mark.
		var p fx.Rate
		if json.Unmarshal(q.Payload, &p) == nil {
			v.FX = s.fxDetail(r, p, q.Status == approval.Pending)
			lang := core.Lang(r)
			v.Summary = string(p.Currency) + " " + rateText(lang, p.Buy) + " / " + rateText(lang, p.Sell)
		}
	case operation.KindFXOffer:
		var p fx.Offer
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Summary = s.offerSummary(r, p)
		}
	case operation.KindCreditOpen:
		var p operation.CreditOpening
		if json.Unmarshal(q.Payload, &p) == nil {
			v.Credit = &creditDetail{Limit: money.New(p.Limit, p.Currency), CashLimit: money.New(p.CashLimit, p.Currency),
				Cycle: s.message(r, "web_bo_credit_cycle_"+p.Cycle, nil), Scheme: card.Type(p.Type).Name(),
				Contactless: p.Contactless}
			v.Summary = s.amount(r, v.Credit.Limit) + " · " + v.Credit.Scheme
		}
	case operation.KindCardReactivateLost:
		// The card by its masked number: what the checker compares with the customer's call.
		var p operation.CardReactivation
		if json.Unmarshal(q.Payload, &p) == nil && s.Cards != nil {
			if c, err := s.Cards.Find(r.Context(), p.CardID); err == nil {
				v.Summary = c.Masked + " · " + c.Holder
			}
		}
	case operation.KindDisputeDecide:
		// The decision beside the payment it charges back: what the checker compares with the network's answer.
		var p operation.DisputeDecision
		if json.Unmarshal(q.Payload, &p) == nil && s.Issuing != nil {
			decision := s.message(r, "web_bo_cd_lost", nil)
			if p.Won {
				decision = s.message(r, "web_bo_cd_won", nil)
			}
			v.Summary = decision
			if d, err := s.Issuing.Dispute(r.Context(), p.DisputeID); err == nil {
				if c, err := s.Issuing.Clearing(r.Context(), d.ClearingID); err == nil {
					v.Summary = decision + " · " + c.Merchant + " · " + s.amount(r, c.Amount)
				}
			}
		}
	}
	s.about(r, &v, customerID, accountID)
	return v
}

// tariffDetail is a new rate: which one it is, and each of its figures beside the one in force, while the request
// waits (once decided, the rate in force may be this one, or a later one).
type tariffDetail struct {
	Rate    rateRow
	Rows    []contactRow
	Compare bool // the rows say the rate in force beside the one asked for
}

// tariffDetail says rate p in the page's language, beside the rate it would replace when compare.
func (s *Server) tariffDetail(r *http.Request, p tariff.Rate, compare bool) *tariffDetail {
	d := &tariffDetail{Rate: s.rateRow(r, p), Compare: compare}
	var now *rateRow
	if compare && s.Tariff != nil {
		if rates, err := s.Tariff.Current(r.Context()); err == nil {
			for _, rt := range rates {
				if rt.Scheme == p.Scheme && rt.Charges == p.Charges && rt.Currency == p.Currency {
					row := s.rateRow(r, rt)
					now = &row
				}
			}
		}
	}
	figures := func(row rateRow) []string {
		amount := func(minor int64) string { return s.amount(r, money.New(minor, row.Currency)) }
		none := func(minor int64) string {
			if minor == 0 {
				return "–"
			}
			return amount(minor)
		}
		pct := row.PercentText
		if pct == "" {
			pct = "–"
		}
		return []string{amount(row.Fixed), pct, amount(row.Min), none(row.Max), none(row.Correspondent)}
	}
	asked := figures(d.Rate)
	var before []string
	if now != nil {
		before = figures(*now)
	}
	for i, key := range []string{"web_bo_tariff_fixed", "web_bo_tariff_percent", "web_bo_tariff_min",
		"web_bo_tariff_max", "web_bo_tariff_correspondent"} {
		row := contactRow{Label: s.message(r, key, nil), Before: "–", After: asked[i]}
		if before != nil {
			row.Before = before[i]
		}
		row.Changed = compare && row.Before != row.After
		d.Rows = append(d.Rows, row)
	}
	return d
}

// firstCustomerLeg is whom a reversal is about: the customer of its entry's first leg on a customer's account.
func firstCustomerLeg(j journalView, customerID, accountID string) (string, string) {
	for _, l := range j.Legs {
		if customerID == "" && l.CustomerID != "" {
			return l.CustomerID, l.AccountID
		}
	}
	return customerID, accountID
}

// about finds the customer and the account a request is about; what cannot be read is left out.
func (s *Server) about(r *http.Request, v *requestView, customerID, accountID string) {
	if accountID != "" {
		if a, err := s.Ledger.Get(r.Context(), accountID); err == nil && !a.IsGL() {
			row := s.accountRow(r, a)
			v.Account = &row
			if customerID == "" {
				customerID = a.CustomerID
			}
		}
	}
	if customerID != "" {
		if c, err := s.Customers.Get(r.Context(), customerID); err == nil {
			v.About = &c
		}
	}
}

// contactRows are the contact details before and after, each marked if it changes.
func (s *Server) contactRows(r *http.Request, before, after customer.Contact) []contactRow {
	dash := func(v string) string {
		if v == "" {
			return "–"
		}
		return v
	}
	var rows []contactRow
	for _, f := range []struct{ key, before, after string }{
		{"web_bo_mobile", before.Mobile, after.Mobile},
		{"web_bo_email", before.Email, after.Email},
		{"web_bo_address", before.Address, after.Address},
	} {
		rows = append(rows, contactRow{Label: s.message(r, f.key, nil), Before: dash(f.before), After: dash(f.after),
			Changed: f.before != f.after})
	}
	return rows
}

// amount formats an amount the page's way.
func (s *Server) amount(r *http.Request, a money.Amount) string {
	return i18n.FormatAmount(a.Minor, string(a.Currency), core.Lang(r))
}
