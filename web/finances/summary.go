// Package finances is "My finances" (F1, F4, F5, F6, F26) in the internet branch: the summary, and for each account
// its details, history, statement and settings — the sub-menus of the bank's manual (VI, 1.1) — and the demo
// bank's inbox.
package finances

import (
	"embed"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "My finances": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "finances", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

// area is the finances pages' handlers, on the site.
type area struct{ *core.Site }

func (s *area) routes() []core.Route {
	routes := []core.Route{
		{Method: "GET", Path: "/summary", Policy: core.Private(""), Handler: s.summary},
		{Method: "GET", Path: "/accounts/{id}", Policy: core.Private(""), Handler: s.details},
		{Method: "GET", Path: "/accounts/{id}/settings", Policy: core.Private(""), Handler: s.settings},
		{Method: "POST", Path: "/accounts/{id}/settings", Policy: core.Private(""), Handler: s.saveSettings},
		{Method: "GET", Path: "/accounts/{id}/history", Policy: core.Private(""), Handler: s.history},
		{Method: "GET", Path: "/accounts/{id}/history/{line}", Policy: core.Private(""), Handler: s.lineDetail},
		{Method: "GET", Path: "/accounts/{id}/statement", Policy: core.Private(""), Handler: s.statementPage},
		{Method: "GET", Path: "/accounts/{id}/statement/pdf", Policy: core.Private(""), Handler: s.statementPDF},
		{Method: "GET", Path: "/accounts/{id}/statement/camt053", Policy: core.Private(""), Handler: s.statementCAMT053},
		{Method: "GET", Path: "/accounts/{id}/statement/camt054", Policy: core.Private(""), Handler: s.statementCAMT054},
		{Method: "POST", Path: "/accounts/{id}/statement/email", Policy: core.Private(httpx.StatementEmail), Handler: s.statementEmail},
	}
	if s.Inbox != nil {
		// The page; a client that does not ask for HTML gets the API's JSON of the same inbox, if the API serves it.
		routes = append(routes, core.Route{Method: "GET", Path: "/dev/inbox", Policy: core.Public(""), Handler: s.inboxPage})
	}
	return routes
}

type accountRow struct {
	ID, IBAN, Currency, Type, Name, Status, Symbol string
	StatusLabel                                    string // shown for an account that is not active
	Ledger, Held, Available                        int64
}

// total is what the customer may spend in one currency, across their accounts.
type total struct {
	Currency  string
	Available int64
}

// recentLine is one line of the summary's recent activity, across the customer's accounts.
type recentLine struct {
	line
	Account string // the account's name, or its type's
}

// cardRow is one of the customer's cards on the summary (F1): what it is, its masked number and its status.
type cardRow struct {
	ID, Kind, Scheme, Masked, Status, StatusLabel, Expires string
}

// Warn says the card's status is one to notice.
func (c cardRow) Warn() bool { return c.Status != string(card.Active) }

type summaryData struct {
	Totals   []total
	Accounts []accountRow
	Cards    []cardRow // the cards in use or on their way; the replaced and closed ones are on /cards
	Recent   []recentLine
	// Main is the account the quick actions for a statement and the history open: the first one listed.
	Main string
}

// recentSize is how many lines the summary's recent activity shows: a phone screen.
const recentSize = 8

// summary is the dashboard: what the customer may spend per currency, each account as a card, the latest lines
// across all of them and the actions people come for. A business user sees the business's accounts.
func (s *area) summary(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_summary_title"}
	accounts, err := s.Ledger.ListByCustomer(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		s.Problem(w, r, "summary", v, err)
		return
	}
	d, names := s.cards(r, accounts)
	ids := make([]string, 0, len(d.Accounts))
	for _, a := range d.Accounts {
		ids = append(ids, a.ID)
	}
	if len(ids) > 0 {
		d.Main = ids[0]
	}
	recent, err := s.Ledger.Recent(r.Context(), ids, recentSize)
	if err == nil {
		var lines []line
		lines, err = s.lines(r, recent)
		for _, l := range lines {
			d.Recent = append(d.Recent, recentLine{line: l, Account: names[l.AccountID]})
		}
	}
	if err == nil {
		d.Cards, err = s.cardRows(r)
	}
	if err != nil {
		s.Problem(w, r, "summary", v, err)
		return
	}
	v.Data = &d
	s.Render(w, r, http.StatusOK, "summary", v)
}

// cardRows are the customer's cards for the summary, without the replaced and closed ones; none on a site without
// cards.
func (s *area) cardRows(r *http.Request) ([]cardRow, error) {
	if s.Cards == nil {
		return nil, nil
	}
	list, err := s.Cards.List(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		return nil, err
	}
	l := core.Lang(r)
	var out []cardRow
	for _, c := range list {
		st := c.Shown(s.Now())
		if st == card.Replaced || st == card.Closed {
			continue
		}
		expires := c.Expires
		if len(expires) == 7 {
			expires = expires[5:] + "/" + expires[:4]
		}
		out = append(out, cardRow{ID: c.ID, Kind: s.Catalogue.Message(l, "web_cd_kind_"+string(c.Kind), nil),
			Scheme: c.Type.Name(), Masked: c.Masked, Status: string(st),
			StatusLabel: s.Catalogue.Message(l, "web_cd_status_"+string(st), nil), Expires: expires})
	}
	return out, nil
}

// cards are the summary's accounts (all but closed ones) and the totals of what they hold to spend, with each
// account's name (or its type's) by id. A blocked account is shown but adds nothing to the totals: nothing can be
// spent from it.
func (s *area) cards(r *http.Request, accounts []ledger.Account) (summaryData, map[string]string) {
	var d summaryData
	names := map[string]string{}
	for _, a := range accounts {
		if a.Status == ledger.Closed {
			continue
		}
		row := accountRow{ID: a.ID, IBAN: a.IBAN, Currency: string(a.Currency),
			Type: ledger.TypeName(s.Catalogue, core.Lang(r), a.Type), Name: a.Title(s.Catalogue, core.Lang(r)),
			Status: string(a.Status), Symbol: logoSymbol(a.Logo), Ledger: a.Balance, Held: a.Held,
			Available: a.Available()}
		if a.Status != ledger.Active {
			row.StatusLabel = s.label(r, "web_fin_status", string(a.Status))
		}
		d.Accounts = append(d.Accounts, row)
		names[a.ID] = row.Name
		if a.Status == ledger.Active {
			d.Totals = addTotal(d.Totals, row.Currency, row.Available)
		}
	}
	return d, names
}

// addTotal adds an available balance to its currency's total, keeping the currencies in the order the accounts
// list them (the main account's first).
func addTotal(totals []total, currency string, available int64) []total {
	for i := range totals {
		if totals[i].Currency == currency {
			totals[i].Available += available
			return totals
		}
	}
	return append(totals, total{Currency: currency, Available: available})
}

type inboxRow struct {
	To, Channel, Subject, Body, Time string
	Files                            []string
}

// inboxPage shows the demo bank's "phones and mailboxes", so a newcomer can log in without a phone, and can see
// the statements they sent themselves by email.
func (s *area) inboxPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	msgs, err := s.Inbox.Inbox(r.Context(), 50)
	if err != nil {
		s.Problem(w, r, "inbox", core.View{Title: "web_inbox_title"}, err)
		return
	}
	rows := make([]inboxRow, 0, len(msgs))
	for _, m := range msgs {
		row := inboxRow{To: m.Recipient, Channel: m.Channel, Subject: m.Subject, Body: m.Body,
			Time: m.CreatedAt.In(clock.Tirane).Format("02.01.2006 15:04:05")}
		for _, f := range m.Attachments {
			row.Files = append(row.Files, f.Name)
		}
		rows = append(rows, row)
	}
	s.Render(w, r, http.StatusOK, "inbox", core.View{Title: "web_inbox_title", Data: rows})
}

// account returns the session customer's account named by the path's {id}. Anything else — another
// customer's account, an unknown id, an id no account can have — gets the same not-found page, so a customer
// cannot tell them apart.
func (s *area) account(w http.ResponseWriter, r *http.Request) (ledger.Account, bool) {
	id := r.PathValue("id")
	var a ledger.Account
	err := error(ledger.ErrAccountNotFound)
	// PostgreSQL refuses invalid UTF-8 and NUL in a text comparison with an error, which must not become a 500.
	if utf8.ValidString(id) && !strings.ContainsRune(id, 0) && len(id) <= 64 {
		a, err = s.Ledger.GetOwned(r.Context(), core.SessionOf(r).CustomerID, id)
	}
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return a, false
	}
	return a, true
}

// nav is the account's sub-menu (details, history, statement, settings) on each of its pages.
type nav struct {
	ID, Name, IBAN, Currency, Symbol string
}

func navFor(a ledger.Account) nav {
	return nav{ID: a.ID, Name: a.Name, IBAN: a.IBAN, Currency: string(a.Currency), Symbol: logoSymbol(a.Logo)}
}

// amount is i18n.FormatAmount in the request's language, for texts put together in Go.
func amount(r *http.Request, minor int64, currency string) string {
	return i18n.FormatAmount(minor, currency, core.Lang(r))
}

// date is i18n.FormatDate in the request's language.
func date(r *http.Request, t time.Time) string { return i18n.FormatDate(t, core.Lang(r)) }
