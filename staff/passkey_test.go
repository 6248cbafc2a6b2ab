package staff_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/passkey/passkeytest"
	"github.com/kumbara/kumbara/staff"
)

const (
	rpID   = "localhost"
	origin = "http://localhost:8080"
)

// withPasskeys is the fixture of a bank with a relying party, so staff passkeys are offered.
func withPasskeys(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := newFixture(t, d)
	p, err := staff.NewPasskeys(secret, staff.RelyingParty{ID: rpID, Origins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	f.s.Passkeys = p
	return f
}

// addPasskey adds a software passkey for m, who types their password again.
func (f *fixture) addPasskey(t *testing.T, m staff.Member, name string) (*passkeytest.Authenticator, staff.Passkey) {
	t.Helper()
	a := passkeytest.New(t, rpID, origin)
	opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
	if err != nil {
		t.Fatalf("begin registration: %v", err)
	}
	p, err := f.s.FinishPasskeyRegistration(f.ctx, m, id, name, a.Create(t, opts))
	if err != nil {
		t.Fatalf("finish registration: %v", err)
	}
	return a, p
}

// passkeyStep logs username in with their password and begins a passkey login; answer is the authenticator's
// answer to its options.
func (f *fixture) passkeyStep(t *testing.T, username string, a *passkeytest.Authenticator) (step staff.Step, opts, answer []byte) {
	t.Helper()
	step, err := f.s.Login(f.ctx, username, pw)
	if err != nil {
		t.Fatalf("Login %s: %v", username, err)
	}
	opts, err = f.s.BeginPasskeyLogin(f.ctx, step.Token)
	if err != nil {
		t.Fatalf("BeginPasskeyLogin %s: %v", username, err)
	}
	return step, opts, a.Get(t, opts)
}

// passkeyLogin logs username in with their password and a's answer.
func (f *fixture) passkeyLogin(t *testing.T, username string, a *passkeytest.Authenticator) (staff.Session, error) {
	t.Helper()
	step, _, answer := f.passkeyStep(t, username, a)
	return f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
}

func (f *fixture) failures(t *testing.T, username string) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, "SELECT failures FROM staff WHERE username = ?", username).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// audited returns the audit log's entries of an action, oldest first, and checks the chain holds.
func (f *fixture) audited(t *testing.T, action string) []audit.Entry {
	t.Helper()
	if _, err := audit.Verify(f.ctx, f.d, audit.Head{}); err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	rows, err := f.d.Query(f.ctx, `SELECT actor_kind, actor_id, actor_role, action, after_state, result FROM audit_log
		WHERE action = ? ORDER BY seq`, action)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := db.Collect(rows, func(r db.Scanner) (audit.Entry, error) {
		var e audit.Entry
		return e, r.Scan(&e.Actor.Kind, &e.Actor.ID, &e.Actor.Role, &e.Action, &e.After, &e.Result)
	})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("error %v (code %q), want %q", err, got, want)
	}
}

func TestAPasskeyAddedInASessionLogsInInsteadOfTheCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		if err != nil {
			t.Fatal(err)
		}
		var creation struct {
			RP struct {
				ID string `json:"id"`
			} `json:"rp"`
			User struct {
				Name string `json:"name"`
			} `json:"user"`
			Selection struct {
				ResidentKey      string `json:"residentKey"`
				UserVerification string `json:"userVerification"`
			} `json:"authenticatorSelection"`
		}
		if err := json.Unmarshal(opts, &creation); err != nil || creation.RP.ID != rpID ||
			creation.User.Name != "teller" || creation.Selection.UserVerification != "required" ||
			creation.Selection.ResidentKey != "discouraged" {
			t.Fatalf("creation options %s: %v", opts, err)
		}
		a := passkeytest.New(t, rpID, origin)
		p, err := f.s.FinishPasskeyRegistration(f.ctx, m, id, "  Çelësi i zyrës ", a.Create(t, opts))
		if err != nil || p.Name != "Çelësi i zyrës" || !p.CreatedAt.Equal(f.clk.Now()) {
			t.Fatalf("FinishPasskeyRegistration: %+v, %v", p, err)
		}
		// A second one may not be the same authenticator's: the first is excluded.
		opts, _, err = f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		var again struct {
			Exclude []struct {
				ID string `json:"id"`
			} `json:"excludeCredentials"`
		}
		if err != nil || json.Unmarshal(opts, &again) != nil || len(again.Exclude) != 1 ||
			again.Exclude[0].ID != base64.RawURLEncoding.EncodeToString(a.CredID) {
			t.Fatalf("second creation options %s: %v", opts, err)
		}

		step, opts, answer := f.passkeyStep(t, "teller", a)
		var request struct {
			Allow []struct {
				ID string `json:"id"`
			} `json:"allowCredentials"`
			UserVerification string `json:"userVerification"`
		}
		if err := json.Unmarshal(opts, &request); err != nil || request.UserVerification != "required" ||
			len(request.Allow) != 1 || request.Allow[0].ID != base64.RawURLEncoding.EncodeToString(a.CredID) {
			t.Fatalf("request options %s: %v", opts, err)
		}
		f.clk.Advance(time.Minute)
		sess, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		if err != nil {
			t.Fatalf("FinishPasskeyLogin: %v", err)
		}
		if sess.Member.Username != "teller" || !sess.ExpiresAt.Equal(f.clk.Now().Add(10*time.Hour)) {
			t.Fatalf("session %+v", sess)
		}
		if got, err := f.s.Admit(f.ctx, sess.Token); err != nil || got.Username != "teller" {
			t.Fatalf("Admit: %+v, %v", got, err)
		}
		// The step was used up: neither a code nor a passkey finishes it again.
		_, err = f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now()))
		wantCode(t, err, "staff_step_invalid")
		_, err = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		wantCode(t, err, "staff_step_invalid")
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		wantCode(t, err, "staff_step_invalid")

		list, err := f.s.ListPasskeys(f.ctx, m)
		if err != nil || len(list) != 1 || list[0].ID != p.ID || !list[0].LastUsedAt.Equal(f.clk.Now()) {
			t.Fatalf("ListPasskeys: %+v, %v", list, err)
		}
		added := f.audited(t, staff.ActionPasskeyAdded)
		if len(added) != 1 || added[0].Actor != audit.StaffActor("teller", "teller") || added[0].Result != "ok" ||
			added[0].After != `{"name":"Çelësi i zyrës","passkey_id":"`+p.ID+`"}` {
			t.Errorf("audited additions %+v", added)
		}
		logins := f.audited(t, "staff.login")
		last := logins[len(logins)-1]
		if last.Actor != audit.StaffActor("teller", "teller") || last.Result != "ok" ||
			last.After != `{"factor":"passkey","passkey_id":"`+p.ID+`"}` {
			t.Errorf("audited login %+v", last)
		}
	})
}

func TestAddingAPasskeyNeedsThePasswordAgainAndCountsAWrongOne(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		sess := f.login(t, "teller")
		for i := 1; i < 5; i++ {
			_, _, err := f.s.BeginPasskeyRegistration(f.ctx, sess.Member, "Gabim#4826x")
			wantCode(t, err, "staff_login_failed")
			if n := f.failures(t, "teller"); n != i {
				t.Fatalf("failures %d, want %d", n, i)
			}
		}
		_, _, err := f.s.BeginPasskeyRegistration(f.ctx, sess.Member, "Gabim#4826x")
		wantCode(t, err, "staff_locked")
		_, _, err = f.s.BeginPasskeyRegistration(f.ctx, sess.Member, pw)
		wantCode(t, err, "staff_locked") // the right password does not lift the lockout
		_, err = f.s.Admit(f.ctx, sess.Token)
		wantCode(t, err, "staff_session_expired")
		var results []string
		for _, e := range f.audited(t, staff.ActionPasskeyAdded) {
			results = append(results, e.Result)
		}
		if got := join(results); got != "staff_login_failed,staff_login_failed,staff_login_failed,staff_login_failed,staff_locked,staff_locked" {
			t.Errorf("audited attempts %s", got)
		}
	})
}

func TestAReplayedOrStaleAnswerIsRefusedAndCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		a, _ := f.addPasskey(t, f.login(t, "teller").Member, "key")
		step, opts, answer := f.passkeyStep(t, "teller", a)
		if _, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, answer); err != nil {
			t.Fatal(err)
		}
		// The answer that logged in once, brought to the next login, is refused: its challenge is not this one's.
		step, _, _ = f.passkeyStep(t, "teller", a)
		_, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		wantCode(t, err, "staff_passkey_invalid")
		// The ceremony was tried once: a right answer to it comes too late.
		opts2, err := f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if err != nil {
			t.Fatal(err)
		}
		stale := a.Get(t, opts2)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts))
		wantCode(t, err, "staff_passkey_invalid")
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, stale)
		wantCode(t, err, "staff_passkey_invalid")
		// A begin again replaces the ceremony: the step's older options' answer finishes nothing.
		opts3, err := f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.BeginPasskeyLogin(f.ctx, step.Token); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts3))
		wantCode(t, err, "staff_passkey_invalid")
		if n := f.failures(t, "teller"); n != 4 {
			t.Fatalf("failures %d, want 4", n)
		}
		opts4, _ := f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if _, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts4)); err != nil {
			t.Fatalf("a right answer on the same step: %v", err)
		}
		if n := f.failures(t, "teller"); n != 0 {
			t.Fatalf("failures %d after a right answer, want 0", n)
		}
		failed := f.audited(t, "staff.login.failed")
		if len(failed) != 4 || failed[0].Result != "staff_passkey_invalid" || failed[0].After != `{"factor":"passkey"}` ||
			failed[0].Actor != audit.StaffActor("teller", "teller") {
			t.Errorf("audited failures %+v", failed)
		}
	})
}

func TestAnotherMembersPasskeyIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		f.add(t, "service", staff.CustomerService)
		f.add(t, "nokey", staff.Teller)
		teller, service := f.login(t, "teller").Member, f.login(t, "service").Member
		tellerKey, p := f.addPasskey(t, teller, "teller's")
		serviceKey, _ := f.addPasskey(t, service, "service's")

		step, opts, _ := f.passkeyStep(t, "teller", tellerKey)
		_, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, serviceKey.Get(t, opts))
		wantCode(t, err, "staff_passkey_invalid")
		// Nor with the teller's user handle on it.
		forged := *serviceKey
		forged.UserHandle = tellerKey.UserHandle
		opts, _ = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, forged.Get(t, opts))
		wantCode(t, err, "staff_passkey_invalid")
		if a, b := f.failures(t, "teller"), f.failures(t, "service"); a != 2 || b != 0 {
			t.Fatalf("failures: teller %d, service %d; want 2 and 0", a, b)
		}
		// A member without passkeys is asked for the code.
		nokey, err := f.s.Login(f.ctx, "nokey", pw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.BeginPasskeyLogin(f.ctx, nokey.Token)
		wantCode(t, err, "staff_passkey_none")

		// The service member neither sees nor removes the teller's passkey, nor finishes their addition.
		wantCode(t, f.s.RemovePasskey(f.ctx, service, p.ID), "staff_passkey_not_found")
		if list, _ := f.s.ListPasskeys(f.ctx, service); len(list) != 1 || list[0].ID == p.ID {
			t.Fatalf("the service member's list %+v", list)
		}
		opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, teller, pw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.FinishPasskeyRegistration(f.ctx, service, id, "stolen", passkeytest.New(t, rpID, origin).Create(t, opts))
		wantCode(t, err, "staff_passkey_registration_failed")
		// One authenticator's credential is one member's passkey.
		opts, id, _ = f.s.BeginPasskeyRegistration(f.ctx, service, pw)
		_, err = f.s.FinishPasskeyRegistration(f.ctx, service, id, "shared", tellerKey.Create(t, opts))
		wantCode(t, err, "staff_passkey_registration_failed")
		if list, _ := f.s.ListPasskeys(f.ctx, teller); len(list) != 1 {
			t.Fatalf("the teller's list %+v", list)
		}
	})
}

func TestPasskeyCeremoniesExpireAfterFiveMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(staff.PasskeyCeremonyValidity + time.Second)
		_, err = f.s.FinishPasskeyRegistration(f.ctx, m, id, "late", passkeytest.New(t, rpID, origin).Create(t, opts))
		wantCode(t, err, "staff_passkey_registration_failed")
		a, _ := f.addPasskey(t, m, "key")

		// A login's ceremony lives five minutes, whatever its step's time (made longer here to show it).
		f.s.Config.StepValidity = 10 * time.Minute
		step, _, answer := f.passkeyStep(t, "teller", a)
		f.clk.Advance(staff.PasskeyCeremonyValidity + time.Second)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		wantCode(t, err, "staff_passkey_invalid")
		opts, err = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(staff.PasskeyCeremonyValidity - time.Second)
		if _, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts)); err != nil {
			t.Fatalf("within five minutes: %v", err)
		}
		// And a step past its time begins nothing.
		f.s.Config.StepValidity = 5 * time.Minute
		step, err = f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(5*time.Minute + time.Second)
		_, err = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		wantCode(t, err, "staff_step_invalid")
	})
}

// TestWrongAnswersAndWrongCodesLockAMemberOutTogether: a passkey's failures are the login's, counted with the
// TOTP's; the fifth locks the member, whose right passkey then waits for another member to unblock them.
func TestWrongAnswersAndWrongCodesLockAMemberOutTogether(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		manager := f.add(t, "manager", staff.Manager)
		sess := f.login(t, "teller")
		a, _ := f.addPasskey(t, sess.Member, "key")
		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			_, err := f.s.Verify(f.ctx, step.Token, "000000")
			wantCode(t, err, "staff_code_invalid")
		}
		// Without user verification (presence only) an answer is refused.
		a.Flags = passkeytest.FlagUP
		for range 2 {
			opts, err := f.s.BeginPasskeyLogin(f.ctx, step.Token)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts))
			wantCode(t, err, "staff_passkey_invalid")
		}
		opts, _ := f.s.BeginPasskeyLogin(f.ctx, step.Token)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts))
		wantCode(t, err, "staff_locked")
		_, err = f.s.Admit(f.ctx, sess.Token)
		wantCode(t, err, "staff_session_expired")
		// Locked: a right answer does not get in, nor is the member asked for one.
		a.Flags = passkeytest.FlagUP | passkeytest.FlagUV
		_, err = f.s.Login(f.ctx, "teller", pw)
		wantCode(t, err, "staff_locked")
		failed := f.audited(t, "staff.login.failed")
		if len(failed) == 0 || failed[len(failed)-1].Result != "staff_locked" {
			t.Errorf("audited failures %+v", failed)
		}
		if _, err := f.s.Unblock(f.ctx, manager, "teller"); err != nil {
			t.Fatal(err)
		}
		// Two failures, then a right answer, which clears them.
		a.Flags = passkeytest.FlagUP
		step, _, answer := f.passkeyStep(t, "teller", a)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		wantCode(t, err, "staff_passkey_invalid")
		_, err = f.s.Verify(f.ctx, step.Token, "000000")
		wantCode(t, err, "staff_code_invalid")
		a.Flags = passkeytest.FlagUP | passkeytest.FlagUV
		opts, _ = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if _, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts)); err != nil {
			t.Fatalf("after unblock: %v", err)
		}
		if n := f.failures(t, "teller"); n != 0 {
			t.Fatalf("failures %d after a right answer", n)
		}
	})
}

func TestADeactivatedMembersPasskeysNoLongerLogInAndANewTOTPSecretKeepsThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		a, p := f.addPasskey(t, f.login(t, "teller").Member, "key")
		if _, _, err := f.s.ResetTOTP(f.ctx, f.admin, "teller"); err != nil {
			t.Fatal(err)
		}
		sess, err := f.passkeyLogin(t, "teller", a)
		if err != nil {
			t.Fatalf("a passkey after a new TOTP secret: %v", err)
		}
		if list, _ := f.s.ListPasskeys(f.ctx, sess.Member); len(list) != 1 || list[0].ID != p.ID {
			t.Fatalf("passkeys after a new TOTP secret: %+v", list)
		}
		step, _, answer := f.passkeyStep(t, "teller", a)
		if _, err := f.s.Deactivate(f.ctx, f.admin, "teller"); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, answer)
		wantCode(t, err, "staff_step_invalid")
		_, err = f.s.Login(f.ctx, "teller", pw)
		wantCode(t, err, "staff_inactive")
		// A session's member deactivated meanwhile adds nothing either.
		opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, sess.Member, pw)
		wantCode(t, err, "staff_inactive")
		if opts != nil || id != "" {
			t.Fatal("a deactivated member began an addition")
		}
	})
}

func TestARemovedPasskeyNoLongerLogsIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		a, p := f.addPasskey(t, m, "old")
		b, _ := f.addPasskey(t, m, "new")
		step, opts, _ := f.passkeyStep(t, "teller", a)
		if err := f.s.RemovePasskey(f.ctx, m, p.ID); err != nil {
			t.Fatal(err)
		}
		// Removed between the begin and the finish: refused too.
		_, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts))
		wantCode(t, err, "staff_passkey_invalid")
		opts, _ = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, a.Get(t, opts))
		wantCode(t, err, "staff_passkey_invalid")
		opts, _ = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		if _, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, b.Get(t, opts)); err != nil {
			t.Fatalf("the other passkey: %v", err)
		}
		wantCode(t, f.s.RemovePasskey(f.ctx, m, p.ID), "staff_passkey_not_found")
		wantCode(t, f.s.RemovePasskey(f.ctx, m, "no\x00such"), "staff_passkey_not_found")
		removed := f.audited(t, staff.ActionPasskeyRemoved)
		if len(removed) != 3 || removed[0].Result != "ok" || removed[0].After != `{"passkey_id":"`+p.ID+`"}` ||
			removed[1].Result != "staff_passkey_not_found" {
			t.Errorf("audited removals %+v", removed)
		}
	})
}

func TestAMemberHoldsAtMostTenPasskeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		// An addition begun while there was room is refused at its finish once the room is gone.
		opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		if err != nil {
			t.Fatal(err)
		}
		for range staff.MaxPasskeys {
			f.addPasskey(t, m, "")
		}
		_, err = f.s.FinishPasskeyRegistration(f.ctx, m, id, "", passkeytest.New(t, rpID, origin).Create(t, opts))
		wantCode(t, err, "staff_passkey_limit")
		_, _, err = f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		wantCode(t, err, "staff_passkey_limit")
		list, _ := f.s.ListPasskeys(f.ctx, m)
		if len(list) != staff.MaxPasskeys || list[0].Name != "Passkey" {
			t.Fatalf("%d passkeys, the first named %q", len(list), list[0].Name)
		}
	})
}

func TestBadPasskeyInputIsRefusedWithItsCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		a, _ := f.addPasskey(t, m, "key")
		for _, name := range []string{"tab\tin", strings.Repeat("ë", staff.MaxPasskeyName+1)} {
			opts, id, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.s.FinishPasskeyRegistration(f.ctx, m, id, name, passkeytest.New(t, rpID, origin).Create(t, opts))
			wantCode(t, err, "staff_passkey_name_invalid")
		}
		for _, tc := range []struct{ name, ceremony, body string }{
			{"unknown ceremony", "00000000-0000-0000-0000-000000000000", `{}`},
			{"nul in the ceremony's id", "a\x00b", `{}`},
			{"invalid utf-8", "\xff\xfe", `{}`},
			{"garbage", "", `not json`},
			{"an empty object", "", `{}`},
			{"a huge body", "", `"` + strings.Repeat("a", staff.MaxPasskeyResponse) + `"`},
		} {
			t.Run("registration: "+tc.name, func(t *testing.T) {
				id := tc.ceremony
				if id == "" {
					_, id, _ = f.s.BeginPasskeyRegistration(f.ctx, m, pw)
				}
				_, err := f.s.FinishPasskeyRegistration(f.ctx, m, id, "x", []byte(tc.body))
				wantCode(t, err, "staff_passkey_registration_failed")
			})
			if tc.ceremony != "" {
				continue
			}
			t.Run("login: "+tc.name, func(t *testing.T) {
				step, _, _ := f.passkeyStep(t, "teller", a)
				_, err := f.s.FinishPasskeyLogin(f.ctx, step.Token, []byte(tc.body))
				wantCode(t, err, "staff_passkey_invalid")
			})
		}
		for _, token := range []string{"", "unknown", strings.Repeat("x", 200), "\x00"} {
			_, err := f.s.BeginPasskeyLogin(f.ctx, token)
			wantCode(t, err, "staff_step_invalid")
			_, err = f.s.FinishPasskeyLogin(f.ctx, token, []byte(`{}`))
			wantCode(t, err, "staff_step_invalid")
		}
	})
}

func TestWithoutARelyingPartyStaffPasskeysAreUnavailable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.add(t, "teller", staff.Teller)
		m := f.login(t, "teller").Member
		_, _, err := f.s.BeginPasskeyRegistration(f.ctx, m, pw)
		wantCode(t, err, "staff_passkeys_unavailable")
		_, err = f.s.FinishPasskeyRegistration(f.ctx, m, "x", "x", []byte(`{}`))
		wantCode(t, err, "staff_passkeys_unavailable")
		step, err := f.s.Login(f.ctx, "teller", pw)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.BeginPasskeyLogin(f.ctx, step.Token)
		wantCode(t, err, "staff_passkeys_unavailable")
		_, err = f.s.FinishPasskeyLogin(f.ctx, step.Token, []byte(`{}`))
		wantCode(t, err, "staff_passkeys_unavailable")
		if n := f.failures(t, "teller"); n != 0 {
			t.Fatalf("failures %d", n)
		}
		// The code still logs in on the same step.
		if _, err := f.s.Verify(f.ctx, step.Token, f.code(t, "teller", f.clk.Now())); err != nil {
			t.Fatal(err)
		}
	})
}

// TestConcurrentPasskeyAnswersNeitherOpenTwoSessionsNorOutrunTheLockout: a right answer brought twice at once opens
// one session; twenty wrong answers at once, each on a login step of its own, are counted before they are checked,
// so five are checked at most and the rest find the member locked (or their step forgotten with the lock).
func TestConcurrentPasskeyAnswersNeitherOpenTwoSessionsNorOutrunTheLockout(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := withPasskeys(t, d)
		f.add(t, "teller", staff.Teller)
		a, _ := f.addPasskey(t, f.login(t, "teller").Member, "key")
		step, _, answer := f.passkeyStep(t, "teller", a)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { _, errs[i] = f.s.FinishPasskeyLogin(f.ctx, step.Token, answer) })
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("one answer twice at once: %v, %v; want one session", errs[0], errs[1])
		}
		if n := f.failures(t, "teller"); n > 1 {
			t.Fatalf("failures %d", n)
		}

		a.Flags = passkeytest.FlagUP // wrong: no user verification
		steps, answers := make([]string, 20), make([][]byte, 20)
		for i := range steps {
			s, _, ans := f.passkeyStep(t, "teller", a)
			steps[i], answers[i] = s.Token, ans
		}
		codes := make([]string, len(steps))
		for i := range steps {
			wg.Go(func() {
				_, err := f.s.FinishPasskeyLogin(f.ctx, steps[i], answers[i])
				codes[i] = code(err)
			})
		}
		wg.Wait()
		n := map[string]int{}
		for _, c := range codes {
			n[c]++
		}
		// Once locked, the member's other steps are forgotten: what comes then finds its step gone.
		if n["staff_passkey_invalid"] > 4 || n["staff_passkey_invalid"]+n["staff_locked"]+n["staff_step_invalid"] != len(codes) {
			t.Errorf("answers to twenty wrong assertions at once: %v", n)
		}
		if got := f.failures(t, "teller"); got != 5 {
			t.Errorf("%d wrong assertions were checked, want 5", got)
		}
	})
}
