package payments

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/kumbara/kumbara/i18n"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/core"
)

// confirmation is the page that confirms a payment waiting for confirmation: what leaves the account, to whom,
// and the SMS code that names the same amount and beneficiary (PSD2 dynamic linking), or a passkey. An
// international payment takes only a trusted device or a passkey (T6): the page offers the passkey alone, and
// tells a customer without one how else to confirm it.
type confirmation struct {
	ID, Name, Account, FromIBAN string
	Amount                      int64
	Currency                    string
	// Rate, Charged and ChargedCurrency: the exchange of a payment in another currency than its account's.
	Rate            string
	Charged         int64
	ChargedCurrency string
	Phone           string
	Expires         string
	International   bool
	// Passkey offers "Konfirmo me passkey": the customer has a passkey and may use it here (not a business's user).
	Passkey bool
	// Again is the form that makes the payment again, offered when the code no longer works (Spent).
	Again string
	Spent bool
	// OwnPasskeys: the person may add a passkey (not a business's user, whose factors are their own phone's).
	OwnPasskeys bool
}

func (s *area) confirmPage(w http.ResponseWriter, r *http.Request) {
	s.showConfirm(w, r, nil)
}

// showConfirm renders the confirmation page of the payment in the path, with problem when set; a payment with
// nothing left to confirm sends the browser to its page, which says what became of it.
func (s *area) showConfirm(w http.ResponseWriter, r *http.Request, problem error) {
	ctx, cust := r.Context(), core.SessionOf(r).CustomerID
	p, err := s.Payments.Get(ctx, cust, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r, err)
		return
	}
	if p.Status != payment.PendingConfirmation {
		http.Redirect(w, r, paymentPath(p.ID, ""), http.StatusSeeOther)
		return
	}
	c := confirmation{ID: p.ID, Name: p.Beneficiary.Name, Account: p.Beneficiary.Account(),
		FromIBAN: printableIBAN(p.AccountIBAN), Amount: p.Debited().Minor, Currency: string(p.Amount.Currency),
		Expires: p.ExpiresAt.In(clock.Tirane).Format("15:04"), International: p.Type == payment.International,
		Passkey: s.PasskeyOffered(ctx, cust), Again: againPath(p), Spent: spent(problem)}
	if ws, ok := auth.SessionFrom(ctx); !ok || ws.UserID == "" {
		c.OwnPasskeys = true
	}
	if x := p.Exchange; p.Converted() {
		c.Rate = i18n.FormatRate(string(x.Base), x.Rate, string(x.Quoted), core.Lang(r))
		c.Charged, c.ChargedCurrency = x.Charged.Minor, string(x.Charged.Currency)
	}
	// The code went to the phone of the person who made the payment (a business's user: their own).
	if who, err := s.Customers.Get(ctx, auth.Actor(ctx, cust)); err == nil {
		c.Phone = kyc.MaskPhone(who.Mobile)
	}
	v := core.View{Title: "web_pay_confirm_title", Data: c}
	if problem != nil {
		s.problem(w, r, "payment_confirm", v, problem)
		return
	}
	s.Render(w, r, http.StatusOK, "payment_confirm", v)
}

// againPath is the form that makes p again, filled with its details.
func againPath(p payment.Payment) string {
	k, ok := kindOf(p.Type)
	if !ok {
		return "/payments"
	}
	return k.Path + "?again=" + url.QueryEscape(p.ID)
}

// finalRefusals are why a payment waiting for confirmation may not be made when it is confirmed: its page says
// which (the query's m, the refusal's code), and nothing for any other m.
func finalRefusals() []*kumbara.Error {
	return []*kumbara.Error{payment.ErrExpired, payment.ErrNotPending, ledger.ErrInsufficientFunds,
		ledger.ErrAccountBlocked, ledger.ErrAccountClosed}
}

func isFinalRefusal(err error) bool {
	return slices.ContainsFunc(finalRefusals(), func(e *kumbara.Error) bool { return errors.Is(err, e) })
}

// finalRefusalNamed reports whether m, a payment page's query, names a final refusal by its code (the code the
// confirmation put in the address): only those are said on the page.
func finalRefusalNamed(m string) bool {
	named := map[string]bool{}
	for _, e := range finalRefusals() {
		named[e.Code] = true
	}
	return named[m]
}

// spentCode are the refusals of a code that no longer works (lapsed, used, tried too often): the payment service
// sends no new code for a payment, so the page says to make the payment again, each in its own words.
func spentCode(err error) error {
	for _, pair := range []struct {
		code *kumbara.Error
		own  *kumbara.Error
	}{{auth.ErrOTPExpired, ErrCodeExpired}, {auth.ErrOTPUsed, ErrCodeUsed}, {auth.ErrOTPTooManyAttempts, ErrCodeTried}} {
		if errors.Is(err, pair.code) {
			return pair.own
		}
	}
	return err
}

// spent reports whether err says the code no longer works, so the page offers to make the payment again.
func spent(err error) bool {
	return errors.Is(err, ErrCodeExpired) || errors.Is(err, ErrCodeUsed) || errors.Is(err, ErrCodeTried)
}

// confirmSubmit checks the SMS code against the payment's challenge and, if it holds, the payment is made. A wrong
// code shows the page again; five failed factors block the channel.
func (s *area) confirmSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	id := r.PathValue("id")
	proof := sca.Proof{Method: sca.MethodSMS, Code: r.PostForm.Get("code")}
	p, err := s.Payments.Confirm(r.Context(), core.SessionOf(r).CustomerID, id, proof)
	if err != nil {
		switch {
		case errors.Is(err, auth.ErrChannelBlocked):
			// The block ended the session; the browser forgets it too.
			s.ClearCookie(w, s.SessionCookieName())
			s.ErrorPage(w, r, http.StatusForbidden, "channel_blocked")
		case errors.Is(err, payment.ErrNotFound):
			s.notFound(w, r, err)
		case isFinalRefusal(err):
			http.Redirect(w, r, paymentPath(id, kumbara.CodeOf(err)), http.StatusSeeOther)
		default:
			s.showConfirm(w, r, spentCode(err))
		}
		return
	}
	http.Redirect(w, r, paymentPath(p.ID, ""), http.StatusSeeOther)
}

// confirmRefused shows a refusal of the payment confirmations' budget on the confirmation page.
func (s *area) confirmRefused(w http.ResponseWriter, r *http.Request, err error) {
	s.showConfirm(w, r, err)
}

// passkeyRoutes confirm a payment with a passkey, through the confirmation pages' shared passkey steps
// (core.PasskeyConfirmation): the WebAuthn challenge is the digest of the payment's live challenge (the binding of
// amount, beneficiary and payment), and payment.Service.Confirm checks the assertion, then holds the money.
func (s *area) passkeyRoutes() []core.Route {
	return s.PasskeyRoutes(core.PasskeyConfirmation{Path: "/payments/{id}/confirm",
		// The payment's live challenge as the payment service binds it (payment_expired, payment_not_pending when
		// it no longer waits).
		Live: func(r *http.Request) (sca.Challenge, error) {
			p, err := s.Payments.Challenge(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), false)
			if err != nil {
				return sca.Challenge{}, err
			}
			return *p.Challenge, nil
		},
		Confirm: func(r *http.Request, proof sca.Proof) (string, error) {
			p, err := s.Payments.Confirm(r.Context(), core.SessionOf(r).CustomerID, r.PathValue("id"), proof)
			if err != nil {
				return "", err
			}
			return paymentPath(p.ID, ""), nil
		},
		Refused: s.passkeyRefused})
}

// passkeyRefused sends the page to the payment's when there is nothing left to confirm (the challenge is gone, or
// a final refusal, which that page says), and words a code that no longer works as the confirmation page does.
func (s *area) passkeyRefused(r *http.Request, err error) (core.PasskeyProblem, bool) {
	code, id := kumbara.CodeOf(err), r.PathValue("id")
	switch {
	case errors.Is(err, auth.ErrChallengeNotFound):
		return core.PasskeyProblem{Error: s.Message(r, code, nil), Redirect: paymentPath(id, "")}, true
	case isFinalRefusal(err):
		return core.PasskeyProblem{Error: s.Message(r, code, nil), Redirect: paymentPath(id, code)}, true
	case errors.Is(err, auth.ErrOTPExpired), errors.Is(err, auth.ErrOTPUsed), errors.Is(err, auth.ErrOTPTooManyAttempts):
		return core.PasskeyProblem{Error: s.Message(r, kumbara.CodeOf(spentCode(err)), nil)}, true
	}
	return core.PasskeyProblem{}, false
}
