package httpx

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Access is who may call a route. The zero value is no decision, which Wrap refuses: a new route must say.
type Access int

const (
	// Public routes need no session: the login steps, registration, recovery, documents, health.
	Public Access = iota + 1
	// Session routes take any live session, also one whose password must change or whose terms wait for
	// acceptance: logging out, the terms.
	Session
	// Assured routes take a full (two-factor) session, also one whose password must change or whose terms wait
	// for acceptance, but not a partial (password-only) one: the password change itself.
	Assured
	// Full routes need a full session with nothing pending: everything else a customer does.
	Full
	// Bank routes are another bank's, never a customer's: they take the credential staff issued that bank (the
	// face's AuthenticateBank) and no session of any kind: the answers to other banks' name checks (Verification of
	// Payee).
	Bank
)

func (a Access) String() string {
	switch a {
	case Public:
		return "public"
	case Session:
		return "session"
	case Assured:
		return "assured"
	case Full:
		return "full"
	case Bank:
		return "bank"
	default:
		return fmt.Sprintf("Access(%d)", int(a))
	}
}

// Policy is everything a route table entry says about a route besides its pattern and handler; the middleware
// around the handler is composed from it (Face.Wrap), so a route's rules are read in one place.
type Policy struct {
	Access Access
	// Personal refuses a business's user acting for the business (A20): routes that add or use a factor of the
	// person (devices, passkeys, "forget me"), which would otherwise become a factor of the business nobody holds.
	Personal bool
	// Limit is the rate-limit budget each request spends; "" for none. Routes that check a secret or send a
	// message must have one (each face has a test that finds them independently of the table).
	Limit Purpose
	// MaxBody bounds the request body in bytes; 0 is the face's default.
	MaxBody int64
}

// Face is what one face of the bank (the API, the web app) brings to turn a Policy into middleware: its own way
// of admitting a session and of answering a refusal.
type Face struct {
	Budgets *Budgets
	// MaxBody is the body limit of a route that sets none.
	MaxBody int64
	// Authenticate admits a request with the access given (Session, Assured or Full) and puts its session in the
	// request.
	Authenticate func(Access, http.Handler) (http.Handler, error)
	// AuthenticateBank admits another bank's request by its credential and puts the bank in the request; nil for a
	// face that serves no bank, whose Bank routes are refused at registration.
	AuthenticateBank func(http.Handler) http.Handler
	// Personal refuses a business's user; it runs inside Authenticate.
	Personal func(http.Handler) http.Handler
	// Customer is the customer whose budget a per-customer limit spends; it runs inside Authenticate.
	Customer func(*http.Request) string
	// Refuse answers a request the rate limit refused.
	Refuse func(http.ResponseWriter, *http.Request, error)
}

// Wrap composes h's middleware from p, outermost first: the body limit, a per-address budget, authentication,
// the personal-only check, a per-customer budget. A per-address budget is spent before the session is looked up,
// so a flood costs no database work; a per-customer one needs the session.
func (f Face) Wrap(p Policy, h http.Handler) (http.Handler, error) {
	if p.Access < Public || p.Access > Bank {
		return nil, fmt.Errorf("no access policy (%v)", p.Access)
	}
	if p.Access == Bank && f.AuthenticateBank == nil {
		return nil, fmt.Errorf("a bank's route on a face that admits no bank")
	}
	var byAddress, byCustomer func(http.Handler) http.Handler
	if p.Limit != "" {
		b, ok := f.Budgets.Budget(p.Limit)
		switch {
		case !ok:
			return nil, fmt.Errorf("unknown budget %q", p.Limit)
		case b.CountedBy != "":
			// Counted by the domain in the database, where the request's own transaction sees it.
		case b.PerCustomer && (p.Access == Public || p.Access == Bank):
			return nil, fmt.Errorf("budget %q is per customer, and a %v route has none", p.Limit, p.Access)
		case b.PerCustomer:
			byCustomer = Limit(f.Budgets.limiter(p.Limit), f.Customer, f.Refuse)
		default:
			byAddress = Limit(f.Budgets.limiter(p.Limit), ClientKey, f.Refuse)
		}
	}
	if byCustomer != nil {
		h = byCustomer(h)
	}
	if p.Personal {
		if p.Access == Public || p.Access == Bank {
			return nil, fmt.Errorf("a %v route cannot be personal-only: it has no session", p.Access)
		}
		h = f.Personal(h)
	}
	switch p.Access {
	case Public:
	case Bank:
		h = f.AuthenticateBank(h)
	default:
		var err error
		if h, err = f.Authenticate(p.Access, h); err != nil {
			return nil, err
		}
	}
	if byAddress != nil {
		h = byAddress(h)
	}
	maxBody := p.MaxBody
	if maxBody <= 0 {
		maxBody = f.MaxBody
	}
	return LimitBody(maxBody)(h), nil
}

type bodyLimitKey struct{}

// LimitBody stops reading a request body after n bytes (DefaultMaxBodyBytes if n ≤ 0); DecodeJSON and form
// parsing then fail with body_too_large.
func LimitBody(n int64) func(http.Handler) http.Handler {
	if n <= 0 {
		n = DefaultMaxBodyBytes
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), bodyLimitKey{}, n)))
		})
	}
}

// bodyLimit is the limit LimitBody set for r, or DefaultMaxBodyBytes.
func bodyLimit(r *http.Request) int64 {
	if n, ok := r.Context().Value(bodyLimitKey{}).(int64); ok {
		return n
	}
	return DefaultMaxBodyBytes
}

// Purpose names a rate-limit budget. A budget is one bucket per client (address or customer) shared by every
// route, of every face, that spends it: a login over the API and one on the web take from the same bucket, so a
// second face never doubles what an attacker may try.
type Purpose string

// The budgets. Per client address unless said otherwise: a burst big enough for an office behind one NAT
// address, then one a second.
const (
	// Login is a login's password step (and a passkey's, biometrics' own budget is DeviceFactor).
	Login Purpose = "login"
	// LoginCode is a login's code step (SMS code or Soft PIN) and sending the code again.
	LoginCode Purpose = "login_code"
	// Registration is both steps of registering (R1, R2): they guess at the same secrets (PINs, unique codes,
	// SMS codes).
	Registration Purpose = "registration"
	// Recovery is both steps of recovering a forgotten password (A8–A10), for the same reason.
	Recovery Purpose = "recovery"
	// PaymentConfirmation is confirming a payment (SMS code, device signature, Soft PIN, passkey) and sending its
	// code again: each challenge allows 5 tries and the channel 5 failures, and this bounds the pace on top.
	PaymentConfirmation Purpose = "payment_confirmation"
	// DeviceFactor is every step that checks a device's signature, a Soft PIN or a passkey, or the password typed
	// again to trust a device or add a passkey.
	DeviceFactor Purpose = "device_factor"
	// PasswordChange is changing the password with the old one (and the card's last digits and PIN, A12).
	PasswordChange Purpose = "password_change"
	// PayeeCheck is the payee check (T3), per customer: it tells whether someone banks here. It is counted by the
	// domain: transfer.Service.FindPayee, in the database, so it holds across instances and restarts.
	PayeeCheck Purpose = "payee_check"
	// PaymentCode is making a payment whose confirmation code goes out by SMS. It is counted by the domain:
	// sca.Config.ChallengesPerHour codes per customer an hour, under the customer's row lock.
	PaymentCode Purpose = "payment_code"
	// StatementEmail is sending a statement by email, counted in the outbox: a few an hour per address, checked in
	// the transaction that queues the email.
	StatementEmail Purpose = "statement_email"
	// SessionExtend is a page telling the server that someone is at work in it ("stay signed in", WCAG 2.2.1), per
	// customer: a page sends at most one a minute while there is activity, so a few at once and then one every ten
	// seconds leave room for several tabs and bound what anything else may send.
	SessionExtend Purpose = "session_extend"
	// BankNameCheck is another bank's name check (Verification of Payee), per requesting bank (all branches of one
	// BIC together). It is counted by the domain: vop.Service.Answer, in the database (vop_allowances), so it holds
	// across instances and restarts.
	BankNameCheck Purpose = "bank_name_check"
	// StaffLogin is the back office's login steps (a member's password, then their TOTP code) and a member's
	// password change, per address: the staff's own lockout counts per member, this bounds the pace of guessing
	// across members. Apart from the customers' login budgets, so neither side spends the other's.
	StaffLogin Purpose = "staff_login"
	// PublicRead is reading what the bank publishes to anyone, before login (the exchange rates, P7), per address:
	// cheap to answer but a database read, so a page refreshing often stays well within it and a scraper does not
	// take the database's time from customers.
	PublicRead Purpose = "public_read"
	// TerminalPIN is a PIN typed at a card terminal (the card network sandbox's authorisations, demo only). It is
	// counted by the domain: the card's own tries (card.Service.CheckTerminalPIN, three wrong PINs block it), which
	// bound the guesses whatever the pace; a terminal's pace is the network's to bound.
	TerminalPIN Purpose = "terminal_pin"
)

// Budget is how much of a Purpose a client may spend.
type Budget struct {
	// Burst requests at once, then one more per Every.
	Every time.Duration
	Burst int
	// PerCustomer counts per customer (the session's, so a business's users share the business's), not per
	// client address.
	PerCustomer bool
	// CountedBy, when set, says where the domain counts this budget in the database; nothing is counted here.
	CountedBy string
}

// budgets are the bank's budgets, in one place.
func budgets() map[Purpose]Budget {
	perAddress := Budget{Every: time.Second, Burst: 100}
	return map[Purpose]Budget{
		Login:               perAddress,
		LoginCode:           perAddress,
		Registration:        perAddress,
		Recovery:            perAddress,
		PaymentConfirmation: perAddress,
		DeviceFactor:        perAddress,
		PasswordChange:      perAddress,
		PayeeCheck:          {CountedBy: "transfer (payee_checks: 20 at once, then one every 6 s per customer)"},
		PaymentCode:         {CountedBy: "sca (ChallengesPerHour)"},
		StatementEmail:      {CountedBy: "outbox (statements sent in the last hour)"},
		SessionExtend:       {Every: 10 * time.Second, Burst: 6, PerCustomer: true},
		StaffLogin:          perAddress,
		PublicRead:          perAddress,
		BankNameCheck:       {CountedBy: "vop (vop_allowances: 600 at once, then 20 a second per requesting bank)"},
		TerminalPIN:         {CountedBy: "card (pin_failures: three wrong PINs block the card's PIN)"},
	}
}

// Budgets holds one limiter per budget. Build it once per process and give the same one to every face.
type Budgets struct {
	specs    map[Purpose]Budget
	limiters map[Purpose]*Limiter
}

// NewBudgets makes the bank's budgets on the clock now (time.Now if nil). Each instance counts on its own, so
// behind a load balancer a budget holds per instance.
func NewBudgets(now func() time.Time) *Budgets {
	if now == nil {
		now = time.Now
	}
	b := &Budgets{specs: budgets(), limiters: map[Purpose]*Limiter{}}
	for p, spec := range b.specs {
		if spec.CountedBy != "" {
			continue
		}
		l := NewLimiter(spec.Every, spec.Burst, DefaultMaxKeys)
		l.Now = now
		b.limiters[p] = l
	}
	return b
}

// Budget is the budget of p, and whether there is one.
func (b *Budgets) Budget(p Purpose) (Budget, bool) {
	spec, ok := b.specs[p]
	return spec, ok
}

func (b *Budgets) limiter(p Purpose) *Limiter { return b.limiters[p] }
