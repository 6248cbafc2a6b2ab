package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/db/dbtest"
)

// Staff run the card network's clearing file of a day from the command line: once per date (the same file again
// the second time), the settlements and disputes lists answer, a decision on no dispute is refused; without the
// sandbox the command says why it cannot.
func TestAdminRunsTheCardNetworksClearingFile(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		env := map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32), "KUMBARA_PAYMENT_SANDBOX": "true"}
		getenv := staffed(t, func(k string) string { return env[k] })
		admin := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), append([]string{"admin"}, args...), getenv, &out, &errOut)
			return out.String() + errOut.String(), err
		}
		first, err := admin("cards", "clearing", "--date", "2026-03-02")
		if err != nil || !regexp.MustCompile(`^file (\S+) of 2026-03-02: 0 presentments, 0 posted`).MatchString(first) {
			t.Fatalf("cards clearing: %v\n%s", err, first)
		}
		again, err := admin("cards", "clearing", "--date", "2026-03-02")
		if err != nil || strings.Fields(again)[1] != strings.Fields(first)[1] {
			t.Errorf("again: %v\n%s", err, again)
		}
		if out, err := admin("cards", "settlements"); err != nil || !strings.HasPrefix(out, "DATE") {
			t.Errorf("cards settlements: %v\n%s", err, out)
		}
		if out, err := admin("cards", "disputes"); err != nil || !strings.HasPrefix(out, "OPENED") {
			t.Errorf("cards disputes: %v\n%s", err, out)
		}
		if out, err := admin("cards", "dispute", "open", "--clearing", "nope", "--reason", "x"); err == nil {
			t.Errorf("a dispute on nothing: %s", out)
		}
		if out, err := admin("cards", "dispute", "decide", "--id", "nope", "--won"); err == nil ||
			!strings.Contains(err.Error()+out, "card_dispute_not_found") {
			t.Errorf("a decision on no dispute: %v\n%s", err, out)
		}
		delete(env, "KUMBARA_PAYMENT_SANDBOX")
		if out, err := admin("cards", "clearing"); err == nil || !strings.Contains(err.Error()+out, "sandbox") {
			t.Errorf("without the sandbox: %v\n%s", err, out)
		}
	})
}
