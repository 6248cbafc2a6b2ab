package web

import (
	"context"
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
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/transfer"
)

// transferRoutes are "Payments & transfers": own (T2) and in-bank (T3) transfers and their receipts (Y19).
//
// Every transfer goes form → review → confirm → result. The form posts and, when it is valid, redirects to the
// review page, a GET page whose query is the reviewed transfer, sealed (transfers_seal.go) together with a fresh
// idempotency key. The review page therefore shows the same key however often it is loaded — after the browser's
// back button, a reload or a language switch — so confirming twice, in any way, replays the first transfer
// instead of making a second. The confirm form carries the same sealed fields; a change to any of them is refused.
func (s *Server) transferRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/transfers", Policy: private(""), Handler: s.transfersPage},
		{Method: "GET", Path: "/transfers/own", Policy: private(""), Handler: s.transferOwnPage},
		{Method: "POST", Path: "/transfers/own", Policy: private(""), Handler: s.transferOwnSubmit},
		{Method: "GET", Path: "/transfers/internal", Policy: private(""), Handler: s.transferInternalPage},
		{Method: "POST", Path: "/transfers/internal/payee", Policy: private(httpx.PayeeCheck), Handler: s.transferFindPayee},
		{Method: "POST", Path: "/transfers/internal", Policy: private(""), Handler: s.transferInternalSubmit},
		{Method: "GET", Path: "/transfers/review", Policy: private(""), Handler: s.transferReviewPage},
		{Method: "POST", Path: "/transfers/confirm", Policy: private(httpx.PaymentCode), Handler: s.confirmTransfer},
		{Method: "GET", Path: "/transfers/{id}", Policy: private(""), Handler: s.transferResult},
		{Method: "GET", Path: "/transfers/{id}/confirm", Policy: private(""), Handler: s.transferConfirmPage},
		{Method: "POST", Path: "/transfers/{id}/confirm", Policy: private(httpx.PaymentConfirmation),
			Handler: s.transferConfirmSubmit, Refused: s.confirmRefused},
		{Method: "POST", Path: "/transfers/{id}/resend", Policy: private(httpx.PaymentConfirmation),
			Handler: s.transferResend, Refused: s.confirmRefused},
		{Method: "GET", Path: "/transfers/{id}/receipt", Policy: private(""), Handler: s.transferReceipt},
	}
}

// trPick is one of the customer's accounts as a picker offers it.
type trPick struct {
	ID, Label, MaskedIBAN, Currency string
	Available                       int64
	Blocked                         bool
	Selected                        bool
}

// trOwnForm is the form of a transfer between the customer's own accounts (T2), with what they typed.
type trOwnForm struct {
	From, To         []trPick
	Amount           string
	Description      string
	Invalid          string // the field the error is about, marked for assistive technology
	DescriptionChars string
}

// trWay is one way to look a payee up.
type trWay struct {
	Value, Label string
	Checked      bool
}

// trPayeeChoice is one of the payee's accounts.
type trPayeeChoice struct {
	IBAN, Printable, Currency string
	Checked                   bool
}

// trInternalForm is the in-bank transfer (T3): the payee check, then — once a payee is found — the transfer form.
type trInternalForm struct {
	Ways   []trWay
	Value  string
	Found  bool
	Payee  trPayeeRef
	To     []trPayeeChoice
	From   []trPick
	Amount string
	// Description and Phone are as typed.
	Description, Phone string
	Invalid            string
	DescriptionChars   string
}

func (s *Server) transfersPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "transfers", view{Title: "web_tr_title"})
}

// trRefuse shows a problem on the page that starts a transfer: a review or confirmation that cannot be trusted or
// has expired leaves nothing to go back to but the start.
func (s *Server) trRefuse(w http.ResponseWriter, r *http.Request, err error) {
	s.problem(w, r, "transfers", view{Title: "web_tr_title"}, err)
}

// trAccounts returns the customer's accounts that are not closed, in the ledger's order.
func (s *Server) trAccounts(ctx context.Context, customerID string) ([]ledger.Account, error) {
	all, err := s.Ledger.ListByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(a ledger.Account) bool { return a.Status == ledger.Closed }), nil
}

func trAccountByID(accounts []ledger.Account, id string) (ledger.Account, bool) {
	i := slices.IndexFunc(accounts, func(a ledger.Account) bool { return a.ID == id })
	if i < 0 {
		return ledger.Account{}, false
	}
	return accounts[i], true
}

func trLabel(a ledger.Account) string {
	if a.Name != "" {
		return a.Name
	}
	return a.Type
}

// trMaskIBAN shows an IBAN by its country, check digits and last four characters, "AL35 **** 0001": enough for a
// customer to tell their accounts apart on a shared screen, not enough to read one off it.
func trMaskIBAN(s string) string {
	if len(s) < 10 {
		return s
	}
	return s[:4] + " **** " + s[len(s)-4:]
}

// trPrintablePhone groups an Albanian mobile number as people write it, "+355 69 123 4567", so it reads (and wraps
// on a phone) in parts.
func trPrintablePhone(e164 string) string {
	if len(e164) != 13 || !strings.HasPrefix(e164, "+355") {
		return e164
	}
	return e164[:4] + " " + e164[4:6] + " " + e164[6:9] + " " + e164[9:]
}

func trPrintableIBAN(s string) string {
	if ib, err := iban.Parse(s); err == nil {
		return ib.Printable()
	}
	return s
}

// trPicks lists accounts for a picker; selected is the chosen id. Blocked accounts are listed (and marked) so the
// customer is not left wondering where an account went.
func trPicks(accounts []ledger.Account, selected string) []trPick {
	out := make([]trPick, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, trPick{ID: a.ID, Label: trLabel(a), MaskedIBAN: trMaskIBAN(a.IBAN),
			Currency: string(a.Currency), Available: a.Available(), Blocked: a.Status != ledger.Active,
			Selected: a.ID == selected})
	}
	return out
}

// trAmountText is an amount as a customer types it, as the bank reads amounts: spaces are ignored and a lone comma
// is the decimal comma Albanians write ("1500,50"). Anything else is the transfer service's to judge.
func trAmountText(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return s
}

// trFormFields names the form field of each request field the transfer service refuses (kumbara.FieldError), so
// the page marks the field that has to change. The currency is not on the forms: the form names the account
// whose currency the transfer is in (trCurrency), so a currency that does not fit is that account's choice.
var trFormFields = map[string]string{
	"from_account_id": "from",
	"to_account_id":   "to",
	"to_iban":         "to_iban",
	"currency":        "from",
	"amount":          "amount",
	"description":     "description",
	"payee_phone":     "phone",
	"by":              "by",
}

// trFieldOf names the form field a domain error is about, so the page can mark it.
func trFieldOf(err error) string {
	if e, ok := kumbara.As(err); ok && len(e.Fields) > 0 {
		return trFormFields[e.Fields[0].Field]
	}
	return ""
}

// trCurrency is the currency of the first of ids among the customer's accounts (and then the payee's), which a
// form's transfer is in: the form asks for an amount in that account's currency.
func trCurrency(accounts []ledger.Account, payee []transfer.PayeeAccount, ids ...string) string {
	for _, id := range ids {
		if a, ok := trAccountByID(accounts, id); ok {
			return string(a.Currency)
		}
		if i := slices.IndexFunc(payee, func(a transfer.PayeeAccount) bool { return a.IBAN == id }); i >= 0 {
			return string(payee[i].Currency)
		}
	}
	return ""
}

func (s *Server) trNow() time.Time {
	if s.Clock == nil {
		return time.Now()
	}
	return s.Clock.Now()
}

// toTransferReview sends the browser to the review page of rv.
func (s *Server) toTransferReview(w http.ResponseWriter, r *http.Request, customerID string, rv trReviewed) {
	rv.Key, rv.Issued = newTransferKey(), strconv.FormatInt(s.trNow().Unix(), 10)
	http.Redirect(w, r, "/transfers/review?"+s.sealReview(customerID, rv).Encode(), http.StatusSeeOther)
}

func trParseForm(w http.ResponseWriter, r *http.Request) bool {
	return r.ParseForm() == nil
}

// Own transfers (T2).

func (s *Server) transferOwnPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.showTransferOwn(w, r, q.Get("from"), q.Get("to"), q.Get("amount"), q.Get("description"), nil)
}

// showTransferOwn renders the own-transfer form with what the customer typed and, if err is set, the problem.
func (s *Server) showTransferOwn(w http.ResponseWriter, r *http.Request, from, to, amount, desc string, err error) {
	accounts, aerr := s.trAccounts(r.Context(), sessionOf(r).CustomerID)
	if aerr != nil {
		s.trRefuse(w, r, aerr)
		return
	}
	f := trOwnForm{From: trPicks(accounts, from), To: trPicks(accounts, to), Amount: amount, Description: desc,
		DescriptionChars: transfer.DescriptionChars}
	if err == nil {
		s.render(w, r, http.StatusOK, "transfer_own", view{Title: "web_tr_own_title", Data: f})
		return
	}
	f.Invalid = trFieldOf(err)
	s.problem(w, r, "transfer_own", view{Title: "web_tr_own_title", Data: f}, err)
}

// transferOwnSubmit previews the own transfer (transfer.Service.Preview: the checks of the transfer itself and
// whether the accounts and the balance allow it now) and, when it passes, sends the browser to its review.
func (s *Server) transferOwnSubmit(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	pf := r.PostForm
	from, to, amount, desc := pf.Get("from"), pf.Get("to"), pf.Get("amount"), strings.TrimSpace(pf.Get("description"))
	cust := sessionOf(r).CustomerID
	accounts, err := s.trAccounts(r.Context(), cust)
	if err != nil {
		s.trRefuse(w, r, err)
		return
	}
	// The amount is in the source's currency; the target must be in the same one.
	p, err := s.Transfers.Preview(r.Context(), cust, transfer.Request{Type: transfer.Own, FromAccountID: from,
		ToAccountID: to, Amount: trAmountText(amount), Currency: trCurrency(accounts, nil, from, to), Description: desc})
	if err != nil {
		s.showTransferOwn(w, r, from, to, amount, desc, err)
		return
	}
	s.toTransferReview(w, r, cust, trReviewed{Type: transfer.Own, From: p.From.ID, To: p.To.ID,
		Amount: p.Amount.Decimal(), Currency: string(p.Amount.Currency), Description: p.Description})
}

// In-bank transfers (T3).

var trPayeeWays = []trWay{
	{Value: transfer.ByClientNumber, Label: "web_tr_by_client_number"},
	{Value: transfer.ByNationalID, Label: "web_tr_by_national_id"},
	{Value: transfer.ByIBAN, Label: "web_tr_by_iban"},
	{Value: transfer.ByAccount, Label: "web_tr_by_account_number"},
}

// trInput is what the customer typed on the in-bank transfer page.
type trInput struct {
	By, Value                                string
	Payee                                    trPayeeRef
	From, ToIBAN, Amount, Description, Phone string
}

func trInputFrom(v url.Values) trInput {
	return trInput{By: v.Get("by"), Value: v.Get("value"), Payee: trPayeeFrom(v), From: v.Get("from"),
		ToIBAN: v.Get("to_iban"), Amount: v.Get("amount"), Description: strings.TrimSpace(v.Get("description")),
		Phone: strings.TrimSpace(v.Get("phone"))}
}

func (s *Server) transferInternalPage(w http.ResponseWriter, r *http.Request) {
	in := trInputFrom(r.URL.Query())
	var err error
	if in.Payee.Sig != "" {
		// A payee reference from the page's own link (after a check, or "change the details" on the review).
		if _, err = s.openPayee(sessionOf(r).CustomerID, in.Payee, s.trNow(), trPayeeFor); err != nil {
			in.Payee = trPayeeRef{}
		}
	}
	s.showTransferInternal(w, r, in, err, "")
}

// showTransferInternal renders the in-bank transfer page: the payee check, and the transfer form when in carries a
// payee reference (already verified by the caller). field names the field err is about.
func (s *Server) showTransferInternal(w http.ResponseWriter, r *http.Request, in trInput, err error, field string) {
	cust := sessionOf(r).CustomerID
	accounts, aerr := s.trAccounts(r.Context(), cust)
	if aerr != nil {
		s.trRefuse(w, r, aerr)
		return
	}
	by := in.By
	if by == "" {
		by = in.Payee.By
	}
	if !slices.ContainsFunc(trPayeeWays, func(wy trWay) bool { return wy.Value == by }) {
		by = transfer.ByClientNumber
	}
	f := trInternalForm{Value: in.Value, Payee: in.Payee, Amount: in.Amount, Description: in.Description,
		Phone: in.Phone, DescriptionChars: transfer.DescriptionChars, Invalid: field}
	for _, wy := range trPayeeWays {
		wy.Checked = wy.Value == by
		f.Ways = append(f.Ways, wy)
	}
	if in.Payee.Sig != "" {
		// Signature already checked by the caller; the age does not matter for showing the form again.
		payee, perr := s.openPayee(cust, in.Payee, time.Time{}, 0)
		if perr == nil {
			f.Found = true
			for _, a := range payee {
				f.To = append(f.To, trPayeeChoice{IBAN: a.IBAN, Printable: trPrintableIBAN(a.IBAN), Currency: string(a.Currency),
					Checked: a.IBAN == in.ToIBAN || len(payee) == 1})
			}
			f.From = trPicks(accounts, in.From)
		}
	}
	if err == nil {
		s.render(w, r, http.StatusOK, "transfer_internal", view{Title: "web_tr_internal_title", Data: f})
		return
	}
	if f.Invalid == "" {
		f.Invalid = trFieldOf(err)
	}
	s.problem(w, r, "transfer_internal", view{Title: "web_tr_internal_title", Data: f}, err)
}

// transferFindPayee is T3's "verify the customer". The transfer service limits it per customer (FindPayee, the
// same allowance the API spends), so it cannot be used to walk the bank's client numbers.
func (s *Server) transferFindPayee(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	in := trInput{By: r.PostForm.Get("by"), Value: strings.TrimSpace(r.PostForm.Get("value"))}
	cust := sessionOf(r).CustomerID
	if in.Value == "" {
		s.showTransferInternal(w, r, in, kumbara.ErrFieldRequired, "value")
		return
	}
	p, err := s.Transfers.FindPayee(r.Context(), cust, in.By, in.Value)
	if err != nil {
		field := trFieldOf(err)
		if field != "by" {
			field = "value"
		}
		s.showTransferInternal(w, r, in, err, field)
		return
	}
	if p.Own {
		s.showTransferInternal(w, r, in, errTransferOwnPayee(), "value")
		return
	}
	// The typed value (perhaps a national ID) stays out of the URL, and so out of the browser's history.
	q := url.Values{}
	s.sealPayee(cust, in.By, p, s.trNow()).set(q)
	http.Redirect(w, r, "/transfers/internal?"+q.Encode()+"#payee", http.StatusSeeOther)
}

func (s *Server) transferInternalSubmit(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	in := trInputFrom(r.PostForm)
	in.Value = ""
	cust := sessionOf(r).CustomerID
	payee, err := s.openPayee(cust, in.Payee, s.trNow(), trPayeeFor)
	if err != nil {
		in.Payee = trPayeeRef{}
		s.showTransferInternal(w, r, in, err, "")
		return
	}
	// A payee account is one the payee check offered (sealed), so a forged IBAN never gets a name next to it.
	if !slices.ContainsFunc(payee, func(a transfer.PayeeAccount) bool { return a.IBAN == in.ToIBAN }) {
		s.showTransferInternal(w, r, in, kumbara.ErrFieldRequired, "to_iban")
		return
	}
	// The amount is in the currency of the payee's account: a source in another currency is what has to change.
	p, err := s.Transfers.Preview(r.Context(), cust, transfer.Request{Type: transfer.Internal, FromAccountID: in.From,
		ToIBAN: in.ToIBAN, Amount: trAmountText(in.Amount), Currency: trCurrency(nil, payee, in.ToIBAN),
		Description: in.Description, PayeePhone: in.Phone})
	if err != nil {
		field, shown := trInternalProblem(err)
		s.showTransferInternal(w, r, in, shown, field)
		return
	}
	s.toTransferReview(w, r, cust, trReviewed{Type: transfer.Internal, From: p.From.ID, ToIBAN: p.To.IBAN,
		Amount: p.Amount.Decimal(), Currency: string(p.Amount.Currency), Description: p.Description,
		Phone: p.PayeePhone, Payee: in.Payee})
}

// trInternalProblem is a refusal of an in-bank transfer as its form shows it, and the field it marks: a transfer
// to one of the customer's own accounts, which the transfer service refuses as the wrong type (it is an own
// transfer), is said as the payee check says it; any other as the service says it.
func trInternalProblem(err error) (field string, shown error) {
	if errors.Is(err, kumbara.ErrTypeInvalid) {
		return "to_iban", errTransferOwnPayee()
	}
	return trFieldOf(err), err
}

// errTransferOwnPayee is a payee who is the customer: "between my accounts" is the way to move that money.
func errTransferOwnPayee() error {
	return &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: "web_tr_own_payee"}
}

// Review, confirmation and result.

type trHidden struct{ Name, Value string }

// trReview is what the customer confirms: every detail of the transfer as it will be made.
type trReview struct {
	TypeLabel               string
	FromLabel, FromIBAN     string
	ToLabel, ToIBAN         string
	Amount                  int64
	Currency                string
	Description, Phone      string
	Hidden                  []trHidden
	EditURL                 string
	Internal                bool
	PayeeName, PayeeAccount string
}

// transferReviewPage shows a sealed review, previewed again (transfer.Service.Preview) so that what it shows is
// what the transfer would be now; a review that would no longer go through goes back to its form, with the reason.
func (s *Server) transferReviewPage(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery == "" {
		// A bookmark of the bare address: there is nothing to review, so start a transfer.
		http.Redirect(w, r, "/transfers", http.StatusSeeOther)
		return
	}
	cust := sessionOf(r).CustomerID
	rv, err := s.unsealReview(cust, r.URL.Query(), s.trNow())
	if err != nil {
		s.trRefuse(w, r, err)
		return
	}
	pv, err := s.Transfers.Preview(r.Context(), cust, rv.request(false))
	if err != nil {
		s.trBackToForm(w, r, rv, err)
		return
	}
	p := trReview{FromLabel: trLabel(pv.From), FromIBAN: trMaskIBAN(pv.From.IBAN), Amount: pv.Amount.Minor,
		Currency: string(pv.Amount.Currency), Description: pv.Description, Phone: pv.PayeePhone}
	edit := url.Values{}
	edit.Set("from", rv.From)
	edit.Set("amount", rv.Amount)
	edit.Set("description", rv.Description)
	switch rv.Type {
	case transfer.Own:
		p.TypeLabel, p.ToLabel, p.ToIBAN = "web_tr_own_title", trLabel(pv.To), trMaskIBAN(pv.To.IBAN)
		edit.Set("to", rv.To)
		p.EditURL = "/transfers/own?" + edit.Encode()
	default:
		p.TypeLabel, p.Internal = "web_tr_internal_title", true
		p.ToLabel, p.ToIBAN = pv.ToName, trPrintableIBAN(pv.To.IBAN)
		edit.Set("to_iban", rv.ToIBAN)
		edit.Set("phone", rv.Phone)
		rv.Payee.set(edit)
		p.EditURL = "/transfers/internal?" + edit.Encode() + "#payee"
	}
	sealed := s.sealReview(cust, rv)
	for _, name := range append(slices.Clone(trReviewFields), "sig") {
		p.Hidden = append(p.Hidden, trHidden{Name: name, Value: sealed.Get(name)})
	}
	s.render(w, r, http.StatusOK, "transfer_review", view{Title: "web_tr_review_title", Data: p})
}

// request is the transfer rv reviewed, as the transfer service takes it; trust asks to trust the payee.
func (rv trReviewed) request(trust bool) transfer.Request {
	req := transfer.Request{Type: rv.Type, FromAccountID: rv.From, Amount: rv.Amount, Currency: rv.Currency,
		Description: rv.Description, TrustPayee: rv.Type == transfer.Internal && trust}
	if rv.Type == transfer.Own {
		req.ToAccountID = rv.To
	} else {
		req.ToIBAN, req.PayeePhone = rv.ToIBAN, rv.Phone
	}
	return req
}

// trBackToForm shows the form of a reviewed transfer again, with what was reviewed filled in and err, the reason it
// cannot be made.
func (s *Server) trBackToForm(w http.ResponseWriter, r *http.Request, rv trReviewed, err error) {
	if rv.Type == transfer.Own {
		s.showTransferOwn(w, r, rv.From, rv.To, rv.Amount, rv.Description, err)
		return
	}
	field, shown := trInternalProblem(err)
	s.showTransferInternal(w, r, trInput{Payee: rv.Payee, From: rv.From, ToIBAN: rv.ToIBAN, Amount: rv.Amount,
		Description: rv.Description, Phone: rv.Phone}, shown, field)
}

// confirmTransfer makes the reviewed transfer. The idempotency key came with the review, so a second confirmation
// of the same review — a double click, a resubmission, the back button — returns the first transfer.
func (s *Server) confirmTransfer(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	cust := sessionOf(r).CustomerID
	rv, err := s.unsealReview(cust, r.PostForm, s.trNow())
	if err != nil {
		if errors.Is(err, errTransferTampered()) {
			s.logger().Warn("transfer confirmation does not match its review", slog.String("customer", cust))
		}
		s.trRefuse(w, r, err)
		return
	}
	req := rv.request(r.PostForm.Get("trust") == "1")
	t, replayed, err := s.Transfers.Create(r.Context(), cust, rv.Key, req)
	if err != nil {
		s.trBackToForm(w, r, rv, s.trExplain(r.Context(), cust, req, err))
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

// trExplain is err, a refusal of req by the ledger when the transfer was made, with the request field it is about:
// the ledger's batch does not know the request, and the transfer's preview says the same refusal about its field.
func (s *Server) trExplain(ctx context.Context, customerID string, req transfer.Request, err error) error {
	e, ok := kumbara.As(err)
	if !ok || len(e.Fields) > 0 || e.Kind != kumbara.KindUnprocessable {
		return err
	}
	if _, perr := s.Transfers.Preview(ctx, customerID, req); errors.Is(perr, e) {
		return perr
	}
	return err
}

// trFinalRefusal reports whether code is why a transfer waiting for confirmation was not made when it was
// confirmed: its page says which (the query's m), and says nothing for any other m.
func trFinalRefusal(code string) bool {
	for _, e := range []*kumbara.Error{transfer.ErrExpired, transfer.ErrNotPending, ledger.ErrInsufficientFunds,
		ledger.ErrAccountBlocked, ledger.ErrAccountClosed} {
		if e.Code == code {
			return true
		}
	}
	return false
}

// trResult is a made transfer, with its receipt.
type trResult struct {
	ID, Status               string
	Internal                 bool
	Created                  time.Time
	Time                     string
	FromIBAN, ToName, ToIBAN string
	Amount                   int64
	Currency, Description    string
	Phone                    string // the payee's phone the payer named, told of the payment by SMS
	StatusLabel              string
}

// transferNotFound answers a transfer that is not the customer's, or not there, with the not-found page.
func (s *Server) transferNotFound(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.errorPage(w, r, http.StatusNotFound, "transfer_not_found")
		return
	}
	s.logger().Error("transfer", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	s.errorPage(w, r, http.StatusInternalServerError, "internal")
}

func (s *Server) transferResult(w http.ResponseWriter, r *http.Request) {
	t, err := s.Transfers.Get(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.transferNotFound(w, r, err)
		return
	}
	p := trResult{ID: t.ID, Status: t.Status, Internal: t.Type == transfer.Internal, Created: t.CreatedAt,
		Time: t.CreatedAt.In(clock.Tirane).Format("15:04"), FromIBAN: trPrintableIBAN(t.FromIBAN),
		ToName: t.ToName, ToIBAN: trPrintableIBAN(t.ToIBAN), Amount: t.Amount.Minor,
		Currency: string(t.Amount.Currency), Description: t.Description, Phone: trPrintablePhone(t.PayeePhone),
		StatusLabel: "web_tr_status_" + t.Status}
	if t.Status == transfer.PendingConfirmation {
		http.Redirect(w, r, "/transfers/"+url.PathEscape(t.ID)+"/confirm", http.StatusSeeOther)
		return
	}
	v := view{Title: "web_tr_result_title", Data: p}
	switch m := r.URL.Query().Get("m"); m {
	case "replayed":
		v.Notice = s.Catalogue.Message(lang(r), "web_tr_replayed", nil)
	default:
		if trFinalRefusal(m) {
			v.Error = s.Catalogue.Message(lang(r), m, nil)
		}
	}
	s.render(w, r, http.StatusOK, "transfer_result", v)
}

// transferReceipt is the PDF receipt of a transfer (Y19), in the page's language; the same receipt the API gives.
func (s *Server) transferReceipt(w http.ResponseWriter, r *http.Request) {
	t, pdf, err := s.Transfers.Receipt(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), s.Customers.Bank,
		statement.Lang(lang(r)))
	if err != nil {
		s.transferNotFound(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="mandat-`+t.ID+`.pdf"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
