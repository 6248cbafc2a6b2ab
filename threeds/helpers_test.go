package threeds_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/passkey/passkeytest"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/threeds"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

const (
	pw     = "Kumbara2026"
	rpID   = "localhost"
	origin = "http://localhost:8080"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// phone stands for a customer's trusted device: it signs with a key of its own (an HMAC here; the ECDSA and OCRA
// checks themselves are package device's tests), so a signature or Soft PIN response made for one message does
// not verify for another.
type phone struct{ key []byte }

func (p phone) sign(msg []byte) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write(msg)
	return m.Sum(nil)
}

// softPIN is the device's 8-digit answer to an OCRA question.
func (p phone) softPIN(question string) string {
	return fmt.Sprintf("%08d", int(p.sign([]byte(question))[0])<<16|int(p.sign([]byte(question))[1]))
}

func (p phone) VerifySignature(_ context.Context, _, deviceID string, msg, sig []byte) error {
	if deviceID != "d1" {
		return device.ErrNotFound
	}
	if !hmac.Equal(sig, p.sign(msg)) {
		return device.ErrSignatureInvalid
	}
	return nil
}

func (p phone) VerifySoftPINResponse(_ context.Context, _, deviceID, question, response string) error {
	if deviceID != "d1" {
		return device.ErrNotFound
	}
	if response != p.softPIN(question) {
		return device.ErrSoftPINInvalid
	}
	return nil
}

// told records what the network is told.
type told struct {
	mu   sync.Mutex
	news map[string]threeds.Status
}

func (t *told) Decided(_ context.Context, ref string, st threeds.Status) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.news[ref] = st
}

func (t *told) of(ref string) threeds.Status {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.news[ref]
}

type fixture struct {
	ctx   context.Context
	d     *db.DB
	clk   *clock.Fake
	cs    *customer.Service
	auth  *auth.Service
	pk    *passkey.Service
	cards *card.Service
	sca   *sca.Service
	svc   *threeds.Service
	phone phone
	told  *told
	n     atomic.Int64
}

// holder is a customer with a full session and an active debit card.
type holder struct {
	customer.Customer
	sess auth.Session
	card card.Card
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0), phone: phone{key: []byte("device key")},
		told: &told{news: map[string]threeds.Status{}}}
	f.cs = &customer.Service{DB: d, Clock: f.clk,
		Bank: customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"}}
	texts := i18n.MustNew()
	f.auth = &auth.Service{Texts: texts, DB: d, Clock: f.clk, Customers: f.cs, Hasher: password.ForTests,
		Config: auth.DefaultConfig(), Key: key}
	pk, err := passkey.New(d, f.clk, f.auth, f.cs, key, passkey.Config{RPID: rpID, Origins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	f.pk = pk
	f.cards = &card.Service{DB: d, Clock: f.clk, Keys: card.DeriveKeys(key), BIN: "400000"}
	f.sca = &sca.Service{Texts: texts, DB: d, Clock: f.clk, Config: sca.DefaultConfig(), Key: sca.DeriveKey(key),
		Failures: f.auth, Devices: f.phone, Passkeys: f.pk}
	f.svc = &threeds.Service{DB: d, Clock: f.clk, Cards: f.cards, Customers: f.cs, SCA: f.sca, Notifier: f.told,
		Key: threeds.DeriveKey(key)}
	return f
}

func (f *fixture) holder(t testing.TB) holder {
	t.Helper()
	n := int(f.n.Add(1))
	c, err := f.cs.CreateIndividual(f.ctx, customer.NewIndividual{
		NationalID: kyc.NewNationalID(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37), n%2 == 0, n).String(),
		FirstName:  "Arta", LastName: fmt.Sprintf("Kola%c", 'a'+n), Mobile: fmt.Sprintf("+35569%07d", n)})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.auth.SetPassword(f.ctx, c.ID, pw, false); err != nil {
		t.Fatal(err)
	}
	_, sess, err := f.auth.OpenSession(f.ctx, c.ID, auth.Full)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := f.cs.OpenAccount(f.ctx, c.ID, money.ALL, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	k, err := f.cards.Issue(f.ctx, card.IssueRequest{CustomerID: c.ID, AccountID: acc.ID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatal(err)
	}
	return holder{Customer: c, sess: sess, card: k}
}

// register adds a software passkey for the holder.
func (f *fixture) register(t testing.TB, h holder) *passkeytest.Authenticator {
	t.Helper()
	a := passkeytest.New(t, rpID, origin)
	opts, id, err := f.pk.BeginRegistration(f.ctx, h.sess, pw)
	if err != nil {
		t.Fatalf("begin registration: %v", err)
	}
	if _, err := f.pk.FinishRegistration(f.ctx, h.ID, id, "Laptopi", a.Create(t, opts)); err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	return a
}

var refs atomic.Int64

// ask asks h's card to approve a purchase of amount (minor units) in currency at merchant.
func (f *fixture) ask(t testing.TB, h holder, merchant string, amount int64, currency money.Currency) threeds.Approval {
	t.Helper()
	a, replayed, err := f.svc.Ask(f.ctx, threeds.Request{CardID: h.card.ID, NetworkRef: fmt.Sprintf("net-%d", refs.Add(1)),
		Merchant: merchant, Amount: money.New(amount, currency)})
	if err != nil || replayed {
		t.Fatalf("Ask: %v (replayed %v)", err, replayed)
	}
	if a.Status != threeds.Pending || a.Challenge == nil {
		t.Fatalf("approval %+v, want pending with a challenge", a)
	}
	return a
}

var codeInSMS = regexp.MustCompile(`(?:kodi|code) (\d{6})`)

// sms is the newest SMS sent to the customer.
func (f *fixture) sms(t testing.TB, c customer.Customer) string {
	t.Helper()
	var body string
	if err := f.d.QueryRow(f.ctx, "SELECT body FROM outbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
		c.Mobile).Scan(&body); err != nil {
		t.Fatalf("no SMS for %s: %v", c.Mobile, err)
	}
	return body
}

func (f *fixture) smsCount(t testing.TB, c customer.Customer) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, "SELECT COUNT(*) FROM outbox WHERE recipient = ?", c.Mobile).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// code is the approval code of the newest SMS sent to the customer.
func (f *fixture) code(t testing.TB, c customer.Customer) string {
	t.Helper()
	body := f.sms(t, c)
	m := codeInSMS.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code in %q", body)
	}
	return m[1]
}

// proof makes a proof of method for the approval's live challenge.
func (f *fixture) proof(t testing.TB, h holder, a threeds.Approval, method string, pass *passkeytest.Authenticator) sca.Proof {
	t.Helper()
	live, err := f.svc.Challenge(f.ctx, h.ID, a.ID, false)
	if err != nil {
		t.Fatalf("Challenge: %v", err)
	}
	c := live.Challenge
	switch method {
	case sca.MethodSMS:
		return sca.Proof{Method: method, Code: f.code(t, h.Customer)}
	case sca.MethodDevice:
		return sca.Proof{Method: method, DeviceID: "d1", Signature: f.phone.sign([]byte(c.Message))}
	case sca.MethodSoftPIN:
		return sca.Proof{Method: method, DeviceID: "d1", Response: f.phone.softPIN(c.Question)}
	case sca.MethodPasskey:
		opts, ceremony, err := f.pk.BeginConfirmation(f.ctx, h.ID, c.Digest[:])
		if err != nil {
			t.Fatal(err)
		}
		return sca.Proof{Method: method, CeremonyID: ceremony, Assertion: pass.Get(t, opts)}
	}
	t.Fatalf("no such method %q", method)
	return sca.Proof{}
}

func (f *fixture) status(t testing.TB, h holder, id string) threeds.Status {
	t.Helper()
	a, err := f.svc.Get(f.ctx, h.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Status
}

func (f *fixture) audits(t testing.TB, action string) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kumbara.CodeOf(err); got != code {
		t.Fatalf("error %v (code %q), want %q", err, got, code)
	}
}
