package payments

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/web/core"
)

// event is one status the payment went through, as its page lists it.
type event struct {
	Label, Reason, Time string
	At                  time.Time
}

// status is a payment's page: what it is, where it is now, every status it went through with its time, and its
// receipt once it has one.
type status struct {
	ID, Status, StatusLabel, Badge string
	KindLabel, SchemeLabel         string
	In                             bool
	Created                        time.Time
	Time                           string
	FromIBAN                       string
	Name, Account, Bank, BIC       string
	Amount, Fee, Debited           int64
	Currency                       string
	FeeDeducted                    bool
	Rate                           string // "1 EUR = 99,40 ALL" for a payment in another currency than its account's
	Charged                        int64  // what left the account then, in ChargedCurrency
	ChargedCurrency                string
	ValueDate                      time.Time
	Vop, VopName                   string
	Description                    string
	Reason                         string
	Events                         []event
	Final, Receipt                 bool
	// Poll is the address the page asks again for its progress while the payment is under way ("" once final or
	// after pollTimes asks: the customer reloads the page to see more).
	Poll    string
	Again   string
	Stopped bool
}

// pollTimes: a payment under way is asked about every five seconds (payment_status.html), for two minutes at most
// — an instant payment settles in seconds; one waiting for a clearing session waits for hours, and a page that
// asked all that time would keep the session alive without the customer (the idle limit is about the person).
const pollTimes = 24

// final reports whether a payment's status is its last.
func final(st string) bool {
	switch st {
	case payment.Settled, payment.Rejected, payment.Returned, payment.Failed, payment.Expired, payment.Credited:
		return true
	}
	return false
}

// reasonText is a reason a payment's page gives: an ISO 20022 reason code in the customer's words
// (payment.ReasonText), or the refusal whose code the payment service recorded (a failed payment's).
func (s *area) reasonText(l i18n.Lang, code string) string {
	if code == "" {
		return ""
	}
	if t := payment.ReasonText(s.Catalogue, l, code); t != code {
		return t
	}
	if s.Catalogue.Has(code) {
		return s.Catalogue.Message(l, code, nil)
	}
	return code
}

func printableIBAN(s string) string {
	if ib, err := iban.Parse(s); err == nil {
		return ib.Printable()
	}
	return s
}

func (s *area) statusPage(w http.ResponseWriter, r *http.Request) {
	ctx, cust, l := r.Context(), core.SessionOf(r).CustomerID, core.Lang(r)
	p, err := s.Payments.Get(ctx, cust, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	if p.Status == payment.PendingConfirmation {
		http.Redirect(w, r, "/payments/"+p.ID+"/confirm", http.StatusSeeOther)
		return
	}
	msg := func(key string) string { return s.Catalogue.Message(l, key, nil) }
	at := p.CreatedAt.In(clock.Tirane)
	d := status{ID: p.ID, Status: p.Status, StatusLabel: msg("web_pay_status_" + p.Status), Badge: badge(p.Status),
		KindLabel: msg("web_pay_type_" + p.Type), SchemeLabel: msg("web_pay_scheme_" + p.Scheme),
		In: p.Direction == payment.In, Created: p.CreatedAt, Time: at.Format("15:04"),
		FromIBAN: printableIBAN(p.AccountIBAN), Name: p.Beneficiary.Name, Account: p.Beneficiary.Account(),
		Bank: p.Beneficiary.BankName, BIC: p.Beneficiary.BIC, Amount: p.Amount.Minor, Fee: p.Fee.Minor,
		Debited: p.Debited().Minor, Currency: string(p.Amount.Currency), FeeDeducted: p.FeeDeducted,
		Vop: p.Verification.Result, VopName: p.Verification.Name, Description: p.Description,
		Reason: s.reasonText(l, p.Reason), Final: final(p.Status), Receipt: p.HasReceipt(), Again: againPath(p)}
	if !p.ValueDate.IsZero() {
		d.ValueDate = p.ValueDate.Start()
	}
	if x := p.Exchange; p.Converted() {
		d.Rate = i18n.FormatRate(string(x.Base), x.Rate, string(x.Quoted), l)
		d.Charged, d.ChargedCurrency = x.Charged.Minor, string(x.Charged.Currency)
	}
	for _, e := range p.Events {
		d.Events = append(d.Events, event{Label: msg("web_pay_status_" + e.Status), Reason: s.reasonText(l, e.Reason),
			At: e.At, Time: e.At.In(clock.Tirane).Format("15:04:05")})
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("poll"))
	if !d.Final {
		if n < pollTimes {
			d.Poll = "/payments/" + p.ID + "?poll=" + strconv.Itoa(n+1)
		} else {
			d.Stopped = true
		}
	}
	v := core.View{Title: "web_pay_status_title", Data: d}
	if r.Header.Get("HX-Request") == "true" {
		// The page asking for its progress: the part that changes, which carries the next ask (or none).
		w.Header().Set("Vary", "HX-Request")
		s.Fragment(w, r, "payment_status", []string{"payment_progress"}, v)
		return
	}
	switch m := r.URL.Query().Get("m"); {
	case m == "replayed":
		v.Notice = msg("web_pay_replayed")
	case finalRefusalNamed(m):
		v.Error = msg(m)
	}
	s.Render(w, r, http.StatusOK, "payment_status", v)
}

// receipt is the PDF receipt of a payment, in the page's language (payment.Service.Receipt, the one every channel
// gives).
func (s *area) receipt(w http.ResponseWriter, r *http.Request) {
	lang := statement.Lang(core.Lang(r))
	p, pdf, err := s.Payments.Receipt(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), s.Customers.Bank, lang)
	if err != nil {
		if kumbara.KindOf(err) == kumbara.KindNotFound {
			s.notFound(w, r, err)
			return
		}
		s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+statement.ReceiptFileName(p.ID, lang)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf)
}
