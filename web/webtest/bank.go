// Package webtest is the internet branch's test support, shared by the tests of package web and of every area
// (web/finances, web/access…): a demo bank served over HTTP on a fake clock (NewBank), one headless Chromium per
// test package (Chromium, started by the first test that asks for a tab and stopped in TestMain), and helpers that
// drive pages and forms. It is imported only by tests.
package webtest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/channels/pages"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/kumbara/kumbara/vop/vopsandbox"
	"github.com/kumbara/kumbara/web"
	"github.com/kumbara/kumbara/web/backoffice"
)

// Bank is a demo bank served over HTTP for a browser, built as `kumbara serve --demo` builds it, on a fake clock.
type Bank struct {
	URL       string
	LocalURL  string // the same server at localhost, for passkeys
	Passkeys  *passkey.Service
	Handler   http.Handler
	Clock     *clock.Fake
	DB        *db.DB
	Ledger    *ledger.Ledger
	Customers *customer.Service
	Auth      *auth.Service
	Transfers *transfer.Service
	Catalogue *i18n.Catalogue
	Dispatch  *outbox.Dispatcher
	Inbox     *outbox.Sandbox
	Devices   *device.Service
	Cards     *card.Service
	Codes     *uniquecode.Service
	Terms     *terms.Service
	// Pages is the web app the bank serves, for a test that walks its route table.
	Pages *web.Server
	// Staff are the bank's staff, the demo's members among them (demo.Staff); BackOffice is the back office the
	// bank serves, for a test that walks its route table; EOD closes the bank's business days.
	Staff      *staff.Service
	BackOffice *backoffice.Server
	EOD        *eod.Service
	// Operations are what staff do, and Approvals their requests waiting for a second member (the demo's
	// overdraft among them).
	Operations *operation.Service
	Approvals  *approval.Service
	// Payments are the payments to other banks, through the clearing-house sandbox (ClearingHouse, whose Work
	// answers what it took); VoPSandbox holds the names on other banks' accounts for the name check; Beneficiaries
	// are the customers' address books (the demo saves none here: a test adds what it needs).
	Payments      *payment.Service
	ClearingHouse *clearinghouse.Sandbox
	VoPSandbox    *vopsandbox.Sandbox
	Beneficiaries *beneficiary.Service
	// Issuing is the issuer host of card payments, and CardNetwork the card network sandbox its terminals use.
	Issuing     *issuing.Service
	CardNetwork *cardnetwork.Sandbox
	// ThreeDS is the 3-D Secure approvals of online card purchases.
	ThreeDS *threeds.Service
	// Credit is the credit cards (the demo's first customer has one).
	Credit *creditcard.Service
}

// Faces are what a test bank serves on the bank's services: the handler, and the internet branch's and the back
// office's servers.
type Faces struct {
	Handler    http.Handler
	Web        *web.Server
	BackOffice *backoffice.Server
}

// NewBank serves a freshly seeded demo bank (SQLite) for one test: the internet branch and the back office
// (channels/pages), without the API, which no web test needs and none links.
func NewBank(t testing.TB) *Bank {
	t.Helper()
	return NewBankOn(t, db.SQLite)
}

// NewBankOn is NewBank on engine e: a PostgreSQL bank is a throw-away database of the server KUMBARA_TEST_POSTGRES
// names (skipped without one, failed in CI), as package dbtest gives the storage tests.
func NewBankOn(t testing.TB, e db.Engine) *Bank {
	t.Helper()
	return newBank(t, e, servePages)
}

// EachBank runs fn as a subtest once per engine, each on a freshly seeded demo bank of its own (NewBankOn), for a
// page test whose pages read and write what the engines store.
func EachBank(t *testing.T, fn func(t *testing.T, b *Bank)) {
	t.Helper()
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(e.String(), func(t *testing.T) { fn(t, NewBankOn(t, e)) })
	}
}

// servePages are the internet branch and the back office, without the API.
func servePages(b *app.Bank) (Faces, error) {
	p, err := pages.New(b, pages.Options{Demo: true})
	if err != nil {
		return Faces{}, err
	}
	return Faces{Handler: p.Handler, Web: p.Web, BackOffice: p.BackOffice}, nil
}

// NewBankServing serves a freshly seeded demo bank (SQLite) for one test with the faces serve builds on it: the
// tests of package channels serve the API beside the pages, for what crosses from one face to another.
func NewBankServing(t testing.TB, serve func(*app.Bank) (Faces, error)) *Bank {
	t.Helper()
	return newBank(t, db.SQLite, serve)
}

func newBank(t testing.TB, e db.Engine, serve func(*app.Bank) (Faces, error)) *Bank {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t, e)
	clk := clock.NewFake(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))
	// Passkeys need a host name (WebAuthn refuses IP addresses): passkey tests browse localURL, on the port the
	// server listens on, so the listener comes first.
	hs := httptest.NewUnstartedServer(nil)
	localURL := "http://" + net.JoinHostPort("localhost", strconv.Itoa(hs.Listener.Addr().(*net.TCPAddr).Port))
	// The browser reads codes from the demo inbox, so messages are delivered as soon as they are queued.
	s, err := app.New(ctx, app.Config{DB: d, Clock: clk, Secret: []byte("0123456789abcdef0123456789abcdef"),
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}, CardBIN: "400000",
		Hasher: password.ForTests, Passkeys: &passkey.Config{RPID: "localhost", Origins: []string{localURL}},
		DeliverAtOnce: true, PaymentSandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := demo.Seed(ctx, demo.Deps{Customers: s.Customers, Auth: s.Auth, Ledger: s.Ledger, Terms: s.Terms,
		Staff: s.Staff, Operations: s.Operations, Directory: s.Directory, Credit: s.Credit}); err != nil {
		t.Fatal(err)
	}
	faces, err := serve(s)
	if err != nil {
		t.Fatal(err)
	}
	h, site := faces.Handler, faces.Web
	hs.Config.Handler = h
	hs.Start()
	t.Cleanup(hs.Close)
	return &Bank{URL: hs.URL, LocalURL: localURL, Passkeys: s.Passkeys, Handler: h, Clock: clk, DB: d, Ledger: s.Ledger,
		Customers: s.Customers, Auth: s.Auth, Transfers: s.Transfers, Catalogue: s.Catalogue, Dispatch: s.Dispatcher,
		Inbox: s.Sandbox, Devices: s.Devices, Cards: s.Cards, Codes: s.Codes, Terms: s.Terms, Pages: site,
		Staff: s.Staff, BackOffice: faces.BackOffice, EOD: s.EOD, Operations: s.Operations, Approvals: s.Approvals,
		Payments: s.Payments, ClearingHouse: s.ClearingHouse, VoPSandbox: s.VoPSandbox, Beneficiaries: s.Beneficiaries,
		Issuing: s.Issuing, CardNetwork: s.CardNetwork, ThreeDS: s.ThreeDS, Credit: s.Credit}
}

// Message is a catalogue text in Albanian, the pages' default language.
func (b *Bank) Message(code string) string { return b.Catalogue.Message(i18n.SQ, code, nil) }

// Failures is the count of consecutive failed factors of a demo customer.
func (b *Bank) Failures(t *testing.T, client string) int {
	t.Helper()
	var n int
	if err := b.DB.QueryRow(context.Background(), `SELECT c.failed_attempts FROM credentials c
		JOIN customers u ON u.id = c.customer_id WHERE u.client_number = ?`, client).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
