package finances

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/web/core"
)

// statementEmailsPerHour bounds the statements one address receives by email in an hour: each is a PDF the
// bank renders and mails, so a script must not be able to make the bank flood a mailbox.
const statementEmailsPerHour = 10

type statementData struct {
	Nav      nav
	From, To string // the form's values, YYYY-MM-DD
	Today    string
	Email    string
	// Set once a valid period is confirmed.
	Ready                     bool
	Period                    string
	Currency                  string
	Opening, Closing          int64
	TotalCredits, TotalDebits int64
	Lines                     int
}

func (s *area) statementSource() statement.Source {
	return statement.Source{Ledger: &s.Ledger.Store, Customers: s.Customers, Bank: s.Customers.Bank, Clock: s.Clock,
		Texts: s.Catalogue}
}

// statementLang is the page's language for the PDF, so the document reads like the page that produced it.
func statementLang(r *http.Request) statement.Lang { return statement.Lang(core.Lang(r)) }

func (s *area) statementView(r *http.Request, a ledger.Account, from, to string) (core.View, *statementData) {
	today := s.Clock.Now().In(clock.Tirane)
	d := &statementData{Nav: navFor(a), From: from, To: to, Today: today.Format(time.DateOnly),
		Currency: string(a.Currency)}
	if d.From == "" && d.To == "" {
		// The manual's first question is the period; this month so far is the usual answer.
		d.From = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, clock.Tirane).Format(time.DateOnly)
		d.To = d.Today
	}
	return core.View{Title: "web_fin_statement_title", Data: d}, d
}

// statementPage asks for the period (F5) and, once it is confirmed, shows its totals with the two ways to get
// the statement: download the PDF or have it emailed.
func (s *area) statementPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v, d := s.statementView(r, a, q.Get("from"), q.Get("to"))
	c, err := s.Customers.Get(r.Context(), a.CustomerID)
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	d.Email = c.Email
	if q.Get("m") == "sent" {
		v.Notice = s.Message(r, "web_fin_email_sent", map[string]string{"email": c.Email})
	}
	if !q.Has("from") && !q.Has("to") {
		s.Render(w, r, http.StatusOK, "statement", v)
		return
	}
	first, last, err := statement.ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	// The totals come from the same query the PDF uses, so a period too busy for one statement is refused here,
	// before the customer asks for the document.
	p, err := s.Ledger.Statement(r.Context(), a.ID, first, last.AddDate(0, 0, 1))
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	d.Ready = true
	d.Period = date(r, first) + " – " + date(r, last)
	d.Opening, d.Closing, d.TotalCredits, d.TotalDebits, d.Lines = p.Opening, p.Closing, p.TotalCredits, p.TotalDebits, len(p.Lines)
	s.Render(w, r, http.StatusOK, "statement", v)
}

// statementPDF is the same document as GET /api/v1/accounts/{id}/statement, in the page's language.
func (s *area) statementPDF(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v, _ := s.statementView(r, a, q.Get("from"), q.Get("to"))
	first, last, err := statement.ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	pdf, err := s.renderStatement(r, a, first, last)
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+statement.FileName(a, first, last, statementLang(r))+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pdf)
}

// statementCAMT053 is the same period as GET /api/v1/accounts/{id}/camt053: an ISO 20022 camt.053.001.08 document
// for the customer's accounting software, its descriptions in the page's language.
func (s *area) statementCAMT053(w http.ResponseWriter, r *http.Request) {
	s.statementCAMT(w, r, statement.Source.CAMT053, statement.CAMT053FileName)
}

// statementCAMT054 is the same period as GET /api/v1/accounts/{id}/camt054: the period's debit and credit
// notifications as an ISO 20022 camt.054.001.08 document, its descriptions in the page's language.
func (s *area) statementCAMT054(w http.ResponseWriter, r *http.Request) {
	s.statementCAMT(w, r, statement.Source.CAMT054, statement.CAMT054FileName)
}

// statementCAMT answers the document write makes of the account for the period of ?from=&to=, as a file named by
// name; a wrong period is the statement page with its problem.
func (s *area) statementCAMT(w http.ResponseWriter, r *http.Request,
	write func(statement.Source, context.Context, ledger.Account, time.Time, time.Time, statement.Lang) ([]byte, error),
	name func(ledger.Account, time.Time, time.Time) string) {
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v, _ := s.statementView(r, a, q.Get("from"), q.Get("to"))
	first, last, err := statement.ParsePeriod(q.Get("from"), q.Get("to"))
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	doc, err := write(s.statementSource(), r.Context(), a, first, last, statementLang(r))
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name(a, first, last)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}

func (s *area) renderStatement(r *http.Request, a ledger.Account, first, last time.Time) ([]byte, error) {
	st, err := s.statementSource().ForAccount(r.Context(), a, first, last, statementLang(r))
	if err != nil {
		return nil, err
	}
	pdf, err := statement.Render(st)
	if err != nil {
		return nil, fmt.Errorf("render statement: %w", err)
	}
	return pdf, nil
}

// statementEmail sends the statement to the customer's email address on file (never to an address typed into
// the form, so a stolen session cannot mail statements elsewhere) through the outbox.
func (s *area) statementEmail(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "validation_failed") {
		return
	}
	a, ok := s.account(w, r)
	if !ok {
		return
	}
	from, to := r.PostForm.Get("from"), r.PostForm.Get("to")
	v, d := s.statementView(r, a, from, to)
	c, err := s.Customers.Get(r.Context(), a.CustomerID)
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	d.Email = c.Email
	if c.Email == "" {
		v.Error = s.Message(r, "web_fin_no_email", nil)
		s.Render(w, r, http.StatusUnprocessableEntity, "statement", v)
		return
	}
	first, last, err := statement.ParsePeriod(from, to)
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	now := s.Clock.Now()
	// Refuse before rendering: a statement can be thousands of lines, and the limit exists so that is not done
	// on demand. The check is repeated, authoritatively, in the transaction that queues the email.
	err = s.Customers.DB.InTx(r.Context(), func(tx *db.Tx) error {
		n, err := outbox.FilesSentSince(r.Context(), tx, c.Email, now.Add(-time.Hour))
		if err == nil && n >= statementEmailsPerHour {
			err = statementLimit(r, tx, c.Email, now)
		}
		return err
	})
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	pdf, err := s.renderStatement(r, a, first, last)
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	params := map[string]string{"name": c.Name(), "iban": groups(a.IBAN), "from": date(r, first),
		"to": date(r, last)}
	m := outbox.Message{Channel: outbox.ChannelEmail, Recipient: c.Email,
		Subject: s.Message(r, "web_fin_email_subject", params), Body: s.Message(r, "web_fin_email_body", params),
		Attachments: []outbox.Attachment{{Name: statement.FileName(a, first, last, statementLang(r)), ContentType: "application/pdf",
			Content: pdf}}}
	// The email is the only thing this request changes, so its transaction holds just the count and the message.
	err = s.Customers.DB.InTx(r.Context(), func(tx *db.Tx) error {
		n, err := outbox.FilesSentSince(r.Context(), tx, c.Email, now.Add(-time.Hour))
		if err != nil {
			return err
		}
		if n >= statementEmailsPerHour {
			return statementLimit(r, tx, c.Email, now)
		}
		return outbox.Enqueue(r.Context(), tx, now, m)
	})
	if err != nil {
		s.Problem(w, r, "statement", v, err)
		return
	}
	// The web server has no dispatcher of its own; auth's Outbox is the process's one way to wake it (the
	// dispatcher). Without it the dispatcher's next poll sends the email.
	if s.Auth.Outbox != nil {
		s.Auth.Outbox.Kick()
	}
	back := url.Values{"from": {from}, "to": {to}, "m": {"sent"}}
	http.Redirect(w, r, "/accounts/"+url.PathEscape(a.ID)+"/statement?"+back.Encode(), http.StatusSeeOther)
}

// statementLimit is the refusal of one statement email too many in the hour: with the wait until the hour's oldest
// leaves the count, which the page says and Retry-After carries.
func statementLimit(r *http.Request, tx *db.Tx, email string, now time.Time) error {
	first, err := outbox.FirstFileSince(r.Context(), tx, email, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	secs := max(1, int(math.Ceil(first.Add(time.Hour).Sub(now).Seconds())))
	return kumbara.ErrRateLimited.WithParam("retry_after", strconv.Itoa(secs))
}
