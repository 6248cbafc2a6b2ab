package transfers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/web/core"
)

// confirmation is the page that confirms a transfer waiting for confirmation: what will be paid, to whom, and the
// field for the SMS code that names the same amount and payee (PSD2 dynamic linking).
type confirmation struct {
	ID, ToName, ToIBAN, FromIBAN string
	Amount                       int64
	Currency                     string
	Phone                        string
	Expires                      string
	// Passkey offers "Konfirmo me passkey" (passkey.go): the customer has a passkey.
	Passkey bool
	// TrustPayee: confirming also trusts the payee, as the SMS says.
	TrustPayee bool
}

func (s *area) confirmPage(w http.ResponseWriter, r *http.Request) {
	s.showConfirm(w, r, http.StatusOK, nil, r.URL.Query().Get("m") == "resent")
}

func (s *area) showConfirm(w http.ResponseWriter, r *http.Request, status int, problem error, resent bool) {
	cust := core.SessionOf(r).CustomerID
	id := r.PathValue("id")
	t, err := s.Transfers.Challenge(r.Context(), cust, id, false)
	if err != nil {
		switch {
		case errors.Is(err, transfer.ErrNotPending), errors.Is(err, transfer.ErrExpired),
			errors.Is(err, auth.ErrChallengeNotFound):
			// Nothing to confirm any more: the transfer page says what became of it.
			http.Redirect(w, r, "/transfers/"+url.PathEscape(id), http.StatusSeeOther)
		default:
			s.notFound(w, r, err)
		}
		return
	}
	p := confirmation{ID: t.ID, ToName: kyc.MaskName(t.ToName), ToIBAN: printableIBAN(t.ToIBAN),
		FromIBAN: printableIBAN(t.FromIBAN), Amount: t.Amount.Minor, Currency: string(t.Amount.Currency),
		Phone: t.Challenge.MaskedPhone, Expires: t.ExpiresAt.In(clock.Tirane).Format("15:04"), TrustPayee: t.Challenge.TrustPayee,
		Passkey: slices.Contains(t.Challenge.Methods, sca.MethodPasskey) && s.PasskeyOffered(r.Context(), cust)}
	v := core.View{Title: "web_tr_confirm_title", Data: p}
	if resent {
		v.Notice = s.Catalogue.Message(core.Lang(r), "web_tr_code_resent", nil)
	}
	if problem != nil {
		s.Problem(w, r, "transfer_confirm", v, problem)
		return
	}
	s.Render(w, r, status, "transfer_confirm", v)
}

// confirmSubmit checks the SMS code against the transfer's challenge and, if it holds, the transfer is
// made. A wrong code shows the page again; the fifth wrong one retires the code, and five failed factors block
// the channel.
func (s *area) confirmSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r, "malformed_json") {
		return
	}
	cust := core.SessionOf(r).CustomerID
	id := r.PathValue("id")
	proof := sca.Proof{Method: sca.MethodSMS, Code: r.PostForm.Get("code")}
	t, replayed, err := s.Transfers.Confirm(r.Context(), cust, id, proof)
	if err != nil {
		switch {
		case errors.Is(err, auth.ErrChannelBlocked):
			// The block ended the session; the browser forgets it too.
			s.ClearCookie(w, s.SessionCookieName())
			s.ErrorPage(w, r, http.StatusForbidden, "channel_blocked")
		case errors.Is(err, transfer.ErrNotFound):
			s.notFound(w, r, err)
		case isFinalRefusal(err):
			http.Redirect(w, r, "/transfers/"+url.PathEscape(id)+"?m="+url.QueryEscape(kumbara.CodeOf(err)), http.StatusSeeOther)
		default:
			s.showConfirm(w, r, 0, err, false)
		}
		return
	}
	target := "/transfers/" + url.PathEscape(t.ID)
	if replayed {
		target += "?m=replayed"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// confirmRefused shows a refusal of the payment confirmations' budget on the confirmation page.
func (s *area) confirmRefused(w http.ResponseWriter, r *http.Request, err error) {
	s.showConfirm(w, r, 0, err, false)
}

// resend sends a new code for the transfer (the old one stops working), within the SMS limits.
func (s *area) resend(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.Transfers.Challenge(r.Context(), core.SessionOf(r).CustomerID, id, true); err != nil {
		if kumbara.KindOf(err) == kumbara.KindNotFound {
			s.notFound(w, r, err)
			return
		}
		s.showConfirm(w, r, 0, err, false)
		return
	}
	http.Redirect(w, r, "/transfers/"+url.PathEscape(id)+"/confirm?m=resent", http.StatusSeeOther)
}
