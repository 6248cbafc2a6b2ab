package auth_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara/auth"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// The label a client gives itself (its User-Agent) is free text from outside: recorded NFKC-normalised, without
// what hides or reorders text, at most 256 characters — never refused.
func TestASessionsLabelIsRecordedInTheFormOfFreeText(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, auth.DefaultConfig())
		c := f.person(t, "Arben", "Hoxha")
		for _, tc := range []struct{ in, want string }{
			{"Firefox\u202e ｏｎ Linux\u200b", "Firefox on Linux"},
			{strings.Repeat("ë", 300), strings.Repeat("ë", 256)},
		} {
			_, sess := f.loginOn(t, c, auth.Client{Channel: auth.ChannelWeb, Label: tc.in})
			list, err := f.auth.Sessions(f.ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, s := range list {
				if s.ID == sess.ID {
					got = s.Label
				}
			}
			if got != tc.want {
				t.Errorf("label of %q is %q, want %q", tc.in, got, tc.want)
			}
		}
	})
}
