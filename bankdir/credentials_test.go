package bankdir_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/bankdir"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// TestACredentialIsIssuedOnceAndAuthenticatesItsBank: a credential issued to a bank of the directory comes with a
// token of 256 random bits shown this once; the table keeps the token's SHA-256 and never the token; the token
// authenticates the bank as the directory holds it (its BIC changed since included), and two credentials of one
// bank are two tokens.
func TestACredentialIsIssuedOnceAndAuthenticatesItsBank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		c, token, err := s.IssueCredential(ctx, " 212 ")
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == "" || c.BankCode != "212" || !c.CreatedAt.Equal(t0) || c.CreatedBy != "backoffice" || !c.Live() {
			t.Fatalf("credential %+v", c)
		}
		secret, ok := strings.CutPrefix(token, bankdir.TokenPrefix)
		if !ok || len(secret) != 43 {
			t.Fatalf("token %q: want %s and 43 base64url characters (256 bits)", token, bankdir.TokenPrefix)
		}
		var stored string
		if err := d.QueryRow(context.Background(), "SELECT token_hash FROM bank_credentials WHERE id = ?", c.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(token))
		if stored != hex.EncodeToString(sum[:]) {
			t.Errorf("stored %q, want the token's SHA-256", stored)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT count(*) FROM bank_credentials WHERE token_hash = ? OR token_hash LIKE ?",
			token, "%"+secret+"%").Scan(&n); err != nil || n != 0 {
			t.Errorf("the token itself is stored: %d rows, %v", n, err)
		}

		b, err := s.Authenticate(ctx, token)
		if err != nil || b.Code != "212" || b.BIC != "CDISALTR" {
			t.Fatalf("authenticated %+v, %v", b, err)
		}
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR200", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		if b, err := s.Authenticate(ctx, token); err != nil || b.BIC != "CDISALTR200" {
			t.Fatalf("after the BIC changed: %+v, %v", b, err)
		}
		_, second, err := s.IssueCredential(ctx, "212")
		if err != nil || second == token {
			t.Fatalf("a second credential: %q, %v", second, err)
		}
		if b, err := s.Authenticate(ctx, second); err != nil || b.Code != "212" {
			t.Fatalf("the second token: %+v, %v", b, err)
		}
	})
}

// TestATokenThatIsNoLiveCredentialsIsRefusedAlike: no token, a token of no credential, a token changed by a
// character, one without the prefix, one far too long and a revoked one are all bank_credential_invalid; a
// revocation holds at once, and leaves the bank's other credential working.
func TestATokenThatIsNoLiveCredentialsIsRefusedAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		old, oldToken, err := s.IssueCredential(ctx, "212")
		if err != nil {
			t.Fatal(err)
		}
		_, newToken, err := s.IssueCredential(ctx, "212")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RevokeCredential(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		changed := []byte(newToken)
		changed[len(changed)-1] ^= 1
		for _, tc := range []struct{ name, token string }{
			{"none", ""},
			{"unknown", bankdir.TokenPrefix + strings.Repeat("A", 43)},
			{"changed by a character", string(changed)},
			{"without the prefix", strings.TrimPrefix(newToken, bankdir.TokenPrefix)},
			{"far too long", newToken + strings.Repeat("A", 200)},
			{"revoked", oldToken},
		} {
			if _, err := s.Authenticate(ctx, tc.token); !errors.Is(err, bankdir.ErrCredentialInvalid) {
				t.Errorf("%s: %v, want bank_credential_invalid", tc.name, err)
			}
		}
		if b, err := s.Authenticate(ctx, newToken); err != nil || b.Code != "212" {
			t.Errorf("the bank's other credential: %+v, %v", b, err)
		}
	})
}

// TestCredentialsAreListedNewestFirstWithoutSecretsAndRevokedOnce: a bank's credentials are listed newest first,
// revoked ones with when and by whom; revoking one already revoked changes nothing, an unknown id is
// bank_credential_not_found, and a bank the directory lacks (or this bank) has none to issue or list.
func TestCredentialsAreListedNewestFirstWithoutSecretsAndRevokedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		clk := clock.NewFake(t0)
		s := newService(d, clk)
		for _, b := range []bankdir.Bank{{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"},
			{Code: "205", BIC: "NCBAALTX", Name: "BKT"}} {
			if _, err := s.Put(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		first, _, err := s.IssueCredential(ctx, "212")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		second, _, err := s.IssueCredential(ctx, "212")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.IssueCredential(ctx, "205"); err != nil {
			t.Fatal(err)
		}
		clk.Advance(time.Hour)
		revoked, err := s.RevokeCredential(ctx, first.ID)
		if err != nil || revoked.Live() || !revoked.RevokedAt.Equal(t0.Add(2*time.Hour)) || revoked.RevokedBy != "backoffice" {
			t.Fatalf("revoked %+v, %v", revoked, err)
		}
		clk.Advance(time.Hour)
		again, err := s.RevokeCredential(ctx, first.ID)
		if err != nil || !again.RevokedAt.Equal(revoked.RevokedAt) {
			t.Fatalf("revoked again %+v, %v", again, err)
		}
		list, err := s.Credentials(ctx, "212")
		if err != nil || len(list) != 2 {
			t.Fatalf("list %+v, %v", list, err)
		}
		if list[0].ID != second.ID || !list[0].Live() || list[1].ID != first.ID || list[1] != revoked {
			t.Errorf("list %+v, want the second (live) then the first (revoked %+v)", list, revoked)
		}

		for _, tc := range []struct {
			name string
			err  error
			want error
		}{
			{"revoking an unknown id", second2(s.RevokeCredential(ctx, "0190a0c8-0000-7000-8000-000000000000")), bankdir.ErrCredentialNotFound},
			{"revoking what is no id", second2(s.RevokeCredential(ctx, "x' OR 1=1")), bankdir.ErrCredentialNotFound},
			{"listing an unknown bank's", second2(s.Credentials(ctx, "208")), bankdir.ErrUnknown},
			{"issuing to an unknown bank", third(s.IssueCredential(ctx, "208")), bankdir.ErrUnknown},
			{"issuing to what is no code", third(s.IssueCredential(ctx, "2a8")), bankdir.ErrUnknown},
			{"issuing to this bank", third(s.IssueCredential(ctx, "999")), bankdir.ErrOwnBank},
		} {
			if !errors.Is(tc.err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
			}
		}
	})
}

func second2[T any](_ T, err error) error { return err }

func third[T, U any](_ T, _ U, err error) error { return err }

// TestIssuingAndRevokingACredentialIsAuditedWithoutTheSecret: each issue and each revocation is an entry naming
// the member of staff and the request, with the credential (its id, its bank's code and BIC, whether revoked),
// and neither the token nor its hash; a revocation of one already revoked and a refusal leave none.
func TestIssuingAndRevokingACredentialIsAuditedWithoutTheSecret(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := staffCtx()
		s := newService(d, clock.NewFake(t0))
		if _, err := s.Put(ctx, bankdir.Bank{Code: "212", BIC: "CDISALTR", Name: "Credins Bank"}); err != nil {
			t.Fatal(err)
		}
		c, token, err := s.IssueCredential(ctx, "212")
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.RevokeCredential(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		_, _, _ = s.IssueCredential(ctx, "208")
		p, err := audit.Search(context.Background(), d, audit.Filter{Action: "bank."})
		if err != nil {
			t.Fatal(err)
		}
		p.Entries = slices.DeleteFunc(p.Entries, func(e audit.Entry) bool { return e.Action == bankdir.ActionAdded })
		live := `{"credential_id":"` + c.ID + `","code":"212","bic":"CDISALTR","revoked":false}`
		gone := `{"credential_id":"` + c.ID + `","code":"212","bic":"CDISALTR","revoked":true}`
		want := []struct{ action, before, after string }{
			{bankdir.ActionCredentialRevoked, live, gone},
			{bankdir.ActionCredentialIssued, "", live},
		}
		if len(p.Entries) != len(want) {
			t.Fatalf("%d entries, want %d: %+v", len(p.Entries), len(want), p.Entries)
		}
		sum := sha256.Sum256([]byte(token))
		secret := strings.TrimPrefix(token, bankdir.TokenPrefix)
		for i, w := range want {
			e := p.Entries[i]
			if e.Action != w.action || e.Before != w.before || e.After != w.after || e.Actor != officer ||
				e.RequestID != "req-7" || e.Result != audit.ResultOK {
				t.Errorf("entry %d: %+v, want %+v", i, e, w)
			}
			for _, leak := range []string{secret, hex.EncodeToString(sum[:])} {
				if strings.Contains(e.Before+e.After, leak) {
					t.Errorf("entry %d holds the token or its hash: %+v", i, e)
				}
			}
		}
	})
}
