package auth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
)

// Every SMS the bank sends comes from the catalogue in the customer's language: Albanian until they choose
// English, and then English only (no more two languages in one message).
func TestSMSAreWrittenInTheCustomersLanguage(t *testing.T) {
	tests := []struct {
		lang           i18n.Lang
		code, changed  string
		notTheOther    string
		blocked, unblk string
	}{
		{i18n.SQ, "kodi juaj i hyrjes është", "fjalëkalimi juaj i bankës dixhitale u ndryshua", "Your", "pas 5 përpjekjesh", "Keni harruar fjalëkalimin?"},
		{i18n.EN, "your login code is", "your digital banking password was changed", "kodi", "after 5 failed attempts", "Forgot password?"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				f := newFixture(t, d, auth.DefaultConfig())
				c := f.person(t, "Arben", "Hoxha")
				if err := f.cs.SetLanguage(f.ctx, c.ID, tt.lang); err != nil {
					t.Fatal(err)
				}
				got, err := f.cs.Get(f.ctx, c.ID)
				if err != nil || got.Language != tt.lang {
					t.Fatalf("Get = %q, %v after SetLanguage(%q)", got.Language, err, tt.lang)
				}
				body := func() string {
					t.Helper()
					f.flush(t)
					msgs, err := f.inbox.InboxFor(f.ctx, c.Mobile, 1)
					if err != nil || len(msgs) == 0 {
						t.Fatalf("no SMS: %v", err)
					}
					return msgs[0].Body
				}
				if _, err := f.auth.Login(f.ctx, c.ClientNumber, pw1); err != nil {
					t.Fatal(err)
				}
				if b := body(); !strings.Contains(b, tt.code) || strings.Contains(b, tt.notTheOther) ||
					codePattern.FindString(b) == "" {
					t.Errorf("login code SMS %q, want %q and a code", b, tt.code)
				}
				f.clk.Advance(time.Minute)
				if err := f.auth.SetPassword(f.ctx, c.ID, pw2, true); err != nil {
					t.Fatal(err)
				}
				if b := body(); !strings.Contains(b, tt.changed) {
					t.Errorf("password change SMS %q, want %q", b, tt.changed)
				}
				for range 5 {
					f.clk.Advance(time.Second)
					_, _ = f.auth.Login(f.ctx, c.ClientNumber, "Wrong-Passw0rd")
				}
				if b := body(); !strings.Contains(b, tt.blocked) || !strings.Contains(b, tt.unblk) {
					t.Errorf("block SMS %q, want %q and %q", b, tt.blocked, tt.unblk)
				}
			})
		})
	}
}
