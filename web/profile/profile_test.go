package profile_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/terms"
)

// The session gate: a forced password change comes first, then the current terms, and only then the bank.
func TestSessionGateSendsEachCustomerToTheStepTheyMustTakeFirst(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	forced, err := b.Customers.ByClientNumber(ctx, "100000003")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(ctx, forced.ID, "Fillim2026x", true); err != nil {
		t.Fatal(err)
	}
	fresh := newCustomer(t, b, "Vjeshta#4826")
	tokens := map[string]string{
		"must change": webtest.Token(t, b.Bank, "100000003", "Fillim2026x", forced.Mobile),
		"new":         webtest.Token(t, b.Bank, fresh.ClientNumber, "Vjeshta#4826", fresh.Mobile),
		"ready":       webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001"),
	}
	tests := []struct {
		who, path string
		htmx      bool
		status    int
		location  string
	}{
		{"must change", "/summary", false, http.StatusSeeOther, "/profile/password"},
		{"must change", "/profile", false, http.StatusSeeOther, "/profile/password"},
		{"must change", "/terms/accept", false, http.StatusSeeOther, "/profile/password"},
		{"must change", "/summary", true, http.StatusForbidden, "/profile/password"},
		{"must change", "/profile/password", false, http.StatusOK, ""},
		{"must change", "/logout", false, http.StatusOK, ""},
		{"must change", "/terms", false, http.StatusOK, ""},
		{"new", "/summary", false, http.StatusSeeOther, "/terms/accept"},
		{"new", "/profile", false, http.StatusSeeOther, "/terms/accept"},
		{"new", "/summary", true, http.StatusForbidden, "/terms/accept"},
		{"new", "/terms/accept", false, http.StatusOK, ""},
		{"new", "/profile/password", false, http.StatusOK, ""},
		{"new", "/logout", false, http.StatusOK, ""},
		{"new", "/terms", false, http.StatusOK, ""},
		{"new", "/privacy", false, http.StatusOK, ""},
		{"new", "/contact", false, http.StatusOK, ""},
		{"ready", "/summary", false, http.StatusOK, ""},
		{"ready", "/profile", false, http.StatusOK, ""},
		{"ready", "/terms/accept", false, http.StatusSeeOther, "/summary"},
		{"nobody", "/profile/password", false, http.StatusSeeOther, "/login"},
		{"nobody", "/terms/accept", false, http.StatusSeeOther, "/login"},
	}
	for _, tt := range tests {
		name := tt.who + " " + tt.path
		if tt.htmx {
			name += " by htmx"
		}
		t.Run(name, func(t *testing.T) {
			a := webtest.Do(t, b.Bank, "GET", tt.path, tokens[tt.who], tt.htmx, nil)
			if a.Status != tt.status || a.Location != tt.location {
				t.Fatalf("status %d to %q, want %d to %q", a.Status, a.Location, tt.status, tt.location)
			}
		})
	}
}

func TestAcceptingTermsThatChangedMeanwhileShowsTheNewTextInstead(t *testing.T) {
	b := newBank(t)
	fresh := newCustomer(t, b, "Vjeshta#4826")
	token := webtest.Token(t, b.Bank, fresh.ClientNumber, "Vjeshta#4826", fresh.Mobile)
	a := webtest.Do(t, b.Bank, "POST", "/terms/accept", token, false, url.Values{"decision": {"accept"}, "version": {"2025-01"}})
	if a.Status != http.StatusConflict {
		t.Fatalf("status %d, want 409", a.Status)
	}
	if want := b.Catalogue.Message(i18n.SQ, "web_pr_accept_changed", nil); !strings.Contains(a.Body, want) {
		t.Fatalf("the page does not say the terms changed")
	}
	if !strings.Contains(a.Body, `name="version" value="`+terms.Current+`"`) {
		t.Fatal("the page does not offer the current version")
	}
	if ok, _ := b.Terms.Accepted(context.Background(), fresh.ID); ok {
		t.Fatal("an outdated acceptance counted")
	}
	a = webtest.Do(t, b.Bank, "POST", "/terms/accept", token, false, url.Values{"decision": {"accept"}, "version": {terms.Current}})
	if a.Status != http.StatusSeeOther || a.Location != "/summary" {
		t.Fatalf("accepting the current version: %d to %q", a.Status, a.Location)
	}
}

func TestProfileShowsTheCustomerAndTheTermsTheyAccepted(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000001", demo.Password, "+355691000001")
	a := webtest.Do(t, b.Bank, "GET", "/profile", token, false, nil)
	if a.Status != http.StatusOK {
		t.Fatalf("status %d", a.Status)
	}
	for _, want := range []string{"Arben Hoxha", "100000001", terms.Current,
		b.Catalogue.Message(i18n.SQ, "web_pr_terms_individual", nil), `href="/profile/password"`} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("the profile page lacks %q", want)
		}
	}
}

// A wrong old password counts towards the lockout like a wrong login (A14); when it blocks the channel, the
// session that tried ends as well, and the customer is told why.
func TestWrongOldPasswordsBlockTheChannelAndEndTheSession(t *testing.T) {
	b := newBank(t)
	token := webtest.Token(t, b.Bank, "100000002", demo.Password, "+355682000002")
	form := url.Values{"old_password": {"Gabim#2048x"}, "new_password": {"Vjeshta#4826"}, "confirm_password": {"Vjeshta#4826"}}
	for i := 1; i < b.Auth.Config.MaxFailures; i++ {
		if a := webtest.Do(t, b.Bank, "POST", "/profile/password", token, false, form); a.Status != http.StatusBadRequest {
			t.Fatalf("wrong old password %d: status %d", i, a.Status)
		}
	}
	a := webtest.Do(t, b.Bank, "POST", "/profile/password", token, false, form)
	if want := b.Catalogue.Message(i18n.SQ, "channel_blocked", nil); a.Status != http.StatusForbidden || !strings.Contains(a.Body, want) {
		t.Fatalf("the last wrong old password: status %d, page without %q", a.Status, want)
	}
	if a := webtest.Do(t, b.Bank, "GET", "/summary", token, false, nil); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/login") {
		t.Fatalf("the session lives on after the block: %d to %q", a.Status, a.Location)
	}
	if _, err := b.Auth.Login(context.Background(), "100000002", demo.Password); err == nil {
		t.Fatal("the channel is not blocked")
	}
}
