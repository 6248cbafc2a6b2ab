package backoffice

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/uniquecode"
)

// The operations on a customer, offered on the customer's page: contact details, a new account, a card and its
// PIN, a unique code, the digital channel and its initial password — what `kumbara admin` does, through the same
// operations (package operation). Each route carries its operation's permission, the page offers each only to a
// member whose roles grant it, and the operation checks again. A form of several fields has a page of its own; one
// button is a form on the customer's page, and its refusal is shown there.
func (s *Server) actionRoutes() []Route {
	c := customersPath + "/{id}"
	return []Route{
		{Method: "GET", Path: c + "/contact", Policy: Staffed(""), Permission: staff.ContactEdit, Handler: s.contactPage},
		{Method: "POST", Path: c + "/contact", Policy: Staffed(""), Permission: staff.ContactEdit, Handler: s.changeContact},
		{Method: "GET", Path: c + "/accounts/new", Policy: Staffed(""), Permission: staff.AccountManage, Handler: s.openAccountPage},
		{Method: "POST", Path: c + "/accounts", Policy: Staffed(""), Permission: staff.AccountManage, Handler: s.openAccount},
		{Method: "GET", Path: c + "/cards/new", Policy: Staffed(""), Permission: staff.CardIssue, Handler: s.cardPage},
		{Method: "POST", Path: c + "/cards", Policy: Staffed(""), Permission: staff.CardIssue, Handler: s.issueCard},
		{Method: "POST", Path: c + "/cards/{card}/unblock-pin", Policy: Staffed(""), Permission: staff.CardBlock,
			Handler: s.unblockPIN},
		{Method: "POST", Path: c + "/code", Policy: Staffed(""), Permission: staff.UniqueCodeIssue, Handler: s.issueCode},
		{Method: "POST", Path: c + "/channel/block", Policy: Staffed(""), Permission: staff.ChannelManage,
			Handler: s.channelAction("channel_blocked", (*operation.Service).BlockChannel)},
		{Method: "POST", Path: c + "/channel/unblock", Policy: Staffed(""), Permission: staff.ChannelManage,
			Handler: s.channelAction("channel_unblocked", (*operation.Service).UnblockChannel)},
		{Method: "GET", Path: c + "/channel/close", Policy: Staffed(""), Permission: staff.ChannelManage,
			Handler: s.closeChannelPage},
		{Method: "POST", Path: c + "/channel/close", Policy: Staffed(""), Permission: staff.ChannelManage,
			Handler: s.channelAction("channel_closed", (*operation.Service).CloseChannel)},
		{Method: "POST", Path: c + "/channel/reactivate", Policy: Staffed(""), Permission: staff.ChannelManage,
			Handler: s.reactivate},
		{Method: "GET", Path: c + "/password", Policy: Staffed(""), Permission: staff.ChannelManage, Handler: s.passwordSetPage},
		{Method: "POST", Path: c + "/password", Policy: Staffed(""), Permission: staff.ChannelManage, Handler: s.setPassword},
	}
}

// pathCustomer is the customer the path names; an unknown one is answered with the not-found page (false).
func (s *Server) pathCustomer(w http.ResponseWriter, r *http.Request) (customer.Customer, bool) {
	c, err := s.customerOf(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return customer.Customer{}, false
	}
	return c, true
}

// contactForm is the contact details' page: the customer's as they are, and as typed.
type contactForm struct {
	Customer customer.Customer
	Typed    customer.Contact
}

func (s *Server) contactPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "contact", View{Title: "web_bo_contact_title",
		Data: contactForm{Customer: c, Typed: customer.ContactOf(c)}})
}

// changeContact asks for the customer's new contact details: a new address is changed at once; a new mobile
// number or email address waits for a second member.
func (s *Server) changeContact(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	typed := customer.Contact{Mobile: r.PostForm.Get("mobile"), Email: r.PostForm.Get("email"),
		Address: r.PostForm.Get("address")}
	o, err := s.Operations.ChangeContact(r.Context(), MemberOf(r), c.ID, typed)
	if err != nil {
		s.problem(w, r, "contact", View{Title: "web_bo_contact_title", Data: contactForm{Customer: c, Typed: typed}}, err)
		return
	}
	answered(w, r, customerPath(c.ID), o, "contact_changed")
}

// choice is one option of a select.
type choice struct{ Value, Label string }

// openAccountForm is the new account's page: the currencies and products the bank offers, and what was typed.
type openAccountForm struct {
	Customer             customer.Customer
	Currencies           []money.Currency
	Types                []choice
	Currency, Type, Name string
}

func (s *Server) openAccountForm(r *http.Request, c customer.Customer, cur, typ, name string) openAccountForm {
	f := openAccountForm{Customer: c, Currencies: money.Currencies(), Currency: cur, Type: typ, Name: name}
	for _, t := range []string{ledger.TypeCurrent, ledger.TypeSavings} {
		f.Types = append(f.Types, choice{Value: t, Label: s.message(r, "web_bo_type_"+t, nil)})
	}
	return f
}

func (s *Server) openAccountPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "account_new", View{Title: "web_bo_open_title",
		Data: s.openAccountForm(r, c, string(money.ALL), ledger.TypeCurrent, "")})
}

// openAccount opens the account and goes to its page.
func (s *Server) openAccount(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	cur, typ, name := strings.TrimSpace(r.PostForm.Get("currency")), strings.TrimSpace(r.PostForm.Get("type")),
		strings.TrimSpace(r.PostForm.Get("name"))
	a, err := s.Operations.OpenAccount(r.Context(), MemberOf(r), c.ID, money.Currency(strings.ToUpper(cur)), typ, name)
	if err != nil {
		s.problem(w, r, "account_new", View{Title: "web_bo_open_title", Data: s.openAccountForm(r, c, cur, typ, name)}, err)
		return
	}
	http.Redirect(w, r, withNotice(accountPath(c.ID, a.ID), "account_opened"), http.StatusSeeOther)
}

// cardForm is the new card's page: the customer's accounts a card may draw on, and what was typed. The PIN the
// customer types at the counter is never put back into the page.
type cardForm struct {
	Customer    customer.Customer
	Accounts    []accountRow
	AccountID   string
	Type        string
	Contactless bool
}

func (s *Server) cardForm(r *http.Request, c customer.Customer, f cardForm) (cardForm, error) {
	accounts, err := s.Ledger.ListByCustomer(r.Context(), c.ID)
	if err != nil {
		return f, err
	}
	f.Customer = c
	for _, a := range accounts {
		if a.Status != ledger.Closed {
			f.Accounts = append(f.Accounts, s.accountRow(r, a))
		}
	}
	return f, nil
}

func (s *Server) cardPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	f, err := s.cardForm(r, c, cardForm{Type: string(card.Visa), Contactless: true})
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	s.render(w, r, http.StatusOK, "card_new", View{Title: "web_bo_card_title", Data: f})
}

// issueCard issues a debit card with the PIN the customer typed; it goes back to the customer, whose cards list
// the new one, masked.
func (s *Server) issueCard(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	typed := cardForm{AccountID: r.PostForm.Get("account_id"), Type: strings.ToLower(strings.TrimSpace(r.PostForm.Get("type"))),
		Contactless: r.PostForm.Get("contactless") != ""}
	// The PIN is passed as typed: a PIN with a stray space is refused, not changed.
	_, err := s.Operations.IssueCard(r.Context(), MemberOf(r), card.IssueRequest{CustomerID: c.ID,
		AccountID: typed.AccountID, Type: card.Type(typed.Type), Contactless: typed.Contactless,
		PIN: r.PostForm.Get("pin")})
	if err != nil {
		f, ferr := s.cardForm(r, c, typed)
		if ferr != nil {
			err = ferr
		}
		s.problem(w, r, "card_new", View{Title: "web_bo_card_title", Data: f}, err)
		return
	}
	http.Redirect(w, r, withNotice(customerPath(c.ID), "card_issued"), http.StatusSeeOther)
}

// unblockPIN lets the customer's card's PIN be used again; a card of another customer is not found.
func (s *Server) unblockPIN(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	cards, err := s.Cards.List(r.Context(), c.ID)
	if err == nil && !slices.ContainsFunc(cards, func(k card.Card) bool { return k.ID == r.PathValue("card") }) {
		err = card.ErrNotFound
	}
	if err == nil {
		err = s.Operations.UnblockPIN(r.Context(), MemberOf(r), r.PathValue("card"))
	}
	if err != nil {
		s.refused(w, r, err, s.showCustomer)
		return
	}
	http.Redirect(w, r, withNotice(customerPath(c.ID), "pin_unblocked"), http.StatusSeeOther)
}

// uniqueCodeData is the unique code's page, the one time the code is shown.
type uniqueCodeData struct {
	Customer customer.Customer
	Code     string
	Purpose  string // registration, recovery
	Expires  time.Time
}

// issueCode issues a unique code and shows it this once, for the member to hand to the customer: the answer is
// never stored by the browser (no-store) and the code never logged. A new code of the purpose revokes the last.
func (s *Server) issueCode(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	p := uniquecode.Purpose(r.PostForm.Get("purpose"))
	code, expires, err := s.Operations.IssueCode(r.Context(), MemberOf(r), c.ID, p)
	if err != nil {
		s.refused(w, r, err, s.showCustomer)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusCreated, "code_issued", View{Title: "web_bo_code_issued_title",
		Data: uniqueCodeData{Customer: c, Code: uniquecode.Format(code), Purpose: string(p), Expires: expires}})
}

// channelAction blocks, unblocks or closes the customer's digital channel at once, and says so on their page.
func (s *Server) channelAction(done string, act func(*operation.Service, context.Context, staff.Member, string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.pathCustomer(w, r)
		if !ok {
			return
		}
		if err := act(s.Operations, r.Context(), MemberOf(r), c.ID); err != nil {
			s.refused(w, r, err, s.showCustomer)
			return
		}
		http.Redirect(w, r, withNotice(customerPath(c.ID), done), http.StatusSeeOther)
	}
}

// reactivate asks for the customer's closed channel to reopen: always a second member's decision.
func (s *Server) reactivate(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	o, err := s.Operations.ReactivateChannel(r.Context(), MemberOf(r), c.ID)
	if err != nil {
		s.refused(w, r, err, s.showCustomer)
		return
	}
	answered(w, r, customerPath(c.ID), o, "channel_reactivated")
}

// confirmOp is a question before what cannot be undone (closing an account or a channel): its form posts to
// Action, and Cancel goes back.
type confirmOp struct {
	Question, Button string // translated
	Action, Cancel   string
	Danger           string // what follows, translated
}

func (s *Server) closeChannelPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "confirm_op", View{Title: "web_bo_close_channel_title", Data: confirmOp{
		Question: s.message(r, "web_bo_close_channel_question", map[string]string{"name": c.Name()}),
		Danger:   s.message(r, "web_bo_close_channel_danger", nil),
		Button:   s.message(r, "web_bo_close_channel_button", nil),
		Action:   customerPath(c.ID) + "/channel/close", Cancel: customerPath(c.ID)}})
}

// passwordSetForm is the initial password's page: the rules a refused one broke, in words.
type passwordSetForm struct {
	Customer customer.Customer
	Broken   []string
}

func (s *Server) passwordSetPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "password_set", View{Title: "web_bo_set_password_title",
		Data: passwordSetForm{Customer: c}})
}

// setPassword sets an initial password the customer must change at their first login. Neither field is ever put
// back into the page.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	c, ok := s.pathCustomer(w, r)
	if !ok {
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	v := View{Title: "web_bo_set_password_title", Data: passwordSetForm{Customer: c}}
	pw := r.PostForm.Get("password")
	if pw != r.PostForm.Get("confirm_password") {
		v.Error = s.message(r, "web_bo_password_mismatch", nil)
		v.Fields = map[string]string{"confirm_password": v.Error}
		s.render(w, r, http.StatusBadRequest, "password_set", v)
		return
	}
	err := s.Operations.SetPassword(r.Context(), MemberOf(r), c.ID, pw)
	if errors.Is(err, password.ErrPolicy) {
		_, texts := s.site.BrokenRules(r, err)
		v.Data = passwordSetForm{Customer: c, Broken: texts}
		v.Error, v.Fields = s.site.ProblemText(r, err), map[string]string{"password": strings.Join(texts, " ")}
		s.render(w, r, http.StatusBadRequest, "password_set", v)
		return
	}
	if err != nil {
		s.problem(w, r, "password_set", v, err)
		return
	}
	http.Redirect(w, r, withNotice(customerPath(c.ID), "password_set"), http.StatusSeeOther)
}
