package app_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/transfer"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// config is a test bank's configuration on d.
func config(d *db.DB) app.Config {
	return app.Config{DB: d, Clock: clock.NewFake(t0), Secret: bytes.Repeat([]byte{0x5a}, 32),
		Bank:    customer.Bank{Name: "Banka Kumbara", Code: "999", Branch: "0001", BIC: "KUMBALT0XXX"},
		CardBIN: "400000", Hasher: password.ForTests}
}

func open(t *testing.T, cfg app.Config) *app.Bank {
	t.Helper()
	b, err := app.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(b.Close)
	return b
}

// person creates an individual with a password and an ALL account holding 1,000.00.
func person(t *testing.T, b *app.Bank, n int) (customer.Customer, ledger.Account) {
	t.Helper()
	ctx := context.Background()
	birth := time.Date(1985, 5, n, 0, 0, 0, 0, time.UTC)
	c, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{FirstName: "Arta", LastName: "Krasniqi",
		NationalID: kyc.NewNationalID(birth, true, n).String(), BirthDate: birth, Mobile: fmt.Sprintf("+35569%07d", n)})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(ctx, c.ID, "Fillim2026x", false); err != nil {
		t.Fatal(err)
	}
	a, err := b.Customers.OpenAccount(ctx, c.ID, money.ALL, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.CashDeposit(ctx, a.ID, money.New(100000, money.ALL), "test"); err != nil {
		t.Fatal(err)
	}
	return c, a
}

func cardRequest(c customer.Customer, a ledger.Account) card.IssueRequest {
	return card.IssueRequest{CustomerID: c.ID, AccountID: a.ID, Type: card.Visa, PIN: "4739"}
}

// TestEveryServiceIsBuiltAndOptionalPartsAreDecidedAtConstruction: New leaves no service for anyone to set later;
// the optional parts (ID documents, passkeys) are nil exactly when their configuration is absent, and the services
// that use them are given the same ones.
func TestEveryServiceIsBuiltAndOptionalPartsAreDecidedAtConstruction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		optional := map[string]bool{"IDDocs": true, "Passkeys": true, "ClearingHouse": true, "VoPSandbox": true,
			"CardNetwork": true}
		bare := open(t, config(d))
		v := reflect.ValueOf(bare).Elem()
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if nilField(v.Field(i)) != optional[f.Name] {
				t.Errorf("without optional parts, Bank.%s nil = %v", f.Name, nilField(v.Field(i)))
			}
		}
		if bare.SCA.Passkeys != nil || bare.Devices.IDDocs != nil || bare.Recovery.IDDocs != nil ||
			bare.Payments.Clearing != nil || bare.VoP.Other != nil {
			t.Error("a part left out is still offered to the services that use it")
		}

		cfg := config(d)
		cfg.CSCAs = []*x509.Certificate{iddoctest.NewIssuer(t).CSCA()}
		cfg.Passkeys = &passkey.Config{RPID: "localhost", Origins: []string{"http://localhost:8080"}}
		cfg.PaymentSandbox = true
		full := open(t, cfg)
		if full.ClearingHouse == nil || full.VoPSandbox == nil || full.Payments.Clearing != full.ClearingHouse ||
			full.VoP.Other != full.VoPSandbox {
			t.Error("the payment sandboxes are not built and given to the services that use them")
		}
		if full.IDDocs == nil || full.Passkeys == nil {
			t.Fatalf("configured parts missing: IDDocs %v, Passkeys %v", full.IDDocs, full.Passkeys)
		}
		if full.SCA.Passkeys != full.Passkeys || full.Devices.IDDocs != full.IDDocs || full.Recovery.IDDocs != full.IDDocs {
			t.Error("the services are not given the bank's optional parts")
		}
	})
}

func nilField(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return v.IsNil()
	}
	return false
}

// TestTheSecretIsConfiguredOrKeptByTheDemoOnly: without a secret New refuses to start (ErrNoSecret) unless asked to
// make one up (the demo), which it keeps in the database, so the next start derives the same keys; a short secret
// is a configuration error, and so is a relying party passkeys cannot use.
func TestTheSecretIsConfiguredOrKeptByTheDemoOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := config(d)
		cfg.Secret = nil
		if _, err := app.New(ctx, cfg); !errors.Is(err, app.ErrNoSecret) {
			t.Fatalf("no secret: %v, want ErrNoSecret", err)
		}
		cfg.MakeSecret = true
		first := open(t, cfg)
		c, a := person(t, first, 1)
		issued, err := first.Cards.Issue(ctx, cardRequest(c, a))
		if err != nil {
			t.Fatal(err)
		}
		cfg.MakeSecret = false
		again := open(t, cfg) // the kept secret: the card's number still decrypts
		if _, err := again.Cards.Reveal(ctx, issued.ID); err != nil {
			t.Errorf("Reveal with the kept secret: %v", err)
		}

		var bad *app.ConfigError
		cfg.Secret = []byte("too short")
		if _, err := app.New(ctx, cfg); !errors.As(err, &bad) || bad.Setting != "secret" {
			t.Errorf("short secret: %v, want a ConfigError for the secret", err)
		}
		cfg = config(d)
		cfg.Passkeys = &passkey.Config{RPID: "localhost"} // no origin
		if _, err := app.New(ctx, cfg); !errors.As(err, &bad) || bad.Setting != "passkeys" {
			t.Errorf("passkeys without an origin: %v, want a ConfigError for passkeys", err)
		}
	})
}

// observer records what the bank tells it.
type observer struct {
	mu       sync.Mutex
	postings int
	batches  int
	attempts []string
	heads    []audit.Head
}

func (o *observer) Posted(n int) { o.mu.Lock(); o.postings += n; o.mu.Unlock() }
func (o *observer) Batch(int, time.Duration) {
	o.mu.Lock()
	o.batches++
	o.mu.Unlock()
}
func (o *observer) JobFailed(string) {}
func (o *observer) Attempted(status string) {
	o.mu.Lock()
	o.attempts = append(o.attempts, status)
	o.mu.Unlock()
}
func (o *observer) AuditHead(h audit.Head) {
	o.mu.Lock()
	o.heads = append(o.heads, h)
	o.mu.Unlock()
}

// TestTheObserverIsToldOfPostingsAndTransfers: the metrics observer given at construction hears of the ledger's
// batches and postings and of every transfer's outcome, refusals included.
func TestTheObserverIsToldOfPostingsAndTransfers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		o := &observer{}
		cfg := config(d)
		cfg.Observer = o
		b := open(t, cfg)
		c, from := person(t, b, 1)
		_, to := person(t, b, 2)
		req := transfer.Request{Type: transfer.Internal, FromAccountID: from.ID, ToIBAN: to.IBAN, Amount: "10.00",
			Currency: "ALL", Description: "Qira"}
		if _, _, err := b.Transfers.Create(ctx, c.ID, "observed-1", req); err != nil {
			t.Fatal(err)
		}
		req.Amount = "2000.00" // beyond the balance, and of low value: no confirmation asked
		if _, _, err := b.Transfers.Create(ctx, c.ID, "observed-2", req); err == nil {
			t.Fatal("a transfer beyond the balance went through")
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.postings < 6 || o.batches < 3 {
			t.Errorf("observer heard of %d postings in %d batches, want two deposits and a transfer", o.postings, o.batches)
		}
		if len(o.attempts) != 2 || o.attempts[0] != transfer.Completed || o.attempts[1] != "insufficient_funds" {
			t.Errorf("transfer outcomes %v, want [completed insufficient_funds]", o.attempts)
		}
	})
}

// TestMessagesGoOutAtOnceOrWithTheBackgroundWork: with DeliverAtOnce a login's SMS is in the sandbox when Login
// returns; without it the message waits for Run, which the login kicks, and Run ends with its context.
func TestMessagesGoOutAtOnceOrWithTheBackgroundWork(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		cfg := config(d)
		cfg.DeliverAtOnce = true
		b := open(t, cfg)
		c, _ := person(t, b, 1)
		if _, err := b.Auth.Login(ctx, c.ClientNumber, "Fillim2026x"); err != nil {
			t.Fatal(err)
		}
		if msgs, err := b.Sandbox.InboxFor(ctx, c.Mobile, 10); err != nil || len(msgs) != 1 {
			t.Fatalf("delivered at once: %d messages, %v", len(msgs), err)
		}

		cfg.DeliverAtOnce = false
		b = open(t, cfg)
		if _, err := b.Auth.Login(ctx, c.ClientNumber, "Fillim2026x"); err != nil {
			t.Fatal(err)
		}
		if msgs, _ := b.Sandbox.InboxFor(ctx, c.Mobile, 10); len(msgs) != 1 {
			t.Fatalf("without Run: %d messages, want the first only", len(msgs))
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); b.Run(runCtx) }()
		deadline := time.Now().Add(10 * time.Second)
		for msgs, _ := b.Sandbox.InboxFor(ctx, c.Mobile, 10); len(msgs) != 2; msgs, _ = b.Sandbox.InboxFor(ctx, c.Mobile, 10) {
			if time.Now().After(deadline) {
				t.Fatal("Run did not send the queued message")
			}
			time.Sleep(10 * time.Millisecond)
		}
		stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not end with its context")
		}
	})
}

// TestCloseClosesOnlyTheDatabaseItOpened: a bank on a database given to it leaves it open; a bank that opened its
// own closes it.
func TestCloseClosesOnlyTheDatabaseItOpened(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		given, err := app.New(ctx, config(d))
		if err != nil {
			t.Fatal(err)
		}
		given.Close()
		if err := d.Ping(ctx); err != nil {
			t.Errorf("the given database was closed: %v", err)
		}
		cfg := config(nil)
		cfg.DSN = dsn
		own, err := app.New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		own.Close()
		if err := own.DB.Ping(ctx); err == nil {
			t.Error("the bank's own database is still open after Close")
		}
	})
}
