package web

import (
	"context"
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
	"github.com/kumbara/kumbara/money"
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
		{Method: "POST", Path: "/transfers/internal/payee", Policy: private(httpx.PayeeCheck), Handler: s.transferFindPayee,
			Refused: s.payeeRefused},
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

// trDescriptionChars are the signs transfer.CheckDescription allows besides letters, digits and spaces, shown
// beside the description field so the rule is known before it is broken.
const trDescriptionChars = ". , - / ( ) : ' ? +"

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

// trParseAmount reads an amount as a customer types it: spaces are ignored and a lone comma is the decimal comma
// Albanians write ("1500,50"). Anything else is money.ParsePositive's to judge in the account's currency.
func trParseAmount(s string, cur money.Currency) (money.Amount, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	return money.ParsePositive(s, cur)
}

// trFieldOf names the form field a domain error is about, so the page can mark it.
func trFieldOf(err error) string {
	switch code := kumbara.CodeOf(err); {
	case strings.HasPrefix(code, "amount_"), code == "invalid_amount", code == "insufficient_funds",
		code == "overdraft_exceeded":
		return "amount"
	case strings.HasPrefix(code, "description_"):
		return "description"
	case code == "mobile_invalid":
		return "phone"
	case code == "same_account":
		return "to"
	}
	return ""
}

func trNotFound(code string) error { return &kumbara.Error{Kind: kumbara.KindNotFound, Code: code} }

func trUnprocessable(code string) error {
	return &kumbara.Error{Kind: kumbara.KindUnprocessable, Code: code}
}

// trSpendable refuses what the ledger would refuse anyway, so the customer hears it on the form rather than after
// confirming. The ledger checks again under lock when the transfer is made.
func trSpendable(from ledger.Account, amount money.Amount) error {
	switch {
	case from.Status == ledger.Blocked:
		return trUnprocessable("account_blocked")
	case from.Status != ledger.Active:
		return trUnprocessable("account_closed")
	case amount.Minor > from.Available():
		return trUnprocessable("insufficient_funds")
	}
	return nil
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
		DescriptionChars: trDescriptionChars}
	if err == nil {
		s.render(w, r, http.StatusOK, "transfer_own", view{Title: "web_tr_own_title", Data: f})
		return
	}
	f.Invalid = trFieldOf(err)
	if kumbara.CodeOf(err) == "currency_mismatch" {
		f.Invalid = "to" // the target is what has to change: the source's currency decides the amount's
	}
	s.problem(w, r, "transfer_own", view{Title: "web_tr_own_title", Data: f}, err)
}

func (s *Server) transferOwnSubmit(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	pf := r.PostForm
	from, to, amount, desc := pf.Get("from"), pf.Get("to"), pf.Get("amount"), strings.TrimSpace(pf.Get("description"))
	cust := sessionOf(r).CustomerID
	rv, err := s.checkTransferOwn(r.Context(), cust, from, to, amount, desc)
	if err != nil {
		s.showTransferOwn(w, r, from, to, amount, desc, err)
		return
	}
	s.toTransferReview(w, r, cust, rv)
}

func (s *Server) checkTransferOwn(ctx context.Context, customerID, fromID, toID, amountText, desc string) (trReviewed, error) {
	accounts, err := s.trAccounts(ctx, customerID)
	if err != nil {
		return trReviewed{}, err
	}
	from, ok := trAccountByID(accounts, fromID)
	if !ok {
		return trReviewed{}, kumbara.Invalid("field_required", kumbara.FieldError{Field: "from", Code: "field_required"})
	}
	to, ok := trAccountByID(accounts, toID)
	if !ok {
		return trReviewed{}, kumbara.Invalid("field_required", kumbara.FieldError{Field: "to", Code: "field_required"})
	}
	if from.ID == to.ID {
		return trReviewed{}, trUnprocessable("same_account")
	}
	if from.Currency != to.Currency {
		return trReviewed{}, trUnprocessable("currency_mismatch")
	}
	amount, err := trParseAmount(amountText, from.Currency)
	if err != nil {
		return trReviewed{}, err
	}
	if err := transfer.CheckDescription(desc); err != nil {
		return trReviewed{}, err
	}
	if to.Status == ledger.Blocked {
		return trReviewed{}, trUnprocessable("account_blocked")
	}
	if err := trSpendable(from, amount); err != nil {
		return trReviewed{}, err
	}
	return trReviewed{Type: transfer.Own, From: from.ID, To: to.ID, Amount: amount.Decimal(),
		Currency: string(amount.Currency), Description: desc}, nil
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
		Phone: in.Phone, DescriptionChars: trDescriptionChars, Invalid: field}
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

// transferFindPayee is T3's "verify the customer". It is rate-limited per customer (the route's PayeeCheck budget,
// shared with the API) so it cannot be used to walk the bank's client numbers.
// payeeRefused shows the payee check's refusal by its budget on the transfer form, with what was typed.
func (s *Server) payeeRefused(w http.ResponseWriter, r *http.Request, err error) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	s.showTransferInternal(w, r, trInput{By: r.PostForm.Get("by"), Value: strings.TrimSpace(r.PostForm.Get("value"))},
		err, "value")
}

func (s *Server) transferFindPayee(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	in := trInput{By: r.PostForm.Get("by"), Value: strings.TrimSpace(r.PostForm.Get("value"))}
	cust := sessionOf(r).CustomerID
	switch {
	case !slices.ContainsFunc(trPayeeWays, func(wy trWay) bool { return wy.Value == in.By }):
		s.showTransferInternal(w, r, in, kumbara.Invalid("invalid_query"), "by")
		return
	case in.Value == "":
		s.showTransferInternal(w, r, in, kumbara.Invalid("field_required"), "value")
		return
	}
	p, err := s.Transfers.FindPayee(r.Context(), in.By, in.Value)
	if err != nil {
		s.showTransferInternal(w, r, in, err, "value")
		return
	}
	accounts, err := s.trAccounts(r.Context(), cust)
	if err != nil {
		s.showTransferInternal(w, r, in, err, "")
		return
	}
	for _, a := range p.Accounts {
		if slices.ContainsFunc(accounts, func(m ledger.Account) bool { return m.IBAN == a.IBAN }) {
			s.showTransferInternal(w, r, in, trUnprocessable("web_tr_own_payee"), "value")
			return
		}
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
	rv, field, err := s.checkTransferInternal(r.Context(), cust, in, payee)
	if err != nil {
		s.showTransferInternal(w, r, in, err, field)
		return
	}
	s.toTransferReview(w, r, cust, rv)
}

func (s *Server) checkTransferInternal(ctx context.Context, customerID string, in trInput, payee []transfer.PayeeAccount) (trReviewed, string, error) {
	i := slices.IndexFunc(payee, func(a transfer.PayeeAccount) bool { return a.IBAN == in.ToIBAN })
	if i < 0 {
		return trReviewed{}, "to_iban", kumbara.Invalid("field_required", kumbara.FieldError{Field: "to_iban", Code: "field_required"})
	}
	to := payee[i]
	accounts, err := s.trAccounts(ctx, customerID)
	if err != nil {
		return trReviewed{}, "", err
	}
	if slices.ContainsFunc(accounts, func(a ledger.Account) bool { return a.IBAN == to.IBAN }) {
		return trReviewed{}, "to_iban", trUnprocessable("web_tr_own_payee")
	}
	from, ok := trAccountByID(accounts, in.From)
	if !ok {
		return trReviewed{}, "from", kumbara.Invalid("field_required", kumbara.FieldError{Field: "from", Code: "field_required"})
	}
	if from.Currency != to.Currency {
		return trReviewed{}, "from", trUnprocessable("currency_mismatch")
	}
	amount, err := trParseAmount(in.Amount, from.Currency)
	if err != nil {
		return trReviewed{}, "amount", err
	}
	if err := transfer.CheckDescription(in.Description); err != nil {
		return trReviewed{}, "description", err
	}
	phone, err := transfer.ParsePayeePhone(in.Phone)
	if err != nil {
		return trReviewed{}, "phone", err
	}
	if err := trSpendable(from, amount); err != nil {
		return trReviewed{}, trFieldOf(err), err
	}
	return trReviewed{Type: transfer.Internal, From: from.ID, ToIBAN: to.IBAN, Amount: amount.Decimal(),
		Currency: string(amount.Currency), Description: in.Description, Phone: phone, Payee: in.Payee}, "", nil
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
	accounts, err := s.trAccounts(r.Context(), cust)
	if err != nil {
		s.trRefuse(w, r, err)
		return
	}
	from, ok := trAccountByID(accounts, rv.From)
	if !ok {
		s.trRefuse(w, r, trNotFound("account_not_found"))
		return
	}
	amount, err := money.ParsePositive(rv.Amount, from.Currency)
	if err != nil {
		s.trRefuse(w, r, err)
		return
	}
	p := trReview{FromLabel: trLabel(from), FromIBAN: trMaskIBAN(from.IBAN), Amount: amount.Minor,
		Currency: string(amount.Currency), Description: rv.Description, Phone: rv.Phone}
	edit := url.Values{}
	edit.Set("from", rv.From)
	edit.Set("amount", rv.Amount)
	edit.Set("description", rv.Description)
	switch rv.Type {
	case transfer.Own:
		to, ok := trAccountByID(accounts, rv.To)
		if !ok {
			s.trRefuse(w, r, trNotFound("account_not_found"))
			return
		}
		p.TypeLabel, p.ToLabel, p.ToIBAN = "web_tr_own_title", trLabel(to), trMaskIBAN(to.IBAN)
		edit.Set("to", rv.To)
		p.EditURL = "/transfers/own?" + edit.Encode()
	default:
		p.TypeLabel, p.Internal = "web_tr_internal_title", true
		p.ToLabel, p.ToIBAN = rv.Payee.Name, trPrintableIBAN(rv.ToIBAN)
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
		if kumbara.CodeOf(err) == "web_tr_tampered" {
			s.logger().Warn("transfer confirmation does not match its review", slog.String("customer", cust))
		}
		s.trRefuse(w, r, err)
		return
	}
	req := transfer.Request{Type: rv.Type, FromAccountID: rv.From, Amount: rv.Amount, Currency: rv.Currency,
		Description: rv.Description, TrustPayee: rv.Type == transfer.Internal && r.PostForm.Get("trust") == "1"}
	if rv.Type == transfer.Own {
		req.ToAccountID = rv.To
	} else {
		req.ToIBAN, req.PayeePhone = rv.ToIBAN, rv.Phone
	}
	t, replayed, err := s.Transfers.Create(r.Context(), cust, rv.Key, req)
	if err != nil {
		// Back to the form, with what was reviewed filled in and the reason it could not be made.
		if rv.Type == transfer.Own {
			s.showTransferOwn(w, r, rv.From, rv.To, rv.Amount, rv.Description, err)
			return
		}
		field := trFieldOf(err)
		if kumbara.CodeOf(err) == "currency_mismatch" {
			field = "from"
		}
		s.showTransferInternal(w, r, trInput{Payee: rv.Payee, From: rv.From, ToIBAN: rv.ToIBAN, Amount: rv.Amount,
			Description: rv.Description, Phone: rv.Phone}, err, field)
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
	case "transfer_expired", "transfer_not_pending", "insufficient_funds", "account_blocked", "account_closed":
		v.Error = s.Catalogue.Message(lang(r), m, nil)
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
