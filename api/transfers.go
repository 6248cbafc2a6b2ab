package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/transfer"
)

func langOf(r *http.Request) i18n.Lang {
	return i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
}

type transferBody struct {
	Type          string `json:"type"`
	FromAccountID string `json:"from_account_id"`
	ToAccountID   string `json:"to_account_id"`
	ToIBAN        string `json:"to_iban"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description"`
}

type transferResponse struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	Type          string `json:"type"`
	FromAccountID string `json:"from_account_id"`
	FromIBAN      string `json:"from_iban"`
	ToAccountID   string `json:"to_account_id"`
	ToIBAN        string `json:"to_iban"`
	ToName        string `json:"to_name"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Description   string `json:"description"`
	CreatedAt     string `json:"created_at"`
}

func transferJSON(t transfer.Transfer, customerID string) transferResponse {
	out := transferResponse{ID: t.ID, Status: t.Status, Type: t.Type, FromAccountID: t.FromAccountID,
		FromIBAN: t.FromIBAN, ToIBAN: t.ToIBAN, ToName: t.ToName, Amount: t.Amount.Decimal(),
		Currency: string(t.Amount.Currency), Description: t.Description, CreatedAt: t.CreatedAt.Format(time.RFC3339)}
	// Another customer's account id is theirs; the payer sees the beneficiary by IBAN and name.
	if t.Type == transfer.Own {
		out.ToAccountID = t.ToAccountID
	}
	return out
}

func (s *Server) createTransfer(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("Idempotency-Key")
	if key == "" {
		s.Error(w, r, kumbara.Invalid("idempotency_key_missing",
			kumbara.FieldError{Field: "Idempotency-Key", Code: "idempotency_key_missing"}))
		return
	}
	var req transferBody
	if err := DecodeJSON(r, &req, MaxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	cust := sessionOf(r).CustomerID
	t, replayed, err := s.Transfers.Create(r.Context(), cust, key, transfer.Request{Type: req.Type,
		FromAccountID: req.FromAccountID, ToAccountID: req.ToAccountID, ToIBAN: req.ToIBAN, Amount: req.Amount,
		Currency: req.Currency, Description: req.Description})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", "/api/v1/transfers/"+t.ID)
	s.JSON(w, r, http.StatusCreated, transferJSON(t, cust))
}

func (s *Server) getTransfer(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	t, err := s.Transfers.Get(r.Context(), cust, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, transferJSON(t, cust))
}

// transferReceipt is the PDF receipt every payment gives (Y19).
func (s *Server) transferReceipt(w http.ResponseWriter, r *http.Request) {
	t, pdf, err := s.Transfers.Receipt(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), s.Bank, pdfLang(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writePDF(w, "mandat-"+t.ID+".pdf", pdf)
}

type payeeAccount struct {
	IBAN     string `json:"iban"`
	Currency string `json:"currency"`
}

type payeeResponse struct {
	MaskedName string         `json:"masked_name"`
	Accounts   []payeeAccount `json:"accounts"`
}

// findPayee is T3's "verify the client" step. It is rate-limited per customer so it cannot be used to walk the
// bank's client numbers.
func (s *Server) findPayee(w http.ResponseWriter, r *http.Request) {
	cust := sessionOf(r).CustomerID
	if !s.payeeLimit.Allow(cust) {
		s.Error(w, r, &kumbara.Error{Kind: kumbara.KindRateLimited, Code: "rate_limited"})
		return
	}
	q := r.URL.Query()
	for k := range q {
		if k != "by" && k != "value" {
			s.Error(w, r, badQuery(k))
			return
		}
	}
	if q.Get("value") == "" {
		s.Error(w, r, kumbara.Invalid("validation_failed", kumbara.FieldError{Field: "value", Code: "field_required"}))
		return
	}
	p, err := s.Transfers.FindPayee(r.Context(), q.Get("by"), q.Get("value"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := payeeResponse{MaskedName: p.MaskedName, Accounts: []payeeAccount{}}
	for _, a := range p.Accounts {
		out.Accounts = append(out.Accounts, payeeAccount{IBAN: a.IBAN, Currency: string(a.Currency)})
	}
	s.JSON(w, r, http.StatusOK, out)
}

// checkText applies the transfer description rule to other free text customers type (account names).
func checkText(s string) error { return transfer.CheckDescription(s) }
