package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/backoffice"
	"github.com/kumbara/kumbara/web/webtest"
)

func TestMain(m *testing.M) { webtest.Main(m) }

// staffGet sends a GET of a back office page with the staff session token (if any) and the page language.
func staffGet(t *testing.T, b *webtest.Bank, path, token string, lang i18n.Lang) webtest.Answer {
	t.Helper()
	return webtest.Send(t, b, "GET", path, webtest.Request{Cookies: staffCookies(token, lang)})
}

// staffPost posts a form from a back office page of the bank's own origin.
func staffPost(t *testing.T, b *webtest.Bank, path, token string, form url.Values) webtest.Answer {
	t.Helper()
	return webtest.Send(t, b, "POST", path, webtest.Request{Cookies: staffCookies(token, ""), Form: form,
		Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {b.URL}}})
}

func staffCookies(token string, lang i18n.Lang) []*http.Cookie {
	var cs []*http.Cookie
	if token != "" {
		cs = append(cs, &http.Cookie{Name: webtest.StaffCookie, Value: token})
	}
	if lang != "" {
		cs = append(cs, &http.Cookie{Name: "lang", Value: string(lang)})
	}
	return cs
}

// withoutPermission are the routes open without a staff permission: the login's steps (the passkey's among
// them), the logout, the password change a member must reach before anything else, the language and keeping a
// session alive, and a member's own passkeys, which like their password need nothing beyond their session. Any
// other route is a staff page and names its permission.
var withoutPermission = map[string]bool{
	"GET /backoffice/login": true, "POST /backoffice/login": true,
	"GET /backoffice/login/code": true, "POST /backoffice/login/code": true,
	"POST /backoffice/login/passkey/begin": true, "POST /backoffice/login/passkey/finish": true,
	"GET /backoffice/logout": true, "POST /backoffice/logout": true,
	"GET /backoffice/password": true, "POST /backoffice/password": true,
	"GET /backoffice/lang/{lang}": true, "POST /backoffice/session/extend": true,
	"GET /backoffice/passkeys": true, "POST /backoffice/passkeys/begin": true, "POST /backoffice/passkeys/finish": true,
	"GET /backoffice/passkeys/{id}/remove": true, "POST /backoffice/passkeys/{id}/remove": true,
}

// TestEveryStaffRouteNeedsAPermission walks the back office's route table: every route but the few that come
// before a member can act names a permission the roles table knows, and a route that checks a secret spends a
// budget.
func TestEveryStaffRouteNeedsAPermission(t *testing.T) {
	s := &backoffice.Server{Deps: backoffice.Deps{Catalogue: i18n.MustNew()}}
	routes, err := s.Routes()
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) < 15 {
		t.Fatalf("%d routes: the table is not all there", len(routes))
	}
	for _, rt := range routes {
		pattern := rt.Method + " " + rt.Path
		switch {
		case withoutPermission[pattern] && rt.Permission != "":
			t.Errorf("%s needs %s, but a member must reach it before anything else", pattern, rt.Permission)
		case withoutPermission[pattern]:
		case rt.Permission == "":
			t.Errorf("%s has no staff permission", pattern)
		case !rt.Permission.Known():
			t.Errorf("%s needs the unknown permission %q", pattern, rt.Permission)
		case rt.Access != httpx.Full:
			t.Errorf("%s is %v: a staff page needs a member with their own password (Full)", pattern, rt.Access)
		}
	}
	for _, pattern := range []string{"POST /backoffice/login", "POST /backoffice/login/code", "POST /backoffice/password",
		"POST /backoffice/login/passkey/begin", "POST /backoffice/login/passkey/finish",
		"POST /backoffice/passkeys/begin", "POST /backoffice/passkeys/finish"} {
		found := false
		for _, rt := range routes {
			if rt.Method+" "+rt.Path == pattern {
				found = true
				if rt.Limit != httpx.StaffLogin {
					t.Errorf("%s spends %q, want the staff_login budget", pattern, rt.Limit)
				}
			}
		}
		if !found {
			t.Errorf("no route %s", pattern)
		}
	}
}

// TestStaffAndCustomerSessionsNeverCross: the staff cookie is scoped to /backoffice, and a staff token opens no
// customer page, as a customer's token opens no back office page.
func TestStaffAndCustomerSessionsNeverCross(t *testing.T) {
	b := webtest.NewBank(t)
	staffToken := webtest.StaffToken(t, b, "teller")
	customerToken := webtest.Token(t, b, "100000001", demo.Password, "+355691000001")

	if a := staffGet(t, b, "/backoffice/", staffToken, ""); a.Status != http.StatusOK {
		t.Fatalf("the teller's own token: %d %s", a.Status, a.Location)
	}
	for _, path := range []string{"/backoffice/", "/backoffice/customers", "/backoffice/password"} {
		a := staffGet(t, b, path, customerToken, "")
		if a.Status != http.StatusSeeOther || a.Location != "/backoffice/login" {
			t.Errorf("%s with a customer's token: %d to %q, want the back office login", path, a.Status, a.Location)
		}
	}
	// The staff token where the customers' cookie goes (the API's bearer token: package channels' tests).
	if a := webtest.Do(t, b, "GET", "/summary", staffToken, false, nil); a.Status != http.StatusSeeOther ||
		!strings.HasPrefix(a.Location, "/login") {
		t.Errorf("/summary with a staff token: %d to %q, want the customers' login", a.Status, a.Location)
	}
	// A staff cookie sent along to a customer's page is not read there: the customer's own session decides.
	a := webtest.Send(t, b, "GET", "/summary", webtest.Request{Cookies: []*http.Cookie{
		{Name: webtest.StaffCookie, Value: staffToken}}})
	if a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/login") {
		t.Errorf("/summary with only the staff cookie: %d to %q", a.Status, a.Location)
	}
}

// TestTheStaffCookieIsScopedHttpOnlyAndStrict: the login's step and the session each live in a cookie of their
// own, scoped to the back office, HttpOnly and SameSite=Strict.
func TestTheStaffCookieIsScopedHttpOnlyAndStrict(t *testing.T) {
	b := webtest.NewBank(t)
	a := staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"admin"}, "password": {demo.Password}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/login/code" {
		t.Fatalf("login: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	step := cookie(t, a, "kumbara_staff_step")
	if step.Path != "/backoffice/login" || !step.HttpOnly || step.SameSite != http.SameSiteStrictMode || step.MaxAge <= 0 {
		t.Errorf("step cookie %+v", step)
	}
	a = webtest.Send(t, b, "POST", "/backoffice/login/code", webtest.Request{Cookies: []*http.Cookie{step},
		Form: url.Values{"code": {b.StaffCode(t, "admin")}}, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/" {
		t.Fatalf("code: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	sess := cookie(t, a, webtest.StaffCookie)
	if sess.Path != "/backoffice" || !sess.HttpOnly || sess.SameSite != http.SameSiteStrictMode || sess.Secure {
		t.Errorf("session cookie %+v", sess)
	}
	if a := staffGet(t, b, "/backoffice/staff", sess.Value, ""); a.Status != http.StatusOK ||
		a.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("staff page: %d, Cache-Control %q", a.Status, a.Header.Get("Cache-Control"))
	}
}

func cookie(t *testing.T, a webtest.Answer, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: a.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no cookie %s in %v", name, a.Header["Set-Cookie"])
	return nil
}

// TestTheBackOfficeCarriesTheSecurityHeadersAndRefusesAnotherSitesForm: frames refused, no inline code, and a
// form posted from another origin refused (CSRF) before it reaches the login.
func TestTheBackOfficeCarriesTheSecurityHeadersAndRefusesAnotherSitesForm(t *testing.T) {
	b := webtest.NewBank(t)
	a := staffGet(t, b, "/backoffice/login", "", "")
	csp := a.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") ||
		a.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: CSP %q, X-Frame-Options %q", csp, a.Header.Get("X-Frame-Options"))
	}
	token := webtest.StaffToken(t, b, "admin")
	for _, h := range []http.Header{
		{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}},
		{"Origin": {"https://evil.example"}},
	} {
		a := webtest.Send(t, b, "POST", "/backoffice/login", webtest.Request{Header: h,
			Form: url.Values{"username": {"admin"}, "password": {demo.Password}}})
		if a.Status != http.StatusForbidden || !strings.Contains(a.Body, htmlText(b.Message("cross_site_refused"))) {
			t.Errorf("login from another site (%v): %d", h, a.Status)
		}
		a = webtest.Send(t, b, "POST", "/backoffice/staff/teller/deactivate", webtest.Request{Header: h,
			Cookies: staffCookies(token, "")})
		if a.Status != http.StatusForbidden {
			t.Errorf("deactivation from another site (%v): %d", h, a.Status)
		}
	}
	if m, err := b.Staff.ByUsername(context.Background(), "teller"); err != nil || !m.Active {
		t.Errorf("teller after the refused posts: %+v, %v", m, err)
	}
}

// htmlText is s as html/template writes it in a page.
func htmlText(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "&", "&amp;", "<", "&lt;", ">", "&gt;", "+", "&#43;").Replace(s)
}

// TestAMemberWithoutThePermissionGetsTheForbiddenPageInTheirLanguage: a teller may find customers but not manage
// staff, jobs or see the staff list; the refusal is a 403 with staff_permission_denied in the page's language.
func TestAMemberWithoutThePermissionGetsTheForbiddenPageInTheirLanguage(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "teller")
	if a := staffGet(t, b, "/backoffice/customers?q=Cela", token, ""); a.Status != http.StatusOK {
		t.Errorf("the teller's customer search: %d", a.Status)
	}
	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		want := htmlText(b.Catalogue.Message(lang, "staff_permission_denied", nil))
		for _, path := range []string{"/backoffice/staff", "/backoffice/staff/new", "/backoffice/jobs"} {
			a := staffGet(t, b, path, token, lang)
			if a.Status != http.StatusForbidden || !strings.Contains(a.Body, want) {
				t.Errorf("%s (%s): %d, want 403 saying %q", path, lang, a.Status, want)
			}
		}
	}
	a := staffPost(t, b, "/backoffice/staff", token, url.Values{"username": {"intruder"}, "full_name": {"Ana Mema"},
		"branch": {"Tiranë"}, "roles": {"admin"}})
	if a.Status != http.StatusForbidden {
		t.Errorf("the teller creating a member: %d", a.Status)
	}
	if _, err := b.Staff.ByUsername(context.Background(), "intruder"); err == nil {
		t.Error("the teller created a member")
	}
}

// TestTheLoginSaysWhatWentWrongAndLocksOutAfterFiveFailures: a wrong password and a wrong code each say so, in
// the page's language; the fifth failure in a row locks the member out, and the login says that too.
func TestTheLoginSaysWhatWentWrongAndLocksOutAfterFiveFailures(t *testing.T) {
	b := webtest.NewBank(t)
	a := staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"service"}, "password": {"Gabim#2026xx"}})
	if a.Status != http.StatusUnauthorized || !strings.Contains(a.Body, htmlText(b.Message("staff_login_failed"))) ||
		!strings.Contains(a.Body, `value="service"`) {
		t.Errorf("wrong password: %d", a.Status)
	}
	a = staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"service"}, "password": {demo.Password}})
	step := cookie(t, a, "kumbara_staff_step")
	a = webtest.Send(t, b, "POST", "/backoffice/login/code", webtest.Request{Cookies: []*http.Cookie{step},
		Form: url.Values{"code": {"000000"}}, Header: http.Header{"Sec-Fetch-Site": {"same-origin"}}})
	if a.Status != http.StatusUnauthorized || !strings.Contains(a.Body, htmlText(b.Message("staff_code_invalid"))) {
		t.Errorf("wrong code: %d", a.Status)
	}
	for range 3 {
		staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"service"}, "password": {"Gabim#2026xx"}})
	}
	a = staffPost(t, b, "/backoffice/login", "", url.Values{"username": {"service"}, "password": {demo.Password}})
	if a.Status != http.StatusForbidden || !strings.Contains(a.Body, htmlText(b.Message("staff_locked"))) {
		t.Errorf("the right password after five failures: %d, want the lockout", a.Status)
	}
	// Another member with staff.unblock lifts it from the back office.
	admin := webtest.StaffToken(t, b, "admin")
	if a := staffPost(t, b, "/backoffice/staff/service/unblock", admin, url.Values{}); a.Status != http.StatusSeeOther {
		t.Fatalf("unblock: %d %s", a.Status, a.Body)
	}
	webtest.StaffToken(t, b, "service")
}

// TestASessionIdleForFifteenMinutesGoesToTheLogin: the domain's idle limit, and the login page saying why.
func TestASessionIdleForFifteenMinutesGoesToTheLogin(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "manager")
	b.Clock.Advance(14 * time.Minute)
	if a := staffGet(t, b, "/backoffice/", token, ""); a.Status != http.StatusOK {
		t.Fatalf("after 14 minutes: %d", a.Status)
	}
	b.Clock.Advance(15*time.Minute + time.Second)
	a := staffGet(t, b, "/backoffice/", token, "")
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/login?m=expired" {
		t.Fatalf("after 15 idle minutes: %d to %q", a.Status, a.Location)
	}
	if a := staffGet(t, b, a.Location, "", ""); !strings.Contains(a.Body, htmlText(b.Message("staff_session_expired"))) {
		t.Errorf("the login page does not say the session ended")
	}
}

// TestANewMemberMustChangeTheirPasswordFirst: an administrator creates a member in the back office, shown the
// initial password and the TOTP enrolment once; the member logs in with them and is held on the password change,
// which refuses a password against the staff policy rule by rule, until they choose their own.
func TestANewMemberMustChangeTheirPasswordFirst(t *testing.T) {
	b := webtest.NewBank(t)
	admin := webtest.StaffToken(t, b, "admin")
	a := staffPost(t, b, "/backoffice/staff", admin, url.Values{"username": {"besa.kola"}, "full_name": {"Besa Kola"},
		"branch": {"Shkodër"}, "roles": {"teller", "service"}})
	if a.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", a.Status, a.Body)
	}
	pw, secret := between(a.Body, `id="initial-password">`, "<"), between(a.Body, `id="totp-secret">`, "<")
	if pw == "" || secret == "" || !strings.Contains(a.Body, `src="data:image/png;base64,`) {
		t.Fatalf("the enrolment page lacks the password, the secret or the QR code")
	}
	if a.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the enrolment page may be cached: %q", a.Header.Get("Cache-Control"))
	}
	// The member page never shows the secret again.
	if a := staffGet(t, b, "/backoffice/staff/besa.kola", admin, ""); strings.Contains(a.Body, secret) {
		t.Error("the member page shows the TOTP secret")
	}
	step, err := b.Staff.Login(context.Background(), "besa.kola", pw)
	if err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(30 * time.Second)
	code, _ := staff.Code(secret, b.Clock.Now())
	sess, err := b.Staff.Verify(context.Background(), step.Token, code)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/backoffice/", "/backoffice/customers"} {
		if a := staffGet(t, b, path, sess.Token, ""); a.Status != http.StatusSeeOther || a.Location != "/backoffice/password" {
			t.Errorf("%s before the password change: %d to %q", path, a.Status, a.Location)
		}
	}
	if a := staffGet(t, b, "/backoffice/password", sess.Token, ""); a.Status != http.StatusOK ||
		!strings.Contains(a.Body, `id="password-forced"`) {
		t.Errorf("password page: %d", a.Status)
	}
	for _, tc := range []struct {
		form       url.Values
		status     int
		field, msg string
	}{
		{url.Values{"current_password": {pw}, "new_password": {""}, "confirm_password": {""}}, 400, "new_password",
			b.Message("field_required")},
		{url.Values{"current_password": {pw}, "new_password": {"Drita2026x"}, "confirm_password": {"Drita2026y"}}, 400,
			"confirm_password", b.Message("web_bo_password_mismatch")},
		{url.Values{"current_password": {"Gabim#2026xx"}, "new_password": {"Drita2026x"}, "confirm_password": {"Drita2026x"}},
			401, "current_password", b.Message("web_bo_password_current_wrong")},
		{url.Values{"current_password": {pw}, "new_password": {"Drita26x"}, "confirm_password": {"Drita26x"}}, 400,
			"new_password", b.Message("staff_password_length")},
		{url.Values{"current_password": {pw}, "new_password": {"besa.kola2026X"}, "confirm_password": {"besa.kola2026X"}},
			400, "new_password", ""},
	} {
		a := staffPost(t, b, "/backoffice/password", sess.Token, tc.form)
		if a.Status != tc.status || !strings.Contains(a.Body, `id="`+tc.field+`-problem"`) ||
			!strings.Contains(a.Body, htmlText(tc.msg)) {
			t.Errorf("%v: %d, want %d with %q on %s", tc.form, a.Status, tc.status, tc.msg, tc.field)
		}
	}
	a = staffPost(t, b, "/backoffice/password", sess.Token, url.Values{"current_password": {pw},
		"new_password": {"Drita-Pranverë9"}, "confirm_password": {"Drita-Pranverë9"}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/?m=password_changed" {
		t.Fatalf("password change: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	if a := staffGet(t, b, "/backoffice/customers", sess.Token, ""); a.Status != http.StatusOK {
		t.Errorf("after the password change: %d", a.Status)
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}

// TestStaffManagementDeactivatesAndGivesANewSecret: the administrator deactivates a member (whose session ends)
// and gives another a new TOTP secret, shown once; neither on themselves.
func TestStaffManagementDeactivatesAndGivesANewSecret(t *testing.T) {
	b := webtest.NewBank(t)
	admin := webtest.StaffToken(t, b, "admin")
	teller := webtest.StaffToken(t, b, "teller")
	if a := staffGet(t, b, "/backoffice/staff/teller/deactivate", admin, ""); a.Status != http.StatusOK {
		t.Fatalf("confirmation: %d", a.Status)
	}
	if a := staffPost(t, b, "/backoffice/staff/teller/deactivate", admin, url.Values{}); a.Status != http.StatusSeeOther ||
		a.Location != "/backoffice/staff/teller?m=deactivated" {
		t.Fatalf("deactivate: %d to %q", a.Status, a.Location)
	}
	if a := staffGet(t, b, "/backoffice/", teller, ""); a.Status != http.StatusSeeOther {
		t.Errorf("the deactivated teller's session: %d", a.Status)
	}
	a := staffPost(t, b, "/backoffice/staff/service/reset-totp", admin, url.Values{})
	if a.Status != http.StatusOK || between(a.Body, `id="totp-secret">`, "<") == "" {
		t.Fatalf("new secret: %d", a.Status)
	}
	a = staffPost(t, b, "/backoffice/staff/admin/deactivate", admin, url.Values{})
	if a.Status != http.StatusForbidden || !strings.Contains(a.Body, htmlText(b.Message("staff_self_refused"))) {
		t.Errorf("deactivating oneself: %d", a.Status)
	}
	if a := staffGet(t, b, "/backoffice/staff/nobody", admin, ""); a.Status != http.StatusNotFound {
		t.Errorf("an unknown member: %d", a.Status)
	}
}

// TestStaffFindACustomerAndSeeWhatTheBankHolds: "Cela" finds Dritan Çela; the view shows the identity, the
// accounts with balances, the channel and the recent activity; an unknown customer is the not-found page.
func TestStaffFindACustomerAndSeeWhatTheBankHolds(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "compliance")
	a := staffGet(t, b, "/backoffice/customers?q=Cela", token, "")
	if a.Status != http.StatusOK || !strings.Contains(a.Body, "Dritan Çela") || strings.Contains(a.Body, "Arben Hoxha") {
		t.Fatalf("search: %d", a.Status)
	}
	c, err := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err != nil {
		t.Fatal(err)
	}
	webtest.Token(t, b, "100000003", demo.Password, c.Mobile) // a login, for the activity
	a = staffGet(t, b, "/backoffice/customers/"+c.ID, token, i18n.EN)
	if a.Status != http.StatusOK {
		t.Fatalf("customer: %d", a.Status)
	}
	for _, want := range []string{"100000003", c.NationalID, c.Mobile, "Current account (EUR)",
		b.Catalogue.Message(i18n.EN, "web_bo_channel_open", nil),
		b.Catalogue.Message(i18n.EN, "audit_login_succeeded", nil)} {
		if !strings.Contains(a.Body, htmlText(want)) {
			t.Errorf("the customer page lacks %q", want)
		}
	}
	for _, part := range []string{"identity", "contacts", "accounts-table", "cards", "devices", "sessions",
		"activity-table", "customer-actions"} {
		if !strings.Contains(a.Body, `id="`+part+`"`) {
			t.Errorf("the customer page lacks its part %s", part)
		}
	}
	if a := staffGet(t, b, "/backoffice/customers/nobody", token, ""); a.Status != http.StatusNotFound {
		t.Errorf("an unknown customer: %d", a.Status)
	}
	if a := staffGet(t, b, "/backoffice/customers?q="+strings.Repeat("x", 101), token, ""); a.Status != http.StatusBadRequest {
		t.Errorf("a search too long: %d", a.Status)
	}
}

// TestTheJobsAndEndOfDayPagesShowTheBanksWork: no failed job to start with, a retry of a job that is not there
// said on the list; the close of business shows the business date and its steps.
func TestTheJobsAndEndOfDayPagesShowTheBanksWork(t *testing.T) {
	b := webtest.NewBank(t)
	admin := webtest.StaffToken(t, b, "admin")
	if a := staffGet(t, b, "/backoffice/jobs", admin, ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `id="no-jobs"`) {
		t.Errorf("jobs: %d", a.Status)
	}
	a := staffPost(t, b, "/backoffice/jobs/999/retry", admin, url.Values{})
	if a.Status != http.StatusNotFound || !strings.Contains(a.Body, htmlText(b.Message("job_not_found"))) {
		t.Errorf("retrying a job that is not there: %d", a.Status)
	}
	a = staffGet(t, b, "/backoffice/eod", admin, "")
	if a.Status != http.StatusOK || !strings.Contains(a.Body, "verify_ledger") || !strings.Contains(a.Body, `id="business-date"`) {
		t.Errorf("end of day: %d", a.Status)
	}
}
