// Package api serves Kumbara's JSON API under /api/v1: the route table, each route with its whole policy, and thin
// handlers that decode a request, call one domain service and answer JSON or a problem. The HTTP plumbing it shares
// with the web app (problems, strict decoding, rate-limit budgets, middleware, the mux) is package httpx; Register
// adds the API to the bank's one mux.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/vop"
)

// MaxBody is the largest JSON request body the API reads.
const MaxBody = 16 << 10

// Server is the JSON API of the mobile app and of integrations. It is thin: it parses, authenticates and calls
// the domain services, which own every rule.
type Server struct {
	*httpx.Responder
	DB        *db.DB
	Clock     clock.Clock
	Auth      *auth.Service
	Customers *customer.Service
	Ledger    *ledger.Ledger
	Transfers *transfer.Service
	Payments  *payment.Service // payments to other banks, under /api/v1/transfers too
	// Bulk reads the bulk payment files business customers upload (pain.001) and answers their pain.002.
	Bulk *bulk.Service
	// Beneficiaries keeps the customers' address books of beneficiaries (T1).
	Beneficiaries *beneficiary.Service
	// SCA keeps the trusted beneficiaries (the transfers' confirmations go through Transfers).
	SCA *sca.Service
	// Registration registers existing customers for digital banking (R1).
	Registration *registration.Service
	Bank         customer.Bank
	// Terms records acceptances of the Terms & Conditions (P1).
	Terms *terms.Service
	// MinAppVersion, if set, is the oldest mobile app version served (P2), as device.ParseAppVersions reads it: one
	// for every platform ("2.3.0") or one per platform ("ios=2.3.0,android=2.1.0"); an older app gets 426.
	MinAppVersion string
	// Devices keeps the customers' devices (A2–A7); nil leaves the device routes out.
	Devices *device.Service
	// Recovery recovers forgotten passwords (A8–A10) and checks the card of a password change (A12).
	Recovery *recovery.Service
	// Inbox is the sandbox SMS/email inbox, served at /dev/inbox only in demo mode (nil otherwise): as JSON to
	// clients that do not ask for HTML (the web app serves the page).
	Inbox *outbox.Sandbox

	// Budgets are the rate-limit budgets, shared with the web app; nil gives the API budgets of its own.
	Budgets *httpx.Budgets
	// Audit is the audit log, read for the customer's own activity.
	Audit *audit.Log
	// VoP checks payees' names before a payment (Verification of Payee), and answers other banks' checks about
	// this bank's IBANs (interbank.go).
	VoP *vop.Service
	// Banks is the directory of banks, which authenticates another bank by its VoP credential (interbank.go).
	Banks *bankdir.Service
	// FX is the bank's exchange rates and calculator, public, and the customers' conversions between their own
	// accounts (fx.go).
	FX *fx.Service
	// Cards are the customers' cards and their controls (cards.go).
	Cards *card.Service
	// Issuing lists a card's transactions (F19); CardNetwork, in demo mode with the sandbox only, is the card
	// network sandbox behind /dev/card-network (cardtransactions.go).
	Issuing     *issuing.Service
	CardNetwork *cardnetwork.Sandbox
	// Credit is the customers' credit cards: statements, payments, cash advances, limits, instalments
	// (creditcards.go).
	Credit *creditcard.Service
	// ThreeDS is the 3-D Secure approvals of online card purchases (approvals.go).
	ThreeDS *threeds.Service

	appVersions device.AppVersions // MinAppVersion, read
}

// Route is one entry of the route table, with its whole policy: who may call it, the rate-limit budget it
// spends and its body limit (httpx.Policy). The OpenAPI test reads the same table.
type Route struct {
	Method, Path string
	httpx.Policy
	Handler func(w http.ResponseWriter, r *http.Request)
}

// limited is p spending budget.
func limited(p httpx.Policy, budget httpx.Purpose) httpx.Policy {
	p.Limit = budget
	return p
}

// Routes is the API's route table.
func (s *Server) Routes() []Route {
	public, session, full := httpx.Policy{Access: httpx.Public}, httpx.Policy{Access: httpx.Session},
		httpx.Policy{Access: httpx.Full}
	routes := []Route{
		{"POST", "/api/v1/auth/login", limited(public, httpx.Login), s.login},
		{"POST", "/api/v1/auth/login/otp", limited(public, httpx.LoginCode), s.loginOTP},
		{"POST", "/api/v1/auth/logout", session, s.logout},
		{"POST", "/api/v1/auth/login/partial", limited(public, httpx.Login), s.loginPartial},
		{"POST", "/api/v1/auth/forget-me", httpx.Policy{Access: httpx.Session, Personal: true}, s.forgetMe},
		{"GET", "/api/v1/sessions", session, s.listSessions},
		{"POST", "/api/v1/sessions/end-others", session, s.endOtherSessions},
		{"DELETE", "/api/v1/sessions/{id}", session, s.endSession},
		{"GET", "/api/v1/terms", session, s.getTerms},
		{"POST", "/api/v1/terms/accept", session, s.acceptTerms},
		{"POST", "/api/v1/registrations", limited(public, httpx.Registration), s.startRegistration},
		{"POST", "/api/v1/registrations/{id}/complete", limited(public, httpx.Registration), s.completeRegistration},
		{"POST", "/api/v1/password-recovery", limited(public, httpx.Recovery), s.startRecovery},
		{"POST", "/api/v1/password-recovery/{id}/complete", limited(public, httpx.Recovery), s.completeRecovery},
		{"GET", "/api/v1/me", session, s.me},
		{"GET", "/api/v1/me/activity", full, s.activity},
		// A partial (password-only, SmartPay) session may not change the password; one that must change it may.
		{"POST", "/api/v1/me/password", limited(httpx.Policy{Access: httpx.Assured}, httpx.PasswordChange),
			s.changePassword},
		{"GET", "/api/v1/accounts", full, s.listAccounts},
		{"GET", "/api/v1/accounts/{id}", full, s.getAccount},
		{"PATCH", "/api/v1/accounts/{id}", full, s.updateAccount},
		{"GET", "/api/v1/accounts/{id}/transactions", full, s.history},
		{"GET", "/api/v1/accounts/{id}/transactions/{line}", full, s.transaction},
		{"GET", "/api/v1/accounts/{id}/statement", full, s.statement},
		{"GET", "/api/v1/accounts/{id}/camt053", full, s.camt053},
		{"GET", "/api/v1/accounts/{id}/camt054", full, s.camt054},
		{"GET", "/api/v1/payees", limited(full, httpx.PayeeCheck), s.findPayee},
		// Verification of Payee counts its own allowance per customer in the database (vop.Service.Check).
		{"POST", "/api/v1/payees/verify", full, s.verifyPayee},
		{"POST", "/api/v1/transfers", limited(full, httpx.PaymentCode), s.createTransfer},
		{"GET", "/api/v1/transfers/{id}", full, s.getTransfer},
		{"GET", "/api/v1/payments", full, s.paymentsList},
		{"GET", "/api/v1/transfers/{id}/receipt", full, s.transferReceipt},
		{"POST", "/api/v1/transfers/{id}/confirm", limited(full, httpx.PaymentConfirmation), s.confirmTransfer},
		{"POST", "/api/v1/transfers/{id}/challenge", limited(full, httpx.PaymentConfirmation), s.transferChallenge},
		{"GET", "/api/v1/beneficiaries", full, s.listBeneficiaries},
		{"POST", "/api/v1/beneficiaries", full, s.addBeneficiary},
		{"GET", "/api/v1/beneficiaries/{id}", full, s.getBeneficiary},
		{"PATCH", "/api/v1/beneficiaries/{id}", full, s.updateBeneficiary},
		{"DELETE", "/api/v1/beneficiaries/{id}", full, s.deleteBeneficiary},
		{"GET", "/api/v1/beneficiaries/trusted", full, s.trustedBeneficiaries},
		{"DELETE", "/api/v1/beneficiaries/trusted/{iban}", full, s.untrustBeneficiary},
		{"GET", "/api/v1/openapi.json", public, s.openAPI},
		{"GET", "/healthz", public, s.healthz},
		{"GET", "/readyz", public, s.readyz},
	}
	routes = append(routes, s.bulkRoutes(full)...)
	routes = append(routes, s.interbankRoutes()...)
	routes = append(routes, s.fxRoutes()...)
	routes = append(routes, s.fxRequestRoutes(full)...)
	routes = append(routes, s.cardRoutes(full)...)
	routes = append(routes, s.cardTransactionRoutes()...)
	routes = append(routes, s.creditCardRoutes(full)...)
	routes = append(routes, s.approvalRoutes(full)...)
	if s.Devices != nil {
		routes = append(routes, s.deviceRoutes()...)
	}
	if s.Inbox != nil {
		routes = append(routes, Route{"GET", "/dev/inbox", public, s.devInbox})
	}
	return routes
}

// Register adds the API's routes to mux, each wrapped in the middleware its policy names. The JSON of /dev/inbox
// answers clients that do not ask for HTML. (Metrics are served on an address of their own: see serve.)
func Register(mux *httpx.Mux, s *Server) error {
	var err error
	if s.appVersions, err = device.ParseAppVersions(s.MinAppVersion); err != nil {
		return fmt.Errorf("minimum app version: %w", err)
	}
	if s.Budgets == nil {
		s.Budgets = httpx.NewBudgets(nil)
	}
	face := httpx.Face{
		Budgets: s.Budgets,
		MaxBody: MaxBody,
		Authenticate: func(a httpx.Access, h http.Handler) (http.Handler, error) {
			return s.authenticate(h, a), nil
		},
		AuthenticateBank: s.authenticateBank,
		Personal:         s.personal,
		Customer:         func(r *http.Request) string { return sessionOf(r).CustomerID },
		Refuse:           s.Error,
	}
	for _, rt := range s.Routes() {
		h, err := face.Wrap(rt.Policy, http.HandlerFunc(rt.Handler))
		if err != nil {
			return fmt.Errorf("api: %s %s: %w", rt.Method, rt.Path, err)
		}
		mux.Handle(rt.Method+" "+rt.Path, s.requireAppVersion(h))
	}
	return nil
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

// authenticate admits requests with a live bearer session that may reach a route of access a (auth.Admit, the
// session gate the web app shares): a session route takes any, even one that must change its password or accept
// the terms first, since those routes are how it does so; an assured route (the password change) takes a full
// one, also with those pending; a full route takes only a full one with nothing pending.
func (s *Server) authenticate(next http.Handler, a httpx.Access) http.Handler {
	need := needOf(a)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara"`)
			s.Error(w, r, auth.ErrUnauthenticated)
			return
		}
		sess, err := s.Auth.Admit(r.Context(), strings.TrimSpace(token), need)
		if err != nil {
			if kumbara.KindOf(err) == kumbara.KindUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="kumbara", error="invalid_token"`)
			}
			s.Error(w, r, err)
			return
		}
		ctx := context.WithValue(auth.WithSession(r.Context(), sess), sessionKey{}, authed{Session: sess, token: token})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// needOf is what the session gate needs of a session for a route of access a.
func needOf(a httpx.Access) auth.Need {
	switch a {
	case httpx.Session:
		return auth.Need{Partial: true, PasswordChange: true, TermsPending: true}
	case httpx.Assured:
		return auth.Need{PasswordChange: true, TermsPending: true}
	default:
		return auth.Need{}
	}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	s.JSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ready(ctx); err != nil {
		s.Log().Warn("not ready", slog.String("error", err.Error()))
		s.Error(w, r, kumbara.ErrUnavailable)
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
