package staff_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/staff"
)

func auditOf(t *testing.T, d *db.DB, f audit.Filter) []audit.Entry {
	t.Helper()
	p, err := audit.Search(context.Background(), d, f)
	if err != nil {
		t.Fatal(err)
	}
	return p.Entries
}

// one returns the one entry of action, failing unless there is exactly one.
func one(t *testing.T, d *db.DB, action string) audit.Entry {
	t.Helper()
	es := auditOf(t, d, audit.Filter{Action: action})
	if len(es) != 1 {
		t.Fatalf("%s: %d entries, want 1: %+v", action, len(es), es)
	}
	return es[0]
}

func field(t *testing.T, state, key string) any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(state), &m); err != nil {
		t.Fatalf("state %q: %v", state, err)
	}
	return m[key]
}

// noSecrets fails if an entry of the log holds one of secrets.
func noSecrets(t *testing.T, d *db.DB, secrets ...string) {
	t.Helper()
	for _, e := range auditOf(t, d, audit.Filter{}) {
		for _, s := range secrets {
			if s != "" && (strings.Contains(e.Before, s) || strings.Contains(e.After, s)) {
				t.Fatalf("entry %d (%s) holds a secret", e.Seq, e.Action)
			}
		}
	}
}

// Managing staff is audited by the member who acts, with the member acted on before and after; a refused
// operation leaves no entry.
func TestManagingStaffIsAuditedByTheMemberActing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.ctx = audit.WithOrigin(f.ctx, audit.Origin{RequestID: "req-2", Client: "10.0.0.2"})
		first := one(t, d, staff.ActionCreated)
		if first.Actor != audit.System(audit.Bank) || field(t, first.After, "bootstrap") != true ||
			field(t, first.After, "username") != "admin" {
			t.Fatalf("the first member's entry %+v", first)
		}
		adminActor := audit.StaffActor("admin", "admin")
		f.add(t, "teller", staff.Teller, staff.CustomerService)
		es := auditOf(t, d, audit.Filter{Action: staff.ActionCreated, Staff: "admin"})
		if len(es) != 1 || es[0].Actor != adminActor || es[0].RequestID != "req-2" ||
			es[0].After != `{"username":"teller","branch":"Tiranë Qendër","roles":"teller,service","active":true,"locked":false,"must_change_password":false}` {
			t.Fatalf("created %+v", es)
		}
		for range 5 {
			_, _ = f.s.Login(f.ctx, "teller", "Gabim#00000")
		}
		if _, err := f.s.Unblock(f.ctx, f.admin, "teller"); err != nil {
			t.Fatal(err)
		}
		e := one(t, d, staff.ActionUnblocked)
		if e.Actor != adminActor || field(t, e.Before, "locked") != true || field(t, e.After, "locked") != false ||
			field(t, e.After, "username") != "teller" {
			t.Fatalf("unblocked %+v", e)
		}
		_, enrol, err := f.s.ResetTOTP(f.ctx, f.admin, "teller")
		if err != nil {
			t.Fatal(err)
		}
		if e := one(t, d, staff.ActionTOTPReset); e.Actor != adminActor || field(t, e.After, "totp_reset") != true {
			t.Fatalf("totp reset %+v", e)
		}
		if _, err := f.s.Deactivate(f.ctx, f.admin, "teller"); err != nil {
			t.Fatal(err)
		}
		if e := one(t, d, staff.ActionDeactivated); e.Actor != adminActor || field(t, e.Before, "active") != true ||
			field(t, e.After, "active") != false {
			t.Fatalf("deactivated %+v", e)
		}

		// Refused: by the member themselves, by one without the permission, about nobody.
		clerk := f.add(t, "clerk", staff.Teller)
		n := len(auditOf(t, d, audit.Filter{}))
		for name, op := range map[string]func() error{
			"self":          func() error { _, err := f.s.Deactivate(f.ctx, f.admin, "admin"); return err },
			"no permission": func() error { _, err := f.s.Unblock(f.ctx, clerk, "teller"); return err },
			"nobody":        func() error { _, _, err := f.s.ResetTOTP(f.ctx, f.admin, "nobody"); return err },
			"exists": func() error {
				_, err := f.s.Create(f.ctx, &f.admin, staff.NewMember{Username: "clerk", FullName: "Tjetër",
					Branch: "Durrës", Roles: []staff.Role{staff.Teller}, Password: pw})
				return err
			},
		} {
			if err := op(); err == nil {
				t.Fatalf("%s: allowed", name)
			}
		}
		if got := len(auditOf(t, d, audit.Filter{})); got != n {
			t.Fatalf("%d entries after refusals, want none", got-n)
		}
		noSecrets(t, d, pw, enrol.Secret, f.secrets["admin"], f.secrets["teller"])
	})
}

// A login is audited once its session opens, and each refused step (a wrong password, a wrong code, a locked
// member) as a failure whose result is the refusal's code; no entry holds the password or a code.
func TestLoginsAndTheirFailuresAreAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		teller := audit.StaffActor("teller", "teller")
		if _, err := f.s.Login(f.ctx, "teller", "Gabim#00000"); err == nil {
			t.Fatal("a wrong password logged in")
		}
		if _, err := f.s.Login(f.ctx, "nobody", "Gabim#00000"); err == nil {
			t.Fatal("nobody logged in")
		}
		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		wrong := "000000"
		if wrong == f.code(t, "teller", f.clk.Now()) {
			wrong = "111111"
		}
		if _, err := f.s.Verify(f.ctx, step.Token, wrong); err == nil {
			t.Fatal("a wrong code logged in")
		}
		right := f.code(t, "teller", f.clk.Now())
		sess, err := f.s.Verify(f.ctx, step.Token, right)
		if err != nil {
			t.Fatal(err)
		}
		login := one(t, d, staff.ActionLogin)
		if login.Actor != teller || login.After != `{"factor":"totp","session":"`+sess.ID+`"}` {
			t.Fatalf("login %+v", login)
		}
		failed := auditOf(t, d, audit.Filter{Action: staff.ActionLoginFailed})
		want := []struct{ actor, result, factor string }{
			{"teller", "staff_code_invalid", "totp"},
			{"", "staff_login_failed", "password"}, // a username that names nobody is not recorded as typed
			{"teller", "staff_login_failed", "password"},
		}
		if len(failed) != len(want) {
			t.Fatalf("%d failures recorded, want %d: %+v", len(failed), len(want), failed)
		}
		for i, w := range want {
			e := failed[i]
			if e.Actor.Kind != audit.ActorStaff || e.Actor.ID != w.actor || e.Result != w.result ||
				e.After != `{"factor":"`+w.factor+`"}` {
				t.Errorf("failure %d: %+v, want %+v", i, e, w)
			}
		}
		for range 5 {
			_, _ = f.s.Login(f.ctx, "teller", "Gabim#00000")
		}
		if es := auditOf(t, d, audit.Filter{Action: staff.ActionLoginFailed, Staff: "teller"}); es[0].Result != "staff_locked" {
			t.Fatalf("the lockout's entry %+v", es[0])
		}
		noSecrets(t, d, pw, "Gabim#00000", right, wrong, step.Token, sess.Token)
	})
}

// A member's own password change is audited; a wrong current password is a failure of the password, and a new
// one the policy refuses changes nothing and leaves no entry.
func TestAPasswordChangeIsAuditedWithoutThePasswords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		m := f.add(t, "teller", staff.Teller)
		const next = "Arkëtari#5931"
		if err := f.s.ChangePassword(f.ctx, m.ID, "Gabim#00000", next); err == nil {
			t.Fatal("changed with a wrong current password")
		}
		if err := f.s.ChangePassword(f.ctx, m.ID, pw, "short"); err == nil {
			t.Fatal("changed to a password against the policy")
		}
		if n := len(auditOf(t, d, audit.Filter{Action: staff.ActionPasswordChanged})); n != 0 {
			t.Fatalf("%d changes recorded before one was made", n)
		}
		if err := f.s.ChangePassword(f.ctx, m.ID, pw, next); err != nil {
			t.Fatal(err)
		}
		e := one(t, d, staff.ActionPasswordChanged)
		if e.Actor != audit.StaffActor("teller", "teller") || field(t, e.After, "username") != "teller" {
			t.Fatalf("changed %+v", e)
		}
		if e := one(t, d, staff.ActionLoginFailed); e.Result != "staff_login_failed" || e.After != `{"factor":"current_password"}` {
			t.Fatalf("the wrong current password %+v", e)
		}
		noSecrets(t, d, pw, next, "Gabim#00000")
	})
}
