package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/statement"
)

func maskPhone(p string) string {
	if p == "" {
		return ""
	}
	return kyc.MaskPhone(p)
}

type balance struct {
	Ledger    string `json:"ledger"`
	Held      string `json:"held"`
	Available string `json:"available"`
}

type accountSummary struct {
	ID       string  `json:"id"`
	IBAN     string  `json:"iban"`
	Currency string  `json:"currency"`
	Type     string  `json:"type"`
	TypeName string  `json:"type_name"` // the type in the request's language
	Name     string  `json:"name"`      // as the customer named it; empty if they did not
	Title    string  `json:"title"`     // the name, or else the type and currency in the request's language
	Status   string  `json:"status"`
	Balance  balance `json:"balance"`
}

type accountDetail struct {
	accountSummary
	Number         string `json:"number"`
	Holder         string `json:"holder"`
	OpenedOn       string `json:"opened_on"`
	Logo           string `json:"logo"`
	BlockedAmount  string `json:"blocked_amount"`
	OverdraftLimit string `json:"overdraft_limit"`
}

func decimal(minor int64, c money.Currency) string { return money.New(minor, c).Decimal() }

func (s *Server) summary(r *http.Request, a ledger.Account) accountSummary {
	lang := langOf(r)
	return accountSummary{ID: a.ID, IBAN: a.IBAN, Currency: string(a.Currency), Type: a.Type,
		TypeName: ledger.TypeName(s.Catalogue, lang, a.Type), Name: a.Name, Title: a.Title(s.Catalogue, lang),
		Status: string(a.Status), Balance: balance{Ledger: decimal(a.Balance, a.Currency),
			Held: decimal(a.Held, a.Currency), Available: decimal(a.Available(), a.Currency)}}
}

// ownedAccount returns the session customer's account named by the path's {id}.
func (s *Server) ownedAccount(r *http.Request) (ledger.Account, error) {
	return s.Ledger.GetOwned(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	accounts, err := s.Ledger.ListByCustomer(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]accountSummary, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, s.summary(r, a))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"accounts": out})
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	a, err := s.ownedAccount(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	c, err := s.Customers.Get(r.Context(), cust)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, accountDetail{accountSummary: s.summary(r, a), Number: a.Number, Holder: c.Name(),
		OpenedOn: a.OpenedAt.In(clock.Tirane).Format(time.DateOnly), Logo: a.Logo,
		BlockedAmount: decimal(a.Held, a.Currency), OverdraftLimit: decimal(a.OverdraftLimit, a.Currency)})
}

type accountUpdate struct {
	Name *string `json:"name"`
	Logo *string `json:"logo"`
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) {
	var req accountUpdate
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	a, err := s.Ledger.Rename(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"),
		ledger.Relabel{Name: req.Name, Logo: req.Logo})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, s.summary(r, a))
}

type transactionLine struct {
	ID       string `json:"id"`
	EntryID  string `json:"entry_id"`
	PostedAt string `json:"posted_at"`
	// ValueDate is the day the money counts from (2006-01-02): after the close of business, the next working day.
	ValueDate    string `json:"value_date"`
	Amount       string `json:"amount"`
	Currency     string `json:"currency"`
	Direction    string `json:"direction"`
	BalanceAfter string `json:"balance_after"`
	Description  string `json:"description"` // in the request's language when the bank wrote it
	// DescriptionKey and DescriptionParams are the catalogue key and parameters of a description the bank wrote
	// ("tx_cash_deposit"), for a client that renders it itself; absent on a description a customer typed.
	DescriptionKey    string            `json:"description_key,omitempty"`
	DescriptionParams map[string]string `json:"description_params,omitempty"`
	Counterparty      string            `json:"counterparty"`
	CounterpartyIBAN  string            `json:"counterparty_iban"`
	// TransferID names the customer's own transfer the line belongs to (GET /transfers/{id} is its detail).
	TransferID string `json:"transfer_id,omitempty"`
}

func badQuery(field string) error {
	return kumbara.ErrInvalidQuery.Field(field)
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownedAccount(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	f, err := ledger.ParseHistoryQuery(r.URL.Query(), a.Currency)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := map[string]any{"transactions": []transactionLine{}, "next_cursor": nil}
	page, err := s.Ledger.History(r.Context(), a.ID, f)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	entries := make([]string, 0, len(page.Lines))
	for _, l := range page.Lines {
		entries = append(entries, l.EntryID)
	}
	transfers, err := s.Transfers.OfEntries(r.Context(), sessionOf(r).CustomerID, entries)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lines := make([]transactionLine, 0, len(page.Lines))
	lang := langOf(r)
	for _, l := range page.Lines {
		lines = append(lines, line(l, transfers[l.EntryID], s.Catalogue, lang))
	}
	out["transactions"] = lines
	if page.NextCursor != "" {
		out["next_cursor"] = page.NextCursor
	}
	s.JSON(w, r, http.StatusOK, out)
}

func (s *Server) statement(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownedAccount(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	first, last, err := statement.ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	src := statement.Source{Ledger: &s.Ledger.Store, Customers: s.Customers, Bank: s.Bank, Clock: s.Clock,
		Texts: s.Catalogue}
	lang := pdfLang(r)
	st, err := src.ForAccount(r.Context(), a, first, last, lang)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	pdf, err := statement.Render(st)
	if err != nil {
		s.Error(w, r, fmt.Errorf("render statement: %w", err))
		return
	}
	writePDF(w, statement.FileName(a, first, last, lang), pdf)
}

func pdfLang(r *http.Request) statement.Lang {
	if lang := r.URL.Query().Get("lang"); lang == "en" || lang == "sq" {
		return statement.Lang(lang)
	}
	if string(langOf(r)) == "en" {
		return "en"
	}
	return "sq"
}

func writePDF(w http.ResponseWriter, name string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}
