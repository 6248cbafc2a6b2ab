package api

import (
	"net/http"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/recovery"
)

type recoveryRequest struct {
	Username   string `json:"username"`
	Method     string `json:"method"`
	CardType   string `json:"card_type"`
	CardLast6  string `json:"card_last6"`
	CardPIN    string `json:"card_pin"`
	UniqueCode string `json:"unique_code"`
}

type recoveryResponse struct {
	RecoveryID  string `json:"recovery_id"`
	OTPChannel  string `json:"otp_channel"`
	MaskedPhone string `json:"masked_phone"`
	ExpiresIn   int    `json:"expires_in"`
}

// startRecovery is the first step of a forgotten password (A8, A10): identity proof, then an SMS code.
func (s *Server) startRecovery(w http.ResponseWriter, r *http.Request) {
	var req recoveryRequest
	if err := DecodeJSON(r, &req, MaxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Username == "" {
		s.Error(w, r, kumbara.Invalid("validation_failed", required(map[string]string{"username": req.Username})...))
		return
	}
	st, err := s.Recovery.Start(r.Context(), req.Username, req.Method, recovery.Proof{
		CardType: req.CardType, Last6: req.CardLast6, PIN: req.CardPIN, Code: req.UniqueCode})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, recoveryResponse{RecoveryID: st.ID, OTPChannel: "sms",
		MaskedPhone: st.MaskedPhone, ExpiresIn: int(st.ExpiresIn.Seconds())})
}

type completeRecoveryRequest struct {
	Code        string `json:"code"`
	NewPassword string `json:"new_password"`
}

// completeRecovery checks the SMS code and sets the new password; every session of the customer ends and they
// log in as usual.
func (s *Server) completeRecovery(w http.ResponseWriter, r *http.Request) {
	var req completeRecoveryRequest
	if err := DecodeJSON(r, &req, MaxBody); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Recovery.Complete(r.Context(), r.PathValue("id"), req.Code, req.NewPassword); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
