package main

import (
	"context"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
	"github.com/kumbara/kumbara/kyc"
)

// TestCSCACertsConfigureIDDocumentVerification: --csca-certs (or KUMBARA_CSCA_CERTS) names a PEM bundle whose
// certificates the bank's verifier trusts; without it the verifier is nil and answers id_document_unavailable; a
// file that is not a bundle of CA certificates stops the start.
func TestCSCACertsConfigureIDDocumentVerification(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	issuer := iddoctest.NewIssuer(t)
	bundle := filepath.Join(dir, "csca.pem")
	if err := os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: issuer.CSCA().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	notCA := filepath.Join(dir, "ds.pem")
	if err := os.WriteFile(notCA, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: issuer.DS().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	birth := time.Date(1985, 2, 3, 0, 0, 0, 0, time.UTC)
	chip := issuer.Chip(iddoctest.MRZFor(customer.Customer{Kind: customer.Individual, FirstName: "Ana", LastName: "Kola",
		NationalID: kyc.NewNationalID(birth, true, 7).Number, BirthDate: birth}))
	clk := clock.NewFake(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))

	open := func(env map[string]string, args ...string) (*app.Bank, error) {
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		env["KUMBARA_DB"] = filepath.Join(t.TempDir(), "kumbara.db")
		env["KUMBARA_SECRET"] = strings.Repeat("ab", 32)
		c.register(fs, func(name string) string { return env[name] })
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		b, err := openBank(ctx, &c, clk, nil)
		if err == nil {
			t.Cleanup(b.Close)
		}
		return b, err
	}

	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
	}{
		"flag":     {env: map[string]string{}, args: []string{"--csca-certs", bundle}},
		"variable": {env: map[string]string{"KUMBARA_CSCA_CERTS": bundle}},
	} {
		b, err := open(tc.env, tc.args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := b.IDDocs.Verify(chip); err != nil {
			t.Errorf("%s: Verify: %v", name, err)
		}
	}

	b, err := open(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.IDDocs.Verify(chip); kumbara.CodeOf(err) != iddoc.CodeUnavailable {
		t.Errorf("without --csca-certs: Verify = %v, want %s", err, iddoc.CodeUnavailable)
	}

	for _, path := range []string{filepath.Join(dir, "missing.pem"), notCA} {
		var usage usageError
		if _, err := open(map[string]string{}, "--csca-certs", path); !errors.As(err, &usage) {
			t.Errorf("--csca-certs %s: %v, want a usage error", filepath.Base(path), err)
		}
	}
}
