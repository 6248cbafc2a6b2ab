package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
)

// The texts the bank wrote come in the request's language, with their key and parameters beside them; account
// names the customer did not give read as the type and currency.
func TestTheBanksTextsFollowAcceptLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		a := b.account(t, arben, money.ALL, ledger.TypeCurrent)
		tests := []struct {
			lang, title, deposit, file string
		}{
			{"sq", "Llogari rrjedhëse (ALL)", "Depozitë cash në degë", "pasqyre-llogarie-"},
			{"en", "Current account (ALL)", "Cash deposit at a branch", "account-statement-"},
		}
		for _, tt := range tests {
			t.Run(tt.lang, func(t *testing.T) {
				r := b.do(t, "GET", "/api/v1/accounts/"+a.ID, tok, nil, "Accept-Language", tt.lang)
				wantStatus(t, r, http.StatusOK)
				if r.str("title") != tt.title || r.str("name") != "" || r.str("type") != ledger.TypeCurrent {
					t.Errorf("account %s", r.body)
				}
				r = b.do(t, "GET", "/api/v1/accounts/"+a.ID+"/transactions?sort=date_asc&limit=1", tok, nil,
					"Accept-Language", tt.lang)
				wantStatus(t, r, http.StatusOK)
				lines, _ := r.json["transactions"].([]any)
				if len(lines) != 1 {
					t.Fatalf("transactions %s", r.body)
				}
				line := lines[0].(map[string]any)
				desc, _ := line["description"].(string)
				if !strings.HasPrefix(desc, tt.deposit) || line["description_key"] != ledger.TextCashDeposit {
					t.Errorf("line %v, want %q with its key", line, tt.deposit)
				}
				r = b.do(t, "GET", "/api/v1/accounts/"+a.ID+"/statement?from=2026-01-01&to=2026-01-31", tok, nil,
					"Accept-Language", tt.lang)
				wantStatus(t, r, http.StatusOK)
				if d := r.header.Get("Content-Disposition"); !strings.Contains(d, `filename="`+tt.file) {
					t.Errorf("Content-Disposition %q", d)
				}
			})
		}
	})
}

// A login from the app stores the phone's language (its Accept-Language) as the customer's: their SMS are
// written in it from then on. A login without the header leaves it as it was.
func TestAnAppLoginSetsTheLanguageOfTheCustomersSMS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		ch := b.startLogin(t, elira, "Kumbara2026")
		wantStatus(t, b.finishLogin(t, ch, b.otp(t, elira), "Accept-Language", "en-GB,en;q=0.9"), http.StatusOK)
		if got := b.customer(t, elira).Language; got != i18n.EN {
			t.Fatalf("language %q after an English login", got)
		}
		b.clock.Advance(time.Minute)
		ch = b.startLogin(t, elira, "Kumbara2026")
		if sms := b.lastSMS(t, elira); !strings.Contains(sms, "your login code is") {
			t.Errorf("SMS %q is not in English", sms)
		}
		wantStatus(t, b.finishLogin(t, ch, b.otp(t, elira)), http.StatusOK)
		if got := b.customer(t, elira).Language; got != i18n.EN {
			t.Errorf("a login without Accept-Language changed the language to %q", got)
		}
	})
}
