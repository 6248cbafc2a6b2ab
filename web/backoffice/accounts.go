package backoffice

import (
	"net/http"
	"slices"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/core"
)

// One account of a customer, as staff see it (customer.read): its balances, overdraft and state, its latest
// entries, and the operations on it — branch cash in and out (cash.branch; a large withdrawal waits for a second
// member), blocking, unblocking and closing it (account.manage; closing after a confirmation), its overdraft limit
// (overdraft.set) and reversing one of its entries (entry.reverse), both of which always wait for a second member.
func (s *Server) accountRoutes() []Route {
	a := customersPath + "/{id}/accounts/{account}"
	return []Route{
		{Method: "GET", Path: a, Policy: Staffed(""), Permission: staff.CustomerRead, Handler: s.accountPage},
		{Method: "GET", Path: a + "/deposit", Policy: Staffed(""), Permission: staff.CashBranch, Handler: s.cashPage(cashIn)},
		{Method: "POST", Path: a + "/deposit", Policy: Staffed(""), Permission: staff.CashBranch, Handler: s.cash(cashIn)},
		{Method: "GET", Path: a + "/withdraw", Policy: Staffed(""), Permission: staff.CashBranch, Handler: s.cashPage(cashOut)},
		{Method: "POST", Path: a + "/withdraw", Policy: Staffed(""), Permission: staff.CashBranch, Handler: s.cash(cashOut)},
		{Method: "POST", Path: a + "/block", Policy: Staffed(""), Permission: staff.AccountManage,
			Handler: s.accountStatus("account_blocked", ledger.Blocked)},
		{Method: "POST", Path: a + "/unblock", Policy: Staffed(""), Permission: staff.AccountManage,
			Handler: s.accountStatus("account_unblocked", ledger.Active)},
		{Method: "GET", Path: a + "/close", Policy: Staffed(""), Permission: staff.AccountManage, Handler: s.closeAccountPage},
		{Method: "POST", Path: a + "/close", Policy: Staffed(""), Permission: staff.AccountManage,
			Handler: s.accountStatus("account_closed", ledger.Closed)},
		{Method: "GET", Path: a + "/overdraft", Policy: Staffed(""), Permission: staff.OverdraftSet, Handler: s.overdraftPage},
		{Method: "POST", Path: a + "/overdraft", Policy: Staffed(""), Permission: staff.OverdraftSet, Handler: s.setOverdraft},
		{Method: "GET", Path: a + "/entries/{entry}/reverse", Policy: Staffed(""), Permission: staff.EntryReverse,
			Handler: s.reversePage},
		{Method: "POST", Path: a + "/entries/{entry}/reverse", Policy: Staffed(""), Permission: staff.EntryReverse,
			Handler: s.reverse},
	}
}

// LinesShown is how many of an account's latest entries its page lists.
const LinesShown = 20

// accountData is an account's page.
type accountData struct {
	Customer customer.Customer
	Account  accountRow
	Lines    []lineRow
}

// lineRow is one of the account's postings with its description in the page's language.
type lineRow struct {
	ledger.Line
	Text string
}

// pathAccount is the customer and the account the path names; one that is not theirs is answered with the
// not-found page (false).
func (s *Server) pathAccount(w http.ResponseWriter, r *http.Request) (customer.Customer, ledger.Account, bool) {
	c, a, err := s.accountOf(r)
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return c, a, false
	}
	return c, a, true
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	var v View
	s.flash(r, &v)
	s.showAccount(w, r, http.StatusOK, v)
}

// showAccount renders the account the path names, as it is now, with v's notice or problem.
func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, v View) {
	c, a, ok := s.pathAccount(w, r)
	if !ok {
		return
	}
	page, err := s.Ledger.History(r.Context(), a.ID, ledger.HistoryFilter{Limit: LinesShown})
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return
	}
	d := accountData{Customer: c, Account: s.accountRow(r, a)}
	for _, l := range page.Lines {
		d.Lines = append(d.Lines, lineRow{Line: l, Text: l.Describe(s.Catalogue, core.Lang(r))})
	}
	v.Title, v.Data = "web_bo_account_title", d
	s.render(w, r, status, "account", v)
}

// Branch cash: in (a deposit) or out (a withdrawal).
const (
	cashIn  = "deposit"
	cashOut = "withdraw"
)

// cashForm is a cash deposit's or withdrawal's page: the account, what was typed, and for a withdrawal the
// largest amount a teller pays out alone.
type cashForm struct {
	Customer       customer.Customer
	Account        accountRow
	Kind           string // deposit, withdraw
	Amount, Reason string
	Alone          int64 // minor units; a withdrawal above it waits for a second member
	AloneKnown     bool  // the currency has such an amount: without one, every withdrawal waits
}

func (s *Server) cashForm(r *http.Request, c customer.Customer, a ledger.Account, kind, amount, reason string) cashForm {
	f := cashForm{Customer: c, Account: s.accountRow(r, a), Kind: kind, Amount: amount, Reason: reason}
	f.Alone, f.AloneKnown = s.Operations.Config.CashApproval[a.Currency]
	return f
}

func (s *Server) cashPage(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, a, ok := s.pathAccount(w, r)
		if !ok {
			return
		}
		s.render(w, r, http.StatusOK, "cash", View{Title: "web_bo_cash_" + kind + "_title",
			Data: s.cashForm(r, c, a, kind, "", "")})
	}
}

// cash posts a deposit at once, or a withdrawal, which waits for a second member above the teller's amount; the
// account's page then shows the entry, or the request.
func (s *Server) cash(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, a, ok := s.pathAccount(w, r)
		if !ok || !s.parseForm(w, r) {
			return
		}
		typed, reason := r.PostForm.Get("amount"), r.PostForm.Get("reason")
		v := View{Title: "web_bo_cash_" + kind + "_title", Data: s.cashForm(r, c, a, kind, typed, reason)}
		amount, err := typedAmount(r, typed)
		var o operation.Outcome
		switch {
		case err != nil:
		case kind == cashIn:
			o.Ref, err = s.Operations.Deposit(r.Context(), MemberOf(r), a.ID, amount, reason)
		default:
			o, err = s.Operations.Withdraw(r.Context(), MemberOf(r), a.ID, amount, reason)
		}
		if err != nil {
			s.problem(w, r, "cash", v, err)
			return
		}
		answered(w, r, accountPath(c.ID, a.ID), o, map[string]string{cashIn: "deposited", cashOut: "withdrawn"}[kind])
	}
}

// accountStatus blocks, unblocks or closes the account, and says so on its page.
func (s *Server) accountStatus(done string, to ledger.Status) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, a, ok := s.pathAccount(w, r)
		if !ok {
			return
		}
		if err := s.Operations.ChangeAccountStatus(r.Context(), MemberOf(r), a.ID, to); err != nil {
			s.refused(w, r, err, s.showAccount)
			return
		}
		http.Redirect(w, r, withNotice(accountPath(c.ID, a.ID), done), http.StatusSeeOther)
	}
}

func (s *Server) closeAccountPage(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.pathAccount(w, r)
	if !ok {
		return
	}
	row := s.accountRow(r, a)
	s.render(w, r, http.StatusOK, "confirm_op", View{Title: "web_bo_close_account_title", Data: confirmOp{
		Question: s.message(r, "web_bo_close_account_question", map[string]string{"account": row.Title,
			"iban": row.Printable}),
		Danger: s.message(r, "web_bo_close_account_danger", nil),
		Button: s.message(r, "web_bo_close_account_button", nil),
		Action: accountPath(c.ID, a.ID) + "/close", Cancel: accountPath(c.ID, a.ID)}})
}

// overdraftForm is the overdraft limit's page: the account with its limit now, and the limit typed.
type overdraftForm struct {
	Customer customer.Customer
	Account  accountRow
	Limit    string
}

func (s *Server) overdraftPage(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.pathAccount(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "overdraft", View{Title: "web_bo_overdraft_title",
		Data: overdraftForm{Customer: c, Account: s.accountRow(r, a)}})
}

// setOverdraft asks for the account's new limit: a second member approves it.
func (s *Server) setOverdraft(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.pathAccount(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	typed := r.PostForm.Get("limit")
	limit, err := typedAmount(r, typed)
	var o operation.Outcome
	if err == nil {
		o, err = s.Operations.SetOverdraft(r.Context(), MemberOf(r), a.ID, limit)
	}
	if err != nil {
		// The limit is an amount to the money package: its problem is the form's limit field.
		err = moveField(err, "amount", "limit")
		s.problem(w, r, "overdraft", View{Title: "web_bo_overdraft_title",
			Data: overdraftForm{Customer: c, Account: s.accountRow(r, a), Limit: typed}}, err)
		return
	}
	answered(w, r, accountPath(c.ID, a.ID), o, "overdraft_set")
}

// reverseForm is a reversal's page: the entry as the books hold it, and the reason typed.
type reverseForm struct {
	Customer customer.Customer
	Account  accountRow
	Entry    journalView
	Reason   string
}

// pathEntry is the entry the path names, on the account it names: an entry with no leg on that account is not
// found, as a missing one is.
func (s *Server) pathEntry(w http.ResponseWriter, r *http.Request) (reverseForm, bool) {
	c, a, ok := s.pathAccount(w, r)
	if !ok {
		return reverseForm{}, false
	}
	e, err := s.Ledger.JournalEntry(r.Context(), r.PathValue("entry"))
	if err == nil && !e.Touches(a.ID) {
		err = ledger.ErrTransactionNotFound
	}
	var j journalView
	if err == nil {
		j, err = s.journalView(r, e)
	}
	if err != nil {
		s.problem(w, r, "error", View{Title: "web_bo_error_title"}, err)
		return reverseForm{}, false
	}
	return reverseForm{Customer: c, Account: s.accountRow(r, a), Entry: j}, true
}

func (s *Server) reversePage(w http.ResponseWriter, r *http.Request) {
	f, ok := s.pathEntry(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "reverse", View{Title: "web_bo_reverse_title", Data: f})
}

// reverse asks for the entry's reversal, with the reason the checker will read: a second member approves it.
func (s *Server) reverse(w http.ResponseWriter, r *http.Request) {
	f, ok := s.pathEntry(w, r)
	if !ok || !s.parseForm(w, r) {
		return
	}
	f.Reason = r.PostForm.Get("reason")
	o, err := s.Operations.Reverse(r.Context(), MemberOf(r), operation.Reversal{EntryID: f.Entry.ID,
		Reason: strings.TrimSpace(f.Reason)})
	if err != nil {
		s.problem(w, r, "reverse", View{Title: "web_bo_reverse_title", Data: f}, err)
		return
	}
	answered(w, r, accountPath(f.Customer.ID, f.Account.ID), o, "reversed")
}

// moveField is err with its problems about the request field from said about the form's field to.
func moveField(err error, from, to string) error {
	e, ok := kumbara.As(err)
	if !ok || !slices.ContainsFunc(e.Fields, func(f kumbara.FieldError) bool { return f.Field == from }) {
		return err
	}
	moved := *e
	moved.Fields = nil
	for _, f := range e.Fields {
		if f.Field == from {
			f.Field = to
		}
		moved.Fields = append(moved.Fields, f)
	}
	return &moved
}

// amountOf reads a decimal an operation's payload holds, for a page to show the way it shows amounts; ok is false
// for one that does not read (shown as written).
func amountOf(decimal string, cur money.Currency) (money.Amount, bool) {
	a, err := money.ParseDecimal(decimal, cur)
	return a, err == nil
}
