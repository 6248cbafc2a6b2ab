package backoffice

import (
	"net/http"
	"strings"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
)

// Credit cards staff open (four-eyes: credit.open, the request's page shows the limits the checker approves) and
// supplementary cards they issue on one, at once — what `kumbara admin cards open-credit` and `cards
// supplementary` do.
func (s *Server) creditRoutes() []Route {
	c := customersPath + "/{id}"
	return []Route{
		{Method: "GET", Path: c + "/credit-cards/new", Policy: Staffed(""), Permission: staff.CardIssue, Handler: s.creditPage},
		{Method: "POST", Path: c + "/credit-cards", Policy: Staffed(""), Permission: staff.CardIssue, Handler: s.openCredit},
		{Method: "POST", Path: cardsPath + "/{card}/supplementary", Policy: Staffed(""), Permission: staff.CardIssue,
			Handler: s.issueSupplementary},
	}
}

// creditForm is the credit card's form, as typed.
type creditForm struct {
	Customer         customer.Customer
	Limit, CashLimit string
	Cycle, Type      string
	Contactless      bool
}

func (s *Server) creditPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "credit_new", View{Title: "web_bo_credit_title", Data: creditForm{Customer: c,
		Cycle: string(creditcard.CycleEnd), Type: string(card.Visa), Contactless: true}})
}

// openCredit asks for the credit card: it waits for a second member, and the customer's page says so.
func (s *Server) openCredit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f := creditForm{Customer: c, Limit: r.PostForm.Get("limit"), CashLimit: r.PostForm.Get("cash_limit"),
		Cycle: strings.TrimSpace(r.PostForm.Get("cycle")), Type: strings.ToLower(strings.TrimSpace(r.PostForm.Get("type"))),
		Contactless: r.PostForm.Get("contactless") != ""}
	limit, err := s.formMinor(r, f.Limit, "limit")
	var cash int64
	if err == nil && strings.TrimSpace(f.CashLimit) != "" {
		cash, err = s.formMinor(r, f.CashLimit, "cash_limit")
	}
	var o operation.Outcome
	if err == nil {
		o, err = s.Operations.OpenCreditCard(r.Context(), MemberOf(r), operation.CreditOpening{CustomerID: c.ID,
			Currency: money.ALL, Limit: limit, CashLimit: cash, Cycle: f.Cycle, Type: f.Type, Contactless: f.Contactless})
	}
	if err != nil {
		s.problem(w, r, "credit_new", View{Title: "web_bo_credit_title", Data: f}, err)
		return
	}
	answered(w, r, customerPath(c.ID), o, "card_issued")
}

// formMinor reads an amount in ALL typed in the form's field: its problem is that field's.
func (s *Server) formMinor(r *http.Request, typed, field string) (int64, error) {
	dec, err := typedAmount(r, typed)
	if err != nil {
		return 0, moveField(err, "amount", field)
	}
	a, err := money.ParseDecimal(dec, money.ALL)
	if err != nil {
		return 0, moveField(err, "amount", field)
	}
	return a.Minor, nil
}

// issueSupplementary issues a supplementary card on the credit card the path names and shows the new card.
func (s *Server) issueSupplementary(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	c, err := s.Operations.IssueSupplementaryCard(r.Context(), MemberOf(r), creditcard.SupplementaryRequest{
		CardID: r.PathValue("card"), Holder: r.PostForm.Get("holder"), Contactless: true})
	if err != nil {
		s.refused(w, r, err, s.showCard)
		return
	}
	http.Redirect(w, r, withNotice(cardPath(c.ID), "card_issued"), http.StatusSeeOther)
}

// creditDetail is a credit card's opening as the checker weighs it.
type creditDetail struct {
	Limit, CashLimit money.Amount
	Cycle, Scheme    string
	Contactless      bool
}
