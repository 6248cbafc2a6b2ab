package api

import (
	"net/http"
	"strconv"

	"github.com/kumbara/kumbara/statement"
)

// camt053 is an account's statement for a period as an ISO 20022 camt.053.001.08 document: the same period and
// postings as the PDF (GET …/statement), for the customer's accounting software.
func (s *Server) camt053(w http.ResponseWriter, r *http.Request) {
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
	doc, err := src.CAMT053(r.Context(), a, first, last, pdfLang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeXML(w, statement.CAMT053FileName(a, first, last), doc)
}

// writeXML answers an ISO 20022 document as a file to download.
func writeXML(w http.ResponseWriter, name string, doc []byte) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}
