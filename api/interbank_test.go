package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/vop"
)

const interbankVoP = "/interbank/v1/vop"

// credential issues a VoP credential to the bank of the directory with the code and returns its token.
func (b *bank) credential(t *testing.T, code string) string {
	t.Helper()
	_, token, err := b.services.Directory.IssueCredential(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// Another bank asks about this bank's IBANs with its credential and is told each of the scheme's results; the
// holder's name is in an answer on a close match only, and nowhere else.
func TestAnotherBankIsAnsweredTheSchemesResults(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t)
		tok := b.credential(t, "212")
		eliras := b.account(t, elira, money.ALL, ledger.TypeCurrent)
		closed, err := b.customers.OpenAccount(context.Background(), b.customer(t, elira).ID, money.EUR,
			ledger.TypeCurrent, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(context.Background(), func(tx *db.Tx) error {
			return ledger.SetStatus(context.Background(), tx, b.clock.Now(), closed.ID, ledger.Closed)
		}); err != nil {
			t.Fatal(err)
		}
		notHeld, err := iban.NewAlbanian("999", "0001", "99999999")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			why, iban, name, result, shown string
		}{
			{"the holder's name", eliras.IBAN, "Elira Shehu", "match", ""},
			{"printed and reordered", iban.IBAN(eliras.IBAN).Printable(), "SHEHU elira", "match", ""},
			{"an initial", eliras.IBAN, "E. Shehu", "close_match", "Elira Shehu"},
			{"another name", eliras.IBAN, "Dritan Çela", "no_match", ""},
			{"a closed account", closed.IBAN, "Elira Shehu", "not_possible", ""},
			{"an account this bank does not hold", notHeld.String(), "Elira Shehu", "not_possible", ""},
			{"another bank's IBAN", "AL47212110090000000235698741", "Elira Shehu", "not_possible", ""},
		} {
			t.Run(tc.why, func(t *testing.T) {
				r := b.do(t, "POST", interbankVoP, tok, map[string]string{"iban": tc.iban, "name": tc.name})
				wantStatus(t, r, http.StatusOK)
				if r.str("result") != tc.result || r.str("name") != tc.shown {
					t.Errorf("answer %s %q, want %s %q", r.str("result"), r.str("name"), tc.result, tc.shown)
				}
				if _, named := r.json["name"]; named != (tc.shown != "") {
					t.Errorf("answer %s names the account: %s", r.str("result"), r.body)
				}
				if tc.shown == "" && strings.Contains(string(r.body), "Shehu") && !strings.Contains(tc.name, "Shehu") {
					t.Errorf("the holder's name leaks: %s", r.body)
				}
				if tc.shown == "" && strings.Count(string(r.body), "Elira") > 0 {
					t.Errorf("the holder's name is echoed: %s", r.body)
				}
			})
		}
	})
}

// Only a live credential of a bank of the directory is let in, with bank_credential_invalid in both languages
// otherwise: none, another scheme, a customer's session, a token of no credential, a revoked one. A credential is
// no customer's session either.
func TestAnotherBankWithoutALiveCredentialIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t)
		payee := b.account(t, elira, money.ALL, ledger.TypeCurrent).IBAN
		body := map[string]string{"iban": payee, "name": "E. Shehu"}
		tok := b.credential(t, "212")
		revoked, revokedTok, err := b.services.Directory.IssueCredential(context.Background(), "202")
		if err != nil {
			t.Fatal(err)
		}
		wantStatus(t, b.do(t, "POST", interbankVoP, revokedTok, body), http.StatusOK)
		if _, err := b.services.Directory.RevokeCredential(context.Background(), revoked.ID); err != nil {
			t.Fatal(err)
		}
		session := b.login(t, arben)
		for _, tc := range []struct {
			why, token string
			headers    []string
		}{
			{"no token", "", nil},
			{"another scheme", "", []string{"Authorization", "Basic MjEyOnNlY3JldA=="}},
			{"a customer's session", session, nil},
			{"a token of no credential", "kvop_" + strings.Repeat("A", 43), nil},
			{"a revoked credential", revokedTok, nil},
		} {
			t.Run(tc.why, func(t *testing.T) {
				r := b.expectProblem(t, "POST", interbankVoP, tc.token, body, http.StatusUnauthorized,
					"bank_credential_invalid", tc.headers...)
				if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
					t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
				}
				if strings.Contains(string(r.body), "Shehu") {
					t.Errorf("a refusal names the holder: %s", r.body)
				}
			})
		}
		b.expectProblem(t, "GET", "/api/v1/accounts", tok, nil, http.StatusUnauthorized, "unauthenticated")
		wantStatus(t, b.do(t, "POST", interbankVoP, tok, body), http.StatusOK)
	})
}

// A name check's body is small and strict, each field's problem named in errors[]; a refused one spends nothing of
// the bank's allowance, past which it is refused with rate_limited and Retry-After, while another bank has its own.
func TestAnotherBanksBadChecksAreRefusedAndItsAllowanceHolds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d).withDirectory(t)
		b.services.VoP.BankAllowance = vop.Allowance{Burst: 3, Every: time.Minute}
		tok := b.credential(t, "212")
		payee := b.account(t, elira, money.ALL, ledger.TypeCurrent).IBAN
		for _, tc := range []struct {
			why  string
			body map[string]string
			want []string
		}{
			{"nothing", map[string]string{"iban": "", "name": ""}, []string{"iban:field_required", "name:field_required"}},
			{"a wrong IBAN", map[string]string{"iban": "AL47212110090000000235698742", "name": "Elira Shehu"},
				[]string{"iban:iban_invalid"}},
			{"a name too long", map[string]string{"iban": payee, "name": strings.Repeat("Elira ", 30)},
				[]string{"name:description_too_long"}},
			{"a hidden character", map[string]string{"iban": payee, "name": "Elira\u200bShehu"},
				[]string{"name:description_invalid_characters"}},
		} {
			t.Run(tc.why, func(t *testing.T) {
				r := b.expectProblem(t, "POST", interbankVoP, tok, tc.body, http.StatusBadRequest, "validation_failed")
				if got := r.fieldCodes(); !slices.Equal(got, tc.want) {
					t.Errorf("errors %v, want %v", got, tc.want)
				}
			})
		}
		b.expectProblem(t, "POST", interbankVoP, tok, `{"iban":"`+payee+`","name":"Elira","bic":"CDISALTR"}`,
			http.StatusBadRequest, "unknown_field", invalidOnPurpose, "a field the document does not name")
		b.expectProblem(t, "POST", interbankVoP, tok, `{"iban":"`+payee+`","name":"`+strings.Repeat("a", 5000)+`"}`,
			http.StatusRequestEntityTooLarge, "body_too_large")

		for i := 1; i <= 3; i++ {
			wantStatus(t, b.do(t, "POST", interbankVoP, tok, map[string]string{"iban": payee, "name": "Elira Shehu"}),
				http.StatusOK)
		}
		r := b.expectProblem(t, "POST", interbankVoP, tok, map[string]string{"iban": payee, "name": "Elira Shehu"},
			http.StatusTooManyRequests, "rate_limited")
		if got := r.header.Get("Retry-After"); got != "60" {
			t.Errorf("Retry-After %q, want 60", got)
		}
		other := b.do(t, "POST", interbankVoP, b.credential(t, "202"), map[string]string{"iban": payee, "name": "E. Shehu"})
		wantStatus(t, other, http.StatusOK)
		b.clock.Advance(time.Minute)
		wantStatus(t, b.do(t, "POST", interbankVoP, tok, map[string]string{"iban": payee, "name": "Elira Shehu"}),
			http.StatusOK)
	})
}
