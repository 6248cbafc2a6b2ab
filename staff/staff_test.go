package staff_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/password"
	"github.com/kumbara/kumbara/staff"
)

// t0 is when every test's fake clock starts: a Monday morning in Tirana, on a TOTP step boundary.
var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

var secret = bytes.Repeat([]byte{0x6b}, 32)

const pw = "Sporteli#4826"

type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	s   *staff.Service
	// admin is the bank's first member; secrets are each member's TOTP secret by username.
	admin   staff.Member
	secrets map[string]string
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(t0), secrets: map[string]string{}}
	f.s = &staff.Service{DB: d, Clock: f.clk, Hasher: password.ForTests, Config: staff.DefaultConfig(),
		Key: staff.DeriveKey(secret)}
	c, err := f.s.Create(f.ctx, nil, staff.NewMember{Username: "admin", FullName: "Ana Administratore",
		Branch: "Drejtoria", Roles: []staff.Role{staff.Admin}, Password: pw})
	if err != nil {
		t.Fatalf("the first member: %v", err)
	}
	f.admin, f.secrets["admin"] = c.Member, c.Enrolment.Secret
	return f
}

// add creates a member with the roles, by the admin, with pw as their password.
func (f *fixture) add(t *testing.T, username string, roles ...staff.Role) staff.Member {
	t.Helper()
	c, err := f.s.Create(f.ctx, &f.admin, staff.NewMember{Username: username, FullName: "Blerta Kola",
		Branch: "Tiranë Qendër", Roles: roles, Password: pw})
	if err != nil {
		t.Fatalf("Create %s: %v", username, err)
	}
	f.secrets[username] = c.Enrolment.Secret
	return c.Member
}

func (f *fixture) code(t *testing.T, username string, at time.Time) string {
	t.Helper()
	c, err := staff.Code(f.secrets[username], at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// login logs a member in with their password and the current code, and moves the clock to the next step so the
// next login's code is a fresh one.
func (f *fixture) login(t *testing.T, username string) staff.Session {
	t.Helper()
	step, err := f.s.Login(f.ctx, username, pw)
	if err != nil {
		t.Fatalf("Login %s: %v", username, err)
	}
	sess, err := f.s.Verify(f.ctx, step.Token, f.code(t, username, f.clk.Now()))
	if err != nil {
		t.Fatalf("Verify %s: %v", username, err)
	}
	f.clk.Advance(30 * time.Second)
	return sess
}

func code(err error) string {
	if err == nil {
		return ""
	}
	return kumbara.CodeOf(err)
}

func join(s []string) string { return strings.Join(s, ",") }

func TestLoginWithPasswordAndTOTPOpensAStaffSession(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		step, err := f.s.Login(f.ctx, " Teller ", pw)
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if !step.ExpiresAt.Equal(t0.Add(5 * time.Minute)) {
			t.Errorf("the step expires at %v", step.ExpiresAt)
		}
		sess, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now()))
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if sess.Member.Username != "teller" || !sess.ExpiresAt.Equal(t0.Add(10*time.Hour)) {
			t.Errorf("session %+v", sess)
		}
		m, err := f.s.Admit(f.ctx, sess.Token)
		if err != nil || m.Username != "teller" || !m.Can(staff.CashBranch) || m.Can(staff.EntryReverse) {
			t.Fatalf("Admit: %+v, %v", m, err)
		}
		if err := f.s.Logout(f.ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Admit(f.ctx, sess.Token); code(err) != "staff_session_expired" {
			t.Errorf("Admit after logout: %v", err)
		}
		// The step was used up with its code.
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now().Add(30*time.Second))); code(err) != "staff_step_invalid" {
			t.Errorf("a used step: %v", err)
		}
	})
}

func TestLoginRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		for _, tc := range []struct {
			name, username, password, want string
		}{
			{"a wrong password", "teller", "Gabim#4826x", "staff_login_failed"},
			{"an unknown username", "nobody", pw, "staff_login_failed"},
			{"a username that cannot be one", "te\x00ller", pw, "staff_login_failed"},
			{"a password that cannot be one", "teller", "a\xffb", "staff_login_failed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.s.Login(f.ctx, tc.username, tc.password); code(err) != tc.want ||
					kumbara.KindOf(err) != kumbara.KindUnauthorized {
					t.Errorf("Login: %v, want %s", err, tc.want)
				}
			})
		}
		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, step, code, want string
		}{
			{"no step", "", "123456", "staff_step_invalid"},
			{"an unknown step", "x" + step.Token, "123456", "staff_step_invalid"},
			{"letters for a code", step.Token, "abcdef", "staff_code_invalid"},
			{"too short a code", step.Token, "12345", "staff_code_invalid"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.s.Verify(f.ctx, tc.step, tc.code); code(err) != tc.want {
					t.Errorf("Verify: %v, want %s", err, tc.want)
				}
			})
		}
		f.clk.Advance(5*time.Minute + time.Second)
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now())); code(err) != "staff_step_invalid" {
			t.Errorf("a step past its five minutes: %v", err)
		}
	})
}

// TestATOTPCodeIsAcceptedOnceWithinOneStepOfSkew: a code is accepted at its step or one either side of now, and
// never twice; an earlier step than one used is refused too.
func TestATOTPCodeIsAcceptedOnceWithinOneStepOfSkew(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "service", staff.CustomerService)
		verify := func(at time.Time) error {
			t.Helper()
			step, err := f.s.Login(f.ctx, "service", pw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.s.Verify(f.ctx, step.Token, f.code(t, "service", at))
			return err
		}
		now := func() time.Time { return f.clk.Now() }
		if err := verify(now()); err != nil {
			t.Fatalf("the current code: %v", err)
		}
		if err := verify(now()); code(err) != "staff_code_invalid" {
			t.Errorf("the same code again: %v", err)
		}
		if err := verify(now().Add(-30 * time.Second)); code(err) != "staff_code_invalid" {
			t.Errorf("the step before one used: %v", err)
		}
		if err := verify(now().Add(30 * time.Second)); err != nil {
			t.Errorf("the next step's code (a phone 30 s ahead): %v", err)
		}
		f.clk.Advance(2 * time.Minute)
		if err := verify(now().Add(-30 * time.Second)); err != nil {
			t.Errorf("the previous step's code (a phone 30 s behind): %v", err)
		}
		if err := verify(now().Add(-90 * time.Second)); code(err) != "staff_code_invalid" {
			t.Errorf("a code three steps old: %v", err)
		}
		if err := verify(now().Add(90 * time.Second)); code(err) != "staff_code_invalid" {
			t.Errorf("a code three steps ahead: %v", err)
		}
	})
}

// TestFiveFailuresLockAMemberUntilAnotherWithThePermissionUnblocks: wrong passwords and wrong codes count
// together; the fifth locks the member (their session ends) and even the right password is refused; a member
// without staff.unblock cannot lift it, nor the member themselves; a manager can, and the member logs in again.
func TestFiveFailuresLockAMemberUntilAnotherWithThePermissionUnblocks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		manager := f.add(t, "manager", staff.Manager)
		teller2 := f.add(t, "teller2", staff.Teller)
		live := f.login(t, "teller")

		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			if _, err := f.s.Verify(f.ctx, step.Token, "000000"); code(err) != "staff_code_invalid" {
				t.Fatalf("wrong code %d: %v", i+1, err)
			}
		}
		for i := range 2 {
			if _, err := f.s.Login(f.ctx, "teller", "Gabim#4826x"); code(err) != "staff_login_failed" {
				t.Fatalf("wrong password %d: %v", i+1, err)
			}
		}
		if _, err := f.s.Login(f.ctx, "teller", "Gabim#4826x"); code(err) != "staff_locked" {
			t.Fatalf("the fifth failure: %v, want staff_locked", err)
		}
		if _, err := f.s.Login(f.ctx, "teller", pw); code(err) != "staff_locked" {
			t.Errorf("the right password while locked: %v", err)
		}
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now())); code(err) != "staff_step_invalid" &&
			code(err) != "staff_locked" {
			t.Errorf("the right code of a step from before the lock: %v", err)
		}
		if _, err := f.s.Admit(f.ctx, live.Token); code(err) != "staff_session_expired" {
			t.Errorf("the locked member's session: %v", err)
		}
		if m, _ := f.s.ByUsername(f.ctx, "teller"); !m.Locked || m.Can(staff.CustomerRead) {
			t.Errorf("locked member %+v", m)
		}

		if _, err := f.s.Unblock(f.ctx, teller2, "teller"); code(err) != "staff_permission_denied" {
			t.Errorf("a teller unblocks: %v", err)
		}
		if _, err := f.s.Unblock(f.ctx, manager, "manager"); code(err) != "staff_self_refused" {
			t.Errorf("a manager unblocks themselves: %v", err)
		}
		if _, err := f.s.Unblock(f.ctx, manager, "nobody"); code(err) != "staff_not_found" {
			t.Errorf("unblock nobody: %v", err)
		}
		if _, err := f.s.Unblock(f.ctx, manager, "teller"); err != nil {
			t.Fatalf("a manager unblocks: %v", err)
		}
		f.login(t, "teller")

		// A completed login starts the count again: four failures after it do not lock.
		for range 4 {
			if _, err := f.s.Login(f.ctx, "teller", "Gabim#4826x"); code(err) != "staff_login_failed" {
				t.Fatalf("a failure after the unblock: %v", err)
			}
		}
		f.login(t, "teller")
		for range 4 {
			_, _ = f.s.Login(f.ctx, "teller", "Gabim#4826x")
		}
		if _, err := f.s.Login(f.ctx, "teller", pw); err != nil {
			t.Errorf("a right password after four failures: %v", err)
		}
	})
}

// TestStaffSessionsEndIdleAfter15MinutesAndAfter10Hours uses the fake clock: a session used every 14 minutes lives
// until its tenth hour and no longer; one left alone for more than 15 minutes ends.
func TestStaffSessionsEndIdleAfter15MinutesAndAfter10Hours(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "backoffice", staff.BackOffice)
		start := f.clk.Now()
		busy := f.login(t, "backoffice")
		for f.clk.Now().Add(14 * time.Minute).Before(start.Add(10 * time.Hour)) {
			f.clk.Advance(14 * time.Minute)
			if _, err := f.s.Admit(f.ctx, busy.Token); err != nil {
				t.Fatalf("a busy session %v after it began: %v", f.clk.Now().Sub(start), err)
			}
		}
		f.clk.Set(start.Add(10*time.Hour + time.Second))
		if _, err := f.s.Admit(f.ctx, busy.Token); code(err) != "staff_session_expired" {
			t.Errorf("a session past 10 hours: %v", err)
		}

		idle := f.login(t, "backoffice") // which moves the clock on by a step
		f.clk.Advance(15*time.Minute - 30*time.Second)
		if _, err := f.s.Admit(f.ctx, idle.Token); err != nil {
			t.Fatalf("a session idle 15 minutes: %v", err)
		}
		f.clk.Advance(15*time.Minute + time.Second)
		if _, err := f.s.Admit(f.ctx, idle.Token); code(err) != "staff_session_expired" {
			t.Errorf("a session idle over 15 minutes: %v", err)
		}
		f.clk.Advance(-15 * time.Minute)
		if _, err := f.s.Admit(f.ctx, idle.Token); code(err) != "staff_session_expired" {
			t.Errorf("an expired session stays ended: %v", err)
		}
		for _, token := range []string{"", "no-such-token", strings.Repeat("x", 200)} {
			if _, err := f.s.Admit(f.ctx, token); code(err) != "staff_unauthenticated" {
				t.Errorf("Admit(%q): %v", token, err)
			}
		}
	})
}

func TestADeactivatedMemberIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "service", staff.CustomerService)
		manager := f.add(t, "manager", staff.Manager)
		sess := f.login(t, "service")
		step, err := f.s.Login(f.ctx, "service", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Deactivate(f.ctx, manager, "service"); code(err) != "staff_permission_denied" {
			t.Errorf("a manager deactivates: %v", err)
		}
		if _, err := f.s.Deactivate(f.ctx, f.admin, "admin"); code(err) != "staff_self_refused" {
			t.Errorf("the admin deactivates themselves: %v", err)
		}
		m, err := f.s.Deactivate(f.ctx, f.admin, "service")
		if err != nil || m.Active {
			t.Fatalf("Deactivate: %+v, %v", m, err)
		}
		if _, err := f.s.Admit(f.ctx, sess.Token); code(err) != "staff_session_expired" {
			t.Errorf("the session of a deactivated member: %v", err)
		}
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "service", f.clk.Now())); err == nil {
			t.Error("a login half-way completed after the deactivation")
		}
		if _, err := f.s.Login(f.ctx, "service", pw); code(err) != "staff_inactive" {
			t.Errorf("Login of a deactivated member: %v", err)
		}
		if _, err := f.s.Acting(f.ctx, "service"); code(err) != "staff_inactive" {
			t.Errorf("Acting as a deactivated member: %v", err)
		}
	})
}

// TestANewTOTPSecretReplacesTheOld: the old secret's codes stop working and the member's sessions end; the new
// one is shown once, and only another member with staff.manage gives it.
func TestANewTOTPSecretReplacesTheOld(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		teller := f.add(t, "teller", staff.Teller)
		sess := f.login(t, "teller")
		if _, _, err := f.s.ResetTOTP(f.ctx, teller, "teller"); code(err) != "staff_permission_denied" {
			t.Errorf("a teller resets: %v", err)
		}
		old := f.secrets["teller"]
		_, enrol, err := f.s.ResetTOTP(f.ctx, f.admin, "teller")
		if err != nil || enrol.Secret == old || !strings.HasPrefix(enrol.URI, "otpauth://totp/Kumbara:teller?") {
			t.Fatalf("ResetTOTP: %+v, %v", enrol, err)
		}
		if _, err := f.s.Admit(f.ctx, sess.Token); code(err) != "staff_session_expired" {
			t.Errorf("a session after the reset: %v", err)
		}
		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now())); code(err) != "staff_code_invalid" {
			t.Errorf("the old secret's code: %v", err)
		}
		f.secrets["teller"] = enrol.Secret
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now())); err != nil {
			t.Errorf("the new secret's code: %v", err)
		}
	})
}

func TestCreatingStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		teller := f.add(t, "teller", staff.Teller)
		good := staff.NewMember{Username: "blerta.k", FullName: "Blerta Kola", Branch: "Durrës", Roles: []staff.Role{staff.Teller}}
		for _, tc := range []struct {
			name  string
			by    *staff.Member
			edit  func(*staff.NewMember)
			want  string
			field string
		}{
			{"a second first member", nil, func(n *staff.NewMember) { n.Roles = []staff.Role{staff.Admin} }, "staff_bootstrap_closed", ""},
			{"by a member without staff.manage", &teller, nil, "staff_permission_denied", ""},
			{"a username taken, in another case", &f.admin, func(n *staff.NewMember) { n.Username = "TELLER" }, "staff_exists", ""},
			{"a username with a space", &f.admin, func(n *staff.NewMember) { n.Username = "blerta k" }, "validation_failed", "staff_username_invalid"},
			{"a username of two letters", &f.admin, func(n *staff.NewMember) { n.Username = "bk" }, "validation_failed", "staff_username_invalid"},
			{"a username beginning with a digit", &f.admin, func(n *staff.NewMember) { n.Username = "1blerta" }, "validation_failed", "staff_username_invalid"},
			{"no name", &f.admin, func(n *staff.NewMember) { n.FullName = "  " }, "validation_failed", "staff_name_invalid"},
			{"a name with a line break", &f.admin, func(n *staff.NewMember) { n.FullName = "Blerta\nKola" }, "validation_failed", "staff_name_invalid"},
			{"no branch", &f.admin, func(n *staff.NewMember) { n.Branch = "" }, "validation_failed", "staff_branch_invalid"},
			{"no role", &f.admin, func(n *staff.NewMember) { n.Roles = nil }, "validation_failed", "staff_roles_required"},
			{"an unknown role", &f.admin, func(n *staff.NewMember) { n.Roles = []staff.Role{"root"} }, "validation_failed", "staff_role_unknown"},
			{"a password too short for staff", &f.admin, func(n *staff.NewMember) { n.Password = "Sport#482" }, "password_policy", "staff_password_length"},
			{"a password with the username", &f.admin, func(n *staff.NewMember) { n.Password = "Blerta.k#4826" }, "password_policy", "password_personal_data"},
			{"a password with the name", &f.admin, func(n *staff.NewMember) { n.Password = "Kola#48265xy" }, "password_policy", "password_personal_data"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := good
				if tc.edit != nil {
					tc.edit(&n)
				}
				_, err := f.s.Create(f.ctx, tc.by, n)
				if code(err) != tc.want || tc.field != "" && !hasField(err, tc.field) {
					t.Errorf("Create: %v (%+v), want %s with %s", err, fieldsOf(err), tc.want, tc.field)
				}
			})
		}
		// Once the bank has staff, nobody creates a member without acting for the bank, whatever the roles.
		if _, err := f.s.Create(f.ctx, nil, good); code(err) != "staff_bootstrap_closed" {
			t.Errorf("a second first member who is a teller: %v", err)
		}
		// Without a password, one is made up, shown once and to be changed at the first login.
		c, err := f.s.Create(f.ctx, &f.admin, good)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		if len(c.Password) != password.MaxLength || !c.Member.MustChangePassword || c.Enrolment.Secret == "" {
			t.Fatalf("created %+v", c)
		}
		if _, err := f.s.Login(f.ctx, "blerta.k", c.Password); err != nil {
			t.Errorf("Login with the made-up password: %v", err)
		}
		list, err := f.s.List(f.ctx, f.admin)
		if err != nil || len(list) != 3 || list[0].Username != "admin" || list[1].Username != "blerta.k" {
			t.Errorf("List: %+v, %v", list, err)
		}
		if _, err := f.s.List(f.ctx, teller); code(err) != "staff_permission_denied" {
			t.Errorf("a teller lists staff: %v", err)
		}
	})
}

// TestAStaffPasswordMayNotRepeatTheLastFive changes a member's password six times: each of the last five is
// refused, the sixth back is allowed again.
func TestAStaffPasswordMayNotRepeatTheLastFive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		teller := f.add(t, "teller", staff.Teller)
		if err := f.s.ChangePassword(f.ctx, teller.ID, "Gabim#4826x", "Dimri#48265x"); code(err) != "staff_login_failed" {
			t.Errorf("a wrong current password: %v", err)
		}
		current := pw
		for _, next := range []string{"Pranvera#4826", "Vera#48265xq", "Vjeshta#4826", "Dimri#48265x"} {
			f.clk.Advance(time.Minute)
			if err := f.s.ChangePassword(f.ctx, teller.ID, current, next); err != nil {
				t.Fatalf("ChangePassword to %s: %v", next, err)
			}
			current = next
		}
		for _, old := range []string{pw, "Pranvera#4826", "Vjeshta#4826"} {
			if err := f.s.ChangePassword(f.ctx, teller.ID, current, old); !hasField(err, "password_reused") {
				t.Errorf("back to %s: %v", old, err)
			}
		}
		f.clk.Advance(time.Minute)
		if err := f.s.ChangePassword(f.ctx, teller.ID, current, "Stina#482657"); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(time.Minute)
		if err := f.s.ChangePassword(f.ctx, teller.ID, "Stina#482657", pw); err != nil {
			t.Errorf("the sixth password back: %v", err)
		}
	})
}

// TestSecretsAreNeverKeptInClear reads every staff table as text, as a stolen copy would be read: no password,
// TOTP secret (base32 or raw), session token or step token is there; nor in any error a login answers.
func TestSecretsAreNeverKeptInClear(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c, err := f.s.Create(f.ctx, &f.admin, staff.NewMember{Username: "service", FullName: "Sara Service",
			Branch: "Vlorë", Roles: []staff.Role{staff.CustomerService}})
		if err != nil {
			t.Fatal(err)
		}
		f.secrets["service"] = c.Enrolment.Secret
		step, err := f.s.Login(f.ctx, "service", c.Password)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Verify(f.ctx, step.Token, "999999")
		sess, err2 := f.s.Verify(f.ctx, step.Token, f.code(t, "service", f.clk.Now()))
		if err2 != nil {
			t.Fatal(err2)
		}
		raw, _ := b32decode(c.Enrolment.Secret)
		secrets := []string{c.Password, pw, c.Enrolment.Secret, f.secrets["admin"], hex.EncodeToString(raw),
			sess.Token, step.Token}
		for _, s := range secrets {
			if err != nil && strings.Contains(err.Error(), s) {
				t.Errorf("an error tells a secret: %v", err)
			}
		}
		for _, table := range []struct {
			name, cols string
			n          int
		}{
			{"staff", "id, username, full_name, branch, roles, password_hash, CAST(must_change AS TEXT), totp_secret, " +
				"CAST(totp_step AS TEXT), CAST(failures AS TEXT), COALESCE(CAST(locked_at AS TEXT), ''), COALESCE(created_by, '')", 12},
			{"staff_password_history", "staff_id, password_hash, CAST(created_at AS TEXT)", 3},
			{"staff_login_steps", "token_hash, staff_id, CAST(expires_at AS TEXT)", 3},
			{"staff_sessions", "token_hash, id, staff_id, CAST(expires_at AS TEXT)", 4},
		} {
			rows, err := d.Query(f.ctx, "SELECT "+table.cols+" FROM "+table.name)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
				cols := make([]string, table.n)
				ptrs := make([]any, len(cols))
				for i := range cols {
					ptrs[i] = &cols[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for _, col := range cols {
					for _, s := range secrets {
						if strings.Contains(strings.ToUpper(col), strings.ToUpper(s)) {
							t.Errorf("%s holds a secret in clear: %q", table.name, col)
						}
					}
				}
			}
			rows.Close()
			if n == 0 {
				t.Errorf("%s has no rows to look at", table.name)
			}
		}
	})
}

func hasField(err error, code string) bool {
	for _, f := range fieldsOf(err) {
		if f.Code == code {
			return true
		}
	}
	return false
}

func fieldsOf(err error) []kumbara.FieldError {
	var e *kumbara.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
