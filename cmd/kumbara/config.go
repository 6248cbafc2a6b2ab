package main

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/passkey"
	"github.com/kumbara/kumbara/sca"
)

// config is what every command shares: where the database is and which bank this is. Each flag has a KUMBARA_*
// environment variable; a flag given on the command line wins.
type config struct {
	db     string
	secret string
	// makeSecret lets a command make up the bank's secret and keep it in the database when none is configured
	// and none was kept: the demo only (serve --demo). A real bank sets --secret.
	makeSecret bool
	bankName   string
	bankCode   string
	branch     string
	bic        string
	logLevel   string
	cardBIN    string
	eurRates   string
	cscaPEM    string // path of the Country Signing CA bundle; empty: ID documents cannot be verified
	// Passkeys' relying party: empty means the demo's, derived from the listen address (see passkeyConfig).
	webauthnRPID   string
	webauthnOrigin string
	// closeOfBusiness is the time the books close, HH:MM in Tirane.
	closeOfBusiness string
	// paymentSandbox puts the clearing house's and the other banks' sandboxes in the binary (serve --demo sets it).
	paymentSandbox bool
}

func (c *config) register(fs *flag.FlagSet, getenv func(string) string) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.db, "db", env("KUMBARA_DB", "kumbara.db"), "SQLite file path, or a postgres:// URL (KUMBARA_DB)")
	fs.StringVar(&c.secret, "secret", env("KUMBARA_SECRET", ""),
		"hex key (≥ 32 bytes) for one-time-code HMACs and, through HKDF, the card number, PIN and unique-code keys — "+
			"changing it makes stored card numbers unreadable, PINs wrong and outstanding unique codes void; required; only --demo makes one up and keeps it in the database (KUMBARA_SECRET)")
	fs.StringVar(&c.bankName, "bank-name", env("KUMBARA_BANK_NAME", "Banka Kumbara"), "bank name on documents (KUMBARA_BANK_NAME)")
	// 999 is not assigned to any Albanian bank: the demo must never produce a real bank's IBANs.
	fs.StringVar(&c.bankCode, "bank-code", env("KUMBARA_BANK_CODE", "999"), "3-digit bank code in IBANs (KUMBARA_BANK_CODE)")
	fs.StringVar(&c.branch, "branch", env("KUMBARA_BRANCH", "0001"), "4-digit branch code of digital accounts (KUMBARA_BRANCH)")
	fs.StringVar(&c.bic, "bic", env("KUMBARA_BIC", "KUMBALT0XXX"), "the bank's BIC (KUMBARA_BIC)")
	fs.BoolVar(&c.paymentSandbox, "payment-sandbox", env("KUMBARA_PAYMENT_SANDBOX", "") == "true",
		"the clearing house and the other banks are the built-in sandboxes, which fake money leaving the bank: the demo and tests only; serve --demo sets it (KUMBARA_PAYMENT_SANDBOX=true)")
	// 400000 is in Visa's documented test range, so the demo never issues a number a real card might carry.
	fs.StringVar(&c.cardBIN, "card-bin", env("KUMBARA_CARD_BIN", "400000"), "6–8 digit BIN of issued cards (KUMBARA_CARD_BIN)")
	fs.StringVar(&c.eurRates, "eur-rates", env("KUMBARA_EUR_RATES", ""),
		"reference rates for the low-value payment exemption (≤ 30 EUR), as CUR=units per euro, comma-separated, e.g. ALL=97.50,USD=1.08; unset currencies keep the defaults (KUMBARA_EUR_RATES)")
	fs.StringVar(&c.cscaPEM, "csca-certs", env("KUMBARA_CSCA_CERTS", ""),
		"PEM bundle of Country Signing CA certificates for ID documents read over NFC; none: that verification is unavailable (KUMBARA_CSCA_CERTS)")
	fs.StringVar(&c.webauthnRPID, "webauthn-rp-id", env("KUMBARA_WEBAUTHN_RP_ID", ""),
		"the bank's domain for passkeys, e.g. bank.example (not an IP address); default localhost (KUMBARA_WEBAUTHN_RP_ID)")
	fs.StringVar(&c.webauthnOrigin, "webauthn-origin", env("KUMBARA_WEBAUTHN_ORIGIN", ""),
		"comma-separated web origins passkeys are used from, e.g. https://bank.example; default http://localhost:PORT of --addr (KUMBARA_WEBAUTHN_ORIGIN)")
	fs.StringVar(&c.closeOfBusiness, "close-of-business", env("KUMBARA_CLOSE_OF_BUSINESS", "20:00"),
		"when the books close each day, HH:MM in Tirane: later transactions get the next working day's value date, and the end-of-day steps run (KUMBARA_CLOSE_OF_BUSINESS)")
	fs.StringVar(&c.logLevel, "log-level", env("KUMBARA_LOG_LEVEL", "info"), "debug, info, warn or error (KUMBARA_LOG_LEVEL)")
}

// passkeyConfig is the passkeys' relying party. Without configuration it is the demo's: WebAuthn refuses IP
// addresses, so the RP ID is localhost and the origin http://localhost with the port the bank listens on (the
// pages work at 127.0.0.1 too, but passkeys only at localhost).
func (c *config) passkeyConfig(listen net.Addr) passkey.Config {
	cfg := passkey.Config{RPID: c.webauthnRPID, Name: c.bankName}
	if cfg.RPID == "" {
		cfg.RPID = "localhost"
	}
	for o := range strings.SplitSeq(c.webauthnOrigin, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.Origins = append(cfg.Origins, o)
		}
	}
	if len(cfg.Origins) == 0 {
		port := "80"
		if tcp, ok := listen.(*net.TCPAddr); ok {
			port = strconv.Itoa(tcp.Port)
		}
		cfg.Origins = []string{"http://" + net.JoinHostPort(cfg.RPID, port)}
	}
	return cfg
}

func (c *config) bank() customer.Bank {
	return customer.Bank{Name: c.bankName, Code: c.bankCode, Branch: c.branch, BIC: c.bic}
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// parse parses a subcommand's flags, turning a bad command line into a usageError.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return helpShown{}
		}
		return usageError{flagSaid{err}}
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %v\n", fs.Args())
		return usageError{flagSaid{fmt.Errorf("unexpected arguments %v", fs.Args())}}
	}
	return nil
}

// check refuses a configuration that would produce invalid IBANs or documents.
func (c *config) check() error {
	if !digits(c.bankCode, 3) {
		return fmt.Errorf("--bank-code %q: want 3 digits", c.bankCode)
	}
	if !digits(c.branch, 4) {
		return fmt.Errorf("--branch %q: want 4 digits", c.branch)
	}
	if _, err := iban.ParseBIC(c.bic); err != nil {
		return fmt.Errorf("--bic %q is not a valid BIC", c.bic)
	}
	if _, err := parseTimeOfDay(c.closeOfBusiness); err != nil {
		return fmt.Errorf("--close-of-business %q: want HH:MM", c.closeOfBusiness)
	}
	if !card.ValidBIN(c.cardBIN) {
		return fmt.Errorf("--card-bin %q: want 6 to 8 digits", c.cardBIN)
	}
	if _, err := c.scaConfig(); err != nil {
		return err
	}
	return nil
}

// scaConfig is the payment confirmation policy with the configured reference rates.
func (c *config) scaConfig() (sca.Config, error) {
	cfg := sca.DefaultConfig()
	if strings.TrimSpace(c.eurRates) == "" {
		return cfg, nil
	}
	for _, part := range strings.Split(c.eurRates, ",") {
		code, rate, ok := strings.Cut(strings.TrimSpace(part), "=")
		cur, err := money.ParseCurrency(strings.TrimSpace(code))
		if !ok || err != nil || cur == money.EUR {
			return cfg, fmt.Errorf("--eur-rates %q: want CUR=rate pairs of currencies other than EUR", part)
		}
		r, err := sca.ParseRate(strings.TrimSpace(rate))
		if err != nil {
			return cfg, fmt.Errorf("--eur-rates %q: rate must be a positive decimal with at most 2 places", part)
		}
		cfg.EURRates[cur] = r
	}
	return cfg, nil
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// appConfig is the bank's configuration from the command line. A command adds what only it knows (passkeys,
// metrics, the logger) before opening the bank.
func (c *config) appConfig(clk clock.Clock) (app.Config, error) {
	if err := c.check(); err != nil {
		return app.Config{}, usageError{err}
	}
	cscas, err := c.cscas()
	if err != nil {
		return app.Config{}, usageError{err}
	}
	scaConfig, _ := c.scaConfig()               // check parsed it
	cob, _ := parseTimeOfDay(c.closeOfBusiness) // and this
	cfg := app.Config{DSN: c.db, Clock: clk, MakeSecret: c.makeSecret, Bank: c.bank(), CardBIN: c.cardBIN,
		SCA: &scaConfig, CSCAs: cscas, CloseOfBusiness: cob, PaymentSandbox: c.paymentSandbox}
	if c.secret != "" {
		k, err := hex.DecodeString(strings.TrimSpace(c.secret))
		if err != nil || len(k) < 32 {
			return app.Config{}, errors.New("--secret must be at least 32 bytes in hex")
		}
		cfg.Secret = k
	}
	return cfg, nil
}

// openBank opens the bank a command line configures; adjust, if not nil, adds the command's own parts.
func openBank(ctx context.Context, c *config, clk clock.Clock, adjust func(*app.Config)) (*app.Bank, error) {
	cfg, err := c.appConfig(clk)
	if err != nil {
		return nil, err
	}
	if adjust != nil {
		adjust(&cfg)
	}
	b, err := app.New(ctx, cfg)
	var bad *app.ConfigError
	switch {
	case errors.Is(err, app.ErrNoSecret):
		return nil, errors.New("no --secret (KUMBARA_SECRET) is configured: give the bank's secret, at least 32 bytes in hex (e.g. `openssl rand -hex 32`); only --demo makes one up")
	case errors.As(err, &bad) && bad.Setting == "passkeys":
		return nil, usageError{fmt.Errorf("--webauthn-rp-id/--webauthn-origin: %w", bad.Err)}
	}
	return b, err
}

// cscas loads the Country Signing CA bundle; none is configured: nil (ID documents cannot be verified).
func (c *config) cscas() ([]*x509.Certificate, error) {
	if c.cscaPEM == "" {
		return nil, nil
	}
	bundle, err := os.ReadFile(c.cscaPEM)
	if err != nil {
		return nil, fmt.Errorf("--csca-certs: %w", err)
	}
	certs, err := iddoc.ParseCSCAs(bundle)
	if err != nil {
		return nil, fmt.Errorf("--csca-certs %s: %w", c.cscaPEM, err)
	}
	return certs, nil
}

// parseTimeOfDay reads HH:MM (00:01 to 23:59) as the time after midnight; midnight itself would close the books
// before the day opens them.
func parseTimeOfDay(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	d := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	if d == 0 {
		return 0, errors.New("midnight")
	}
	return d, nil
}
