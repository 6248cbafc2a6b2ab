package auth_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/terms"
)

// The needs Admit is asked, in the order of the columns of TestAdmitAnswersEveryNeedOfEverySession's table.
var gateNeeds = []auth.Need{
	{},
	{Partial: true},
	{PasswordChange: true},
	{TermsPending: true},
	{Partial: true, PasswordChange: true},
	{Partial: true, TermsPending: true},
	{PasswordChange: true, TermsPending: true},                // the web's password page and logout
	{Partial: true, PasswordChange: true, TermsPending: true}, // the API's session routes
}

// errAdmitted is no error: it stands for Admit's letting the session through.
var errAdmitted = errors.New("errAdmitted")

func TestAdmitAnswersEveryNeedOfEverySession(t *testing.T) {
	ok, pw, as, tm := errAdmitted, auth.ErrPasswordChangeRequired, auth.ErrAssuranceInsufficient, terms.ErrAcceptanceRequired
	tests := []struct {
		name          string
		assurance     string
		mustChange    bool
		termsAccepted bool
		want          [8]error // one per gateNeeds
	}{
		{"full", auth.Full, false, true, [8]error{ok, ok, ok, ok, ok, ok, ok, ok}},
		{"full, password to change", auth.Full, true, true, [8]error{pw, pw, ok, pw, ok, pw, ok, ok}},
		{"full, terms pending", auth.Full, false, false, [8]error{tm, tm, tm, ok, tm, ok, ok, ok}},
		{"full, password to change and terms pending", auth.Full, true, false, [8]error{pw, pw, tm, pw, tm, pw, ok, ok}},
		{"partial", auth.Partial, false, true, [8]error{as, ok, as, as, ok, ok, as, ok}},
		{"partial, password to change", auth.Partial, true, true, [8]error{pw, pw, as, pw, ok, pw, as, ok}},
		{"partial, terms pending", auth.Partial, false, false, [8]error{as, tm, as, as, tm, ok, as, ok}},
		{"partial, password to change and terms pending", auth.Partial, true, false, [8]error{pw, pw, as, pw, tm, pw, as, ok}},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		tc := &terms.Service{DB: d}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := f.person(t, "Besa", "Kola")
				f.setPassword(t, c.ID, pw2, tt.mustChange)
				if tt.termsAccepted {
					if err := tc.Accept(f.ctx, c.ID, terms.Current, f.clk.Now()); err != nil {
						t.Fatal(err)
					}
				}
				token, opened, err := f.auth.OpenSession(f.ctx, c.ID, tt.assurance)
				if err != nil {
					t.Fatal(err)
				}
				for i, need := range gateNeeds {
					sess, err := f.auth.Admit(f.ctx, token, need)
					if tt.want[i] == errAdmitted {
						if err != nil || sess.ID != opened.ID || sess.CustomerID != c.ID {
							t.Errorf("need %+v: %+v, %v; want the session", need, sess, err)
						}
						continue
					}
					if !errors.Is(err, tt.want[i]) || sess != (auth.Session{}) {
						t.Errorf("need %+v: %+v, %v; want %v and no session", need, sess, err, tt.want[i])
					}
				}
			})
		}
	})
}

func TestAdmitRefusesWhatIsNoLiveSessionWhateverTheNeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Genta", "Dushku")
		ended, _ := f.login(t, c, pw1)
		if err := f.auth.Logout(f.ctx, ended); err != nil {
			t.Fatal(err)
		}
		idle, _ := f.login(t, c, pw1)
		f.clk.Advance(auth.DefaultConfig().IdleTimeout + 1)
		for _, tc := range []struct {
			name, token string
			want        error
		}{
			{"no token", "", auth.ErrUnauthenticated},
			{"an unknown token", "not-a-token", auth.ErrUnauthenticated},
			{"a logged-out session", ended, auth.ErrSessionExpired},
			{"an idle session", idle, auth.ErrSessionExpired},
		} {
			for _, need := range gateNeeds {
				t.Run(fmt.Sprintf("%s/%+v", tc.name, need), func(t *testing.T) {
					if sess, err := f.auth.Admit(f.ctx, tc.token, need); !errors.Is(err, tc.want) || sess != (auth.Session{}) {
						t.Errorf("%+v, %v; want %v", sess, err, tc.want)
					}
				})
			}
		}
	})
}

// Accepting the terms lets the session through at once, and a new version stops it again: the acceptance is read
// for the version in force, whatever was remembered for another.
func TestAdmitFollowsTheTermsAsTheyAreAcceptedAndReplaced(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Drita", "Hasa")
		token, _ := f.login(t, c, pw1)
		if _, err := f.auth.Admit(f.ctx, token, auth.Need{}); !errors.Is(err, terms.ErrAcceptanceRequired) {
			t.Fatalf("before accepting: %v, want terms_acceptance_required", err)
		}
		if err := (&terms.Service{DB: d}).Accept(f.ctx, c.ID, terms.Current, f.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := f.auth.Admit(f.ctx, token, auth.Need{}); err != nil {
			t.Fatalf("after accepting: %v", err)
		}
		next := &auth.Service{Texts: f.auth.Texts, DB: d, Clock: f.clk, Customers: f.cs, Hasher: f.auth.Hasher, Config: f.auth.Config,
			Key: f.auth.Key, Terms: &terms.Service{DB: d, Version: "2099-01"}}
		if _, err := next.Admit(f.ctx, token, auth.Need{}); !errors.Is(err, terms.ErrAcceptanceRequired) {
			t.Fatalf("after a new version: %v, want terms_acceptance_required", err)
		}
	})
}
