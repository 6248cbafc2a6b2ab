package transfers

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/vop"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Payments & transfers": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "transfers", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		a := newArea(site)
		return append(a.routes(), a.passkeyRoutes()...)
	}}
}

// area is the transfer pages' handlers, on the site.
type area struct {
	*core.Site
	// processKey stands in for the server's secret when there is none (sealKey).
	processKey []byte
}

func newArea(site *core.Site) *area {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // never fails (crypto/rand panics rather than return an error since Go 1.24)
	return &area{Site: site, processKey: k}
}

// routes are "Payments & transfers": own (T2) and in-bank (T3) transfers and their receipts (Y19).
//
// Every transfer goes form → review → confirm → result. The form posts and, when it is valid, redirects to the
// review page, a GET page whose query is the reviewed transfer, sealed (seal.go) together with a fresh
// idempotency key. The review page therefore shows the same key however often it is loaded — after the browser's
// back button, a reload or a language switch — so confirming twice, in any way, replays the first transfer
// instead of making a second. The confirm form carries the same sealed fields; a change to any of them is refused.
func (s *area) routes() []core.Route {
	return []core.Route{
		{Method: "GET", Path: "/transfers", Policy: core.Private(""), Handler: s.startPage},
		{Method: "GET", Path: "/transfers/own", Policy: core.Private(""), Handler: s.ownPage},
		{Method: "POST", Path: "/transfers/own", Policy: core.Private(""), Handler: s.ownSubmit},
		{Method: "GET", Path: "/transfers/internal", Policy: core.Private(""), Handler: s.internalPage},
		{Method: "POST", Path: "/transfers/internal/payee", Policy: core.Private(httpx.PayeeCheck), Handler: s.findPayee},
		{Method: "POST", Path: "/transfers/internal", Policy: core.Private(""), Handler: s.internalSubmit},
		{Method: "GET", Path: "/transfers/review", Policy: core.Private(""), Handler: s.reviewPage},
		{Method: "POST", Path: "/transfers/confirm", Policy: core.Private(httpx.PaymentCode), Handler: s.confirmTransfer},
		{Method: "GET", Path: "/transfers/{id}", Policy: core.Private(""), Handler: s.resultPage},
		{Method: "GET", Path: "/transfers/{id}/confirm", Policy: core.Private(""), Handler: s.confirmPage},
		{Method: "POST", Path: "/transfers/{id}/confirm", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.confirmSubmit, Refused: s.confirmRefused},
		{Method: "POST", Path: "/transfers/{id}/resend", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.resend, Refused: s.confirmRefused},
		{Method: "GET", Path: "/transfers/{id}/receipt", Policy: core.Private(""), Handler: s.receipt},
	}
}

// pick is one of the customer's accounts as a picker offers it.
type pick struct {
	ID, Label, MaskedIBAN, Currency string
	Available                       int64
	Blocked                         bool
	Selected                        bool
}

// ownForm is the form of a transfer between the customer's own accounts (T2), with what they typed.
type ownForm struct {
	From, To         []pick
	Amount           string
	Description      string
	Invalid          string // the field the error is about, marked for assistive technology
	DescriptionChars string
}

// way is one way to look a payee up.
type way struct {
	Value, Label string
	Checked      bool
}

// payeeChoice is one of the payee's accounts.
type payeeChoice struct {
	IBAN, Printable, Currency string
	Checked                   bool
}

// internalForm is the in-bank transfer (T3): the payee check, then — once a payee is found — the transfer form.
type internalForm struct {
	Ways   []way
	Value  string
	Found  bool
	Payee  payeeRef
	To     []payeeChoice
	From   []pick
	Amount string
	// Description, Phone and Name (the payee's name, for the name check) are as typed.
	Description, Phone, Name string
	Invalid                  string
	DescriptionChars         string
}

func (s *area) startPage(w http.ResponseWriter, r *http.Request) {
	s.Render(w, r, http.StatusOK, "transfers", core.View{Title: "web_tr_title"})
}

// refuse shows a problem on the page that starts a transfer: a review or confirmation that cannot be trusted or
// has expired leaves nothing to go back to but the start.
func (s *area) refuse(w http.ResponseWriter, r *http.Request, err error) {
	s.Problem(w, r, "transfers", core.View{Title: "web_tr_title"}, err)
}

// accounts returns the customer's accounts that are not closed, in the ledger's order.
func (s *area) accounts(ctx context.Context, customerID string) ([]ledger.Account, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	// A credit card's account moves only through the card's pages.
	return slices.DeleteFunc(all, func(a ledger.Account) bool {
		return a.Status == ledger.Closed || a.Type == ledger.TypeCredit
	}), nil
}

func accountByID(accounts []ledger.Account, id string) (ledger.Account, bool) {
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.ID == id })
	if i < 0 {
		return ledger.Account{}, false
	}
	return accounts[i], true
}

// label is what an account is called on the page: its name, or its type and currency in the page's language.
func (s *area) label(r *http.Request, a ledger.Account) string {
	return a.Title(s.Catalogue, core.Lang(r))
}

// maskIBAN shows an IBAN by its country, check digits and last four characters, "AL35 **** 0001": enough for a
// customer to tell their accounts apart on a shared screen, not enough to read one off it.
func maskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

// printablePhone groups an Albanian mobile number as people write it, "+355 69 123 4567", so it reads (and wraps
// on a phone) in parts.
func printablePhone(e164 string) string {
	if len(e164) != 13 || !strings.HasPrefix(e164, "+355") {
		return e164
	}
	return e164[:4] + " " + e164[4:6] + " " + e164[6:9] + " " + e164[9:]
}

func printableIBAN(s string) string {
	if ib, err := iban.Parse(s); err == nil {
		return ib.Printable()
	}
	return s
}

// picks lists accounts for a picker; selected is the chosen id. Blocked accounts are listed (and marked) so the
// customer is not left wondering where an account went.
func (s *area) picks(r *http.Request, accounts []ledger.Account, selected string) []pick {
	out := make([]pick, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, pick{ID: a.ID, Label: s.label(r, a), MaskedIBAN: maskIBAN(a.IBAN),
			Currency: string(a.Currency), Available: a.Available(), Blocked: a.Status != ledger.Active,
			Selected: a.ID == selected})
	}
	return out
}

// typedAmount reads the amount as the customer typed it, in the page's language (money.Typed: "1.250,50" and
// "1250.50" alike); what the amount may be is the transfer service's to judge.
func typedAmount(r *http.Request, s string) (string, error) {
	mark := ','
	if core.Lang(r) == i18n.EN {
		mark = '.'
	}
	return money.Typed(s, mark)
}

// formField names the form field of each request field the transfer service refuses (kumbara.FieldError), so
// the page marks the field that has to change. The currency is not on the forms: the form names the account
// whose currency the transfer is in (currency), so a currency that does not fit is that account's choice.
func formField(requestField string) string {
	switch requestField {
	case "from_account_id", "currency":
		return "from"
	case "to_account_id":
		return "to"
	case "payee_phone":
		return "phone"
	case "payee_name":
		return "name"
	case "to_iban", "amount", "description", "by":
		return requestField
	}
	return ""
}

// fieldOf names the form field a domain error is about, so the page can mark it.
func fieldOf(err error) string {
	if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
		return formField(e.Fields[0].Field)
	}
	return ""
}

// currency is the currency of the first of ids among the customer's accounts (and then the payee's), which a
// form's transfer is in: the form asks for an amount in that account's currency.
func currency(accounts []ledger.Account, payee []transfer.PayeeAccount, ids ...string) string {
	for _, id := range ids {
		if a, ok := accountByID(accounts, id); ok {
			return string(a.Currency)
		}
		if i := slices.IndexFunc(payee, func(a transfer.PayeeAccount) bool { return a.IBAN == id }); i >= 0 {
			return string(payee[i].Currency)
		}
	}
	return ""
}

// toReview sends the browser to the review page of rv.
func (s *area) toReview(w http.ResponseWriter, r *http.Request, customerID string, rv reviewed) {
	rv.Key, rv.Issued = newKey(), strconv.FormatInt(s.Now().Unix(), 10)
	http.Redirect(w, r, "/transfers/review?"+s.sealReview(customerID, rv).Encode(), http.StatusSeeOther)
}

// Own transfers (T2).

func (s *area) ownPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.showOwn(w, r, q.Get("from"), q.Get("to"), q.Get("amount"), q.Get("description"), nil)
}

// showOwn renders the own-transfer form with what the customer typed and, if err is set, the problem.
func (s *area) showOwn(w http.ResponseWriter, r *http.Request, from, to, amount, desc string, err error) {
	accounts, aerr := s.accounts(r.Context(), core.SessionOf(r).CustomerID)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	f := ownForm{From: s.picks(r, accounts, from), To: s.picks(r, accounts, to), Amount: amount, Description: desc,
		DescriptionChars: transfer.DescriptionChars}
	if err == nil {
		s.Render(w, r, http.StatusOK, "transfer_own", core.View{Title: "web_tr_own_title", Data: f})
		return
	}
	f.Invalid = fieldOf(err)
	s.Problem(w, r, "transfer_own", core.View{Title: "web_tr_own_title", Data: f}, err)
}

// ownSubmit previews the own transfer (transfer.Service.Preview: the checks of the transfer itself and
// whether the accounts and the balance allow it now) and, when it passes, sends the browser to its review.
func (s *area) ownSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	pf := r.PostForm
	from, to, amount, desc := pf.Get("from"), pf.Get("to"), pf.Get("amount"), strings.TrimSpace(pf.Get("description"))
	cust := core.SessionOf(r).CustomerID
	accounts, err := s.accounts(r.Context(), cust)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	typed, err := typedAmount(r, amount)
	if err != nil {
		s.showOwn(w, r, from, to, amount, desc, err)
		return
	}
	// The amount is in the source's currency; the target must be in the same one.
	p, err := s.Transfers.Preview(r.Context(), cust, transfer.Request{Type: transfer.Own, FromAccountID: from,
		ToAccountID: to, Amount: typed, Currency: currency(accounts, nil, from, to), Description: desc})
	if errors.Is(err, transfer.ErrNeedsExchange) {
		// Between two currencies the money is exchanged: the exchange page, filled with what was typed (the
		// amount is the source's, so it is the amount sold), quotes it at the bank's rate before anything moves.
		http.Redirect(w, r, "/exchange?"+url.Values{"from": {from}, "to": {to}, "side": {"sell"}, "amount": {amount},
			"description": {desc}}.Encode(), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.showOwn(w, r, from, to, amount, desc, err)
		return
	}
	s.toReview(w, r, cust, reviewed{Type: transfer.Own, From: p.From.ID, To: p.To.ID,
		Amount: p.Amount.Decimal(), Currency: string(p.Amount.Currency), Description: p.Description})
}

// In-bank transfers (T3).

// payeeWays are the ways to look a payee up, in the order the page offers them.
func payeeWays() []way {
	return []way{
		{Value: transfer.ByClientNumber, Label: "web_tr_by_client_number"},
		{Value: transfer.ByNationalID, Label: "web_tr_by_national_id"},
		{Value: transfer.ByIBAN, Label: "web_tr_by_iban"},
		{Value: transfer.ByAccount, Label: "web_tr_by_account_number"},
	}
}

// input is what the customer typed on the in-bank transfer page. Name is the payee's name as the customer knows
// it, for the name check (form field "name": "payee_name" is the payee check's masked name, sealed).
type input struct {
	By, Value                                      string
	Payee                                          payeeRef
	From, ToIBAN, Amount, Description, Phone, Name string
}

func inputFrom(v url.Values) input {
	return input{By: v.Get("by"), Value: v.Get("value"), Payee: payeeFrom(v), From: v.Get("from"),
		ToIBAN: v.Get("to_iban"), Amount: v.Get("amount"), Description: strings.TrimSpace(v.Get("description")),
		Phone: strings.TrimSpace(v.Get("phone")), Name: strings.TrimSpace(v.Get("name"))}
}

func (s *area) internalPage(w http.ResponseWriter, r *http.Request) {
	in := inputFrom(r.URL.Query())
	var err error
	if in.Payee.Sig != "" {
		// A payee reference from the page's own link (after a check, or "change the details" on the review).
		if _, err = s.openPayee(core.SessionOf(r).CustomerID, in.Payee, s.Now(), payeeFor); err != nil {
			in.Payee = payeeRef{}
		}
	}
	s.showInternal(w, r, in, err, "")
}

// showInternal renders the in-bank transfer page: the payee check, and the transfer form when in carries a
// payee reference (already verified by the caller). field names the field err is about.
func (s *area) showInternal(w http.ResponseWriter, r *http.Request, in input, err error, field string) {
	cust := core.SessionOf(r).CustomerID
	accounts, aerr := s.accounts(r.Context(), cust)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	by := in.By
	if by == "" {
		by = in.Payee.By
	}
	if !slices.ContainsFunc(payeeWays(), func(wy way) bool { return wy.Value == by }) {
		by = transfer.ByClientNumber
	}
	f := internalForm{Value: in.Value, Payee: in.Payee, Amount: in.Amount, Description: in.Description,
		Phone: in.Phone, Name: in.Name, DescriptionChars: transfer.DescriptionChars, Invalid: field}
	for _, wy := range payeeWays() {
		wy.Checked = wy.Value == by
		f.Ways = append(f.Ways, wy)
	}
	if in.Payee.Sig != "" {
		// Signature already checked by the caller; the age does not matter for showing the form again.
		payee, perr := s.openPayee(cust, in.Payee, time.Time{}, 0)
		if perr == nil {
			f.Found = true
			for _, a := range payee {
				f.To = append(f.To, payeeChoice{IBAN: a.IBAN, Printable: printableIBAN(a.IBAN), Currency: string(a.Currency),
					Checked: a.IBAN == in.ToIBAN || len(payee) == 1})
			}
			f.From = s.picks(r, accounts, in.From)
		}
	}
	if err == nil {
		s.Render(w, r, http.StatusOK, "transfer_internal", core.View{Title: "web_tr_internal_title", Data: f})
		return
	}
	if f.Invalid == "" {
		f.Invalid = fieldOf(err)
	}
	s.Problem(w, r, "transfer_internal", core.View{Title: "web_tr_internal_title", Data: f}, err)
}

// findPayee is T3's "verify the customer". The transfer service limits it per customer (FindPayee, the
// same allowance the API spends), so it cannot be used to walk the bank's client numbers.
func (s *area) findPayee(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	in := input{By: r.PostForm.Get("by"), Value: strings.TrimSpace(r.PostForm.Get("value"))}
	if in.By == transfer.ByIBAN {
		// Shown again as people read an IBAN, in groups of four, whatever spacing and case it was typed in.
		in.Value = printableIBAN(in.Value)
	}
	cust := core.SessionOf(r).CustomerID
	if in.Value == "" {
		s.showInternal(w, r, in, kumbara.ErrFieldRequired, "value")
		return
	}
	p, err := s.Transfers.FindPayee(r.Context(), cust, in.By, in.Value)
	if err != nil {
		field := fieldOf(err)
		switch {
		case kumbara.KindOf(err) == kumbara.KindRateLimited:
			field = "" // nothing typed was wrong: the page says how long to wait
		case field != "by":
			field = "value"
		}
		s.showInternal(w, r, in, err, field)
		return
	}
	if p.Own {
		s.showInternal(w, r, in, ErrOwnPayee, "value")
		return
	}
	// The typed value (perhaps a national ID) stays out of the URL, and so out of the browser's history.
	q := url.Values{}
	s.sealPayee(cust, in.By, p, s.Now()).set(q)
	http.Redirect(w, r, "/transfers/internal?"+q.Encode()+"#payee", http.StatusSeeOther)
}

func (s *area) internalSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	in := inputFrom(r.PostForm)
	in.Value = ""
	cust := core.SessionOf(r).CustomerID
	payee, err := s.openPayee(cust, in.Payee, s.Now(), payeeFor)
	if err != nil {
		in.Payee = payeeRef{}
		s.showInternal(w, r, in, err, "")
		return
	}
	// A payee account is one the payee check offered (sealed), so a forged IBAN never gets a name next to it.
	if !slices.ContainsFunc(payee, func(a transfer.PayeeAccount) bool { return a.IBAN == in.ToIBAN }) {
		s.showInternal(w, r, in, kumbara.ErrFieldRequired, "to_iban")
		return
	}
	typed, err := typedAmount(r, in.Amount)
	if err != nil {
		s.showInternal(w, r, in, err, "amount")
		return
	}
	// The amount is in the currency of the payee's account: a source in another currency is what has to change.
	p, err := s.Transfers.Preview(r.Context(), cust, transfer.Request{Type: transfer.Internal, FromAccountID: in.From,
		ToIBAN: in.ToIBAN, Amount: typed, Currency: currency(nil, payee, in.ToIBAN),
		Description: in.Description, PayeePhone: in.Phone, PayeeName: in.Name})
	if err != nil {
		field, shown := internalProblem(err)
		s.showInternal(w, r, in, shown, field)
		return
	}
	s.toReview(w, r, cust, reviewed{Type: transfer.Internal, From: p.From.ID, ToIBAN: p.To.IBAN,
		Amount: p.Amount.Decimal(), Currency: string(p.Amount.Currency), Description: p.Description,
		Phone: p.PayeePhone, Name: in.Name, Payee: in.Payee})
}

// internalProblem is a refusal of an in-bank transfer as its form shows it, and the field it marks: a transfer
// to one of the customer's own accounts, which the transfer service refuses as the wrong type (it is an own
// transfer), is said as the payee check says it; any other as the service says it.
func internalProblem(err error) (field string, shown error) {
	if errors.Is(err, kumbara.ErrTypeInvalid) {
		return "to_iban", ErrOwnPayee
	}
	return fieldOf(err), err
}

// Review, confirmation and result.

type hidden struct{ Name, Value string }

// review is what the customer confirms: every detail of the transfer as it will be made.
type review struct {
	TypeLabel               string
	FromLabel, FromIBAN     string
	ToLabel, ToIBAN         string
	Amount                  int64
	Currency                string
	Description, Phone      string
	Hidden                  []hidden
	EditURL                 string
	Internal                bool
	PayeeName, PayeeAccount string
	// Vop is what the name check said of Name, the payee's name the customer typed ("" when they typed none);
	// VopName the name on the account of a close match, and UseName the review again with that name (partial
	// vop_review, as a payment's review shows it).
	Vop, VopName, Name, UseName string
}

// reviewPage shows a sealed review, previewed again (transfer.Service.Preview) so that what it shows is
// what the transfer would be now; a review that would no longer go through goes back to its form, with the reason.
func (s *area) reviewPage(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery == "" {
		// A bookmark of the bare address: there is nothing to review, so start a transfer.
		http.Redirect(w, r, "/transfers", http.StatusSeeOther)
		return
	}
	cust := core.SessionOf(r).CustomerID
	rv, err := s.unsealReview(cust, r.URL.Query(), s.Now())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	pv, err := s.Transfers.Preview(r.Context(), cust, rv.request(false))
	if err != nil {
		s.backToForm(w, r, rv, err)
		return
	}
	p := review{FromLabel: s.label(r, pv.From), FromIBAN: maskIBAN(pv.From.IBAN), Amount: pv.Amount.Minor,
		Currency: string(pv.Amount.Currency), Description: pv.Description, Phone: printablePhone(pv.PayeePhone),
		Vop: string(pv.Verification.Result), VopName: pv.Verification.Name, Name: rv.Name}
	edit := url.Values{}
	edit.Set("from", rv.From)
	edit.Set("amount", rv.Amount)
	edit.Set("description", rv.Description)
	switch rv.Type {
	case transfer.Own:
		p.TypeLabel, p.ToLabel, p.ToIBAN = "web_tr_own_title", s.label(r, pv.To), maskIBAN(pv.To.IBAN)
		edit.Set("to", rv.To)
		p.EditURL = "/transfers/own?" + edit.Encode()
	default:
		p.TypeLabel, p.Internal = "web_tr_internal_title", true
		p.ToLabel, p.ToIBAN = pv.ToName, printableIBAN(pv.To.IBAN)
		edit.Set("to_iban", rv.ToIBAN)
		edit.Set("phone", rv.Phone)
		edit.Set("name", rv.Name)
		rv.Payee.set(edit)
		p.EditURL = "/transfers/internal?" + edit.Encode() + "#payee"
		if pv.Verification.Result == vop.CloseMatch && pv.Verification.Name != "" {
			// The scheme's close match: the customer may pay the name on the account instead, a transfer of its
			// own (a new key), reviewed and checked again.
			named := rv
			named.Name = pv.Verification.Name
			named.Key, named.Issued = newKey(), strconv.FormatInt(s.Now().Unix(), 10)
			p.UseName = "/transfers/review?" + s.sealReview(cust, named).Encode()
		}
	}
	sealed := s.sealReview(cust, rv)
	for _, name := range append(reviewFields(), "sig") {
		p.Hidden = append(p.Hidden, hidden{Name: name, Value: sealed.Get(name)})
	}
	s.Render(w, r, http.StatusOK, "transfer_review", core.View{Title: "web_tr_review_title", Data: p})
}

// request is the transfer rv reviewed, as the transfer service takes it; trust asks to trust the payee.
func (rv reviewed) request(trust bool) transfer.Request {
	req := transfer.Request{Type: rv.Type, FromAccountID: rv.From, Amount: rv.Amount, Currency: rv.Currency,
		Description: rv.Description, TrustPayee: rv.Type == transfer.Internal && trust}
	if rv.Type == transfer.Own {
		req.ToAccountID = rv.To
	} else {
		req.ToIBAN, req.PayeePhone, req.PayeeName = rv.ToIBAN, rv.Phone, rv.Name
	}
	return req
}

// backToForm shows the form of a reviewed transfer again, with what was reviewed filled in and err, the reason it
// cannot be made.
func (s *area) backToForm(w http.ResponseWriter, r *http.Request, rv reviewed, err error) {
	if rv.Type == transfer.Own {
		s.showOwn(w, r, rv.From, rv.To, rv.Amount, rv.Description, err)
		return
	}
	field, shown := internalProblem(err)
	s.showInternal(w, r, input{Payee: rv.Payee, From: rv.From, ToIBAN: rv.ToIBAN, Amount: rv.Amount,
		Description: rv.Description, Phone: rv.Phone, Name: rv.Name}, shown, field)
}

// confirmTransfer makes the reviewed transfer. The idempotency key came with the review, so a second confirmation
// of the same review — a double click, a resubmission, the back button — returns the first transfer.
func (s *area) confirmTransfer(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	cust := core.SessionOf(r).CustomerID
	rv, err := s.unsealReview(cust, r.PostForm, s.Now())
	if err != nil {
		if errors.Is(err, ErrTampered) {
			s.Log().Warn("transfer confirmation does not match its review", slog.String("customer", cust))
		}
		s.refuse(w, r, err)
		return
	}
	req := rv.request(r.PostForm.Get("trust") == "1")
	t, replayed, err := s.Transfers.Create(r.Context(), cust, rv.Key, req)
	if err != nil {
		s.backToForm(w, r, rv, s.explain(r.Context(), cust, req, err))
		return
	}
	target := "/transfers/" + url.PathEscape(t.ID)
	switch {
	case t.Status == transfer.PendingConfirmation:
		target += "/confirm" // a payment that is not exempt waits for the code that names it
	case replayed:
		target += "?m=replayed"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// explain is err, a refusal of req by the ledger when the transfer was made, with the request field it is about:
// the ledger's batch does not know the request, and the transfer's preview says the same refusal about its field.
func (s *area) explain(ctx context.Context, customerID string, req transfer.Request, err error) error {
	e, ok := kumbara.As(err)
	if !ok || len(e.Fields) > 0 || e.Kind != kumbara.KindUnprocessable {
		return err
	}
	if _, perr := s.Transfers.Preview(ctx, customerID, req); errors.Is(perr, e) {
		return perr
	}
	return err
}

// finalRefusals are why a transfer waiting for confirmation may not be made when it is confirmed: its result page
// says which (the query's m, the refusal's code), and says nothing for any other m.
func finalRefusals() []*kumbara.Error {
	return []*kumbara.Error{transfer.ErrExpired, transfer.ErrNotPending, ledger.ErrInsufficientFunds,
		ledger.ErrAccountBlocked, ledger.ErrAccountClosed}
}

// isFinalRefusal reports whether err is one of the final refusals, which the result page says.
func isFinalRefusal(err error) bool {
	return slices.ContainsFunc(finalRefusals(), func(e *kumbara.Error) bool { return errors.Is(err, e) })
}

// finalRefusalNamed reports whether m, a result page's query, names a final refusal by its code (the code the
// confirmation put in the address): only those are said on the page.
func finalRefusalNamed(m string) bool {
	named := map[string]bool{}
	for _, e := range finalRefusals() {
		named[e.Code] = true
	}
	return named[m]
}

// result is a made transfer, with its receipt.
type result struct {
	ID, Status               string
	Internal                 bool
	Created                  time.Time
	Time                     string
	FromIBAN, ToName, ToIBAN string
	Amount                   int64
	Currency, Description    string
	Phone                    string // the payee's phone the payer named, told of the payment by SMS
	StatusLabel              string
	// Vop is what the name check told the payer before confirming ("" when they named no one); VopName the name
	// on the account of a close match.
	Vop, VopName string
}

// notFound answers a transfer that is not the customer's, or not there, with the not-found page.
func (s *area) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, "transfer_not_found")
		return
	}
	s.Log().Error("transfer", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	s.ErrorPage(w, r, http.StatusInternalServerError, "internal")
}

func (s *area) resultPage(w http.ResponseWriter, r *http.Request) {
	t, err := s.Transfers.Get(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	p := result{ID: t.ID, Status: t.Status, Internal: t.Type == transfer.Internal, Created: t.CreatedAt,
		Time: t.CreatedAt.In(clock.Tirane).Format("15:04"), FromIBAN: printableIBAN(t.FromIBAN),
		ToName: t.ToName, ToIBAN: printableIBAN(t.ToIBAN), Amount: t.Amount.Minor,
		Currency: string(t.Amount.Currency), Description: t.Description, Phone: printablePhone(t.PayeePhone),
		StatusLabel: "web_tr_status_" + t.Status, Vop: string(t.Verification.Result), VopName: t.Verification.Name}
	if t.Status == transfer.PendingConfirmation {
		http.Redirect(w, r, "/transfers/"+url.PathEscape(t.ID)+"/confirm", http.StatusSeeOther)
		return
	}
	v := core.View{Title: "web_tr_result_title", Data: p}
	switch m := r.URL.Query().Get("m"); m {
	case "replayed":
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_tr_replayed", nil)
	default:
		if finalRefusalNamed(m) {
			v.Error = s.Catalogue.Message(core.Lang(r), m, nil)
		}
	}
	s.Render(w, r, http.StatusOK, "transfer_result", v)
}

// receipt is the PDF receipt of a transfer (Y19), in the page's language; the same receipt the API gives.
func (s *area) receipt(w http.ResponseWriter, r *http.Request) {
	lang := statement.Lang(core.Lang(r))
	t, pdf, err := s.Transfers.Receipt(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), s.Customers.Bank, lang)
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+statement.ReceiptFileName(t.ID, lang)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
