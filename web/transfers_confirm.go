package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/transfer"
)

// trConfirm is the page that confirms a transfer waiting for confirmation: what will be paid, to whom, and the
// field for the SMS code that names the same amount and payee (PSD2 dynamic linking).
type trConfirm struct {
	ID, ToName, ToIBAN, FromIBAN string
	Amount                       int64
	Currency                     string
	Phone                        string
	Expires                      string
	// Passkey offers "Konfirmo me passkey" (web/transfers_passkey.go): the customer has a passkey.
	Passkey bool
	// TrustPayee: confirming also trusts the payee, as the SMS says.
	TrustPayee bool
}

func (s *Server) transferConfirmPage(w http.ResponseWriter, r *http.Request) {
	s.showTransferConfirm(w, r, http.StatusOK, nil, r.URL.Query().Get("m") == "resent")
}

func (s *Server) showTransferConfirm(w http.ResponseWriter, r *http.Request, status int, problem error, resent bool) {
	cust := sessionOf(r).CustomerID
	id := r.PathValue("id")
	t, err := s.Transfers.Challenge(r.Context(), cust, id, false)
	if err != nil {
		switch {
		case errors.Is(err, transfer.ErrNotPending), errors.Is(err, transfer.ErrExpired),
			kumbara.CodeOf(err) == "challenge_not_found":
			// Nothing to confirm any more: the transfer page says what became of it.
			http.Redirect(w, r, "/transfers/"+url.PathEscape(id), http.StatusSeeOther)
		default:
			s.transferNotFound(w, r, err)
		}
		return
	}
	p := trConfirm{ID: t.ID, ToName: kyc.MaskName(t.ToName), ToIBAN: trPrintableIBAN(t.ToIBAN),
		FromIBAN: trPrintableIBAN(t.FromIBAN), Amount: t.Amount.Minor, Currency: string(t.Amount.Currency),
		Phone: t.Challenge.MaskedPhone, Expires: t.ExpiresAt.In(clock.Tirane).Format("15:04"), TrustPayee: t.Challenge.TrustPayee,
		Passkey: s.trPasskeyOffered(r.Context(), cust, t.Challenge.Methods)}
	v := view{Title: "web_tr_confirm_title", Data: p}
	if resent {
		v.Notice = s.Catalogue.Message(lang(r), "web_tr_code_resent", nil)
	}
	if problem != nil {
		s.problem(w, r, "transfer_confirm", v, problem)
		return
	}
	s.render(w, r, status, "transfer_confirm", v)
}

// transferConfirmSubmit checks the SMS code against the transfer's challenge and, if it holds, the transfer is
// made. A wrong code shows the page again; the fifth wrong one retires the code, and five failed factors block
// the channel.
func (s *Server) transferConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	if !trParseForm(w, r) {
		s.errorPage(w, r, http.StatusBadRequest, "malformed_json")
		return
	}
	cust := sessionOf(r).CustomerID
	id := r.PathValue("id")
	proof := sca.Proof{Method: sca.MethodSMS, Code: r.PostForm.Get("code")}
	t, replayed, err := s.Transfers.Confirm(r.Context(), cust, id, proof)
	if err != nil {
		switch {
		case kumbara.CodeOf(err) == "channel_blocked":
			// The block ended the session; the browser forgets it too.
			s.clearCookie(w, s.sessionCookieName())
			s.errorPage(w, r, http.StatusForbidden, "channel_blocked")
		case errors.Is(err, transfer.ErrNotFound):
			s.transferNotFound(w, r, err)
		case trFinalRefusal(kumbara.CodeOf(err)):
			http.Redirect(w, r, "/transfers/"+url.PathEscape(id)+"?m="+url.QueryEscape(kumbara.CodeOf(err)), http.StatusSeeOther)
		default:
			s.showTransferConfirm(w, r, 0, err, false)
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
func (s *Server) confirmRefused(w http.ResponseWriter, r *http.Request, err error) {
	s.showTransferConfirm(w, r, 0, err, false)
}

// transferResend sends a new code for the transfer (the old one stops working), within the SMS limits.
func (s *Server) transferResend(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := s.Transfers.Challenge(r.Context(), sessionOf(r).CustomerID, id, true); err != nil {
		if kumbara.KindOf(err) == kumbara.KindNotFound {
			s.transferNotFound(w, r, err)
			return
		}
		s.showTransferConfirm(w, r, 0, err, false)
		return
	}
	http.Redirect(w, r, "/transfers/"+url.PathEscape(id)+"/confirm?m=resent", http.StatusSeeOther)
}
