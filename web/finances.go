package web

import (
	"net/http"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/ledger"
)

// financeRoutes are "My finances" (F1, F4, F5, F6, F26).
func (s *Server) financeRoutes() []Route {
	return []Route{
		{"GET", "/summary", true, s.summary},
	}
}

type accountRow struct {
	ID, IBAN, Currency, Type, Name, Status string
	Ledger, Held, Available                int64
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
		rows = append(rows, accountRow{ID: a.ID, IBAN: a.IBAN, Currency: string(a.Currency), Type: a.Type, Name: a.Name,
			Status: string(a.Status), Ledger: a.Balance, Held: a.Held, Available: a.Available()})
	}
	s.render(w, r, http.StatusOK, "summary", view{Title: "web_summary_title", Data: rows})
}

type inboxRow struct {
	To, Channel, Body, Time string
}

// inboxPage shows the demo bank's "phones and mailboxes", so a newcomer can log in without a phone.
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	msgs, err := s.Inbox.Inbox(r.Context(), 50)
	if err != nil {
		s.problem(w, r, "inbox", view{Title: "web_inbox_title"}, err)
		return
	}
	rows := make([]inboxRow, 0, len(msgs))
	for _, m := range msgs {
		rows = append(rows, inboxRow{To: m.Recipient, Channel: m.Channel, Body: m.Body,
			Time: m.CreatedAt.In(tirane).Format("02.01.2006 15:04:05")})
	}
	s.render(w, r, http.StatusOK, "inbox", view{Title: "web_inbox_title", Data: rows})
}

var tirane = clock.Tirane
