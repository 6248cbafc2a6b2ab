package api

import (
	"net/http"
	"strings"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/recovery"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// NIPT is the company's tax number, required when a business's users log in (A20) and refused otherwise.
	NIPT string `json:"nipt"`
}

type loginResponse struct {
	ChallengeID string `json:"challenge_id"`
	OTPChannel  string `json:"otp_channel"`
	MaskedPhone string `json:"masked_phone"`
	ExpiresIn   int    `json:"expires_in"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Username == "" || req.Password == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(required(map[string]string{
			"username": req.Username, "password": req.Password})...))
		return
	}
	r = withClient(r)
	ch, err := s.Auth.LoginBusiness(r.Context(), req.Username, req.NIPT, req.Password)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, loginResponse{ChallengeID: ch.ID, OTPChannel: ch.Channel, MaskedPhone: ch.MaskedPhone,
		ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

// required returns a field_required error for each empty value, in a stable order.
func required(fields map[string]string) []kumbara.FieldError {
	var out []kumbara.FieldError
	for _, name := range []string{"username", "password", "challenge_id", "otp", "old_password", "new_password"} {
		if v, ok := fields[name]; ok && v == "" {
			out = append(out, kumbara.ErrFieldRequired.At(name))
		}
	}
	return out
}

type otpRequest struct {
	ChallengeID string `json:"challenge_id"`
	OTP         string `json:"otp"`
}

type tokenResponse struct {
	AccessToken            string `json:"access_token"`
	TokenType              string `json:"token_type"`
	ExpiresIn              int    `json:"expires_in"`
	PasswordChangeRequired bool   `json:"password_change_required"`
	Assurance              string `json:"assurance"`
	// TrustOffer asks the app to offer trusting the device it named in X-Device-ID (A7: 3rd consecutive login).
	TrustOffer bool `json:"trust_offer"`
}

func (s *Server) loginOTP(w http.ResponseWriter, r *http.Request) {
	var req otpRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.ChallengeID == "" || req.OTP == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(required(map[string]string{
			"challenge_id": req.ChallengeID, "otp": req.OTP})...))
		return
	}
	r = withClient(r)
	token, sess, err := s.Auth.VerifyOTP(r.Context(), req.ChallengeID, req.OTP)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.rememberLanguage(r, sess); err != nil {
		s.Error(w, r, err)
		return
	}
	offer := false
	// A business's user gets no device trust offer (a device is trusted for one customer's own credential), but is
	// told of a new device like anyone (A18).
	switch {
	case s.Devices != nil && sess.UserID == "":
		offer, err = s.Devices.RecordLogin(r.Context(), sess.CustomerID, device.ActionLogin, seenFrom(r))
	case s.Devices != nil:
		err = s.Devices.NoteLogin(r.Context(), sess.UserID, seenFrom(r))
	}
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int(s.Auth.Config.IdleTimeout.Seconds()), PasswordChangeRequired: sess.MustChange,
		Assurance: sess.Assurance, TrustOffer: offer})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(r.Context(), sessionOf(r).token); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type meResponse struct {
	ClientNumber           string `json:"client_number"`
	Kind                   string `json:"kind"`
	Name                   string `json:"name"`
	MaskedPhone            string `json:"masked_phone"`
	Email                  string `json:"email"`
	Assurance              string `json:"assurance"`
	PasswordChangeRequired bool   `json:"password_change_required"`
	// UserClientNumber and UserName name the representative in a business user's session (A20).
	UserClientNumber string `json:"user_client_number,omitempty"`
	UserName         string `json:"user_name,omitempty"`
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	c, err := s.Customers.Get(r.Context(), sess.CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	resp := meResponse{ClientNumber: c.ClientNumber, Kind: c.Kind, Name: c.Name(),
		MaskedPhone: maskPhone(c.Mobile), Email: c.Email, Assurance: sess.Assurance, PasswordChangeRequired: sess.MustChange}
	if sess.UserID != "" {
		u, err := s.Customers.Get(r.Context(), sess.UserID)
		if err != nil {
			s.Error(w, r, err)
			return
		}
		resp.UserClientNumber, resp.UserName = u.ClientNumber, u.Name()
	}
	s.JSON(w, r, http.StatusOK, resp)
}

type passwordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
	CardLast6   string `json:"card_last6"`
	CardPIN     string `json:"card_pin"`
}

// changePassword changes the password (A12): the card's last six digits and PIN when the customer holds a card
// whose PIN can be used, and the old password. Only a full session may (the route's access, httpx.Assured): a
// partial (password-only, SmartPay) one answers assurance_insufficient.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	var req passwordRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if err := s.Recovery.ChangePassword(r.Context(), sessionOf(r).Session, recovery.Change{CardLast6: req.CardLast6,
		CardPIN: req.CardPIN, OldPassword: req.OldPassword, NewPassword: req.NewPassword}); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// rememberLanguage stores the language of a completed login's Accept-Language (the app sends the phone's) as the
// language the bank writes to the customer in: their SMS from then on, starting with a new device's alert. A
// request without the header leaves the stored language as it is.
func (s *Server) rememberLanguage(r *http.Request, sess auth.Session) error {
	if strings.TrimSpace(r.Header.Get("Accept-Language")) == "" {
		return nil
	}
	person := sess.CustomerID
	if sess.UserID != "" {
		person = sess.UserID // a business's user: the SMS go to the person
	}
	return s.Customers.SetLanguage(r.Context(), person, langOf(r))
}
