package passkey_test

import (
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// FuzzFinishLogin feeds the login finish whatever a browser might post: it must answer passkey_invalid (or, for a
// real passkey's valid assertion, a session), never panic and never fail as a fault of ours.
func FuzzFinishLogin(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"","signature":""}}`))
	f.Add([]byte(`{"id":"x","rawId":"x","type":"public-key","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0","authenticatorData":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFAAAAAQ","signature":"MEUCIQ","userHandle":"AA"}}`))
	fx := newFixture(f, dbtest.Open(f, db.SQLite))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, id, err := fx.pk.BeginLogin(fx.ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = fx.pk.FinishLogin(fx.ctx, id, body)
		if e, ok := kumbara.As(err); !ok || e.Code != "passkey_invalid" {
			t.Fatalf("FinishLogin(%q) = %v", body, err)
		}
	})
}
