// Package payments is the internet branch's pages for payments to other banks (issue #11; FEATURES T1, T5, T6,
// Z7, Z8): a form per type — domestic in ALL (T5), SEPA in EUR, international in the account's currency (T6) —
// each filled by hand or from a saved beneficiary and able to save a new one; a review of what the payment will be
// (the way it travels, the fee, what leaves the account, the value date and the name check); the confirmation with
// the SMS code or a passkey (international payments: a passkey only); the payment's page with its statuses as they
// come and its PDF receipt; and the list of the customer's payments. The rules are package payment's: these pages
// pass what was typed through and show its answer, each refusal in its own words beside its field.
package payments

import (
	"crypto/rand"
	"embed"
	"log/slog"
	"maps"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Area is "Payments to other banks": its pages and routes.
func Area() core.Area {
	return core.Area{Name: "payments", Templates: core.Dir(templates, "templates"), Routes: func(site *core.Site) []core.Route {
		return newArea(site).routes()
	}}
}

// area is the payment pages' handlers, on the site.
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

// routes are the payments to other banks. Every payment goes form → review → confirm → its page, as a transfer
// does: the form posts and, when the payment service would take it, redirects to the review, a GET page whose
// query is the payment sealed with a fresh idempotency key (seal.go); its confirm form carries the same seal.
// Creating a payment may send its SMS code (payment_code); the code and the passkey steps spend the payment
// confirmations' budget, as the transfer pages' do.
func (s *area) routes() []core.Route {
	rt := []core.Route{
		{Method: "GET", Path: "/payments/review", Policy: core.Private(""), Handler: s.reviewPage},
		{Method: "POST", Path: "/payments/confirm", Policy: core.Private(httpx.PaymentCode), Handler: s.create},
		{Method: "GET", Path: "/payments/{id}", Policy: core.Private(""), Handler: s.statusPage},
		{Method: "GET", Path: "/payments/{id}/confirm", Policy: core.Private(""), Handler: s.confirmPage},
		{Method: "POST", Path: "/payments/{id}/confirm", Policy: core.Private(httpx.PaymentConfirmation),
			Handler: s.confirmSubmit, Refused: s.confirmRefused},
		{Method: "GET", Path: "/payments/{id}/receipt", Policy: core.Private(""), Handler: s.receipt},
	}
	rt = append(rt, s.passkeyRoutes()...)
	rt = append(rt, s.listRoutes()...)
	for _, k := range kinds() {
		rt = append(rt,
			core.Route{Method: "GET", Path: k.Path, Policy: core.Private(""), Handler: s.formHandler(k)},
			core.Route{Method: "POST", Path: k.Path, Policy: core.Private(""), Handler: s.submitHandler(k)})
	}
	for i := range rt {
		rt[i].Handler = s.available(rt[i].Handler)
	}
	return rt
}

// available answers every page with payments_unavailable when the bank has no payment service (a site built
// without one, as some tests build it): the pages are there, the payments are not.
func (s *area) available(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Payments == nil {
			s.Problem(w, r, "error", core.View{Title: "web_error_title"}, payment.ErrUnavailable)
			return
		}
		h(w, r)
	}
}

// notFound answers a payment that is not the customer's, or not there, with the not-found page; anything else is
// our fault, logged and shown as such.
func (s *area) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if kumbara.KindOf(err) == kumbara.KindNotFound {
		s.ErrorPage(w, r, http.StatusNotFound, payment.ErrNotFound.Code)
		return
	}
	s.Log().Error("payment", slog.String("path", httpx.LogPath(r.URL.Path)), slog.String("error", err.Error()))
	s.Problem(w, r, "error", core.View{Title: "web_error_title"}, err)
}

// paymentPath is the address of a payment's page, with what it should say (?m=) when set.
func paymentPath(id, m string) string {
	p := "/payments/" + url.PathEscape(id)
	if m != "" {
		p += "?m=" + url.QueryEscape(m)
	}
	return p
}

// badge is the design system's badge of a status: done (ok), under way (info), waiting for the customer (warn),
// or not made (bad). The word says it; the colour only helps.
func badge(status string) string {
	switch status {
	case payment.Settled, payment.Credited:
		return "badge-ok"
	case payment.PendingConfirmation:
		return "badge-warn"
	case payment.Rejected, payment.Returned, payment.Failed, payment.Expired:
		return "badge-bad"
	}
	return "badge-info"
}

// problem renders err on page as core's Site.Problem does, but says a refusal's parameters in the page's
// language — the day a payment could be value-dated instead (payment_cutoff_passed), the currency it must be in —
// which the payment service gives with its refusals.
func (s *area) problem(w http.ResponseWriter, r *http.Request, page string, v core.View, err error) {
	e, ok := kumbara.As(err)
	status := httpx.StatusOf(kumbara.KindOf(err))
	if !ok || len(e.Params) == 0 || status >= http.StatusInternalServerError || status == http.StatusTooManyRequests {
		s.Problem(w, r, page, v, err)
		return
	}
	v.Error = s.Message(r, e.Code, localParams(core.Lang(r), e.Params))
	s.Render(w, r, status, page, v)
}

// localParams are a refusal's message parameters as the page's language writes them: a day (value_date) as its
// dates are written.
func localParams(l i18n.Lang, params map[string]string) map[string]string {
	out := maps.Clone(params)
	if d, ok := out["value_date"]; ok {
		if date, err := calendar.ParseDate(d); err == nil {
			out["value_date"] = i18n.FormatDate(date.Start(), l)
		}
	}
	return out
}
