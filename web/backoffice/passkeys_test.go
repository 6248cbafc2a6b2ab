package backoffice_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/webtest"
)

// jsonAnswer is a ceremony step's answer: the problem's code and message, or the options and where to go.
type jsonAnswer struct {
	Status   int
	Code     string          `json:"code"`
	Error    string          `json:"error"`
	Options  json.RawMessage `json:"options"`
	Ceremony string          `json:"ceremony"`
	Redirect string          `json:"redirect"`
	Header   http.Header
}

// staffJSON posts a ceremony's step as backoffice_passkey.js does: JSON from the bank's own origin, with the
// cookies given.
func staffJSON(t *testing.T, b *webtest.Bank, path, body string, cookies ...*http.Cookie) jsonAnswer {
	t.Helper()
	req, _ := http.NewRequest("POST", b.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := webtest.NoRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := jsonAnswer{Status: resp.StatusCode, Header: resp.Header}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s answered %d %s, not JSON: %.200s", path, resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %v in %s", path, err, raw)
	}
	return a
}

func sessionCookie(token string) *http.Cookie {
	return &http.Cookie{Name: webtest.StaffCookie, Value: token}
}

// TestAMembersPasskeysPageAndItsStepsSayTheDomainsAnswers: the page lists none and offers the form; adding one
// asks for the password again (a wrong one said as the password change says it, and counted), answers the
// creation options for the right one, and refuses an answer that is no authenticator's; a passkey that is not the
// member's is the not-found page, its removal too.
func TestAMembersPasskeysPageAndItsStepsSayTheDomainsAnswers(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "teller")
	a := staffGet(t, b, "/backoffice/passkeys", token, "")
	if a.Status != http.StatusOK || !strings.Contains(a.Body, `id="staff-passkeys-empty"`) ||
		!strings.Contains(a.Body, `id="staff-passkey-add"`) || !strings.Contains(a.Body, "backoffice_passkey.") {
		t.Fatalf("passkeys page: %d", a.Status)
	}
	cookie := sessionCookie(token)
	for _, tc := range []struct {
		body, code, msg string
		status          int
	}{
		{`{"password":"Gabim#2026xx"}`, "staff_login_failed", b.Message("web_bo_password_current_wrong"), 401},
		{`{"password":""}`, "field_required", b.Message("field_required"), 400},
		{`{"password":"x","name":"y"}`, "unknown_field", "", 400},
	} {
		a := staffJSON(t, b, "/backoffice/passkeys/begin", tc.body, cookie)
		if a.Status != tc.status || a.Code != tc.code || (tc.msg != "" && a.Error != tc.msg) {
			t.Errorf("begin %s: %d %s %q, want %d %s %q", tc.body, a.Status, a.Code, a.Error, tc.status, tc.code, tc.msg)
		}
	}
	if m, _ := b.Staff.ByUsername(context.Background(), "teller"); m.Locked {
		t.Fatal("one wrong password locked the teller out")
	}
	begin := staffJSON(t, b, "/backoffice/passkeys/begin", `{"password":"`+demo.Password+`"}`, cookie)
	if begin.Status != http.StatusOK || begin.Ceremony == "" || !strings.Contains(string(begin.Options), `"challenge"`) {
		t.Fatalf("begin with the password: %d %+v", begin.Status, begin)
	}
	a2 := staffJSON(t, b, "/backoffice/passkeys/finish", `{"ceremony":"`+begin.Ceremony+`","name":"Laptopi",`+
		`"credential":{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{}}}`, cookie)
	if a2.Status != http.StatusBadRequest || a2.Code != "staff_passkey_registration_failed" {
		t.Errorf("finish with no authenticator's answer: %d %s", a2.Status, a2.Code)
	}
	if list, _ := b.Staff.ListPasskeys(context.Background(), member(t, b, "teller")); len(list) != 0 {
		t.Errorf("a refused answer added %v", list)
	}
	for _, method := range []string{"GET", "POST"} {
		a := webtest.Send(t, b, method, "/backoffice/passkeys/01900000-0000-7000-8000-000000000000/remove",
			webtest.Request{Cookies: staffCookies(token, ""), Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
		if a.Status != http.StatusNotFound || !strings.Contains(a.Body, htmlText(b.Message("staff_passkey_not_found"))) {
			t.Errorf("%s removal of a passkey that is not there: %d", method, a.Status)
		}
	}
	// Without a session the steps go to the login, which the script follows.
	if a := webtest.Send(t, b, "POST", "/backoffice/passkeys/begin", webtest.Request{Header: http.Header{
		"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/json"}}}); a.Status != http.StatusSeeOther ||
		a.Location != "/backoffice/login" {
		t.Errorf("begin without a session: %d to %q", a.Status, a.Location)
	}
}

func member(t *testing.T, b *webtest.Bank, username string) staff.Member {
	t.Helper()
	m, err := b.Staff.ByUsername(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestThePasskeyLoginStepsAnswerFromTheCodePage: the code page offers a passkey; a member without one is told to
// use the code, an answer that is no passkey's is refused and counted, and a login that is not there (no step
// cookie) must start again.
func TestThePasskeyLoginStepsAnswerFromTheCodePage(t *testing.T) {
	b := webtest.NewBank(t)
	a := staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"service"}, "password": {demo.Password}})
	step := cookie(t, a, "kumbara_staff_step")
	page := webtest.Send(t, b, "GET", "/backoffice/login/code", webtest.Request{Cookies: []*http.Cookie{step}})
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="staff-passkey-login"`) ||
		!strings.Contains(page.Body, `data-begin="/backoffice/login/passkey/begin"`) {
		t.Fatalf("code page: %d, no passkey offered", page.Status)
	}
	if a := staffJSON(t, b, "/backoffice/login/passkey/begin", `{}`, step); a.Status != http.StatusUnprocessableEntity ||
		a.Code != "staff_passkey_none" || a.Error != b.Message("staff_passkey_none") {
		t.Errorf("begin for a member without passkeys: %d %s %q", a.Status, a.Code, a.Error)
	}
	a3 := staffJSON(t, b, "/backoffice/login/passkey/finish", `{"credential":{"id":"AAAA","type":"public-key"}}`, step)
	if a3.Status != http.StatusUnauthorized || a3.Code != "staff_passkey_invalid" {
		t.Errorf("finish with no passkey's answer: %d %s", a3.Status, a3.Code)
	}
	var failures int
	if err := b.DB.QueryRow(context.Background(), "SELECT failures FROM staff WHERE username = 'service'").
		Scan(&failures); err != nil || failures != 1 {
		t.Errorf("failures after a refused passkey: %d (%v), want 1", failures, err)
	}
	// The step is still good for the code.
	a = webtest.Send(t, b, "POST", "/backoffice/login/code", webtest.Request{Cookies: []*http.Cookie{step},
		Form: url.Values{"code": {b.StaffCode(t, "service")}}, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/" {
		t.Fatalf("the code after a refused passkey: %d to %q", a.Status, a.Location)
	}
	// Now used, the step begins nothing: the login starts again, and its cookie goes.
	a4 := staffJSON(t, b, "/backoffice/login/passkey/begin", `{}`, step)
	if a4.Status != http.StatusUnauthorized || a4.Code != "staff_step_invalid" ||
		!strings.Contains(strings.Join(a4.Header["Set-Cookie"], ";"), "kumbara_staff_step=;") {
		t.Errorf("begin with a used step: %d %s, cookies %v", a4.Status, a4.Code, a4.Header["Set-Cookie"])
	}
	if a := staffJSON(t, b, "/backoffice/login/passkey/begin", `{}`); a.Status != http.StatusUnauthorized ||
		a.Code != "staff_step_invalid" {
		t.Errorf("begin without a login: %d %s", a.Status, a.Code)
	}
	// The steps spend the staff login budget; its refusal is the JSON the script shows, not a page.
	var limited jsonAnswer
	for range 200 {
		if limited = staffJSON(t, b, "/backoffice/login/passkey/begin", `{}`); limited.Status == http.StatusTooManyRequests {
			break
		}
	}
	if limited.Status != http.StatusTooManyRequests || limited.Code != "rate_limited" || limited.Error == "" ||
		limited.Header.Get("Retry-After") == "" {
		t.Errorf("past the staff login budget: %d %s %q", limited.Status, limited.Code, limited.Error)
	}
}

// TestAMemberWhoseBankSetPasswordWaitsForTheirOwnBeforeTheirPasskeys: the passkeys need no permission, but like
// every page they wait for the password change.
func TestAMemberWhoseBankSetPasswordWaitsForTheirOwnBeforeTheirPasskeys(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	admin := member(t, b, "admin")
	c, err := b.Staff.Create(ctx, &admin, staff.NewMember{Username: "besa.kola", FullName: "Besa Kola",
		Branch: "Shkodër", Roles: []staff.Role{staff.Teller}})
	if err != nil {
		t.Fatal(err)
	}
	step, err := b.Staff.Login(ctx, "besa.kola", c.Password)
	if err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(30 * time.Second)
	code, _ := staff.Code(c.Enrolment.Secret, b.Clock.Now())
	sess, err := b.Staff.Verify(ctx, step.Token, code)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/backoffice/passkeys", "/backoffice/passkeys/x/remove"} {
		if a := staffGet(t, b, path, sess.Token, ""); a.Status != http.StatusSeeOther || a.Location != "/backoffice/password" {
			t.Errorf("%s before the password change: %d to %q", path, a.Status, a.Location)
		}
	}
	a := webtest.Send(t, b, "POST", "/backoffice/passkeys/begin", webtest.Request{Cookies: staffCookies(sess.Token, ""),
		Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/json"}}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/password" {
		t.Errorf("begin before the password change: %d to %q", a.Status, a.Location)
	}
}

// TestTheHomePageAndTheHeaderLeadToTheMembersPasskeys: every member reaches their passkeys, in their language.
func TestTheHomePageAndTheHeaderLeadToTheMembersPasskeys(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "manager")
	a := staffGet(t, b, "/backoffice/", token, i18n.EN)
	for _, want := range []string{`<a href="/backoffice/passkeys" id="home-passkeys">`,
		`<a href="/backoffice/passkeys" class="who"`, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pk_title", nil))} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("the home page lacks %s", want)
		}
	}
}
