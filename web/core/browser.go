package core

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/device"
)

// The browser as a device (A18, the rule in package device): a long-lived, HttpOnly cookie holding a random id names
// this browser to the bank, so a full login from a browser the customer never logged in from is reported to them
// once, as a login from a new phone is. The id is kept only as an HMAC (login_devices) and is not a credential:
// it opens nothing and allows no partial login.

// browserCookieLife is as long as browsers keep a cookie (Chromium caps them at 400 days).
const browserCookieLife = 400 * 24 * time.Hour

func (s *Site) browserCookieName() string {
	if s.SecureCookies {
		return "__Host-kumbara_device"
	}
	return "kumbara_device"
}

// browserID is the id of the browser asking, from its device cookie; a browser without one (or with one that is
// not ours) gets a new one, set on this answer.
func (s *Site) browserID(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(s.browserCookieName()); err == nil && validBrowserID(c.Value) {
		s.SetCookie(w, s.browserCookieName(), c.Value, browserCookieLife) // in use: keep it another 400 days
		return c.Value
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand never fails on the platforms Go supports
	id := base64.RawURLEncoding.EncodeToString(raw[:])
	s.SetCookie(w, s.browserCookieName(), id, browserCookieLife)
	return id
}

func validBrowserID(v string) bool {
	if len(v) != 22 {
		return false
	}
	return strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == ""
}

// NoteBrowserLogin tells the device rule of a full web login (password and code, or passkey): the person who
// authenticated, from this browser. Every login calls it before OpenSession.
func (s *Site) NoteBrowserLogin(w http.ResponseWriter, r *http.Request, sess auth.Session) error {
	if s.Devices == nil {
		return nil
	}
	return s.Devices.NoteLogin(r.Context(), sess.Authenticator(), device.Seen{DeviceID: s.browserID(w, r),
		Agent: r.Header.Get("User-Agent"), Browser: true})
}
