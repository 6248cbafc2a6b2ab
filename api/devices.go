package api

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/httpx"
)

// seenFrom reads what a request says about the device it came from (X-Device-ID, X-Device-Location, User-Agent).
func seenFrom(r *http.Request) device.Seen {
	return device.Seen{DeviceID: strings.TrimSpace(r.Header.Get("X-Device-ID")),
		Location: r.Header.Get("X-Device-Location"), Agent: r.Header.Get("User-Agent")}
}

type deviceResponse struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	Trusted      bool       `json:"trusted"`
	TrustedSince *time.Time `json:"trusted_since"`
	LastActionAt time.Time  `json:"last_action_at"`
	RegisteredAt time.Time  `json:"registered_at"`
	ScreenLock   bool       `json:"screen_lock"`
	RememberMe   bool       `json:"remember_me"`
	SmartOTP     bool       `json:"smart_otp"`
	SoftPIN      bool       `json:"soft_pin"`
	SoftPINReady bool       `json:"soft_pin_provisioned"`
}

func deviceJSON(d device.Device) deviceResponse {
	out := deviceResponse{ID: d.ID, Name: d.Name, Type: d.Type, Trusted: d.Trusted, LastActionAt: d.LastActionAt,
		RegisteredAt: d.CreatedAt, ScreenLock: d.ScreenLock, RememberMe: d.RememberMe, SmartOTP: d.SmartOTP,
		SoftPIN: d.SoftPIN, SoftPINReady: d.SoftPINReady}
	if d.Trusted {
		t := d.TrustedAt
		out.TrustedSince = &t
	}
	return out
}

type registerDeviceRequest struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	PublicKey  string `json:"public_key"`
	ScreenLock bool   `json:"screen_lock"`
	Password   string `json:"password"`
}

// registerDevice activates biometric login on the app's device (A3): its public key, confirmed with the password,
// from a full session.
func (s *Server) registerDevice(w http.ResponseWriter, r *http.Request) {
	var req registerDeviceRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Devices.Register(r.Context(), sessionOf(r).CustomerID, device.NewDevice{Name: req.Name, Type: req.Type,
		PublicKey: req.PublicKey, ScreenLock: req.ScreenLock, Password: req.Password}, seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, deviceJSON(d))
}

func (s *Server) listDevices(w http.ResponseWriter, r *http.Request) {
	list, err := s.Devices.List(r.Context(), sessionOf(r).CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]deviceResponse, 0, len(list))
	for _, d := range list {
		out = append(out, deviceJSON(d))
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"devices": out})
}

type activityResponse struct {
	Action   string    `json:"action"`
	At       time.Time `json:"at"`
	Location string    `json:"location,omitempty"`
}

func (s *Server) deviceActivity(w http.ResponseWriter, r *http.Request) {
	list, err := s.Devices.History(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]activityResponse, 0, len(list))
	for _, a := range list {
		out = append(out, activityResponse{Action: a.Action, At: a.At, Location: a.Location})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"activity": out})
}

func (s *Server) deactivateDevice(w http.ResponseWriter, r *http.Request) {
	if err := s.Devices.Deactivate(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), seenFrom(r)); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type trustRequest struct {
	Password   string          `json:"password"`
	IDDocument *idDocumentJSON `json:"id_document"`
}

// trustDevice makes the device trusted (A3, A7): from the device itself, with the password, at the trust offer or
// with the customer's ID document read over NFC.
func (s *Server) trustDevice(w http.ResponseWriter, r *http.Request) {
	var req trustRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Password == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(required(map[string]string{"password": req.Password})...))
		return
	}
	proof := device.TrustProof{Password: req.Password}
	if req.IDDocument != nil { // read as for password recovery (api/recovery.go)
		chip, err := req.IDDocument.chip()
		if err != nil {
			s.Error(w, r, err)
			return
		}
		proof.IDDocument = &chip
	}
	d, err := s.Devices.Trust(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), proof, seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, deviceJSON(d))
}

type softPINResponse struct {
	Secret    string `json:"secret"`
	URI       string `json:"otpauth_uri"`
	Algorithm string `json:"algorithm"`
	Digits    int    `json:"digits"`
	Period    int    `json:"period"`
	OCRASuite string `json:"ocra_suite"`
}

// softPINChallenge starts setting up a Soft PIN on the device the request comes from (A6): a challenge for its key
// to sign.
func (s *Server) softPINChallenge(w http.ResponseWriter, r *http.Request) {
	ch, err := s.Devices.SoftPINChallenge(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"), seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, deviceChallengeResponse{ChallengeID: ch.ID,
		Challenge: base64.StdEncoding.EncodeToString(ch.Challenge), ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

type softPINRequest struct {
	ChallengeID string `json:"challenge_id"`
	Signature   string `json:"signature"`
	Password    string `json:"password"`
}

// provisionSoftPIN gives a trusted device a fresh Soft PIN secret, shown once (A6): from that device, with its
// signature of a challenge from softPINChallenge and the password; the customer is told by SMS.
func (s *Server) provisionSoftPIN(w http.ResponseWriter, r *http.Request) {
	var req softPINRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	var fields []kumbara.FieldError
	for _, f := range [][2]string{{"challenge_id", req.ChallengeID}, {"signature", req.Signature}, {"password", req.Password}} {
		if f[1] == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(f[0]))
		}
	}
	if len(fields) > 0 {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	sp, err := s.Devices.ProvisionSoftPIN(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"),
		device.SoftPINProof{ChallengeID: req.ChallengeID, Signature: decodeSignature(req.Signature), Password: req.Password},
		seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusCreated, softPINResponse{Secret: sp.Secret, URI: sp.URI, Algorithm: sp.Algorithm,
		Digits: sp.Digits, Period: sp.Period, OCRASuite: "OCRA-1:HOTP-SHA256-8:QH64"})
}

type deviceChallengeRequest struct {
	Username string `json:"username"`
	DeviceID string `json:"device_id"`
}

type deviceChallengeResponse struct {
	ChallengeID string `json:"challenge_id"`
	Challenge   string `json:"challenge"`
	ExpiresIn   int    `json:"expires_in"`
}

// deviceLoginChallenge starts a biometric login (A3, A4).
func (s *Server) deviceLoginChallenge(w http.ResponseWriter, r *http.Request) {
	var req deviceChallengeRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Username == "" || req.DeviceID == "" {
		var fields []kumbara.FieldError
		if req.Username == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("username"))
		}
		if req.DeviceID == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("device_id"))
		}
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	ch, err := s.Devices.LoginChallenge(r.Context(), req.Username, req.DeviceID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, deviceChallengeResponse{ChallengeID: ch.ID,
		Challenge: base64.StdEncoding.EncodeToString(ch.Challenge), ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

type deviceLoginRequest struct {
	ChallengeID string `json:"challenge_id"`
	Signature   string `json:"signature"`
}

// decodeSignature reads a base64 signature; a malformed one is a wrong one (the factor decides what that costs).
func decodeSignature(sig string) []byte {
	if len(sig) > 256 {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil {
		return nil
	}
	return raw
}

// deviceLogin completes a biometric login: a full session on a trusted device, an SMS code step otherwise.
func (s *Server) deviceLogin(w http.ResponseWriter, r *http.Request) {
	var req deviceLoginRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.ChallengeID == "" || req.Signature == "" {
		var fields []kumbara.FieldError
		if req.ChallengeID == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("challenge_id"))
		}
		if req.Signature == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At("signature"))
		}
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	res, err := s.Devices.Login(r.Context(), req.ChallengeID, decodeSignature(req.Signature), seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	if res.Code != nil {
		s.JSON(w, r, http.StatusOK, loginResponse{ChallengeID: res.Code.ID, OTPChannel: res.Code.Channel,
			MaskedPhone: res.Code.MaskedPhone, ExpiresIn: int(res.Code.ExpiresIn.Seconds())})
		return
	}
	s.JSON(w, r, http.StatusOK, tokenResponse{AccessToken: res.Token, TokenType: "Bearer",
		ExpiresIn: int(s.Auth.Config.IdleTimeout.Seconds()), PasswordChangeRequired: res.Session.MustChange,
		Assurance: res.Session.Assurance})
}

type smartOTPRequest struct {
	ChallengeID string `json:"challenge_id"`
	DeviceID    string `json:"device_id"`
	Signature   string `json:"signature"`
}

// smartOTPLogin answers the code step of a login with a trusted device's signature of the challenge id (A5).
func (s *Server) smartOTPLogin(w http.ResponseWriter, r *http.Request) {
	var req smartOTPRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	var fields []kumbara.FieldError
	for _, f := range [][2]string{{"challenge_id", req.ChallengeID}, {"device_id", req.DeviceID}, {"signature", req.Signature}} {
		if f[1] == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(f[0]))
		}
	}
	if len(fields) > 0 {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	token, sess, err := s.Devices.SmartOTP(r.Context(), req.ChallengeID, req.DeviceID, decodeSignature(req.Signature), seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int(s.Auth.Config.IdleTimeout.Seconds()), PasswordChangeRequired: sess.MustChange,
		Assurance: sess.Assurance})
}

// deviceRoutes are the device routes (A2–A7).
func (s *Server) deviceRoutes() []Route {
	public := httpx.Policy{Access: httpx.Public}
	// A device and its factors are the person's own: a business's user may not add or use one there.
	personal := httpx.Policy{Access: httpx.Full, Personal: true}
	return []Route{
		{"POST", "/api/v1/auth/device-login/challenge", limited(public, httpx.DeviceFactor), s.deviceLoginChallenge},
		{"POST", "/api/v1/auth/device-login", limited(public, httpx.DeviceFactor), s.deviceLogin},
		{"POST", "/api/v1/auth/login/smart-otp", limited(public, httpx.DeviceFactor), s.smartOTPLogin},
		{"POST", "/api/v1/devices", limited(personal, httpx.DeviceFactor), s.registerDevice},
		{"GET", "/api/v1/devices", personal, s.listDevices},
		{"PATCH", "/api/v1/devices/{id}", personal, s.configureDevice},
		{"DELETE", "/api/v1/devices/{id}", personal, s.deactivateDevice},
		{"GET", "/api/v1/devices/{id}/activity", personal, s.deviceActivity},
		{"POST", "/api/v1/devices/{id}/trust", limited(personal, httpx.DeviceFactor), s.trustDevice},
		{"POST", "/api/v1/devices/{id}/soft-pin/challenge", limited(personal, httpx.DeviceFactor), s.softPINChallenge},
		{"POST", "/api/v1/devices/{id}/soft-pin", limited(personal, httpx.DeviceFactor), s.provisionSoftPIN},
		// A12's device way is for the customer fully logged in on the trusted device, also when the password must
		// change (expired, or set by staff).
		{"POST", "/api/v1/me/password/device/challenge", httpx.Policy{Access: httpx.Assured, Personal: true,
			Limit: httpx.DeviceFactor}, s.devicePasswordChallenge},
		{"POST", "/api/v1/me/password/device", httpx.Policy{Access: httpx.Assured, Personal: true,
			Limit: httpx.DeviceFactor}, s.devicePasswordChange},
	}
}

type configureDeviceRequest struct {
	SmartOTP   *bool `json:"smart_otp"`
	ScreenLock *bool `json:"screen_lock"`
}

// configureDevice changes the Smart OTP toggle and the screen-lock state the app reports (A19).
func (s *Server) configureDevice(w http.ResponseWriter, r *http.Request) {
	var req configureDeviceRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.Devices.Configure(r.Context(), sessionOf(r).CustomerID, r.PathValue("id"),
		device.Settings{SmartOTP: req.SmartOTP, ScreenLock: req.ScreenLock})
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, deviceJSON(d))
}

type devicePasswordChallengeRequest struct {
	DeviceID string `json:"device_id"`
}

// devicePasswordChallenge starts a password change on a trusted device (A12): a challenge for its key to sign.
func (s *Server) devicePasswordChallenge(w http.ResponseWriter, r *http.Request) {
	var req devicePasswordChallengeRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.DeviceID == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("device_id")))
		return
	}
	ch, err := s.Devices.PasswordChallenge(r.Context(), sessionOf(r).CustomerID, req.DeviceID, seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, deviceChallengeResponse{ChallengeID: ch.ID,
		Challenge: base64.StdEncoding.EncodeToString(ch.Challenge), ExpiresIn: int(ch.ExpiresIn.Seconds())})
}

type devicePasswordRequest struct {
	DeviceID          string `json:"device_id"`
	ChallengeID       string `json:"challenge_id"`
	Signature         string `json:"signature"`
	NewPassword       string `json:"new_password"`
	NewPasswordRepeat string `json:"new_password_repeat"`
}

// devicePasswordChange changes the password on a trusted device with the new one twice and the device's signature
// of the challenge (A12); the other sessions end and the customer is told by SMS.
func (s *Server) devicePasswordChange(w http.ResponseWriter, r *http.Request) {
	var req devicePasswordRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	var fields []kumbara.FieldError
	for _, f := range [][2]string{{"device_id", req.DeviceID}, {"challenge_id", req.ChallengeID},
		{"signature", req.Signature}, {"new_password", req.NewPassword}, {"new_password_repeat", req.NewPasswordRepeat}} {
		if f[1] == "" {
			fields = append(fields, kumbara.ErrFieldRequired.At(f[0]))
		}
	}
	if len(fields) > 0 {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(fields...))
		return
	}
	err := s.Devices.ChangePassword(r.Context(), sessionOf(r).Session, device.PasswordChange{DeviceID: req.DeviceID,
		ChallengeID: req.ChallengeID, Signature: decodeSignature(req.Signature), New: req.NewPassword,
		Repeat: req.NewPasswordRepeat}, seenFrom(r))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
