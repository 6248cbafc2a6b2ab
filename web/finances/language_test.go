package finances_test

import (
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/iso20022/isotest"
	"github.com/kumbara/kumbara/statement"
	"github.com/kumbara/kumbara/web/webtest"
)

// get fetches path as a signed-in browser that chose lang, and returns the answer's headers and body.
func get(t *testing.T, b *bank, path, token, lang string) (http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", b.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	req.AddCookie(&http.Cookie{Name: "lang", Value: lang})
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return resp.Header, string(raw)
}

// The texts the bank wrote read in the page's language on the summary, the history and the statement's file; a
// name the customer gave an account stays as typed.
func TestThePagesShowTheBanksTextsInThePagesLanguage(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	a := b.accounts(t, "100000001")[0]
	tests := []struct {
		lang                     string
		account, deposit, saving string
		file                     string
	}{
		{"sq", "Llogari rrjedhëse (ALL)", "Depozitë cash në degë", "Kursimet", "pasqyre-llogarie-"},
		{"en", "Current account (ALL)", "Cash deposit at a branch", "Kursimet", "account-statement-"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			_, summary := get(t, b, "/summary", token, tt.lang)
			if !strings.Contains(summary, tt.account) || !strings.Contains(summary, tt.saving) {
				t.Errorf("summary lacks %q or %q", tt.account, tt.saving)
			}
			_, history := get(t, b, "/accounts/"+a.ID+"/history", token, tt.lang)
			if !strings.Contains(history, tt.deposit) {
				t.Errorf("history lacks %q", tt.deposit)
			}
			h, _ := get(t, b, "/accounts/"+a.ID+"/statement/pdf?from=2026-11-01&to=2026-11-20", token, tt.lang)
			if d := h.Get("Content-Disposition"); !strings.Contains(d, `filename="`+tt.file) {
				t.Errorf("Content-Disposition %q, want a file named %s…", d, tt.file)
			}
		})
	}
}

// Choosing a language while signed in makes it the one the bank writes the customer's SMS in; choosing it signed
// out changes only the browser's.
func TestChoosingALanguageSignedInSetsTheCustomersLanguage(t *testing.T) {
	b := newBank(t)
	c, err := b.Customers.ByClientNumber(context.Background(), "100000002")
	if err != nil {
		t.Fatal(err)
	}
	get(t, b, "/lang/en", "", "sq")
	if got, _ := b.Customers.Get(context.Background(), c.ID); got.Language != i18n.SQ {
		t.Fatalf("a choice signed out set the language to %q", got.Language)
	}
	token := webtest.Token(t, b.Bank, "100000002", demo.Password, c.Mobile)
	for _, lang := range []i18n.Lang{i18n.EN, i18n.SQ} {
		get(t, b, "/lang/"+string(lang), token, "sq")
		if got, _ := b.Customers.Get(context.Background(), c.ID); got.Language != lang {
			t.Errorf("after choosing %s signed in: %q", lang, got.Language)
		}
	}
}

// The statement page offers the period's camt.054 beside its camt.053, in either language, and the link answers
// the schema-valid notification of that period with the same entries as the statement.
func TestTheStatementPageOffersTheCAMT054BesideTheCAMT053(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	a := b.accounts(t, "100000001")[0]
	const period = "?from=2026-11-01&to=2026-11-20"
	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		t.Run(string(lang), func(t *testing.T) {
			_, page := get(t, b, "/accounts/"+a.ID+"/statement"+period, token, string(lang))
			link := `href="/accounts/` + a.ID + `/statement/camt054?from=2026-11-01&amp;to=2026-11-20"`
			label := b.Catalogue.Message(lang, "web_fin_download_camt054", nil)
			if !strings.Contains(page, link) || !strings.Contains(page, label) || !strings.Contains(page, `id="statement-camt053"`) {
				t.Fatalf("the statement page lacks the camt.054 link %s labelled %q beside the camt.053", link, label)
			}
		})
	}
	h, doc := get(t, b, "/accounts/"+a.ID+"/statement/camt054"+period, token, "en")
	first, last, _ := statement.ParsePeriod("2026-11-01", "2026-11-20")
	if h.Get("Content-Type") != "application/xml" ||
		h.Get("Content-Disposition") != `attachment; filename="`+statement.CAMT054FileName(a, first, last)+`"` {
		t.Errorf("headers %v", h)
	}
	isotest.Validate(t, "camt.054.001.08.xsd", []byte(doc))
	n, err := iso20022.ParseNotification([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	_, doc053 := get(t, b, "/accounts/"+a.ID+"/statement/camt053"+period, token, "en")
	st, err := iso20022.ParseStatement([]byte(doc053))
	if err != nil || len(n.Entries) == 0 || !reflect.DeepEqual(n.Entries, st.Entries) {
		t.Errorf("the notification's %d entries differ from the statement's %d (%v)", len(n.Entries), len(st.Entries), err)
	}
}
