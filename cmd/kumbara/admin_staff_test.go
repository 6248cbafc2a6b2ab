package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"os/user"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
	"github.com/skip2/go-qrcode"
)

// TestEveryAdminCommandDeclaresAPermission walks the command table: a command without a known permission would
// let any named member run it. Only the first member's creation may run without a member.
func TestEveryAdminCommandDeclaresAPermission(t *testing.T) {
	for _, c := range adminCommands() {
		if !c.permission.Known() {
			t.Errorf("admin %s declares permission %q, which is not one of staff.Permissions", c.name, c.permission)
		}
		if c.bootstrap != (c.name == "staff create") {
			t.Errorf("admin %s: bootstrap %v", c.name, c.bootstrap)
		}
	}
}

// TestAdminCommandsRunAsAMemberOfStaffWithThePermission: the operator creates the first administrator without
// --staff (and sees the TOTP enrolment and password once), then only named members run commands, each refused
// what their roles do not allow; a locked member is unblocked by another, a deactivated one can run nothing.
func TestAdminCommandsRunAsAMemberOfStaffWithThePermission(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		secret := strings.Repeat("4d", 32)
		env := map[string]string{"KUMBARA_DB": dsn, "KUMBARA_SECRET": secret}
		getenv := func(k string) string { return env[k] }
		admin := func(args ...string) (string, error) {
			var out, errOut bytes.Buffer
			err := run(ctx, append([]string{"admin"}, args...), getenv, &out, &errOut)
			return out.String() + errOut.String(), err
		}
		refused := func(want string, args ...string) {
			t.Helper()
			if out, err := admin(args...); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("admin %s: %v, want %q\n%s", strings.Join(args, " "), err, want, out)
			}
		}
		if _, err := admin("accounts", "--client", "100000001"); exitCode(err) != 2 || !strings.Contains(err.Error(), "--staff") {
			t.Errorf("a command without --staff: %v, want a usage error naming --staff", err)
		}
		refused("staff_first_not_admin", "staff", "create", "--username", "tina", "--name", "Tina Tafa", "--branch",
			"Durrës", "--roles", "teller")
		refused("staff_role_unknown", "staff", "create", "--username", "tina", "--name", "Tina Tafa", "--branch",
			"Durrës", "--roles", "teller,root")

		out, err := admin("staff", "create", "--username", "admin", "--name", "Ana Administratore", "--branch",
			"Drejtoria", "--roles", "admin")
		if err != nil {
			t.Fatalf("the first member: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`initial password \(to be changed at the first login\): (\S+)\nTOTP secret: ([A-Z2-7]+)\n(otpauth://totp/Kumbara:admin\?\S+)\n`).
			FindStringSubmatch(out)
		if m == nil || !strings.ContainsAny(out, "█▀▄") || !strings.Contains(out, "only time") {
			t.Fatalf("staff create printed:\n%s", out)
		}
		// The QR code drawn is the one of the URI shown (light modules as blocks, for a dark terminal).
		if qr, err := qrcode.New(m[3], qrcode.Medium); err != nil || !strings.Contains(out, qr.ToSmallString(false)) {
			t.Errorf("the QR code drawn is not the URI's (%v):\n%s", err, out)
		}
		shownOnce := []string{m[1], m[2]}
		refused("staff_bootstrap_closed", "staff", "create", "--username", "admin2", "--name", "Ana Dyta", "--branch",
			"Drejtoria", "--roles", "admin")

		env["KUMBARA_STAFF"] = "admin"
		for _, u := range []struct{ name, roles string }{{"teller", "teller"}, {"manager", "manager"}} {
			if out, err := admin("staff", "create", "--username", u.name, "--name", "Blerta Kola", "--branch",
				"Tiranë Qendër", "--roles", u.roles); err != nil || !strings.Contains(out, "created "+u.name) {
				t.Fatalf("staff create %s: %v\n%s", u.name, err, out)
			}
		}
		refused("staff_exists", "staff", "create", "--username", "Teller", "--name", "Blerta Kola", "--branch", "Durrës",
			"--roles", "teller")
		list, err := admin("staff", "list")
		if err != nil || !regexp.MustCompile(`teller\s+Blerta Kola\s+Tiranë Qendër\s+teller\s+active`).MatchString(list) {
			t.Fatalf("staff list: %v\n%s", err, list)
		}

		// Everything the admin may not do, and every other member refused what their roles do not allow.
		refused("staff_permission_denied", "accounts", "--client", "100000001")
		refused("staff_permission_denied", "reverse", "--entry", "x", "--staff", "teller")
		refused("staff_permission_denied", "staff", "list", "--staff", "teller")
		refused("staff_permission_denied", "staff", "create", "--staff", "manager", "--username", "tina", "--name",
			"Tina Tafa", "--branch", "Durrës", "--roles", "teller")
		refused("staff_not_found", "gl", "--staff", "nobody")
		if out, err := admin("holidays", "--year", "2026", "--staff", "teller"); err != nil {
			t.Errorf("a teller reads the holidays: %v\n%s", err, out)
		}

		// A member locked by five wrong passwords is unblocked by another with the permission, not by a teller.
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		key, _ := hex.DecodeString(secret)
		s := &staff.Service{DB: d, Clock: clock.Real{}, Hasher: password.Default, Config: staff.DefaultConfig(),
			Key: staff.DeriveKey(key)}
		for range 5 {
			_, _ = s.Login(ctx, "manager", "Gabim#4826x")
		}
		refused("staff_locked", "staff", "list", "--staff", "manager")
		refused("staff_permission_denied", "staff", "unblock", "--username", "manager", "--staff", "teller")
		if out, err := admin("staff", "unblock", "--username", "manager"); err != nil || !strings.Contains(out, "manager unblocked") {
			t.Fatalf("staff unblock: %v\n%s", err, out)
		}
		if _, err := admin("staff", "list", "--staff", "manager"); err != nil {
			t.Errorf("the unblocked manager: %v", err)
		}
		refused("staff_self_refused", "staff", "unblock", "--username", "manager", "--staff", "manager")

		out, err = admin("staff", "reset-totp", "--username", "teller")
		if err != nil || !strings.Contains(out, "otpauth://totp/Kumbara:teller?") {
			t.Fatalf("staff reset-totp: %v\n%s", err, out)
		}
		if out, err := admin("staff", "deactivate", "--username", "teller"); err != nil || !strings.Contains(out, "teller deactivated") {
			t.Fatalf("staff deactivate: %v\n%s", err, out)
		}
		refused("staff_inactive", "holidays", "--staff", "teller")
		list, _ = admin("staff", "list")
		if !regexp.MustCompile(`teller\s+.*deactivated`).MatchString(list) {
			t.Errorf("staff list after the deactivation:\n%s", list)
		}
		for _, s := range shownOnce {
			if strings.Contains(list, s) {
				t.Errorf("staff list shows a secret shown once: %q", s)
			}
		}

		// What a command returns names the member and the operating-system user who ran it.
		rec, err := runAdmin(ctx, []string{"staff", "list"}, getenv, io.Discard, io.Discard)
		want := ""
		if u, err := user.Current(); err == nil {
			want = u.Username
		}
		if err != nil || rec.Command != "staff list" || rec.Staff != "admin" || rec.OSUser == "" || want != "" && rec.OSUser != want {
			t.Errorf("runAdmin: %+v, %v (OS user %q)", rec, err, want)
		}
	})
}
