package payments

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kumbara/kumbara/i18n"

	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/core"
)

type hidden struct{ Name, Value string }

// review is what the customer confirms: the payment as it will be made, as the payment service priced it now.
type review struct {
	Kind                       kind
	SchemeLabel                string
	AtOnce                     bool // the scheme settles within seconds, every day
	FromLabel, FromIBAN        string
	Name, Account, Bank, BIC   string
	Address, Phone             string
	Amount, Fee, Debited, Sent int64
	Currency                   string
	FeeDeducted                bool
	// Rate and Charged (in ChargedCurrency) are the exchange of a payment in another currency than its account's:
	// "" and 0 otherwise.
	Rate                        string
	Charged                     int64
	ChargedCurrency             string
	ChargesLabel                string
	ValueDate                   time.Time
	Today, Business, Domestic   bool
	Vop, VopName                string
	UseName                     string // the review again with the account's name, on a close match
	Description                 string
	PurposeLabel, Purpose       string
	BeneficiaryCategoryLabel    string
	Save, Urgent, Instant, Only bool
	Hidden                      []hidden
	EditURL                     string
}

// reviewPage shows a sealed payment, previewed again (payment.Service.Preview) so that what it shows — the fee,
// the value date, the name check — is what the payment would be now; one that would no longer go through goes
// back to its form, with the reason beside its field.
func (s *area) reviewPage(w http.ResponseWriter, r *http.Request) {
	if r.URL.RawQuery == "" {
		http.Redirect(w, r, "/payments", http.StatusSeeOther)
		return
	}
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	rv, err := s.unseal(cust, r.URL.Query(), s.Now())
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	k, ok := kindOf(rv.In.Type)
	if !ok {
		s.refuse(w, r, ErrTampered)
		return
	}
	accounts, err := s.accounts(ctx, cust)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	q, err := s.Payments.Preview(ctx, cust, rv.In.request(rv.In.Amount, currencyOf(k, accounts, rv.In)))
	if err != nil {
		s.showForm(w, r, k, rv.In, "", err)
		return
	}
	msg := func(key string) string { return s.Catalogue.Message(l, key, nil) }
	in := rv.In
	p := review{Kind: k, SchemeLabel: msg("web_pay_scheme_" + q.Scheme), AtOnce: q.Scheme == payment.Instant ||
		q.Scheme == payment.SCTInst, Name: in.Name, Account: printableAccount(in), Bank: q.BankName,
		BIC: strings.ToUpper(in.BIC), Address: address(in), Phone: in.Phone, Fee: q.Fee.Minor, Debited: q.Debited.Minor,
		Sent: q.Sent.Minor, Currency: string(q.Debited.Currency), FeeDeducted: q.FeeDeducted,
		ChargesLabel: msg("web_pay_charges_" + strings.ToLower(charges(in))), ValueDate: q.ValueDate.Start(),
		Today: q.Today, Domestic: k.Type == payment.Domestic, Vop: q.Verification.Result, VopName: q.Verification.Name,
		Description: in.Description, Purpose: in.Purpose, Save: in.Save, Urgent: in.Urgent, Instant: in.Instant,
		Only: in.Today}
	if x := q.Exchange; x.Rate != "" {
		p.Rate = i18n.FormatRate(string(x.Base), x.Rate, string(x.Quoted), l)
		p.Charged, p.ChargedCurrency = x.Charged.Minor, string(x.Charged.Currency)
	}
	p.Amount = q.Debited.Minor
	if !q.FeeDeducted {
		p.Amount -= q.Fee.Minor
	}
	if p.Bank == "" {
		p.Bank = in.BankName
	}
	if a, ok := accountByID(accounts, in.From); ok {
		p.FromLabel, p.FromIBAN = a.Title(s.Catalogue, l), maskIBAN(a.IBAN)
	}
	if in.PurposeCategory != "" {
		p.PurposeLabel = msg("web_pay_purpose_" + strings.ToLower(in.PurposeCategory))
		p.BeneficiaryCategoryLabel = msg("web_pay_beneficiary_category_" + strings.ToLower(in.BeneficiaryCat))
	}
	if business, err := s.Customers.IsBusiness(ctx, cust); err == nil {
		p.Business = business
	}
	if q.Verification.Result == payment.CloseMatch && q.Verification.Name != "" {
		// The EPC scheme's close match: the customer may pay the name on the account instead, a payment of its own
		// (a new key), reviewed and checked again.
		named := in
		named.Name = q.Verification.Name
		p.UseName = "/payments/review?" + s.fresh(cust, named).Encode()
	}
	sealed := s.seal(cust, rv)
	for _, name := range append(append(append([]string{}, inputNames...), sealNames...), "sig") {
		p.Hidden = append(p.Hidden, hidden{Name: name, Value: sealed.Get(name)})
	}
	p.EditURL = k.Path + "?" + in.values().Encode()
	s.Render(w, r, http.StatusOK, "payment_review", core.View{Title: "web_pay_review_title", Data: p})
}

// charges is who bears the charges as the payment service reads an empty choice: shared.
func charges(in input) string {
	if c := strings.ToUpper(strings.TrimSpace(in.Charges)); c != "" {
		return c
	}
	return payment.ChargesSHA
}

// printableAccount is the beneficiary's account as people read it: the IBAN in groups of four, else the number.
func printableAccount(in input) string {
	if in.IBAN != "" {
		if ib, err := iban.Parse(in.IBAN); err == nil {
			return ib.Printable()
		}
		return in.IBAN
	}
	return in.AccountNumber
}

// address is the beneficiary's address on one line: street, postal code and town, country.
func address(in input) string {
	var parts []string
	if in.Street != "" {
		parts = append(parts, in.Street)
	}
	if town := strings.TrimSpace(in.PostalCode + " " + in.City); town != "" {
		parts = append(parts, town)
	}
	if in.Country != "" {
		parts = append(parts, strings.ToUpper(in.Country))
	}
	return strings.Join(parts, ", ")
}

// create makes the reviewed payment. The idempotency key came with the review, so a second confirmation of the
// same review — a double click, a resubmission, the back button — answers the first payment.
func (s *area) create(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	rv, err := s.unseal(cust, r.PostForm, s.Now())
	k, known := kindOf(rv.In.Type)
	if err == nil && !known {
		err = ErrTampered
	}
	if err != nil {
		if errors.Is(err, ErrTampered) {
			s.Log().Warn("payment confirmation does not match its review", slog.String("customer", cust))
		}
		s.refuse(w, r, err)
		return
	}
	accounts, err := s.accounts(ctx, cust)
	if err != nil {
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	p, replayed, err := s.Payments.Create(ctx, cust, rv.Key, rv.In.request(rv.In.Amount, currencyOf(k, accounts, rv.In)))
	if err != nil {
		s.showForm(w, r, k, rv.In, "", err)
		return
	}
	switch {
	case p.Status == payment.PendingConfirmation:
		http.Redirect(w, r, "/payments/"+url.PathEscape(p.ID)+"/confirm", http.StatusSeeOther)
	case replayed:
		http.Redirect(w, r, paymentPath(p.ID, "replayed"), http.StatusSeeOther)
	default:
		http.Redirect(w, r, paymentPath(p.ID, ""), http.StatusSeeOther)
	}
}
