package api

import (
	"net/http"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
)

// transactionDetail is one history line with what its detail adds: the kind of movement, its status, reference
// and value date, and the receipt when the line is the customer's own transfer.
type transactionDetail struct {
	transactionLine
	Kind               string `json:"kind"`
	Status             string `json:"status"`
	Reference          string `json:"reference"`
	CounterpartyMasked bool   `json:"counterparty_masked"`
	Receipt            string `json:"receipt,omitempty"`
}

// transaction is GET /accounts/{id}/transactions/{line}: the line as the customer may see it (ledger.LineOf
// decides, as for the web's detail page). A line of another account, another customer's included, is a 404.
func (s *Server) transaction(w http.ResponseWriter, r *http.Request) {
	a, err := s.ownedAccount(r)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Ledger.LineOf(r.Context(), a.ID, r.PathValue("line"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	transfers, err := s.Transfers.OfEntries(r.Context(), sessionOf(r).CustomerID, []string{d.EntryID})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := transactionDetail{transactionLine: line(d.Line, transfers[d.EntryID], s.Catalogue, langOf(r)), Kind: d.Kind, Status: d.Status,
		Reference: d.Reference, CounterpartyMasked: d.CounterpartyMasked}
	if out.TransferID != "" {
		out.Receipt = "/api/v1/transfers/" + out.TransferID + "/receipt"
	}
	s.JSON(w, r, http.StatusOK, out)
}

// line is a ledger line in the API's words; transferID is the customer's own transfer it belongs to, or "".
func line(l ledger.Line, transferID string, cat *i18n.Catalogue, lang i18n.Lang) transactionLine {
	dir := "in"
	if l.Amount < 0 {
		dir = "out"
	}
	return transactionLine{ID: l.ID, EntryID: l.EntryID, PostedAt: l.PostedAt.Format(time.RFC3339),
		ValueDate: l.ValueDate.In(clock.Tirane).Format(time.DateOnly),
		Amount:    decimal(l.Amount, l.Currency), Currency: string(l.Currency), Direction: dir,
		BalanceAfter: decimal(l.BalanceAfter, l.Currency), Description: l.Describe(cat, lang),
		DescriptionKey: l.Text.Key, DescriptionParams: l.Text.Params, Counterparty: l.Counterparty, CounterpartyIBAN: l.CounterpartyIBAN, TransferID: transferID}
}
