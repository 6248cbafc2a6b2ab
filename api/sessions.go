package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/terms"
)

// DeviceIDHeader names the mobile app's installation: an opaque string the app keeps, at most auth.MaxDeviceID
// bytes. A full login with it allows partial (SmartPay) login on that device later (A19).
const DeviceIDHeader = "X-Device-ID"

// AppVersionHeader carries the mobile app's version ("2.3.0"). Requests without it are not the mobile app's
// (integrations, the web's own pages) and are not held to the minimum version (P2).
const AppVersionHeader = "X-App-Version"

// AppPlatformHeader names the mobile app's platform ("ios", "android"), whose minimum version applies (P2).
const AppPlatformHeader = "X-App-Platform"

// withClient tells the login steps that this is the API, which app or program is asking, its device id and its
// address (the rate limits' key, by which password guesses are throttled).
func withClient(r *http.Request) *http.Request {
	return r.WithContext(auth.WithClient(r.Context(), auth.Client{Channel: auth.ChannelAPI,
		Label: r.Header.Get("User-Agent"), DeviceID: strings.TrimSpace(r.Header.Get(DeviceIDHeader)),
		Address: httpx.ClientKey(r)}))
}

type sessionJSON struct {
	ID         string    `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	Assurance  string    `json:"assurance"`
	Channel    string    `json:"channel"`
	Label      string    `json:"label,omitempty"`
	// Device is the label as a person reads it, in the request's language ("Chrome on Linux"); Browser and
	// Platform are its parts, named as their makers name them (auth.DeviceOf).
	Device   string `json:"device"`
	Browser  string `json:"browser,omitempty"`
	Platform string `json:"platform,omitempty"`
	Mobile   bool   `json:"mobile"`
	Current  bool   `json:"current"`
}

// listSessions is the customer's live sessions, the one asking marked current (A19).
func (s *Server) listSessions(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	list, err := s.Auth.Sessions(r.Context(), sess.CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	lang := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
	out := make([]sessionJSON, 0, len(list))
	for _, si := range list {
		out = append(out, sessionJSON{ID: si.ID, CreatedAt: si.CreatedAt.UTC(), LastSeenAt: si.LastSeenAt.UTC(),
			Assurance: si.Assurance, Channel: si.Channel, Label: si.Label, Device: s.deviceName(lang, si.Device),
			Browser: si.Device.Browser, Platform: si.Device.Platform, Mobile: si.Device.Mobile,
			Current: si.ID == sess.ID})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"sessions": out})
}

// deviceName puts a session's device into a phrase of lang: "Chrome on Linux", just "curl" when the platform is
// not known, "Unknown device" when nothing is.
func (s *Server) deviceName(lang i18n.Lang, d auth.Device) string {
	switch {
	case d.Browser != "" && d.Platform != "":
		return s.Catalogue.Message(lang, "web_ac_device", map[string]string{"browser": d.Browser, "platform": d.Platform})
	case d.Browser != "":
		return d.Browser
	case d.Platform != "":
		return d.Platform
	default:
		return s.Catalogue.Message(lang, "web_ac_device_unknown", nil)
	}
}

type endedJSON struct {
	Ended int `json:"ended"`
}

// endOtherSessions ends every session of the customer but the one asking ("end all other sessions", A19) and says
// how many ended; a partial session may not (403 assurance_insufficient).
func (s *Server) endOtherSessions(w http.ResponseWriter, r *http.Request) {
	n, err := s.Auth.EndOtherSessions(r.Context(), sessionOf(r).Session)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, endedJSON{Ended: n})
}

// endSession ends one of the customer's sessions; another customer's is a 404.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.EndSession(r.Context(), sessionOf(r).Session, r.PathValue("id")); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// loginPartial is SmartPay's partial login (A19): password only, from a device with an earlier full login.
func (s *Server) loginPartial(w http.ResponseWriter, r *http.Request) {
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
	if req.NIPT != "" {
		s.Error(w, r, auth.ErrLoginFailed)
		return
	}
	r = withClient(r)
	token, sess, err := s.Auth.LoginPartial(r.Context(), req.Username, req.Password)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, tokenResponse{AccessToken: token, TokenType: "Bearer",
		ExpiresIn: int(s.Auth.Config.IdleTimeout.Seconds()), PasswordChangeRequired: sess.MustChange,
		Assurance: sess.Assurance})
}

// forgetMe withdraws partial login on the device named by X-Device-ID until the next full login there (A19).
func (s *Server) forgetMe(w http.ResponseWriter, r *http.Request) {
	dev := strings.TrimSpace(r.Header.Get(DeviceIDHeader))
	if dev == "" || len(dev) > auth.MaxDeviceID {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At(DeviceIDHeader)))
		return
	}
	if err := s.Auth.ForgetMe(r.Context(), sessionOf(r).CustomerID, dev); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type termsJSON struct {
	Version  string `json:"version"`
	Document string `json:"document"`
	URL      string `json:"url"`
	Text     string `json:"text"`
	Accepted bool   `json:"accepted"`
}

// getTerms is the current terms for this customer (the business or the individual text), in the request's
// language, and whether they are accepted.
func (s *Server) getTerms(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	c, err := s.Customers.Get(r.Context(), sess.CustomerID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	tc := s.Terms
	doc := terms.ForKind(c.Kind)
	text, err := terms.Document(tc.CurrentVersion(), doc, string(i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))))
	if err != nil {
		s.Error(w, r, err)
		return
	}
	ok, err := tc.Accepted(r.Context(), c.ID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	s.JSON(w, r, http.StatusOK, termsJSON{Version: tc.CurrentVersion(), Document: string(doc),
		URL: terms.Page(doc), Text: text, Accepted: ok})
}

type acceptTermsRequest struct {
	Version string `json:"version"`
}

// acceptTerms records the customer's acceptance of the current version; an older version is refused.
func (s *Server) acceptTerms(w http.ResponseWriter, r *http.Request) {
	var req acceptTermsRequest
	if err := httpx.DecodeJSON(r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	if req.Version == "" {
		s.Error(w, r, kumbara.ErrValidationFailed.WithFields(kumbara.ErrFieldRequired.At("version")))
		return
	}
	if err := s.Terms.Accept(r.Context(), sessionOf(r).CustomerID, req.Version, s.Clock.Now()); err != nil {
		s.Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// requireAppVersion answers 426 app_update_required to a mobile app older than the bank's minimum for its platform
// (P2, device.AppVersions: X-App-Platform and X-App-Version). A request without X-App-Version is not the app's and
// passes, as does the OpenAPI document; a version or platform the rule cannot read is a 400.
func (s *Server) requireAppVersion(next http.Handler) http.Handler {
	if s.appVersions.Off() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/api/v1/openapi.json" {
			next.ServeHTTP(w, r)
			return
		}
		if err := s.appVersions.Check(r.Header.Get(AppPlatformHeader), r.Header.Get(AppVersionHeader)); err != nil {
			s.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}
