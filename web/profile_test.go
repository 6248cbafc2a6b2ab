package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/terms"
)

// prToken logs a customer in through the services (password, then the code from the sandbox inbox) and returns
// the session token the web app keeps in its cookie.
func prToken(t *testing.T, b *bank, client, pw, mobile string) string {
	t.Helper()
	ctx := context.Background()
	ch, err := b.auth.Login(ctx, client, pw)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := b.inbox.InboxFor(ctx, mobile, 1)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no SMS for %s: %v", mobile, err)
	}
	token, _, err := b.auth.VerifyOTP(ctx, ch.ID, codeRe.FindString(msgs[0].Body))
	if err != nil {
		t.Fatal(err)
	}
	return token
}

type prAnswer struct {
	status   int
	location string // Location, or HX-Redirect for htmx requests
	body     string
}

func prDo(t *testing.T, b *bank, method, path, token string, htmx bool, form url.Values) prAnswer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.url+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "kumbara_session", Value: token})
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := prAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), body: string(raw)}
	if htmx {
		a.location = resp.Header.Get("HX-Redirect")
	}
	return a
}

// The session gate: a forced password change comes first, then the current terms, and only then the bank.
func TestSessionGateSendsEachCustomerToTheStepTheyMustTakeFirst(t *testing.T) {
	b := newBank(t)
	ctx := context.Background()
	forced, err := b.customers.ByClientNumber(ctx, "100000003")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.auth.SetPassword(ctx, forced.ID, "Fillim2026x", true); err != nil {
		t.Fatal(err)
	}
	fresh := prNewCustomer(t, b, "Vjeshta#4826")
	tokens := map[string]string{
		"must change": prToken(t, b, "100000003", "Fillim2026x", forced.Mobile),
		"new":         prToken(t, b, fresh.ClientNumber, "Vjeshta#4826", fresh.Mobile),
		"ready":       prToken(t, b, "100000001", demo.Password, "+355691000001"),
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
			a := prDo(t, b, "GET", tt.path, tokens[tt.who], tt.htmx, nil)
			if a.status != tt.status || a.location != tt.location {
				t.Fatalf("status %d to %q, want %d to %q", a.status, a.location, tt.status, tt.location)
			}
		})
	}
}

func TestAcceptingTermsThatChangedMeanwhileShowsTheNewTextInstead(t *testing.T) {
	b := newBank(t)
	fresh := prNewCustomer(t, b, "Vjeshta#4826")
	token := prToken(t, b, fresh.ClientNumber, "Vjeshta#4826", fresh.Mobile)
	a := prDo(t, b, "POST", "/terms/accept", token, false, url.Values{"decision": {"accept"}, "version": {"2025-01"}})
	if a.status != http.StatusConflict {
		t.Fatalf("status %d, want 409", a.status)
	}
	if want := b.catalogue.Message(i18n.SQ, "web_pr_accept_changed", nil); !strings.Contains(a.body, want) {
		t.Fatalf("the page does not say the terms changed")
	}
	if !strings.Contains(a.body, `name="version" value="`+terms.Current+`"`) {
		t.Fatal("the page does not offer the current version")
	}
	if ok, _ := b.terms.Accepted(context.Background(), fresh.ID); ok {
		t.Fatal("an outdated acceptance counted")
	}
	a = prDo(t, b, "POST", "/terms/accept", token, false, url.Values{"decision": {"accept"}, "version": {terms.Current}})
	if a.status != http.StatusSeeOther || a.location != "/summary" {
		t.Fatalf("accepting the current version: %d to %q", a.status, a.location)
	}
}

func TestProfileShowsTheCustomerAndTheTermsTheyAccepted(t *testing.T) {
	b := newBank(t)
	token := prToken(t, b, "100000001", demo.Password, "+355691000001")
	a := prDo(t, b, "GET", "/profile", token, false, nil)
	if a.status != http.StatusOK {
		t.Fatalf("status %d", a.status)
	}
	for _, want := range []string{"Arben Hoxha", "100000001", terms.Current,
		b.catalogue.Message(i18n.SQ, "web_pr_terms_individual", nil), `href="/profile/password"`} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the profile page lacks %q", want)
		}
	}
}

// A wrong old password counts towards the lockout like a wrong login (A14); when it blocks the channel, the
// session that tried ends as well, and the customer is told why.
func TestWrongOldPasswordsBlockTheChannelAndEndTheSession(t *testing.T) {
	b := newBank(t)
	token := prToken(t, b, "100000002", demo.Password, "+355682000002")
	form := url.Values{"old_password": {"Gabim#2048x"}, "new_password": {"Vjeshta#4826"}, "confirm_password": {"Vjeshta#4826"}}
	for i := 1; i < b.auth.Config.MaxFailures; i++ {
		if a := prDo(t, b, "POST", "/profile/password", token, false, form); a.status != http.StatusBadRequest {
			t.Fatalf("wrong old password %d: status %d", i, a.status)
		}
	}
	a := prDo(t, b, "POST", "/profile/password", token, false, form)
	if want := b.catalogue.Message(i18n.SQ, "channel_blocked", nil); a.status != http.StatusForbidden || !strings.Contains(a.body, want) {
		t.Fatalf("the last wrong old password: status %d, page without %q", a.status, want)
	}
	if a := prDo(t, b, "GET", "/summary", token, false, nil); a.status != http.StatusSeeOther || !strings.HasPrefix(a.location, "/login") {
		t.Fatalf("the session lives on after the block: %d to %q", a.status, a.location)
	}
	if _, err := b.auth.Login(context.Background(), "100000002", demo.Password); err == nil {
		t.Fatal("the channel is not blocked")
	}
}
