package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
)

// financeRoutes are "My finances" (F1, F4, F5, F6, F26): the summary, and for each account its details, history,
// statement and settings — the sub-menus of the bank's manual (VI, 1.1).
func (s *Server) financeRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/summary", Policy: private(""), Handler: s.summary},
		{Method: "GET", Path: "/accounts/{id}", Policy: private(""), Handler: s.finDetails},
		{Method: "GET", Path: "/accounts/{id}/settings", Policy: private(""), Handler: s.finSettings},
		{Method: "POST", Path: "/accounts/{id}/settings", Policy: private(""), Handler: s.finSaveSettings},
		{Method: "GET", Path: "/accounts/{id}/history", Policy: private(""), Handler: s.finHistory},
		{Method: "GET", Path: "/accounts/{id}/statement", Policy: private(""), Handler: s.finStatementPage},
		{Method: "GET", Path: "/accounts/{id}/statement/pdf", Policy: private(""), Handler: s.finStatementPDF},
		{Method: "POST", Path: "/accounts/{id}/statement/email", Policy: private(httpx.StatementEmail), Handler: s.finStatementEmail},
	}
}

type accountRow struct {
	ID, IBAN, Currency, Type, Name, Status, Symbol string
	Ledger, Held, Available                        int64
}

func (s *Server) summary(w http.ResponseWriter, r *http.Request) {
	accounts, err := s.Ledger.ListByCustomer(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.problem(w, r, "summary", view{Title: "web_summary_title"}, err)
		return
	}
	rows := make([]accountRow, 0, len(accounts))
	for _, a := range accounts {
		if a.Status == ledger.Closed {
			continue
		}
		rows = append(rows, accountRow{ID: a.ID, IBAN: a.IBAN, Currency: string(a.Currency),
			Type: s.finLabel(r, "web_fin_type", a.Type), Name: a.Name,
			Status: string(a.Status), Symbol: finLogoSymbol(a.Logo), Ledger: a.Balance, Held: a.Held,
			Available: a.Available()})
	}
	s.render(w, r, http.StatusOK, "summary", view{Title: "web_summary_title", Data: rows})
}

type inboxRow struct {
	To, Channel, Subject, Body, Time string
	Files                            []string
}

// inboxPage shows the demo bank's "phones and mailboxes", so a newcomer can log in without a phone, and can see
// the statements they sent themselves by email.
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	msgs, err := s.Inbox.Inbox(r.Context(), 50)
	if err != nil {
		s.problem(w, r, "inbox", view{Title: "web_inbox_title"}, err)
		return
	}
	rows := make([]inboxRow, 0, len(msgs))
	for _, m := range msgs {
		row := inboxRow{To: m.Recipient, Channel: m.Channel, Subject: m.Subject, Body: m.Body,
			Time: m.CreatedAt.In(tirane).Format("02.01.2006 15:04:05")}
		for _, f := range m.Attachments {
			row.Files = append(row.Files, f.Name)
		}
		rows = append(rows, row)
	}
	s.render(w, r, http.StatusOK, "inbox", view{Title: "web_inbox_title", Data: rows})
}

var tirane = clock.Tirane

// finAccount returns the session customer's account named by the path's {id}. Anything else — another
// customer's account, an unknown id, an id no account can have — gets the same not-found page, so a customer
// cannot tell them apart.
func (s *Server) finAccount(w http.ResponseWriter, r *http.Request) (ledger.Account, bool) {
	id := r.PathValue("id")
	var a ledger.Account
	err := error(&kumbara.Error{Kind: kumbara.KindNotFound, Code: "account_not_found"})
	// PostgreSQL refuses invalid UTF-8 and NUL in a text comparison with an error, which must not become a 500.
	if utf8.ValidString(id) && !strings.ContainsRune(id, 0) && len(id) <= 64 {
		a, err = s.Ledger.GetOwned(r.Context(), sessionOf(r).CustomerID, id)
	}
	if err != nil {
		s.problem(w, r, "error", view{Title: "web_error_title"}, err)
		return a, false
	}
	return a, true
}

// finNav is the account's sub-menu (details, history, statement, settings) on each of its pages.
type finNav struct {
	ID, Name, IBAN, Currency, Symbol string
}

func finNavFor(a ledger.Account) finNav {
	return finNav{ID: a.ID, Name: a.Name, IBAN: a.IBAN, Currency: string(a.Currency), Symbol: finLogoSymbol(a.Logo)}
}

// finMessage translates a finances text in the request's language.
func (s *Server) finMessage(r *http.Request, key string, params map[string]string) string {
	return s.Catalogue.Message(lang(r), key, params)
}

// finFragment renders one named template of a page without the layout, for htmx to put into the page it came from.
func (s *Server) finFragment(w http.ResponseWriter, r *http.Request, page string, names []string, v view) {
	v.Lang = lang(r)
	v.Path = r.URL.RequestURI()
	v.catalogue = s.Catalogue
	var buf bytes.Buffer
	for _, name := range names {
		if err := s.pages.byName[page].ExecuteTemplate(&buf, name, v); err != nil {
			s.logger().Error("render fragment", slog.String("page", page), slog.String("error", err.Error()))
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(v.Lang))
	_, _ = w.Write(buf.Bytes())
}

// finAmount is i18n.FormatAmount in the request's language, for texts put together in Go.
func finAmount(r *http.Request, minor int64, currency string) string {
	return i18n.FormatAmount(minor, currency, lang(r))
}

// finDate is i18n.FormatDate in the request's language.
func finDate(r *http.Request, t time.Time) string { return i18n.FormatDate(t, lang(r)) }

// finProblemText is the translated message of an error, for a problem shown inside a part of a page; our own
// faults are logged and shown as the generic message, as problem does.
func (s *Server) finProblemText(r *http.Request, err error) string {
	code := kumbara.CodeOf(err)
	if kumbara.KindOf(err) == kumbara.KindInternal {
		s.logger().Error("web", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
		code = "internal"
	}
	return s.finMessage(r, code, nil)
}
