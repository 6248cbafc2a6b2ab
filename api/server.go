package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/transfer"
)

// MaxBody is the largest JSON request body the API reads.
const MaxBody = 16 << 10

// Server is the JSON API of the mobile app and of integrations. It is thin: it parses, authenticates and calls
// the domain services, which own every rule.
type Server struct {
	*Responder
	DB        *db.DB
	Clock     clock.Clock
	Auth      *auth.Service
	Customers *customer.Service
	Ledger    *ledger.Ledger
	Transfers *transfer.Service
	// SCA keeps the trusted beneficiaries (the transfers' confirmations go through Transfers).
	SCA *sca.Service
	// Registration registers existing customers for digital banking (R1).
	Registration *registration.Service
	Bank         customer.Bank
	// Terms records acceptances of the Terms & Conditions (P1); nil means one on DB with the current version.
	Terms *terms.Service
	// MinAppVersion, if set, is the oldest mobile app version served (P2), as device.ParseAppVersions reads it: one
	// for every platform ("2.3.0") or one per platform ("ios=2.3.0,android=2.1.0"); an older app gets 426.
	MinAppVersion string
	// Devices keeps the customers' devices (A2–A7); nil leaves the device routes out.
	Devices *device.Service
	// Recovery recovers forgotten passwords (A8–A10) and checks the card of a password change (A12).
	Recovery *recovery.Service
	// Inbox is the sandbox SMS/email inbox, served at /dev/inbox only in demo mode (nil otherwise).
	Inbox *outbox.Sandbox
	// Pages, if set, adds the web app's pages to the same mux. It is given the API's JSON view of /dev/inbox so
	// the page and the JSON can share that path by content negotiation.
	Pages func(mux *http.ServeMux, inboxJSON http.HandlerFunc) error

	loginLimit  *Limiter
	otpLimit    *Limiter
	payeeLimit  *Limiter
	regLimit    *Limiter
	confLimit   *Limiter
	termsOK     sync.Map           // customer id + version → accepted
	appVersions device.AppVersions // MinAppVersion, read
	devLimit    *Limiter
	recLimit    *Limiter
}

// Route is one entry of the route table; the OpenAPI test reads the same table.
type Route struct {
	Method, Path string
	// Auth is "" for public routes, "session" for any live session, "full" when a password change is not pending.
	Auth    string
	Handler func(w http.ResponseWriter, r *http.Request)
}

// Routes is the API's route table.
func (s *Server) Routes() []Route {
	routes := []Route{
		{"POST", "/api/v1/auth/login", "", s.login},
		{"POST", "/api/v1/auth/login/otp", "", s.loginOTP},
		{"POST", "/api/v1/auth/logout", "session", s.logout},
		{"POST", "/api/v1/auth/login/partial", "", s.loginPartial},
		{"POST", "/api/v1/auth/forget-me", "session", s.forgetMe},
		{"GET", "/api/v1/sessions", "session", s.listSessions},
		{"DELETE", "/api/v1/sessions/{id}", "session", s.endSession},
		{"GET", "/api/v1/terms", "session", s.getTerms},
		{"POST", "/api/v1/terms/accept", "session", s.acceptTerms},
		{"POST", "/api/v1/registrations", "", s.startRegistration},
		{"POST", "/api/v1/registrations/{id}/complete", "", s.completeRegistration},
		{"POST", "/api/v1/password-recovery", "", s.startRecovery},
		{"POST", "/api/v1/password-recovery/{id}/complete", "", s.completeRecovery},
		{"GET", "/api/v1/me", "session", s.me},
		{"POST", "/api/v1/me/password", "session", s.changePassword},
		{"GET", "/api/v1/accounts", "full", s.listAccounts},
		{"GET", "/api/v1/accounts/{id}", "full", s.getAccount},
		{"PATCH", "/api/v1/accounts/{id}", "full", s.updateAccount},
		{"GET", "/api/v1/accounts/{id}/transactions", "full", s.history},
		{"GET", "/api/v1/accounts/{id}/statement", "full", s.statement},
		{"GET", "/api/v1/payees", "full", s.findPayee},
		{"POST", "/api/v1/transfers", "full", s.createTransfer},
		{"GET", "/api/v1/transfers/{id}", "full", s.getTransfer},
		{"GET", "/api/v1/transfers/{id}/receipt", "full", s.transferReceipt},
		{"POST", "/api/v1/transfers/{id}/confirm", "full", s.confirmTransfer},
		{"POST", "/api/v1/transfers/{id}/challenge", "full", s.transferChallenge},
		{"GET", "/api/v1/beneficiaries/trusted", "full", s.trustedBeneficiaries},
		{"DELETE", "/api/v1/beneficiaries/trusted/{iban}", "full", s.untrustBeneficiary},
		{"GET", "/api/v1/openapi.json", "", s.openAPI},
		{"GET", "/healthz", "", s.healthz},
		{"GET", "/readyz", "", s.readyz},
	}
	if s.Devices != nil {
		routes = append(routes, s.deviceRoutes()...)
	}
	if s.Inbox != nil {
		routes = append(routes, Route{"GET", "/dev/inbox", "", s.devInbox})
	}
	return routes
}

// Handler returns the API (and the web pages, if any) with its middleware. Metrics are served at /metrics.
func (s *Server) Handler() (http.Handler, error) {
	var err error
	if s.appVersions, err = device.ParseAppVersions(s.MinAppVersion); err != nil {
		return nil, fmt.Errorf("minimum app version: %w", err)
	}
	// Per client address: a burst big enough for an office behind one NAT address, then one a second.
	s.loginLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	s.otpLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	s.payeeLimit = NewLimiter(6*time.Second, 20, DefaultMaxKeys)
	// Both registration steps share one budget: they guess at the same secrets (PINs, unique codes, SMS codes).
	s.regLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	// Payment confirmations guess at codes too; each challenge allows 5 tries and the channel 5 failures, and
	// this bounds the pace per address on top.
	s.confLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	// Every step that checks a device's signature, a password or a Soft PIN shares one budget.
	s.devLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	// Likewise both password recovery steps (A8–A10).
	s.recLimit = NewLimiter(time.Second, 100, DefaultMaxKeys)
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		if rt.Path == "/dev/inbox" && s.Pages != nil {
			continue // the web app serves it, handing JSON requests back to devInbox
		}
		var h http.Handler = http.HandlerFunc(rt.Handler)
		if rt.Auth != "" && personalOnly(rt.Path) {
			h = s.personal(h) // inside authenticate, which puts the session in the request
		}
		switch rt.Auth {
		case "session":
			h = s.authenticate(h, false)
		case "full":
			h = s.authenticate(h, true)
		}
		switch rt.Path {
		case "/api/v1/auth/login", "/api/v1/auth/login/partial":
			h = s.LimitByIP(s.loginLimit)(h)
		case "/api/v1/auth/login/otp":
			h = s.LimitByIP(s.otpLimit)(h)
		case "/api/v1/registrations", "/api/v1/registrations/{id}/complete":
			h = s.LimitByIP(s.regLimit)(h)
		case "/api/v1/transfers/{id}/confirm", "/api/v1/transfers/{id}/challenge":
			h = s.LimitByIP(s.confLimit)(h)
		case "/api/v1/auth/device-login/challenge", "/api/v1/auth/device-login", "/api/v1/auth/login/smart-otp",
			"/api/v1/devices/{id}/trust", "/api/v1/devices/{id}/soft-pin", "/api/v1/devices/{id}/soft-pin/challenge",
			"/api/v1/me/password/device/challenge",
			"/api/v1/me/password/device":
			h = s.LimitByIP(s.devLimit)(h)
		case "/api/v1/password-recovery", "/api/v1/password-recovery/{id}/complete":
			h = s.LimitByIP(s.recLimit)(h)
		}
		mux.Handle(rt.Method+" "+rt.Path, s.requireAppVersion(h))
	}
	if s.Metrics != nil {
		mux.Handle("GET /metrics", s.Metrics.Handler())
	}
	if s.Pages != nil {
		if err := s.Pages(mux, s.devInbox); err != nil {
			return nil, err
		}
	}
	return Chain(s.Dispatch(mux), AssignRequestID, s.AccessLog, s.Instrument, s.Recover, SecurityHeaders), nil
}

type sessionKey struct{}

type authed struct {
	auth.Session
	token string
}

func sessionOf(r *http.Request) authed {
	a, _ := r.Context().Value(sessionKey{}).(authed)
	return a
}

// authenticate admits requests with a live bearer session. A session that must change its password may only do
// that (and log out), so a staff-set password is never used for anything else.
func (s *Server) authenticate(next http.Handler, requireFull bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara"`)
			s.Error(w, r, &kumbara.Error{Kind: kumbara.KindUnauthorized, Code: "unauthenticated"})
			return
		}
		sess, err := s.Auth.Authenticate(r.Context(), strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara", error="invalid_token"`)
			s.Error(w, r, err)
			return
		}
		if requireFull && sess.MustChange {
			s.Error(w, r, &kumbara.Error{Kind: kumbara.KindForbidden, Code: "password_change_required"})
			return
		}
		if requireFull && sess.Assurance != auth.Full {
			s.Error(w, r, &kumbara.Error{Kind: kumbara.KindForbidden, Code: "assurance_insufficient"})
			return
		}
		if requireFull {
			// The current Terms & Conditions come before any banking (P1); GET /terms and POST /terms/accept are
			// open to any session.
			ok, err := s.termsAccepted(r, sess.CustomerID)
			if err != nil {
				s.Error(w, r, err)
				return
			}
			if !ok {
				s.Error(w, r, &kumbara.Error{Kind: kumbara.KindForbidden, Code: "terms_acceptance_required"})
				return
			}
		}
		ctx := context.WithValue(auth.WithSession(r.Context(), sess), sessionKey{}, authed{Session: sess, token: token})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	s.JSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.logger().Warn("not ready", slog.String("error", err.Error()))
		s.Error(w, r, &kumbara.Error{Kind: kumbara.KindUnavailable, Code: "unavailable"})
		return
	}
	s.JSON(w, r, http.StatusOK, map[string]string{"status": "ready", "database": s.DB.Engine.String()})
}

type inboxMessage struct {
	To        string    `json:"to"`
	Channel   string    `json:"channel"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// devInbox shows what the sandbox SMS and email gateways delivered: the demo bank's phones. Demo mode only.
func (s *Server) devInbox(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.Inbox.Inbox(r.Context(), 100)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	out := make([]inboxMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, inboxMessage{To: m.Recipient, Channel: m.Channel, Subject: m.Subject, Body: m.Body, CreatedAt: m.CreatedAt})
	}
	s.JSON(w, r, http.StatusOK, map[string]any{"messages": out})
}
