package cards

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/core"
)

// action is one of the card's actions: its confirmation page (GET path) and the action itself (POST path), as the
// manual has them — choose the action, then KONFIRMO.
type action struct {
	name     string // the catalogue keys' part: web_cd_<name>_title, _question, _confirm; web_cd_done_<name>
	path     string
	password bool // the confirmation asks for the password (the action lets the card do more)
	pin      bool // the confirmation asks for the new PIN
	account  bool // the path names an account ({account_id})
	pick     bool // the confirmation lets the customer choose an account to link
	do       func(s *area, r *http.Request, who card.Who, id string) (card.Card, error)
}

func actions() []action {
	return []action{
		{name: "block", path: "/cards/{id}/block", do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Block(r.Context(), who, id, card.Temporary)
		}},
		{name: "lost", path: "/cards/{id}/lost", do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Block(r.Context(), who, id, card.LostOrStolen)
		}},
		{name: "unblock", path: "/cards/{id}/unblock", password: true, do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Unblock(r.Context(), who, id, r.PostFormValue("password"))
		}},
		{name: "reprint", path: "/cards/{id}/reprint", password: true, do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Reprint(r.Context(), who, id, r.PostFormValue("password"))
		}},
		{name: "pin", path: "/cards/{id}/pin", password: true, pin: true, do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.SetPIN(r.Context(), who, id, trimmed(r, "pin"), r.PostFormValue("password"))
		}},
		{name: "link", path: "/cards/{id}/link", password: true, pick: true, do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Link(r.Context(), who, id, trimmed(r, "account_id"), r.PostFormValue("password"))
		}},
		{name: "unlink", path: "/cards/{id}/accounts/{account_id}/unlink", account: true, do: func(s *area, r *http.Request, who card.Who, id string) (card.Card, error) {
			return s.Cards.Unlink(r.Context(), who, id, r.PathValue("account_id"))
		}},
	}
}

// confirmData is a confirmation page: the card, what the action does, and what it asks for.
type confirmData struct {
	Card     cardRow
	Name     string
	Password bool
	PIN      bool
	Account  *accountRow     // the account unlinked
	Pick     []accountRow    // the accounts to choose from, for a link
	Chosen   string          // the account chosen, shown again after a refusal
	Fields   map[string]bool // the fields a refusal names
}

func (s *area) confirmPage(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.load(w, r)
		if !ok {
			return
		}
		d, err := s.confirmData(r, a, c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Chosen = r.URL.Query().Get("account_id")
		s.Render(w, r, http.StatusOK, "card_confirm", core.View{Title: "web_cd_" + a.name + "_title", Data: d})
	}
}

func (s *area) confirmData(r *http.Request, a action, c card.Card) (confirmData, error) {
	d := confirmData{Card: s.row(r, c), Name: a.name, Password: a.password, PIN: a.pin, Fields: map[string]bool{}}
	if !a.account && !a.pick {
		return d, nil
	}
	page, err := s.pageData(r, c)
	if err != nil {
		return d, err
	}
	if a.pick {
		d.Pick = page.Linkable
	}
	if a.account {
		for _, acc := range page.Accounts {
			if acc.ID == r.PathValue("account_id") && !acc.Primary {
				d.Account = &acc
			}
		}
		if d.Account == nil {
			return d, card.ErrNotLinked
		}
	}
	return d, nil
}

// act does the action and goes back to the card's page (the new card's, after a reprint) with what was done; a
// refusal shows the confirmation page again with the message, nothing changed.
func (s *area) act(a action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		who := card.Holder(core.SessionOf(r).CustomerID)
		id := r.PathValue("id")
		got, err := a.do(s, r, who, id)
		if err != nil {
			s.refused(w, r, a, err)
			return
		}
		http.Redirect(w, r, "/cards/"+url.PathEscape(got.ID)+"?m="+a.name, http.StatusSeeOther)
	}
}

func (s *area) refused(w http.ResponseWriter, r *http.Request, a action, err error) {
	if errors.Is(err, card.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	c, ok := s.load(w, r)
	if !ok {
		return
	}
	d, derr := s.confirmData(r, a, c)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	d.Chosen = trimmed(r, "account_id")
	if e, ok := kumbara.As(err); ok {
		for _, f := range e.Fields {
			d.Fields[f.Field] = true
		}
		if e.Kind == kumbara.KindUnauthorized {
			d.Fields["password"] = true
		}
	}
	s.Problem(w, r, "card_confirm", core.View{Title: "web_cd_" + a.name + "_title", Data: d}, err)
}

// saveControls saves the controls form: every switch as sent (an unticked box is off), the limits as typed in the
// page's language ("" keeps a limit), the password when the change lets the card do more.
func (s *area) saveControls(w http.ResponseWriter, r *http.Request) {
	c, ok := s.load(w, r)
	if !ok {
		return
	}
	l := core.Lang(r)
	on := func(name string) *bool { v := r.PostFormValue(name) == "on"; return &v }
	ch := card.ControlsChange{Online: on("online"), Contactless: on("contactless"), ATM: on("atm"),
		Magstripe: on("magstripe"), Abroad: on("abroad")}
	var fields []kumbara.FieldError
	limit := func(name string) *int64 {
		typed := trimmed(r, name)
		if typed == "" {
			return nil
		}
		a, err := parseTyped(typed, c.Currency, l)
		if err != nil {
			fields = append(fields, kumbara.ErrInvalid.At(name))
			return nil
		}
		return &a.Minor
	}
	ch.DailyPurchaseLimit = limit("daily_purchase_limit")
	ch.DailyATMLimit = limit("daily_atm_limit")
	var err error
	if len(fields) > 0 {
		err = kumbara.ErrValidationFailed.WithFields(fields...)
	} else {
		_, err = s.Cards.SetControls(r.Context(), card.Holder(c.CustomerID), c.ID, ch, r.PostFormValue("password"))
	}
	if err == nil {
		http.Redirect(w, r, "/cards/"+url.PathEscape(c.ID)+"?m=controls#controls", http.StatusSeeOther)
		return
	}
	if kumbara.KindOf(err) == kumbara.KindInternal {
		s.fail(w, r, err)
		return
	}
	d, derr := s.pageData(r, c)
	if derr != nil {
		s.fail(w, r, derr)
		return
	}
	// The form again as sent, so the customer corrects what was refused.
	k := &d.Controls
	k.Online, k.Contactless, k.ATM, k.Magstripe, k.Abroad = *ch.Online, *ch.Contactless, *ch.ATM, *ch.Magstripe, *ch.Abroad
	if v := trimmed(r, "daily_purchase_limit"); v != "" {
		k.Purchase = v
	}
	if v := trimmed(r, "daily_atm_limit"); v != "" {
		k.Cash = v
	}
	s.Problem(w, r, "card", core.View{Title: "web_cd_card_title", Data: d}, err)
}

// parseTyped reads an amount as the customer typed it in the page's language ("1.250,50" or "1250.50").
func parseTyped(typed string, cur money.Currency, l i18n.Lang) (money.Amount, error) {
	mark := ','
	if l == i18n.EN {
		mark = '.'
	}
	dec, err := money.Typed(typed, mark)
	if err != nil {
		return money.Amount{}, err
	}
	return money.ParseDecimal(dec, cur)
}
