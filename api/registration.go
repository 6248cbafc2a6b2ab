package api

import (
	"net/http"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/registration"
)

type registrationRequest struct {
	Username string `json:"username"`
	Method   string `json:"method"`
	CardType string `json:"card_type"`
	Last6    string `json:"last6"`
	PIN      string `json:"pin"`
	Code     string `json:"code"`
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
	if req.Username == "" {
		s.Error(w, r, kumbara.Invalid("validation_failed", required(map[string]string{"username": req.Username})...))
		return
	}
	st, err := s.Registration.Start(r.Context(), req.Username, req.Method, registration.Proof{
		CardType: req.CardType, Last6: req.Last6, PIN: req.PIN, Code: req.Code})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, registrationResponse{RegistrationID: st.ID, OTPChannel: "sms",
		MaskedPhone: st.MaskedPhone, ExpiresIn: int(st.ExpiresIn.Seconds())})
}

type completeRegistrationRequest struct {
	OTP      string `json:"otp"`
	Password string `json:"password"`
}

// completeRegistration checks the SMS code and sets the password; the customer then logs in as usual.
func (s *Server) completeRegistration(w http.ResponseWriter, r *http.Request) {
	var req completeRegistrationRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Registration.Complete(r.Context(), r.PathValue("id"), req.OTP, req.Password); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
