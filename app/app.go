// Package app builds the bank: every domain service, once, in dependency order, from one Config. `kumbara serve`,
// `admin` and `bench`, the end-to-end test and the transports' test harnesses all start from New, so a service is
// wired the same way everywhere and nothing is set on it after it was built.
//
// app reads no flags, environment or files: cmd/kumbara turns those into a Config. It holds no transport either:
// the API and the web app are built on a Bank's services.
package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/bulk"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/creditcard"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/device"
	"github.com/kumbara/kumbara/eod"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/identity"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/jobs"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/operation"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/recovery"
	"github.com/kumbara/kumbara/registration"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/tariff"
	"github.com/kumbara/kumbara/terms"
	"github.com/kumbara/kumbara/threeds"
	"github.com/kumbara/kumbara/transfer"
	"github.com/kumbara/kumbara/uniquecode"
	"github.com/kumbara/kumbara/vop"
	"github.com/kumbara/kumbara/vop/vopsandbox"
)

// Config is what the bank is built from. The zero value of an optional part leaves that part out: with no CSCAs
// ID documents cannot be verified (A7, A9: id_document_unavailable), with no Passkeys there are no passkeys (the
// web's pages answer 404 and payments are not offered passkey confirmation). That is decided here, once: a Bank's
// optional service is nil exactly when its part is left out, and never set later.
type Config struct {
	// DSN is the database to open (a SQLite path or a postgres:// URL) when DB is nil; New migrates it and Close
	// closes it.
	DSN string
	// DB is an already open database (tests): New migrates it and leaves closing it to the caller.
	DB *db.DB
	// Clock is the bank's time; nil is the real clock.
	Clock clock.Clock
	// Secret is the bank's secret (at least 32 bytes); every key is derived from it. Nil: the one a demo database
	// kept, made up there when MakeSecret is set; without either New fails with ErrNoSecret.
	Secret     []byte
	MakeSecret bool
	// Bank is the bank's identity in IBANs and documents.
	Bank customer.Bank
	// CardBIN is the BIN of issued cards (6 to 8 digits).
	CardBIN string
	// CardLimits are the bank's maximum daily card limits per currency; nil: card.DefaultLimits.
	CardLimits card.Limits
	// SCA is the payment confirmation policy; nil is sca.DefaultConfig().
	SCA *sca.Config
	// Hasher hashes passwords; the zero value is password.Default (tests pass password.ForTests).
	Hasher password.Hasher
	// CSCAs are the Country Signing CA certificates ID documents read over NFC are verified against; none: no
	// verification (optional part).
	CSCAs []*x509.Certificate
	// Passkeys is the passkeys' relying party, the customers' and the staff's; nil: no passkeys (optional part).
	Passkeys *passkey.Config
	// CloseOfBusiness is the time of day (after midnight in Tirane) the books close: transactions from then on get
	// the next working day's value date, and the close of business runs (package eod). Zero is 20:00.
	CloseOfBusiness time.Duration
	// LedgerWorkers is the number of group-commit workers; 0 is one.
	LedgerWorkers int
	// Observer, if set, is told of the bank's work for metrics.
	Observer Observer
	// Logger logs the background work's failures; nil discards them.
	Logger *slog.Logger
	// Jobs tunes the background jobs (how often an instance polls, how failed jobs are retried); the zero value
	// is the default.
	Jobs jobs.Config
	// DeliverAtOnce sends queued messages in the request that queued them instead of waking the background
	// dispatcher: for tests that read a code from the sandbox inbox right after asking for it.
	DeliverAtOnce bool
	// FourEyes are the thresholds of the operations a second member of staff approves; the zero value is
	// operation.DefaultConfig().
	FourEyes operation.Config
	// FX is how the bank's exchange rates behave (validity, band); the zero value is fx.DefaultConfig().
	FX fx.Config
	// Credit is the credit cards' tariff (minimum, due days, interest, fees, points, instalment offers); the
	// zero value is creditcard.DefaultConfig().
	Credit creditcard.Config
	// PaymentSandbox puts the partners of payments to other banks in the binary: the clearing-house sandbox
	// (package clearinghouse) and the other banks' name checks (vop/vopsandbox). They fake money leaving the
	// bank, so only the demo and the tests set it, or an operator who asks for them; without it payments to other
	// banks are refused with payments_unavailable until a real adapter is configured.
	PaymentSandbox bool
	// Payments tunes the payment systems' times and limits; the zero value is payment.DefaultConfig().
	Payments *payment.Config
	// BenchAuditSwitch lets the bench post transfers without their audit entries (transfer.WithoutAudit), to
	// compare with and without in one run. Never set outside the bench.
	BenchAuditSwitch bool
}

// Observer is told of the bank's work, for metrics: the ledger's batches and postings, every transfer's outcome,
// the jobs that fail for good.
type Observer interface {
	ledger.Observer
	transfer.Observer
	jobs.Observer
	// AuditHead is told the audit chain's head every minute (PublishAuditHead).
	AuditHead(audit.Head)
}

// ErrNoSecret: no secret was configured and the database keeps none (only the demo makes one up, MakeSecret).
var ErrNoSecret = errors.New("no secret is configured")

// ConfigError is a Config that New refuses, as opposed to a failure to start: the operator must change Setting.
type ConfigError struct {
	Setting string // "secret", "passkeys"
	Err     error
}

func (e *ConfigError) Error() string { return e.Setting + ": " + e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Bank is every domain service of one bank, built by New.
type Bank struct {
	DB            *db.DB
	Clock         clock.Clock
	Ledger        *ledger.Ledger
	Customers     *customer.Service
	Auth          *auth.Service
	Devices       *device.Service
	Passkeys      *passkey.Service // nil without Config.Passkeys
	SCA           *sca.Service
	Transfers     *transfer.Service
	Beneficiaries *beneficiary.Service // the customers' address books of beneficiaries (T1)
	Directory     *bankdir.Service     // the Albanian banks customers pay, kept by staff
	Tariff        *tariff.Service      // what a payment to another bank costs, kept by staff (four-eyes)
	FX            *fx.Service          // the bank's exchange rates, published by staff (four-eyes)
	Payments      *payment.Service     // payments to and from other banks
	Bulk          *bulk.Service        // the bulk payment files business customers upload (pain.001 → pain.002)
	// ClearingHouse is the clearing-house sandbox (Config.PaymentSandbox); nil without.
	ClearingHouse *clearinghouse.Sandbox
	Sandbox       *outbox.Sandbox // the sandbox SMS and email gateway the dispatcher sends to
	Dispatcher    *outbox.Dispatcher
	Cards         *card.Service
	Issuing       *issuing.Service // the issuer host: the card network's authorisations, clearing and disputes
	// CardNetwork is the card network sandbox (with Config.PaymentSandbox, like the clearing house); nil without.
	CardNetwork  *cardnetwork.Sandbox
	ThreeDS      *threeds.Service    // 3-D Secure approvals of online card purchases
	Credit       *creditcard.Service // credit cards: statements, payments, cash advances, instalments
	Codes        *uniquecode.Service
	IDDocs       *iddoc.Verifier // nil without Config.CSCAs
	Registration *registration.Service
	Recovery     *recovery.Service
	Terms        *terms.Service
	Calendar     *calendar.Service
	Jobs         *jobs.Jobs // the background jobs; Run works them
	Staff        *staff.Service
	Approvals    *approval.Service  // four-eyes requests
	Operations   *operation.Service // what staff do, for the back office and the command line alike
	EOD          *eod.Service       // the business date and the close of business; RunDue is the periodic job's work
	Audit        *audit.Log         // the customers' own activity, as the channels read it
	Catalogue    *i18n.Catalogue

	// VoP is Verification of Payee: a customer's name check before paying, and the answers to other banks about
	// this bank's IBANs. With Config.PaymentSandbox it asks VoPSandbox about other banks' IBANs (the demo fills it,
	// Add); without, no other bank is reachable yet and their checks are not possible.
	VoP        *vop.Service
	VoPSandbox *vopsandbox.Sandbox

	logger   *slog.Logger
	observer Observer
	ownDB    bool
}

// New opens (or takes) the database, brings its schema up to date, finds the bank's secret, opens the GL accounts
// and builds every service on them; the ledger's group commit is running when it returns. Close releases it.
func New(ctx context.Context, cfg Config) (*Bank, error) {
	catalogue, err := i18n.New()
	if err != nil {
		return nil, err
	}
	b := &Bank{DB: cfg.DB, Clock: cfg.Clock, Catalogue: catalogue, logger: cfg.Logger, observer: cfg.Observer}
	if b.Clock == nil {
		b.Clock = clock.Real{}
	}
	if b.logger == nil {
		b.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if b.DB == nil {
		if b.DB, err = db.Open(ctx, cfg.DSN); err != nil {
			return nil, err
		}
		b.ownDB = true
	}
	if err := b.build(ctx, cfg); err != nil {
		b.closeDB()
		return nil, err
	}
	b.Ledger.Start(cfg.LedgerWorkers)
	return b, nil
}

// build makes the services in the order they depend on each other.
func (b *Bank) build(ctx context.Context, cfg Config) error {
	if err := b.DB.Migrate(ctx); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, b.DB); err != nil {
		return err
	}
	secret, err := loadSecret(ctx, b.DB, cfg.Secret, cfg.MakeSecret)
	if err != nil {
		return err
	}
	d, clk := b.DB, b.Clock
	// The job queue comes first, so that any service may enqueue in its transactions; its workers are registered
	// once every service exists (registerJobs).
	b.Jobs = jobs.New(d, clk, cfg.Jobs, b.logger, cfg.Observer)
	b.Calendar = &calendar.Service{DB: d, Clock: clk, CloseOfBusiness: cfg.CloseOfBusiness}
	b.Ledger = ledger.New(d, clk, cfg.Observer)
	b.Ledger.Texts, b.Ledger.Calendar = b.Catalogue, b.Calendar
	if err := b.Ledger.EnsureGL(ctx); err != nil {
		return fmt.Errorf("gl accounts: %w", err)
	}
	b.Sandbox = &outbox.Sandbox{DB: d, Clock: clk}
	b.Dispatcher = &outbox.Dispatcher{DB: d, Sender: b.Sandbox, Clock: clk, Logger: b.logger, Batch: 50,
		Lease: 30 * time.Second}
	var kick auth.Notifier = b.Dispatcher
	if cfg.DeliverAtOnce {
		kick = deliverNow{b.Dispatcher}
	}
	b.Customers = &customer.Service{DB: d, Clock: clk, Bank: cfg.Bank}
	b.Terms = &terms.Service{DB: d}
	b.Staff = &staff.Service{DB: d, Clock: clk, Hasher: hasher(cfg.Hasher), Config: staff.DefaultConfig(),
		Key: staff.DeriveKey(secret)}
	deviceKey := device.DeriveKey(secret)
	b.Auth = &auth.Service{DB: d, Clock: clk, Customers: b.Customers, Hasher: hasher(cfg.Hasher),
		Config: auth.DefaultConfig(), Key: auth.DeriveKey(secret), Outbox: kick,
		SoftPIN: device.SoftPINs{Clock: clk, Key: deviceKey}, Terms: b.Terms, Texts: b.Catalogue}
	if len(cfg.CSCAs) > 0 {
		b.IDDocs = &iddoc.Verifier{CSCAs: cfg.CSCAs, Clock: clk}
	}
	b.Devices = &device.Service{DB: d, Clock: clk, Auth: b.Auth, Customers: b.Customers,
		Config: device.DefaultConfig(), Key: deviceKey, IDDocs: b.IDDocs, Outbox: kick}
	if cfg.Passkeys != nil {
		if b.Passkeys, err = passkey.New(d, clk, b.Auth, b.Customers, secret, *cfg.Passkeys); err != nil {
			return &ConfigError{Setting: "passkeys", Err: err}
		}
		// The back office is the same site: staff passkeys have the customers' relying party.
		rp := staff.RelyingParty{ID: cfg.Passkeys.RPID, Origins: cfg.Passkeys.Origins, Name: cfg.Passkeys.Name}
		if b.Staff.Passkeys, err = staff.NewPasskeys(secret, rp); err != nil {
			return &ConfigError{Setting: "passkeys", Err: err}
		}
	}
	b.SCA = &sca.Service{DB: d, Clock: clk, Config: scaConfig(cfg.SCA), Key: sca.DeriveKey(secret),
		Failures: b.Auth, Devices: b.Devices, Passkeys: passkeyVerifier(b.Passkeys), Outbox: kick, Texts: b.Catalogue}
	b.Audit = &audit.Log{DB: d}
	b.Transfers = &transfer.Service{Ledger: b.Ledger, Customers: b.Customers, SCA: b.SCA,
		Observer: cfg.Observer, Texts: b.Catalogue, AuditSwitch: cfg.BenchAuditSwitch}
	b.Beneficiaries = &beneficiary.Service{DB: d, Clock: clk}
	b.Directory = &bankdir.Service{DB: d, Clock: clk, Own: cfg.Bank}
	b.Tariff = &tariff.Service{DB: d, Clock: clk}
	if err := fx.CheckSpreads(cfg.FX.Spreads); err != nil {
		return &ConfigError{Setting: "fx spreads", Err: err}
	}
	b.FX = &fx.Service{DB: d, Clock: clk, Config: cfg.FX, Ledger: b.Ledger, Customers: b.Customers,
		Key: fx.DeriveKey(secret)}
	b.buildPayments(cfg)
	b.buildBulk()
	b.Cards = &card.Service{DB: d, Clock: clk, Keys: card.DeriveKeys(secret), BIN: cfg.CardBIN, Limits: cfg.CardLimits,
		Customers: b.Customers, Passwords: b.Auth, Texts: b.Catalogue}
	b.Credit = &creditcard.Service{DB: d, Clock: clk, Ledger: b.Ledger, Customers: b.Customers, Cards: b.Cards,
		Calendar: b.Calendar, Config: creditConfig(cfg.Credit)}
	// A credit card's authorisations check its internet and cash allowances.
	b.Issuing = &issuing.Service{DB: d, Clock: clk, Ledger: b.Ledger, Cards: b.Cards, FX: b.FX, Credit: b.Credit}
	if cfg.PaymentSandbox {
		b.CardNetwork = &cardnetwork.Sandbox{DB: d, Clock: clk, Issuer: b.Issuing, Cards: b.Cards}
		b.Issuing.Network = b.CardNetwork // the chargebacks won, for the network's settlement
	}
	b.ThreeDS = &threeds.Service{DB: d, Clock: clk, Cards: b.Cards, Customers: b.Customers, SCA: b.SCA,
		Key: threeds.DeriveKey(secret)}
	b.Issuing.ThreeDS = threedsIssuer{b.ThreeDS}
	b.Codes = &uniquecode.Service{DB: d, Clock: clk, Key: uniquecode.DeriveKey(secret)}
	proofs := &identity.Checker{Customers: b.Customers, Cards: b.Cards, Codes: b.Codes}
	b.Registration = &registration.Service{Auth: b.Auth, Identity: proofs}
	b.Recovery = &recovery.Service{Auth: b.Auth, Identity: proofs, Cards: b.Cards, IDDocs: b.IDDocs}
	b.Approvals = &approval.Service{DB: d, Clock: clk}
	b.Operations = &operation.Service{Ledger: b.Ledger, Customers: b.Customers, Auth: b.Auth, Cards: b.Cards,
		Codes: b.Codes, Approvals: b.Approvals, Directory: b.Directory, Tariff: b.Tariff, FX: b.FX,
		Issuing: b.Issuing, Credit: b.Credit, Config: fourEyes(cfg.FourEyes)}
	b.EOD = &eod.Service{DB: d, Clock: clk, Calendar: b.Calendar}
	b.FX.Days = b.EOD // the position's business day and the revaluation's close
	b.endOfDay()
	b.registerJobs()
	return b.Jobs.Open()
}

// Run does the bank's background work until ctx ends: it sends queued messages (at once when a request kicks the
// dispatcher, else every second), settles transfers, and works the jobs (registerJobs), periodic ones included;
// when ctx ends it lets the jobs being worked finish. Any number of instances may run it side by side.
func (b *Bank) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { b.Dispatcher.Run(ctx, time.Second) })
	wg.Go(func() { b.Transfers.RunSettlement(ctx, 10*time.Second, b.logger) })
	wg.Go(func() {
		if err := b.Jobs.Run(ctx); err != nil {
			b.logger.Error("jobs", slog.String("error", err.Error()))
		}
	})
	wg.Go(func() { b.publishAuditHead(ctx, time.Minute) })
	wg.Wait()
}

// publishAuditHead publishes the audit chain's head at once and then every period: a log line and, with an
// Observer, a metric. Kept outside the database (log storage, the metrics' history), a published head is what
// shows a cut tail: `kumbara audit verify --head SEQ:HASH` fails if the log no longer holds it.
func (b *Bank) publishAuditHead(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := b.PublishAuditHead(ctx); err != nil && ctx.Err() == nil {
			b.logger.Error("audit head", slog.String("error", err.Error()))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PublishAuditHead reads the audit chain's head, logs it and tells the Observer.
func (b *Bank) PublishAuditHead(ctx context.Context) error {
	h, err := audit.CurrentHead(ctx, b.DB)
	if err != nil {
		return err
	}
	b.logger.Info("audit head", slog.Int64("seq", h.Seq), slog.String("hash", h.Hash), slog.String("head", h.String()))
	if b.observer != nil {
		b.observer.AuditHead(h)
	}
	return nil
}

// Close finishes the ops queued in the ledger (in-flight transfers complete during a graceful shutdown) and closes
// the database if New opened it. Stop Run first.
func (b *Bank) Close() {
	b.Ledger.Close()
	b.closeDB()
}

func (b *Bank) closeDB() {
	if b.ownDB {
		b.DB.Close()
	}
}

// deliverNow sends what is queued as soon as it is kicked (Config.DeliverAtOnce).
type deliverNow struct{ d *outbox.Dispatcher }

func (n deliverNow) Kick() { _, _ = n.d.RunOnce(context.Background()) }

func hasher(h password.Hasher) password.Hasher {
	if h == (password.Hasher{}) {
		return password.Default
	}
	return h
}

func scaConfig(c *sca.Config) sca.Config {
	if c == nil {
		return sca.DefaultConfig()
	}
	return *c
}

// passkeyVerifier keeps a missing passkey service a nil interface, which sca reads as "passkeys not offered".
func passkeyVerifier(p *passkey.Service) sca.PasskeyVerifier {
	if p == nil {
		return nil
	}
	return p
}

// fourEyes is c, or the bank's default thresholds where c sets none.
func fourEyes(c operation.Config) operation.Config {
	if c.CashApproval == nil {
		return operation.DefaultConfig()
	}
	return c
}
