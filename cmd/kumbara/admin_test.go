package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/uniquecode"
)

// TestAdminCommandsRunAStaffDay walks the staff's command line on both engines: create a customer and a business,
// open accounts, take a cash deposit and pay a withdrawal, set an initial password, block and unblock, reverse an
// entry, read the sandbox inbox, and finish with `verify`.
func TestAdminCommandsRunAStaffDay(t *testing.T) {
	dbtest.EachDSN(t, adminDay)
}

func adminDay(t *testing.T, dsn string) {
	ctx := context.Background()
	getenv := func(name string) string {
		switch name {
		case "KUMBARA_DB":
			return dsn
		case "KUMBARA_SECRET":
			return strings.Repeat("5e", 32)
		}
		return ""
	}
	// Without the bank's secret, staff commands refuse to start rather than make one up beside the data.
	noSecret := func(name string) string {
		switch name {
		case "KUMBARA_DB":
			return dsn
		case "KUMBARA_STAFF":
			return "operator"
		}
		return ""
	}
	if err := run(ctx, []string{"admin", "accounts", "--client", "100000001"}, noSecret, io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "KUMBARA_SECRET") {
		t.Fatalf("admin without a secret: %v, want a refusal naming KUMBARA_SECRET", err)
	}
	getenv = staffed(t, getenv)
	admin := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &errOut); err != nil {
			t.Fatalf("admin %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	refused := func(want string, args ...string) {
		t.Helper()
		err := run(ctx, append([]string{"admin"}, args...), getenv, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("admin %s: got %v, want an error containing %q", strings.Join(args, " "), err, want)
		}
	}

	nid := kyc.NewNationalID(time.Date(1990, 4, 9, 0, 0, 0, 0, time.UTC), true, 321).String()
	out := admin("create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid, "--mobile", "069 555 1234",
		"--client-number", "200000001", "--email", "mirela@example.al")
	if !strings.Contains(out, "client number 200000001") {
		t.Fatalf("create-customer: %s", out)
	}
	refused("national_id_invalid", "create-customer", "--first", "A", "--last", "B", "--national-id", "X123", "--mobile", "0695551234")
	refused("customer_exists", "create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid,
		"--mobile", "069 555 1234", "--client-number", "200000001")
	out = admin("create-business", "--name", "Çajra e Mirës Shpk", "--nipt", string(kyc.NewNIPT('L', 22334455)),
		"--mobile", "0681112233", "--representative", "200000001")
	if !strings.Contains(out, "created business") {
		t.Fatalf("create-business: %s", out)
	}

	out = admin("open-account", "--client", "200000001", "--currency", "ALL")
	ibanRe := regexp.MustCompile(`IBAN (AL\d{2}9990001\d{17})`)
	m := ibanRe.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("open-account printed no IBAN in the bank's code: %s", out)
	}
	acc := m[1]
	refused("unknown_currency", "open-account", "--client", "200000001", "--currency", "XXX")

	admin("deposit", "--iban", acc, "--amount", "5000.00")
	out = admin("withdraw", "--iban", acc, "--amount", "1200.50")
	entry := regexp.MustCompile(`entry (\S+)`).FindStringSubmatch(out)
	if entry == nil {
		t.Fatalf("withdraw: %s", out)
	}
	refused("insufficient_funds", "withdraw", "--iban", acc, "--amount", "999999.00")
	refused("amount_too_many_decimals", "deposit", "--iban", acc, "--amount", "1.001")
	if out := admin("accounts", "--client", "200000001"); !strings.Contains(out, "3799.50 ALL") {
		t.Fatalf("balance after deposit and withdrawal:\n%s", out)
	}
	// Four-eyes: a reversal, an overdraft and a reactivation wait for a second member, who approves them by id.
	admin("staff", "create", "--username", "checker", "--name", "Dritan Menaxheri", "--branch", "Tiranë Qendër",
		"--roles", "manager")
	checker := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		env := func(k string) string {
			if k == "KUMBARA_STAFF" {
				return "checker"
			}
			return getenv(k)
		}
		if err := run(ctx, append([]string{"admin"}, args...), env, &out, &errOut); err != nil {
			t.Fatalf("admin %s as checker: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	requested := regexp.MustCompile(`request (\S+) waits for a second member's approval .*hash ([0-9a-f]{64})`)
	approve := func(out string) {
		t.Helper()
		m := requested.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no request waiting in: %s", out)
		}
		refused("staff_permission_denied", "approve", m[1])
		if got := checker("approvals"); !strings.Contains(got, m[1]) {
			t.Fatalf("approvals lacks %s:\n%s", m[1], got)
		}
		if got := checker("approve", m[1], "--hash", m[2]); !strings.Contains(got, "approved and done") {
			t.Fatalf("approve: %s", got)
		}
	}
	refused("operation_reason_required", "reverse", "--entry", entry[1])
	approve(admin("reverse", "--entry", entry[1], "--reason", "Gabim i arkëtarit"))
	refused("already_reversed", "reverse", "--entry", entry[1], "--reason", "Gabim i arkëtarit")
	if out := admin("accounts", "--client", "200000001"); !strings.Contains(out, "5000.00 ALL") {
		t.Fatalf("balance after the reversal:\n%s", out)
	}

	admin("block-account", "--iban", acc)
	refused("account_blocked", "deposit", "--iban", acc, "--amount", "1.00")
	admin("unblock-account", "--iban", acc)
	approve(admin("set-overdraft", "--iban", acc, "--limit", "1000.00"))
	admin("withdraw", "--iban", acc, "--amount", "5500.00")
	out = admin("set-overdraft", "--iban", acc, "--limit", "2000.00")
	id := requested.FindStringSubmatch(out)[1]
	refused("approval_reason_required", "reject", id, "--reason", "x", "--staff", "checker")
	if got := checker("reject", id, "--reason", "Klienti nuk e kërkoi"); !strings.Contains(got, "rejected") {
		t.Fatalf("reject: %s", got)
	}
	if got := checker("approvals", "--status", "rejected"); !strings.Contains(got, "Klienti nuk e kërkoi") {
		t.Fatalf("rejected requests:\n%s", got)
	}

	refused("password_policy", "set-password", "--client", "200000001", "--password", "abc")
	admin("set-password", "--client", "200000001", "--password", "Fillim2026x")
	admin("unblock", "--client", "200000001")
	if out := admin("close-channel", "--client", "200000001"); !strings.Contains(out, "digital channel closed for 200000001") {
		t.Fatalf("close-channel: %s", out)
	}
	approve(admin("reactivate-channel", "--client", "200000001"))
	admin("block-channel", "--client", "200000001")
	admin("unblock", "--client", "200000001")
	out = admin("edit-contact", "--client", "200000001", "--address", "Rruga e Kavajës 5, Tiranë")
	if !strings.Contains(out, "contact details of 200000001 changed") {
		t.Fatalf("edit-contact (address): %s", out)
	}
	approve(admin("edit-contact", "--client", "200000001", "--mobile", "069 555 9999", "--email", "-"))
	refused("contact_unchanged", "edit-contact", "--client", "200000001", "--mobile", "0695559999")
	refused("customer_not_found", "close-channel", "--client", "299999999")
	refused("--client is required", "reactivate-channel")
	if out := admin("inbox"); !strings.Contains(out, "MESSAGE") {
		t.Fatalf("inbox: %s", out)
	}
	if out := admin("gl"); !strings.Contains(out, "vault:ALL") {
		t.Fatalf("gl: %s", out)
	}
	var vout bytes.Buffer
	if err := run(ctx, []string{"verify"}, getenv, &vout, io.Discard); err != nil {
		t.Fatalf("verify: %v\n%s", err, vout.String())
	}
	if err := run(ctx, []string{"admin", "no-such-command"}, getenv, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Fatalf("unknown admin command: %v", err)
	}
	if err := run(ctx, []string{"admin", "gl", "--bank-code", "12"}, getenv, io.Discard, io.Discard); exitCode(err) != 2 {
		t.Fatalf("bad bank code: %v", err)
	}
}

// TestAdminIssuesCardsWithoutShowingTheNumberOrPIN issues a card from the command line on both engines, lists it,
// blocks and unblocks its PIN, and checks that neither the full card number nor the PIN appears in anything staff
// see or in the cards table.
func TestAdminIssuesCardsWithoutShowingTheNumberOrPIN(t *testing.T) {
	dbtest.EachDSN(t, adminCards)
}

func adminCards(t *testing.T, dsn string) {
	ctx := context.Background()
	secret := strings.Repeat("7e", 32)
	getenv := func(name string) string {
		switch name {
		case "KUMBARA_DB":
			return dsn
		case "KUMBARA_SECRET":
			return secret
		}
		return ""
	}
	getenv = staffed(t, getenv)
	var seen strings.Builder // everything the commands printed
	admin := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &errOut)
		seen.WriteString(out.String() + errOut.String())
		if err != nil {
			t.Fatalf("admin %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	refused := func(want string, args ...string) {
		t.Helper()
		var out bytes.Buffer
		err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &out)
		if err != nil {
			seen.WriteString(out.String() + err.Error())
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("admin %s: got %v, want an error containing %q", strings.Join(args, " "), err, want)
		}
	}

	nid := func(n int) string {
		return kyc.NewNationalID(time.Date(1990, 4, n, 0, 0, 0, 0, time.UTC), true, 300+n).String()
	}
	admin("create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid(1), "--mobile", "0695551234",
		"--client-number", "200000001")
	admin("create-customer", "--first", "Besnik", "--last", "Kola", "--national-id", nid(2), "--mobile", "0695551235",
		"--client-number", "200000002")
	ibanRe := regexp.MustCompile(`IBAN (AL\d{2}\w+)`)
	acc := ibanRe.FindStringSubmatch(admin("open-account", "--client", "200000001", "--currency", "ALL"))[1]
	other := ibanRe.FindStringSubmatch(admin("open-account", "--client", "200000002", "--currency", "EUR"))[1]

	const pin = "4739"
	out := admin("issue-card", "--client", "200000001", "--iban", acc, "--card-type", "visa", "--contactless", "--pin", pin)
	issued := regexp.MustCompile(`issued visa card (\S+)\s+(4000 00\*\* \*\*\*\* \d{4})\s+expires (\d{4}-\d{2})\s+contactless yes`).
		FindStringSubmatch(out)
	if issued == nil {
		t.Fatalf("issue-card: %s", out)
	}
	id, masked := issued[1], issued[2]
	refused("card_pin_weak", "issue-card", "--client", "200000001", "--iban", acc, "--card-type", "visa", "--pin", "1234")
	refused("card_type_invalid", "issue-card", "--client", "200000001", "--iban", acc, "--card-type", "amex", "--pin", pin)
	refused("account_not_found", "issue-card", "--client", "200000001", "--iban", other, "--card-type", "visa", "--pin", pin)

	list := admin("cards", "--client", "200000001")
	if !strings.Contains(list, id) || !strings.Contains(list, masked) || !strings.Contains(list, acc) ||
		strings.Count(list, "\n") != 2 {
		t.Fatalf("cards:\n%s", list)
	}
	if list := admin("cards", "--client", "200000002"); strings.Count(list, "\n") != 1 {
		t.Fatalf("another customer's cards:\n%s", list)
	}

	// The service behind the commands, with the keys derived from the same secret, to read what was stored.
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	key, _ := hex.DecodeString(secret)
	cards := &card.Service{DB: d, Clock: clock.Real{}, Keys: card.DeriveKeys(key), BIN: "400000"}
	pan, err := cards.Reveal(ctx, id)
	if err != nil || !strings.HasPrefix(pan, "400000") || !card.Luhn(pan) {
		t.Fatalf("Reveal = %q, %v", pan, err)
	}

	for range card.MaxPINFailures {
		_ = cards.VerifyPIN(ctx, id, "0000")
	}
	if err := cards.VerifyPIN(ctx, id, pin); err == nil {
		t.Fatal("the right PIN was accepted after three wrong ones")
	}
	if list := admin("cards", "--client", "200000001"); !strings.Contains(list, "blocked") {
		t.Fatalf("cards does not show the blocked PIN:\n%s", list)
	}
	admin("unblock-pin", "--card", id)
	if err := cards.VerifyPIN(ctx, id, pin); err != nil {
		t.Fatalf("VerifyPIN after unblock-pin: %v", err)
	}
	refused("card_not_found", "unblock-pin", "--card", "no-such-card")

	// The card commands: find the card, block it, reprint it, the new one ready and handed over; a lost card's
	// reactivation waits for a second member.
	if found := admin("cards", "search", "--last4", masked[len(masked)-4:]); !strings.Contains(found, id) {
		t.Fatalf("cards search:\n%s", found)
	}
	refused("validation_failed", "cards", "search", "--last4", "12")
	if out := admin("cards", "block", id); !strings.Contains(out, "blocked") {
		t.Fatalf("cards block: %s", out)
	}
	if out := admin("cards", "unblock", id); !strings.Contains(out, "active: reactivated") {
		t.Fatalf("cards unblock: %s", out)
	}
	admin("cards", "block", "--reason", "lost", "--card", id)
	refused("card_lost_reactivation", "cards", "unblock", id)
	if out := admin("cards", "reactivate-lost", id); !strings.Contains(out, "waits for a second member") {
		t.Fatalf("cards reactivate-lost: %s", out)
	}
	reprinted := regexp.MustCompile(`card (\S+)\s+\S+ \S+ \S+ \S+\s+ordered`).FindStringSubmatch(admin("cards", "reprint", id))
	if reprinted == nil {
		t.Fatal("cards reprint printed no new card")
	}
	refused("card_final", "cards", "block", id)
	admin("cards", "ready", reprinted[1])
	if out := admin("cards", "hand-over", reprinted[1]); !strings.Contains(out, "active: handed over") {
		t.Fatalf("cards hand-over: %s", out)
	}
	if show := admin("cards", "show", reprinted[1]); !strings.Contains(show, "handed_over") || !strings.Contains(show, "ready") ||
		!strings.Contains(show, "(primary)") {
		t.Fatalf("cards show:\n%s", show)
	}

	// Nothing printed holds the number, nor the PIN once the ids, IBANs and masked numbers (which may contain any
	// four digits by chance) are taken out.
	printed := seen.String()
	if strings.Contains(printed, pan) {
		t.Fatalf("the card number was printed:\n%s", printed)
	}
	scrub := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|AL\d{2}\w+|\d{4} \d{2}\*\* \*\*\*\* \d{4}`)
	if rest := scrub.ReplaceAllString(printed, ""); strings.Contains(rest, pan[6:12]) || strings.Contains(rest, pin) {
		t.Fatalf("the hidden digits of the card number or the PIN were printed:\n%s", rest)
	}

	// Nor does any column of the cards table, read as text the way a stolen copy would be.
	rows, err := d.Query(ctx, `SELECT id, customer_id, account_id, type, number_enc, number_hmac, last6_hmac, masked,
		expires, status, pin_hash, CAST(contactless AS TEXT), CAST(pin_failures AS TEXT), CAST(pin_blocked AS TEXT),
		CAST(created_at AS TEXT) FROM cards`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		cols := make([]string, 15)
		ptrs := make([]any, len(cols))
		for i := range cols {
			ptrs[i] = &cols[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			if strings.Contains(col, pan) || strings.Contains(col, pan[:12]) || col == pin {
				t.Fatalf("the cards table holds the number or the PIN in clear: %q", col)
			}
		}
	}
	if err := rows.Err(); err != nil || n != 2 { // the card and its reprint
		t.Fatalf("%d card rows, %v", n, err)
	}
}

// TestAdminIssuesUniqueCodesThatRedeemOnce issues a unique code from the command line on both engines and checks
// that the printed code redeems once through the service, a second time not, and that no column of the table
// holds it.
func TestAdminIssuesUniqueCodesThatRedeemOnce(t *testing.T) {
	dbtest.EachDSN(t, adminUniqueCodes)
}

func adminUniqueCodes(t *testing.T, dsn string) {
	ctx := context.Background()
	secret := strings.Repeat("3c", 32)
	getenv := func(name string) string {
		switch name {
		case "KUMBARA_DB":
			return dsn
		case "KUMBARA_SECRET":
			return secret
		}
		return ""
	}
	getenv = staffed(t, getenv)
	admin := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &errOut)
		return out.String() + errOut.String(), err
	}
	nid := kyc.NewNationalID(time.Date(1990, 4, 1, 0, 0, 0, 0, time.UTC), true, 301).String()
	if out, err := admin("create-customer", "--first", "Mirela", "--last", "Gjoka", "--national-id", nid,
		"--mobile", "0695551234", "--client-number", "200000001"); err != nil {
		t.Fatalf("create-customer: %v\n%s", err, out)
	}

	codeRe := regexp.MustCompile(`unique code for 200000001 \((\w+)\): ([` + uniquecode.Alphabet + `]{5}-[` +
		uniquecode.Alphabet + `]{5})\n`)
	for _, tc := range []struct {
		name    string
		args    []string
		purpose uniquecode.Purpose
	}{
		{"registration by default", nil, uniquecode.Registration},
		{"recovery when asked", []string{"--purpose", "Recovery"}, uniquecode.Recovery},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := admin(append([]string{"issue-code", "--client", "200000001"}, tc.args...)...)
			if err != nil {
				t.Fatalf("issue-code: %v\n%s", err, out)
			}
			m := codeRe.FindStringSubmatch(out)
			if m == nil || m[1] != string(tc.purpose) || !strings.Contains(out, "Tirana time") ||
				!strings.Contains(out, "single use") {
				t.Fatalf("issue-code printed:\n%s", out)
			}
			printed := m[2]
			code, _ := uniquecode.Normalize(printed)

			d, err := db.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			var customerID string
			if err := d.QueryRow(ctx, "SELECT id FROM customers WHERE client_number = '200000001'").Scan(&customerID); err != nil {
				t.Fatal(err)
			}
			key, _ := hex.DecodeString(secret)
			codes := &uniquecode.Service{DB: d, Clock: clock.Real{}, Key: uniquecode.DeriveKey(key)}

			// No column, read as text the way a stolen copy would be, holds the code in either form.
			rows, err := d.Query(ctx, `SELECT id, customer_id, purpose, code_hash, CAST(attempts AS TEXT),
				CAST(expires_at AS TEXT), COALESCE(CAST(used_at AS TEXT), ''), COALESCE(CAST(revoked_at AS TEXT), ''),
				issued_by, CAST(created_at AS TEXT) FROM unique_codes`)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
				cols := make([]string, 10)
				ptrs := make([]any, len(cols))
				for i := range cols {
					ptrs[i] = &cols[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for _, col := range cols {
					if up := strings.ToUpper(col); strings.Contains(up, code) || strings.Contains(up, printed) {
						t.Fatalf("the unique_codes table holds the code in clear: %q", col)
					}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil || n == 0 {
				t.Fatalf("%d unique code rows, %v", n, err)
			}

			if err := codes.Redeem(ctx, customerID, tc.purpose, printed); err != nil {
				t.Fatalf("Redeem of the printed code: %v", err)
			}
			if err := codes.Redeem(ctx, customerID, tc.purpose, printed); kumbara.CodeOf(err) != "unique_code_used" {
				t.Fatalf("second Redeem: %v, want unique_code_used", err)
			}
		})
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an unknown purpose", []string{"--client", "200000001", "--purpose", "login"}, "validation_failed"},
		{"an unknown client", []string{"--client", "299999999"}, "customer_not_found"},
		{"no client", nil, "--client is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if out, err := admin(append([]string{"issue-code"}, tc.args...)...); err == nil ||
				!strings.Contains(err.Error(), tc.want) {
				t.Fatalf("issue-code %v: %v, want %q\n%s", tc.args, err, tc.want, out)
			}
		})
	}
}

// TestAdminHelpListsEveryCommandWithItsOwnFlags: `kumbara admin help` gives each staff command one line; `kumbara
// admin <command> -h` lists that command's flags (and names the bank's settings) without opening a database; an
// unknown command is a usage error that lists the commands.
func TestAdminHelpListsEveryCommandWithItsOwnFlags(t *testing.T) {
	ctx := context.Background()
	noEnv := func(string) string { return "" }
	var help bytes.Buffer
	if err := run(ctx, []string{"admin", "help"}, noEnv, &help, io.Discard); err != nil {
		t.Fatalf("admin help: %v", err)
	}
	cmds := adminCommands()
	lines := strings.Split(strings.TrimSpace(help.String()), "\n")
	for _, c := range cmds {
		n := 0
		for _, l := range lines {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, c.name+"  ") {
				n++
			}
		}
		if n != 1 || c.summary == "" {
			t.Errorf("admin help shows %s on %d lines (summary %q), want one:\n%s", c.name, n, c.summary, help.String())
		}
	}

	for _, tc := range []struct {
		cmd       string
		flags     []string
		notShared []string // flags of other commands, which this one does not take
	}{
		{"issue-card", []string{"-client", "-iban", "-card-type", "-contactless", "-pin"}, []string{"-amount", "-first"}},
		{"deposit", []string{"-iban", "-amount", "-reason"}, []string{"-client", "-pin"}},
		{"set-overdraft", []string{"-iban", "-limit"}, []string{"-amount"}},
		{"inbox", []string{"-limit", "-to"}, []string{"-iban"}},
		{"gl", nil, []string{"-client", "-iban"}},
	} {
		var out bytes.Buffer
		err := run(ctx, []string{"admin", tc.cmd, "-h"}, noEnv, io.Discard, &out)
		if !errors.As(err, &helpShown{}) {
			t.Errorf("admin %s -h: %v, want help shown", tc.cmd, err)
		}
		got := out.String()
		if !strings.Contains(got, "usage: kumbara admin "+tc.cmd) || !strings.Contains(got, "--db") {
			t.Errorf("admin %s -h:\n%s", tc.cmd, got)
		}
		for _, f := range tc.flags {
			if !strings.Contains(got, "  "+f+" ") && !strings.Contains(got, "  "+f+"\n") {
				t.Errorf("admin %s -h does not list %s:\n%s", tc.cmd, f, got)
			}
		}
		for _, f := range tc.notShared {
			if strings.Contains(got, "  "+f) {
				t.Errorf("admin %s -h lists %s, another command's flag:\n%s", tc.cmd, f, got)
			}
		}
		if err := run(ctx, []string{"admin", tc.cmd, tc.notShared[0], "x"}, noEnv, io.Discard, io.Discard); exitCode(err) != 2 {
			t.Errorf("admin %s with another command's flag: %v, want a usage error", tc.cmd, err)
		}
	}

	var errOut bytes.Buffer
	err := run(ctx, []string{"admin", "no-such-command"}, noEnv, io.Discard, &errOut)
	if exitCode(err) != 2 || !strings.Contains(errOut.String(), `unknown admin command "no-such-command"`) {
		t.Fatalf("unknown admin command: %v\n%s", err, errOut.String())
	}
	for _, c := range cmds {
		if !strings.Contains(errOut.String(), c.name) {
			t.Errorf("the usage of an unknown command does not list %s", c.name)
		}
	}
}

func TestAdminKeepsTheHolidaysStaffAnnounce(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		admin := adminAs(t, dsn)
		out, err := admin("holidays", "--year", "2026")
		if err != nil {
			t.Fatalf("holidays: %v %s", err, out)
		}
		for _, want := range []string{"2026-11-28 Sat  2026-11-30  holiday_independence", "2026-05-27 Wed  2026-05-27  holiday_eid_al_adha",
			"Dita e Kurban Bajramit (e shpallur)", "2026-04-13 Mon"} {
			if !strings.Contains(out, want) {
				t.Errorf("holidays 2026 lack %q:\n%s", want, out)
			}
		}
		if out, err := admin("announce-holiday", "--name", "holiday_eid_al_fitr", "--date", "2028-02-28"); err != nil ||
			!strings.Contains(out, "announced holiday_eid_al_fitr on 2028-02-28") {
			t.Fatalf("announce: %v %s", err, out)
		}
		if out, err := admin("value-date", "--at", "2028-02-25T20:15"); err != nil || !strings.Contains(out, "value date 2028-02-29 (Tuesday)") {
			t.Errorf("value date over the announced Monday: %v %s", err, out)
		}
		if out, err := admin("announce-holiday", "--name", "holiday_eid_al_fitr", "--date", "2028-02-27"); err == nil ||
			!strings.Contains(err.Error(), "holiday_exists") {
			t.Errorf("announce twice: %v %s", err, out)
		}
		if out, err := admin("announce-holiday", "--name", "holiday_christmas", "--date", "2028-12-25"); err == nil ||
			!strings.Contains(err.Error(), "holiday_name_invalid") {
			t.Errorf("announce a law holiday: %v %s", err, out)
		}
		if out, err := admin("withdraw-holiday", "--name", "holiday_eid_al_fitr", "--year", "2028"); err != nil {
			t.Fatalf("withdraw: %v %s", err, out)
		}
		if out, err := admin("value-date", "--at", "2028-02-25T20:15"); err != nil || !strings.Contains(out, "value date 2028-02-28") {
			t.Errorf("value date after the withdrawal: %v %s", err, out)
		}
		if out, err := admin("value-date", "--at", "yesterday"); err == nil || !strings.Contains(err.Error(), "date_invalid") {
			t.Errorf("a time that is not one: %v %s", err, out)
		}
	})
}

// staffed creates the bank's first member, "operator", with the roles the tests' commands need (as the operator
// does on the server, without --staff), and returns getenv naming them as KUMBARA_STAFF.
// adminAs runs `kumbara admin` commands on the bank at dsn as a member of staff with the roles the tests need,
// returning what each printed (out and err) and its error.
func adminAs(t *testing.T, dsn string) func(args ...string) (string, error) {
	t.Helper()
	getenv := staffed(t, func(k string) string {
		return map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": strings.Repeat("ab", 32)}[k]
	})
	return func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"admin"}, args...), getenv, &out, &errOut)
		return out.String() + errOut.String(), err
	}
}

func staffed(t *testing.T, getenv func(string) string) func(string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"admin", "staff", "create", "--username", "operator", "--name",
		"Olta Operatore", "--branch", "Tiranë Qendër", "--roles", "admin,teller,service,backoffice"}, getenv, &out,
		&errOut); err != nil {
		t.Fatalf("staff create: %v\n%s%s", err, out.String(), errOut.String())
	}
	return func(name string) string {
		if name == "KUMBARA_STAFF" {
			return "operator"
		}
		return getenv(name)
	}
}
