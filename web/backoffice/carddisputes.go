package backoffice

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/text"
)

const disputesPath = Prefix + "/disputes"

func cardTransactionsPath(cardID string) string {
	return Prefix + "/cards/" + url.PathEscape(cardID) + "/transactions"
}

// A card's authorisations and presentments (clearing) as the issuer answered and posted them, and the disputes
// (chargebacks) staff raise on a posted presentment for the customer, with their status: every role that reads
// payments reads them (payments.read); a member who operates the clearing (clearing.operate) opens a dispute at
// once and proposes the network's decision (won: the customer is credited back; lost: nothing moves), which a
// second member approves (four-eyes: operation card.dispute_decide), as `kumbara admin cards dispute open|decide`
// does. The page shows a decision that waits, and who proposed it, and the breaks of the card scheme's
// settlement: a clearing file whose settlement figure the bank's own total does not match, nothing posted.
func (s *Server) cardDisputeRoutes() []Route {
	if s.Issuing == nil {
		return nil
	}
	return []Route{
		{Method: "GET", Path: Prefix + "/cards/{card}/transactions", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.cardTransactionsPage},
		{Method: "GET", Path: Prefix + "/cards/find", Policy: Staffed(""), Permission: staff.PaymentsRead,
			Handler: s.findCard},
		{Method: "GET", Path: disputesPath, Policy: Staffed(""), Permission: staff.PaymentsRead, Handler: s.disputesPage},
		{Method: "POST", Path: disputesPath, Policy: Staffed(""), Permission: staff.ClearingOperate, Handler: s.openDispute},
		{Method: "POST", Path: disputesPath + "/{dispute}", Policy: Staffed(""), Permission: staff.ClearingOperate,
			Handler: s.decideDispute},
	}
}

// CardRowsShown is how many authorisations, presentments or disputes a page lists.
const CardRowsShown = 100

// cardTransactionsData is a card's page.
type cardTransactionsData struct {
	CardID         string
	Authorisations []issuing.Authorisation
	Clearings      []issuing.Clearing
	Disputed       map[string]string // presentment id → its dispute's status
}

func (s *Server) cardTransactionsPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("card")
	if !text.Storable(id) {
		s.errorPage(w, r, http.StatusNotFound, "card_not_found")
		return
	}
	d := cardTransactionsData{CardID: id, Disputed: map[string]string{}}
	var err error
	if d.Authorisations, err = s.Issuing.Authorisations(r.Context(), id, CardRowsShown); err == nil {
		d.Clearings, err = s.Issuing.Clearings(r.Context(), id, CardRowsShown)
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	disputes, err := s.Issuing.Disputes(r.Context(), "", CardRowsShown*10)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	for _, dp := range disputes {
		if dp.CardID == id {
			d.Disputed[dp.ClearingID] = dp.Status
		}
	}
	s.render(w, r, http.StatusOK, "card_transactions", View{Title: "web_bo_cd_card_title", Data: d,
		Notice: s.disputeNotice(r)})
}

// findCard goes to the card's page the member typed the id of.
func (s *Server) findCard(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.URL.Query().Get("card"))
	if id == "" || !text.Storable(id) {
		http.Redirect(w, r, disputesPath, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, cardTransactionsPath(id), http.StatusSeeOther)
}

// disputesData is the disputes' page: those of a status ("" every one).
type disputesData struct {
	Status   string
	Statuses []string
	Rows     []issuing.Dispute
	Pending  map[string]operation.PendingDecision // by dispute: the decision waiting for a second member
	Breaks   []issuing.CurrencySettlement         // the scheme's settlements whose figures differ from the bank's
	Form     struct{ Clearing, Reason string }
}

func (s *Server) disputesPage(w http.ResponseWriter, r *http.Request) {
	v := View{Notice: s.disputeNotice(r)}
	s.flash(r, &v)
	s.showDisputes(w, r, http.StatusOK, v, "", "")
}

// showDisputes renders the disputes with v's notice or problem and the opening form as typed.
func (s *Server) showDisputes(w http.ResponseWriter, r *http.Request, status int, v View, clearing, reason string) {
	d := disputesData{Status: r.URL.Query().Get("status"), Statuses: []string{issuing.DisputeOpen, issuing.DisputeWon,
		issuing.DisputeLost}}
	switch d.Status {
	case issuing.DisputeOpen, issuing.DisputeWon, issuing.DisputeLost:
	default:
		d.Status = ""
	}
	d.Form.Clearing, d.Form.Reason = clearing, reason
	rows, err := s.Issuing.Disputes(r.Context(), d.Status, CardRowsShown)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d.Rows = rows
	if d.Breaks, err = s.Issuing.Settlements(r.Context(), issuing.SettlementBreak, CardRowsShown); err == nil {
		d.Pending, err = s.Operations.DisputeDecisions(r.Context())
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Title, v.Data = "web_bo_cd_title", d
	s.render(w, r, status, "disputes", v)
}

// disputeNotice is the notice of what was just done (?m=), "" for none.
func (s *Server) disputeNotice(r *http.Request) string {
	switch m := r.URL.Query().Get("m"); m {
	case "dispute_opened", "dispute_won", "dispute_lost":
		return s.message(r, "web_bo_cd_done_"+strings.TrimPrefix(m, "dispute_"), nil)
	}
	return ""
}

// openDispute raises a chargeback on the presentment typed (or the one a card's page named), with the reason.
func (s *Server) openDispute(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	clearing, reason := strings.TrimSpace(r.PostForm.Get("clearing")), r.PostForm.Get("reason")
	_, err := s.Operations.OpenDispute(r.Context(), MemberOf(r), clearing, reason)
	if errors.Is(err, issuing.ErrClearingNotFound) {
		err = issuing.ErrClearingNotFound.WithKind(kumbara.KindUnprocessable).Field("clearing") // said on the form
	}
	if err != nil {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showDisputes(w, r, status, v, clearing, reason)
		})
		return
	}
	http.Redirect(w, r, withNotice(disputesPath, "dispute_opened"), http.StatusSeeOther)
}

// decideDispute proposes the network's decision (won credits the customer back): it waits for a second member,
// and the page says so.
func (s *Server) decideDispute(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	won := r.PostForm.Get("decision") == "won"
	o, err := s.Operations.DecideDispute(r.Context(), MemberOf(r), r.PathValue("dispute"), won)
	if err != nil {
		s.refused(w, r, err, func(w http.ResponseWriter, r *http.Request, status int, v View) {
			s.showDisputes(w, r, status, v, "", "")
		})
		return
	}
	m := "dispute_lost"
	if won {
		m = "dispute_won"
	}
	answered(w, r, disputesPath, o, m)
}
