package api

import (
	"net/http"

	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/identity"
)

// registrationRequest is the proof of identity of a registration, under the names recovery uses too. Before
// those, registration named three fields otherwise; apps in the field still send the old names, which are taken.
type registrationRequest struct {
	proofRequest
	Last6 *string `json:"last6"` // deprecated: card_last6
	PIN   *string `json:"pin"`   // deprecated: card_pin
	Code  *string `json:"code"`  // deprecated: unique_code
}

func (r *registrationRequest) renamed() []renamed {
	return []renamed{
		{name: identity.FieldCardLast6, old: "last6", value: &r.CardLast6, oldValue: r.Last6},
		{name: identity.FieldCardPIN, old: "pin", value: &r.CardPIN, oldValue: r.PIN},
		{name: identity.FieldUniqueCode, old: "code", value: &r.UniqueCode, oldValue: r.Code},
	}
}

type registrationResponse struct {
	RegistrationID string `json:"registration_id"`
	OTPChannel     string `json:"otp_channel"`
	MaskedPhone    string `json:"masked_phone"`
	ExpiresIn      int    `json:"expires_in"`
}

// startRegistration is the first step of registering an existing customer (R1): identity proof, then an SMS code.
func (s *Server) startRegistration(w http.ResponseWriter, r *http.Request) {
	var req registrationRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	sent, err := takeRenamed(req.renamed()...)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	p, err := req.proof()
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ch, err := s.Registration.Start(r.Context(), req.Username, p)
	if err != nil {
		s.Error(w, r, namedAsSent(err, sent))
		return
	}
	s.JSON(w, r, http.StatusCreated, registrationResponse{RegistrationID: ch.ID, OTPChannel: "sms",
		MaskedPhone: ch.MaskedPhone, ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

// completeRegistrationRequest takes the names of recovery's completion; registration's earlier names are taken
// too, as for the proof.
type completeRegistrationRequest struct {
	completionRequest
	OTP      *string `json:"otp"`      // deprecated: code
	Password *string `json:"password"` // deprecated: new_password
}

func (r *completeRegistrationRequest) renamed() []renamed {
	return []renamed{
		{name: identity.FieldCode, old: "otp", value: &r.Code, oldValue: r.OTP},
		{name: identity.FieldNewPassword, old: "password", value: &r.NewPassword, oldValue: r.Password},
	}
}

// completeRegistration checks the SMS code and sets the password; the customer then logs in as usual.
func (s *Server) completeRegistration(w http.ResponseWriter, r *http.Request) {
	var req completeRegistrationRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	sent, err := takeRenamed(req.renamed()...)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Registration.Complete(r.Context(), r.PathValue("id"), req.Code, req.NewPassword); err != nil {
		s.Error(w, r, namedAsSent(err, sent))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
