// Package cards is the internet branch's cards pages (FEATURES F7–F9, F15; the manual's "Karta e Debitit"): the
// customer's cards (/cards) and each card's page (/cards/{id}) with its masked number to copy, holder, kind, status,
// expiry, linked accounts, controls and history, and the actions the manual lists — block for a while, reactivate,
// reprint, a new PIN, link and unlink an account — each behind its confirmation page (KONFIRMO), plus reporting a
// card lost. Every rule is package card's: these pages pass what was chosen through and show the answer. Actions
// that let a card do more ask for the password on their confirmation page, as the API does.
package cards

import (
	"embed"
	"log/slog"
	"net/http"
	"slices"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Cards": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "cards", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return (&area{site}).routes()
	}}
}

type area struct{ *core.Site }

// routes: the list, a card's page, and for each action its confirmation page (GET) and the action (POST). The
// paths /cards/{id}/statements, pay, cash-advance, auto-payment, limits, instalments and transactions belong to the
// credit cards and the card network.
func (s *area) routes() []core.Route {
	p := core.Private("")
	rt := []core.Route{
		{Method: "GET", Path: "/cards", Policy: p, Handler: s.listPage},
		{Method: "GET", Path: "/cards/{id}", Policy: p, Handler: s.cardPage},
		{Method: "POST", Path: "/cards/{id}/controls", Policy: core.Private(httpx.DeviceFactor), Handler: s.saveControls},
	}
	for _, a := range actions() {
		policy := p
		if a.password {
			policy = core.Private(httpx.DeviceFactor) // the password typed again, as for trusting a device
		}
		rt = append(rt, core.Route{Method: "GET", Path: a.path, Policy: p, Handler: s.confirmPage(a)},
			core.Route{Method: "POST", Path: a.path, Policy: policy, Handler: s.act(a)})
	}
	for i := range rt {
		rt[i].Handler = s.available(rt[i].Handler)
	}
	return rt
}

// available answers every page as not found on a site built without cards.
func (s *area) available(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Cards == nil {
			s.ErrorPage(w, r, http.StatusNotFound, "not_found")
			return
		}
		h(w, r)
	}
}

// cardRow is a card as the pages show it.
type cardRow struct {
	ID, Kind, Scheme, Masked, Holder, Expires, Status, StatusLabel, ReplacedBy string
	Contactless, PINPending, PINBlocked                                        bool
	Supplementary                                                              bool // another holder's card on the credit account (F13)
}

// Can say which actions the card's status allows; the domain refuses the others anyway.
func (c cardRow) CanBlock() bool   { return c.Status == string(card.Active) }
func (c cardRow) CanUnblock() bool { return c.Status == string(card.Blocked) }
func (c cardRow) CanReportLost() bool {
	return c.Status == string(card.Active) || c.Status == string(card.Blocked)
}
func (c cardRow) CanReprint() bool {
	return c.Status == string(card.Active) || c.Status == string(card.Blocked) || c.Status == string(card.Lost) ||
		c.Status == string(card.Expired)
}
func (c cardRow) CanPIN() bool {
	return c.Status == string(card.Active) || c.Status == string(card.Blocked)
}
func (c cardRow) Final() bool {
	return c.Status == string(card.Replaced) || c.Status == string(card.Closed)
}
func (c cardRow) Waiting() bool {
	return c.Status == string(card.Ordered) || c.Status == string(card.Ready)
}
func (c cardRow) Lost() bool  { return c.Status == string(card.Lost) }
func (c cardRow) Debit() bool { return c.Kind == string(card.Debit) }

// Warn says the status is one to notice (a badge in the warning colour).
func (c cardRow) Warn() bool { return c.Status != string(card.Active) }

func (s *area) row(r *http.Request, c card.Card) cardRow {
	l := core.Lang(r)
	st := c.Shown(s.Now())
	expires := c.Expires
	if len(expires) == 7 {
		expires = expires[5:] + "/" + expires[:4]
	}
	return cardRow{ID: c.ID, Kind: string(c.Kind), Scheme: c.Type.Name(),
		Masked: c.Masked, Holder: c.Holder, Expires: expires, Status: string(st),
		StatusLabel: s.Catalogue.Message(l, "web_cd_status_"+string(st), nil), ReplacedBy: c.ReplacedBy,
		Contactless: c.Contactless, PINPending: c.PINPending, PINBlocked: c.PINBlocked, Supplementary: c.Supplementary}
}

// Rows are the customer's cards as the summary and the list show them: the replaced and closed ones left out of
// the summary (shown tells).
func Rows(s *core.Site, r *http.Request, all bool) ([]cardRow, error) {
	list, err := s.Cards.List(r.Context(), core.SessionOf(r).CustomerID)
	if err != nil {
		return nil, err
	}
	a := &area{s}
	out := []cardRow{}
	for _, c := range list {
		row := a.row(r, c)
		if !all && row.Final() {
			continue
		}
		out = append(out, row)
	}
	return out, nil
}

func (s *area) listPage(w http.ResponseWriter, r *http.Request) {
	v := core.View{Title: "web_cd_title"}
	rows, err := Rows(s.Site, r, true)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	// The current cards first, then the replaced and closed ones, each group oldest first.
	slices.SortStableFunc(rows, func(a, b cardRow) int {
		switch {
		case a.Final() == b.Final():
			return 0
		case a.Final():
			return 1
		}
		return -1
	})
	v.Data = rows
	s.Render(w, r, http.StatusOK, "cards", v)
}

// load returns one of the customer's cards; another customer's is the not-found page.
func (s *area) load(w http.ResponseWriter, r *http.Request) (card.Card, bool) {
	c, err := s.Cards.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return card.Card{}, false
	}
	return c, true
}

// fail answers what is not found with the not-found page and anything else as the error page.
func (s *area) fail(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, card.ErrNotFound.Code)
		return
	}
	if kumbara.KindOf(err) == kumbara.KindInternal {
		s.Log().Error("cards", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	}
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// accountRow is an account of the card, or one the customer may link.
type accountRow struct {
	ID, Title, IBAN, Currency string
	Available                 int64
	Primary                   bool
}

// eventRow is a line of the card's history.
type eventRow struct {
	At, ISO, Title, Actor string
}

type controlsForm struct {
	Online, Contactless, ATM, Magstripe, Abroad bool
	Purchase, Cash                              string // the limits as the page's language writes them
	MaxPurchase, MaxCash                        string // the bank's maximums, with the currency
}

type cardPageData struct {
	Card     cardRow
	Accounts []accountRow
	// Linkable are the customer's active current accounts not linked yet, while the card has room for one.
	Linkable []accountRow
	Controls controlsForm
	History  []eventRow
	Currency string
}

func (s *area) cardPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.load(w, r)
	if !ok {
		return
	}
	d, err := s.pageData(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := core.View{Title: "web_cd_card_title", Data: d}
	if m := r.URL.Query().Get("m"); m != "" && s.Catalogue.Has("web_cd_done_"+m) {
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_cd_done_"+m, nil)
	}
	s.Render(w, r, http.StatusOK, "card", v)
}

func (s *area) pageData(r *http.Request, c card.Card) (cardPageData, error) {
	who := card.Holder(core.SessionOf(r).CustomerID)
	l := core.Lang(r)
	d := cardPageData{Card: s.row(r, c), Currency: string(c.Currency), Controls: s.controls(c, l)}
	accounts, err := s.Ledger.ListByCustomer(r.Context(), c.CustomerID)
	if err != nil {
		return d, err
	}
	links, err := s.Cards.Linked(r.Context(), who, c.ID)
	if err != nil {
		return d, err
	}
	linked := map[string]bool{c.AccountID: true}
	for _, lk := range links {
		linked[lk.AccountID] = true
	}
	byID := map[string]ledger.Account{}
	for _, a := range accounts {
		byID[a.ID] = a
	}
	add := func(id string, primary bool) {
		if a, ok := byID[id]; ok {
			d.Accounts = append(d.Accounts, s.account(a, l, primary))
		}
	}
	add(c.AccountID, true)
	for _, lk := range links {
		add(lk.AccountID, false)
	}
	if c.Kind == card.Debit && len(links) < card.MaxLinked && !d.Card.Final() {
		for _, a := range accounts {
			if !linked[a.ID] && a.Type == ledger.TypeCurrent && a.Status == ledger.Active {
				d.Linkable = append(d.Linkable, s.account(a, l, false))
			}
		}
	}
	history, err := s.Cards.History(r.Context(), who, c.ID)
	if err != nil {
		return d, err
	}
	for _, e := range history {
		d.History = append(d.History, eventRow{At: i18n.FormatDateTime(e.At, l), ISO: e.At.In(clock.Tirane).Format("2006-01-02T15:04"),
			Title: s.Catalogue.Message(l, "audit_card_"+e.Event, nil),
			Actor: s.Catalogue.Message(l, "web_cd_actor_"+e.ActorKind, nil)})
	}
	return d, nil
}

func (s *area) account(a ledger.Account, l i18n.Lang, primary bool) accountRow {
	return accountRow{ID: a.ID, Title: a.Title(s.Catalogue, l), IBAN: maskIBAN(a.IBAN), Currency: string(a.Currency),
		Available: a.Available(), Primary: primary}
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, as the transfer pickers do.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

func (s *area) controls(c card.Card, l i18n.Lang) controlsForm {
	k, m := c.Controls, s.Cards.Maximum(c.Currency)
	cur := string(c.Currency)
	return controlsForm{Online: k.Online, Contactless: k.Contactless, ATM: k.ATM, Magstripe: k.Magstripe, Abroad: k.Abroad,
		Purchase: i18n.FormatAmount(k.DailyPurchaseLimit, "", l), Cash: i18n.FormatAmount(k.DailyATMLimit, "", l),
		MaxPurchase: i18n.FormatAmount(m.Purchase, cur, l), MaxCash: i18n.FormatAmount(m.ATM, cur, l)}
}

// trimmed is a form value without surrounding space.
func trimmed(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
