package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/statement"
)

// camt053 is an account's statement for a period as an ISO 20022 camt.053.001.08 document: the same period and
// postings as the PDF (GET …/statement), for the customer's accounting software.
func (s *Server) camt053(w http.ResponseWriter, r *http.Request) {
	s.camtDocument(w, r, statement.Source.CAMT053, statement.CAMT053FileName)
}

// camt054 is an account's debit and credit notifications for a period as an ISO 20022 camt.054.001.08 document: the
// same postings as the camt.053 of the period, without balances.
func (s *Server) camt054(w http.ResponseWriter, r *http.Request) {
	s.camtDocument(w, r, statement.Source.CAMT054, statement.CAMT054FileName)
}

// camtDocument answers the document write makes of the customer's account for the period of ?from=&to=, as a file
// named by name.
func (s *Server) camtDocument(w http.ResponseWriter, r *http.Request,
	write func(statement.Source, context.Context, ledger.Account, time.Time, time.Time, statement.Lang) ([]byte, error),
	name func(ledger.Account, time.Time, time.Time) string) {
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
	doc, err := write(src, r.Context(), a, first, last, pdfLang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeXML(w, name(a, first, last), doc)
}

// writeXML answers an ISO 20022 document as a file to download.
func writeXML(w http.ResponseWriter, name string, doc []byte) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}
