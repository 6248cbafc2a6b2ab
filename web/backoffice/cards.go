package backoffice

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/staff"
)

const cardsPath = Prefix + "/cards"

func cardPath(id string) string { return cardsPath + "/" + url.PathEscape(id) }

// Cards: the search (a customer's client number, the last four digits of a number), a card's page with its
// accounts and history, and what staff do to a card — what `kumbara admin cards` does: block for a while or as
// lost, reactivate, ask for a lost card's reactivation (four-eyes: card.reactivate_lost), reprint, mark a
// reprinted card ready at the branch (the holder is told by SMS) and hand it over, unblock the PIN.
func (s *Server) cardRoutes() []Route {
	act := func(path string, h func(http.ResponseWriter, *http.Request)) Route {
		return Route{Method: "POST", Path: cardsPath + "/{id}/" + path, Policy: Staffed(""), Permission: staff.CardBlock,
			Handler: h}
	}
	return []Route{
		{Method: "GET", Path: cardsPath, Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.cardsSearch},
		{Method: "GET", Path: cardsPath + "/{id}", Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.cardDetail},
		act("block", s.cardDone("card_blocked", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			reason := card.BlockReason(r.PostForm.Get("reason"))
			return s.Operations.BlockCard(r.Context(), m, id, reason)
		})),
		act("unblock", s.cardDone("card_unblocked", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			return s.Operations.UnblockCard(r.Context(), m, id)
		})),
		act("reprint", s.cardDone("card_reprinted", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			return s.Operations.ReprintCard(r.Context(), m, id)
		})),
		act("ready", s.cardDone("card_ready", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			return s.Operations.MarkCardReady(r.Context(), m, id)
		})),
		act("hand-over", s.cardDone("card_handed_over", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			return s.Operations.HandOverCard(r.Context(), m, id)
		})),
		act("unblock-pin", s.cardDone("pin_unblocked", func(r *http.Request, m staff.Member, id string) (card.Card, error) {
			if err := s.Operations.UnblockPIN(r.Context(), m, id); err != nil {
				return card.Card{}, err
			}
			return s.Cards.Find(r.Context(), id)
		})),
		act("reactivate-lost", s.reactivateLost),
	}
}

// cardRow is a card in the search's results, with its holder.
type cardRow struct {
	card.Card
	Shown    card.Status
	Customer customer.Customer
}

type cardsSearchData struct {
	Client, Last4 string
	Searched      bool
	Results       []cardRow
}

// cardsSearch finds cards by the customer's client number, the last four digits, or both.
func (s *Server) cardsSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := cardsSearchData{Client: strings.TrimSpace(q.Get("client")), Last4: strings.TrimSpace(q.Get("last4"))}
	v := View{Title: "web_bo_cards_title", Data: &d}
	if d.Client == "" && d.Last4 == "" {
		s.render(w, r, http.StatusOK, "cards_search", v)
		return
	}
	d.Searched = true
	var customerID string
	if d.Client != "" {
		c, err := s.Customers.ByClientNumber(r.Context(), d.Client)
		if err != nil {
			// An unknown client number finds no card: the search says so, as for a customer's name.
			s.render(w, r, http.StatusOK, "cards_search", v)
			return
		}
		customerID = c.ID
	}
	list, err := s.Cards.Search(r.Context(), customerID, d.Last4)
	if err != nil {
		s.problem(w, r, "cards_search", v, err)
		return
	}
	holders := map[string]customer.Customer{}
	for _, c := range list {
		h, ok := holders[c.CustomerID]
		if !ok {
			if h, err = s.Customers.Get(r.Context(), c.CustomerID); err != nil {
				s.problem(w, r, "cards_search", v, err)
				return
			}
			holders[c.CustomerID] = h
		}
		d.Results = append(d.Results, cardRow{Card: c, Shown: c.Shown(s.Clock.Now()), Customer: h})
	}
	s.render(w, r, http.StatusOK, "cards_search", v)
}

// cardDetailData is a card's page: the card, its holder, its accounts, its history.
type cardDetailData struct {
	Card     card.Card
	Shown    card.Status
	Customer customer.Customer
	Linked   []card.Linked
	History  []card.Event
}

// Can say which actions the card's status offers; the operations refuse the others anyway.
func (d cardDetailData) CanBlock() bool   { return d.Shown == card.Active }
func (d cardDetailData) CanUnblock() bool { return d.Shown == card.Blocked }
func (d cardDetailData) CanLost() bool {
	return d.Card.Status == card.Active || d.Card.Status == card.Blocked
}
func (d cardDetailData) IsLost() bool { return d.Card.Status == card.Lost }
func (d cardDetailData) CanReprint() bool {
	return d.Card.Status == card.Active || d.Card.Status == card.Blocked || d.Card.Status == card.Lost
}
func (d cardDetailData) IsOrdered() bool { return d.Card.Status == card.Ordered }
func (d cardDetailData) IsReady() bool   { return d.Card.Status == card.Ready }

func (s *Server) cardDetail(w http.ResponseWriter, r *http.Request) {
	v := View{Title: "web_bo_card_detail_title"}
	s.flash(r, &v)
	if m := r.URL.Query().Get("m"); cardNotices[m] {
		v.Notice = s.message(r, "web_bo_done_"+m, nil)
	}
	s.showCard(w, r, http.StatusOK, v)
}

// cardNotices are the card page's notices by its m parameter: web_bo_done_<m>.
var cardNotices = map[string]bool{"card_blocked": true, "card_unblocked": true, "card_reprinted": true,
	"card_ready": true, "card_handed_over": true, "pin_unblocked": true}

// showCard renders the card the path names as it is now, with v's notice or problem.
func (s *Server) showCard(w http.ResponseWriter, r *http.Request, status int, v View) {
	id := r.PathValue("id")
	c, err := s.Cards.Find(r.Context(), id)
	if err != nil {
		s.problem(w, r, "card_detail", v, err)
		return
	}
	d := cardDetailData{Card: c, Shown: c.Shown(s.Clock.Now())}
	if d.Customer, err = s.Customers.Get(r.Context(), c.CustomerID); err == nil {
		if d.Linked, err = s.Cards.Linked(r.Context(), card.Staff(), c.ID); err == nil {
			d.History, err = s.Cards.History(r.Context(), card.Staff(), c.ID)
		}
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	v.Data = &d
	s.render(w, r, status, "card_detail", v)
}

// cardDone runs a staff action on the card the path names and goes to the card it leaves (the new one after a
// reprint) with notice m; a refusal is shown on the card's page as it is now.
func (s *Server) cardDone(m string, do func(*http.Request, staff.Member, string) (card.Card, error)) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.parseForm(w, r) {
			return
		}
		c, err := do(r, MemberOf(r), r.PathValue("id"))
		if err != nil {
			s.refused(w, r, err, s.showCard)
			return
		}
		http.Redirect(w, r, withNotice(cardPath(c.ID), m), http.StatusSeeOther)
	}
}

// reactivateLost asks for a lost card's reactivation: it waits for a second member, and the page says so.
func (s *Server) reactivateLost(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	o, err := s.Operations.ReactivateLostCard(r.Context(), MemberOf(r), id)
	if err != nil {
		s.refused(w, r, err, s.showCard)
		return
	}
	answered(w, r, cardPath(id), o, "card_unblocked")
}
