// Package backoffice is the bank's back office in the browser, at /backoffice/: the third face beside the API and
// the internet branch, built like the internet branch (server-rendered html/template pages in Albanian and
// English, the design system and static files of web/core, its security headers and its refusal of cross-origin
// posts) with a session of its own. Staff log in with their password and a TOTP code or a passkey (package staff),
// in a cookie scoped to /backoffice that the customers' pages never read, as the back office never reads theirs.
//
// Every route carries its whole policy (Route): the access and rate-limit budget of httpx.Policy, and the staff
// Permission it needs, which the middleware checks before the handler runs (a member without it gets the 403
// page, staff_permission_denied). Pages come in groups, one file each: the login, the password change and the
// language (login.go), the home page (home.go), customers (customers.go), staff management (staffpages.go), the
// failed jobs (jobs.go), the close of business (eod.go), the member's passkeys and the passkey login
// (passkeys.go), the audit search (audit.go), new customers (newcustomer.go), the operations on a customer
// (actions.go) and on an account (accounts.go), the four-eyes inbox (approvals.go), and the directory of banks
// (directory.go), the payment tariff (tariff.go), the exchange rates (fx.go), the bank's FX position
// (fxposition.go) and the customers' requests for a preferential rate (fxrequests.go), and the payments to and
// from other banks with their clearing messages and reconciliation (payments.go); each group's pages are
// templates of their own. A new group is one more file whose routes Routes lists.
//
// A page changes nothing itself: every staff action is an operation of package operation, the one entry point the
// command line uses too, which checks the member's permission again and holds what four-eyes says for a second
// member. A page offers an operation only to a member whose roles grant it, answers a done one with a redirect to
// the page it was asked on (post/redirect/get) saying so — or that it waits for approval, naming the request —, and
// shows a refusal on its form in the member's language.
package backoffice

import (
	"embed"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/web/core"
)

//go:embed templates/*.html
var templates embed.FS

// Prefix is where the back office lives; its session cookie is scoped to it.
const Prefix = "/backoffice"

// Deps are the bank's services and settings the back office uses.
type Deps struct {
	Staff     *staff.Service
	Customers *customer.Service
	Ledger    *ledger.Ledger
	Cards     *card.Service
	Devices   *device.Service
	Auth      *auth.Service // the customers' channel: its state and sessions, as staff see them
	Audit     *audit.Log
	Jobs      *jobs.Jobs
	EOD       *eod.Service
	// Operations is the one way a page changes anything about a customer, an account or a channel: it checks the
	// member's permission again and holds what four-eyes says for a second member.
	Operations *operation.Service
	Approvals  *approval.Service // the requests waiting for, or decided by, a second member
	Directory  *bankdir.Service  // the banks customers pay (directory.go)
	Tariff     *tariff.Service   // what a payment to another bank costs (tariff.go)
	FX         *fx.Service       // the bank's exchange rates (fx.go) and its FX position (fxposition.go)
	Catalogue  *i18n.Catalogue
	Clock      clock.Clock
	Logger     *slog.Logger
	// AuditActions are every action the audit log records (app.AuditActions), which the audit search offers.
	AuditActions []string
	// SecureCookies marks the session cookie Secure (the bank is served over TLS), as the internet branch does.
	SecureCookies bool
	// Budgets are the rate-limit budgets every face shares; nil gives the back office budgets of its own.
	Budgets *httpx.Budgets

	// Payments are the payments to and from other banks, their clearing messages and the reconciliation of the
	// clearing side's reports (payments.go).
	Payments *payment.Service
	// Issuing is the issuer's side of card payments: a card's authorisations and presentments and the disputes
	// (carddisputes.go); nil leaves those pages out.
	Issuing *issuing.Service
}

// Server is the back office: its services and what Register builds from them once.
type Server struct {
	Deps

	// site is the internet branch's core, for the pieces the back office uses as they are (static files' hashed
	// names, security headers, sending pages, the language); the back office never renders its pages.
	site  *core.Site
	pages pages
}

// Route is one page or step of the back office with its whole policy: who may call it (httpx.Policy's Access:
// Public for the login, Session for what a member must reach even before changing a password set by the bank,
// Full for everything else), the budget it spends and its body limit, and the staff Permission it needs. Every
// Full route needs a permission, and only those have one: Register refuses the table otherwise.
type Route struct {
	Method, Path string
	httpx.Policy
	Permission staff.Permission
	Handler    func(w http.ResponseWriter, r *http.Request)
}

// Public is the policy of a page anyone may open (the login), spending budget ("" for none).
func Public(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Public, Limit: budget}
}

// Signed is the policy of a page any member with a live session may open, also one whose password the bank set
// and who must change it first: the password change itself, the logout.
func Signed(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Session, Limit: budget}
}

// Staffed is the policy of a page for a member with a live session and their own password; the route names the
// permission it needs besides.
func Staffed(budget httpx.Purpose) httpx.Policy {
	return httpx.Policy{Access: httpx.Full, Limit: budget}
}

// build makes what the pages need once: the core's shared pieces and the parsed templates.
func (s *Server) build() error {
	if s.site != nil {
		return nil
	}
	site, err := core.New(core.Deps{Catalogue: s.Catalogue, Clock: s.Clock, Logger: s.Logger,
		SecureCookies: s.SecureCookies, Budgets: s.Budgets})
	if err != nil {
		return err
	}
	s.Budgets = site.Budgets
	p, err := parsePages(site.StaticURL)
	if err != nil {
		return err
	}
	s.site, s.pages = site, p
	return nil
}

// Routes is the back office's route table, every page group's part of it.
func (s *Server) Routes() ([]Route, error) {
	if err := s.build(); err != nil {
		return nil, err
	}
	var all []Route
	for _, group := range [][]Route{s.loginRoutes(), s.homeRoutes(), s.customerRoutes(), s.staffRoutes(),
		s.jobRoutes(), s.eodRoutes(), s.cardRoutes(), s.creditRoutes(),
		s.passkeyRoutes(),
		s.auditRoutes(),
		s.newCustomerRoutes(),
		s.actionRoutes(),
		s.accountRoutes(),
		s.approvalRoutes(),
		s.directoryRoutes(),
		s.tariffRoutes(),
		s.fxRoutes(),
		s.paymentRoutes(),
		s.fxPositionRoutes(),
		s.fxRequestRoutes(),
		s.cardDisputeRoutes(),
	} {
		all = append(all, group...)
	}
	return all, nil
}

// Register adds the back office's pages to mux, each with the middleware its policy calls for and the core's
// security headers, and the back office's own not-found page for addresses under it. The static files the pages
// name are the internet branch's (/static/), which web.Register puts on the same mux.
func Register(mux *httpx.Mux, s *Server) error {
	routes, err := s.Routes()
	if err != nil {
		return fmt.Errorf("backoffice: %w", err)
	}
	face := httpx.Face{
		Budgets:      s.Budgets,
		MaxBody:      core.MaxForm,
		Authenticate: s.authenticate,
		Customer:     func(r *http.Request) string { return MemberOf(r).ID },
		Refuse:       s.refuse,
	}
	for _, rt := range routes {
		if err := checkPermission(rt); err != nil {
			return fmt.Errorf("backoffice: %s %s: %w", rt.Method, rt.Path, err)
		}
		h := http.Handler(http.HandlerFunc(rt.Handler))
		if rt.Permission != "" {
			h = s.permitted(rt.Permission, h)
		}
		h, err := face.Wrap(rt.Policy, h)
		if err != nil {
			return fmt.Errorf("backoffice: %s %s: %w", rt.Method, rt.Path, err)
		}
		mux.HandlePage(rt.Method+" "+rt.Path, s.site.Protect(h, s.crossSite))
	}
	mux.HandlePage("GET "+Prefix+"/", s.site.Protect(http.HandlerFunc(s.notFound), s.crossSite))
	return nil
}

// checkPermission holds a route to the rule: a Full route names a known permission, and no other route names one.
func checkPermission(rt Route) error {
	switch {
	case rt.Access == httpx.Full && !rt.Permission.Known():
		return fmt.Errorf("a staff page needs a known permission, not %q", rt.Permission)
	case rt.Access != httpx.Full && rt.Permission != "":
		return fmt.Errorf("permission %s on a route that is not a staff page (%v)", rt.Permission, rt.Access)
	}
	return nil
}

// Log is the back office's logger; without one, nothing is logged.
func (s *Server) Log() *slog.Logger { return s.site.Log() }
