package auth_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/terms"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// The passwords tests use; each satisfies the bank's policy for the customers person and business create.
const (
	pw1 = "Kumbara2026"
	pw2 = "Lule-Shqipe7"
	pw3 = "Deti.Jon48"
)

// fixture is authentication wired as main wires it, on a fresh database with a fake clock, plus a dispatcher
// that delivers the outbox into the sandbox inbox, which stands for the customers' phones.
type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	auth  *auth.Service
	disp  *outbox.Dispatcher
	inbox *outbox.Sandbox
	sent  atomic.Int64 // kicks of auth.Service.Outbox
	n     atomic.Int64 // numbers customers
}

func newFixture(t testing.TB, d *db.DB, cfg auth.Config) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0)}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	f.auth = &auth.Service{Texts: i18n.MustNew(), DB: d, Clock: f.clk, Customers: f.cs, Hasher: password.ForTests, Config: cfg,
		Key: []byte("0123456789abcdef0123456789abcdef"), Outbox: kickCounter{&f.sent}, Terms: &terms.Service{DB: d}}
	f.inbox = &outbox.Sandbox{DB: d, Clock: f.clk}
	f.disp = &outbox.Dispatcher{DB: d, Sender: f.inbox, Clock: f.clk}
	return f
}

// kickCounter counts the outbox kicks.
type kickCounter struct{ n *atomic.Int64 }

func (k kickCounter) Kick() { k.n.Add(1) }

// person creates an individual with a password set now.
func (f *fixture) person(t testing.TB, first, last string) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	birth := time.Date(1975, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*41)
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(birth, n%2 == 1, n%1000).String(),
		FirstName:  first, LastName: last, Mobile: fmt.Sprintf("+35568%07d", n),
	})
	if err != nil {
		t.Fatalf("create customer: %v", err)
	}
	f.setPassword(t, c.ID, pw1, false)
	return c
}

// business creates a business customer with a password set now.
func (f *fixture) business(t testing.TB, name string) customer.Customer {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateBusiness(f.ctx, customer.NewBusiness{NIPT: kyc.NewNIPT('L', 10000000+n).String(),
		CompanyName: name, Mobile: fmt.Sprintf("+35568%07d", n)})
	if err != nil {
		t.Fatalf("create business: %v", err)
	}
	f.setPassword(t, c.ID, pw1, false)
	return c
}

func (f *fixture) setPassword(t testing.TB, customerID, pw string, mustChange bool) {
	t.Helper()
	if err := f.auth.SetPassword(f.ctx, customerID, pw, mustChange); err != nil {
		t.Fatalf("SetPassword(%q): %v", pw, err)
	}
}

// codePattern finds the one-time code in the SMS.
var codePattern = regexp.MustCompile(`\b(\d{6})\b`)

// deliver runs the dispatcher once, requires it to send exactly want messages, and returns the one-time code of
// the newest SMS on the phone.
func (f *fixture) deliver(t testing.TB, mobile string, want int) string {
	t.Helper()
	sent, err := f.disp.RunOnce(f.ctx)
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	if sent != want {
		t.Fatalf("dispatcher sent %d messages, want %d", sent, want)
	}
	msgs, err := f.inbox.InboxFor(f.ctx, mobile, 1)
	if err != nil {
		t.Fatalf("inbox: %v", err)
	}
	if len(msgs) == 0 {
		t.Fatalf("no SMS reached %s", mobile)
	}
	m := codePattern.FindStringSubmatch(msgs[0].Body)
	if m == nil {
		t.Fatalf("no code in SMS %q", msgs[0].Body)
	}
	return m[1]
}

// login logs in with the password, then the code the SMS brought, and returns the session's token.
// Messages already waiting (password-change alerts) are delivered first. A business logs in with its NIPT.
func (f *fixture) login(t testing.TB, c customer.Customer, pw string) (string, auth.Session) {
	t.Helper()
	f.flush(t)
	ch, err := f.auth.LoginBusiness(f.ctx, c.ClientNumber, c.NIPT, pw)
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	token, sess, err := f.auth.VerifyOTP(f.ctx, ch.ID, f.deliver(t, c.Mobile, 1))
	if err != nil {
		t.Fatalf("VerifyOTP: %v", err)
	}
	return token, sess
}

// flush delivers whatever the outbox holds.
func (f *fixture) flush(t testing.TB) {
	t.Helper()
	if _, err := f.disp.RunOnce(f.ctx); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
}

func (f *fixture) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// otherCode returns a six-digit code that is not code.
func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// wantCode fails unless err is a domain error of kind whose code, or one of whose fields' codes, is code.
func wantCode(t testing.TB, err error, kind kumbara.Kind, code string) {
	t.Helper()
	e, ok := kumbara.As(err)
	if !ok {
		t.Fatalf("error = %v, want domain error %s", err, code)
	}
	if e.Kind != kind {
		t.Fatalf("error %v has kind %d, want %d", err, e.Kind, kind)
	}
	if e.Code == code || slices.ContainsFunc(e.Fields, func(fe kumbara.FieldError) bool { return fe.Code == code }) {
		return
	}
	t.Fatalf("error = %v (fields %+v), want code %s", err, e.Fields, code)
}
