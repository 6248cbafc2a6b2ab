package backoffice_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/web/webtest"
)

// shoot saves the page at a phone's and a laptop's width.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		webtest.Screenshot(t, ctx, name+"-"+map[int64]string{360: "360", 1280: "1280"}[w])
	}
}

// TestATellerLogsInWithPasswordAndTOTPAndFindsCelaWithoutTheCedilla: the login's two steps in the browser, the
// home page with what a teller may do, the search "Cela" finding Dritan Çela, and the customer's page.
func TestATellerLogsInWithPasswordAndTOTPAndFindsCelaWithoutTheCedilla(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "teller", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")))
	if got := webtest.Text(t, ctx, "#home-username"); got != "teller" {
		t.Errorf("home names %q", got)
	}
	// A teller finds customers; staff, jobs and the close are not theirs to manage, but every role sees the date.
	for sel, want := range map[string]bool{"#home-customers": true, "#home-staff": false, "#home-jobs": false,
		"#home-eod": true} {
		found, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(`+webtest.Quote(sel)+`) !== null`))
		if err != nil || found != want {
			t.Errorf("%s shown: %v, want %v (%v)", sel, found, want, err)
		}
	}
	shoot(t, ctx, "home")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800), chromedp.Navigate(b.URL+"/backoffice/customers"),
		chromedp.WaitVisible(chromedp.CSS("#q")), chromedp.SendKeys(chromedp.CSS("#q"), "Cela"))
	webtest.SubmitAndWait(t, ctx, "#search-submit", "#results")
	if got := webtest.Text(t, ctx, "#results tbody tr:first-child .result-name"); !strings.HasPrefix(got, "Dritan Çela") {
		t.Errorf("first result %q", got)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#results tbody tr").length`))
	if err != nil || rows != 1 {
		t.Errorf("%d results, want Dritan Çela alone (%v)", rows, err)
	}
	shoot(t, ctx, "search")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#results .result-link", "#customer-name")
	if got := webtest.Text(t, ctx, "#customer-name"); got != "Dritan Çela" {
		t.Errorf("customer page of %q", got)
	}
	if got := webtest.Text(t, ctx, "#client-number"); got != "100000003" {
		t.Errorf("client number %q", got)
	}
	shoot(t, ctx, "customer")
}

// TestATellerIsRefusedStaffManagementWithTheForbiddenPage: the staff list is an administrator's; a teller who
// opens it gets the 403 page saying their role does not allow it.
func TestATellerIsRefusedStaffManagementWithTheForbiddenPage(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "teller", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")))
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.URL+"/backoffice/staff"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 403 {
		t.Errorf("status %d, want 403", resp.Status)
	}
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("staff_permission_denied") {
		t.Errorf("the page says %q", got)
	}
	if got := webtest.Location(t, ctx); !strings.HasSuffix(got, "/backoffice/staff") {
		t.Errorf("the browser went to %s", got)
	}
	shoot(t, ctx, "forbidden")
}

// TestTheStaffSessionOpensNoCustomerPage: signed in to the back office, the browser is still signed out of the
// internet branch, whose pages send it to the customers' login.
func TestTheStaffSessionOpensNoCustomerPage(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "compliance", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-customers")),
		chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if got := webtest.Location(t, ctx); !strings.HasSuffix(got, "/login") {
		t.Errorf("the summary with a staff session went to %s, want the customers' login", got)
	}
	// And the back office is still open in the same browser.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/"), chromedp.WaitVisible(chromedp.CSS("#home-customers")))
}

// TestAnAdministratorCreatesAMemberAndSeesTheEnrolmentOnce: the staff pages at both widths, the new member's
// form, its enrolment page with the QR code, and the jobs and close-of-business pages.
func TestAnAdministratorCreatesAMemberAndSeesTheEnrolmentOnce(t *testing.T) {
	b := webtest.NewBank(t)
	// The bank closes its first business day at 20:00 in Tirane, for the close's page to show.
	if _, err := b.EOD.BusinessDate(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(11 * time.Hour)
	if closed, err := b.EOD.RunDue(context.Background()); err != nil || len(closed) != 1 {
		t.Fatalf("close of business: %v, %v", closed, err)
	}
	ctx := webtest.Tab(t)
	b.StaffLogIn(t, ctx, "admin", demo.Password)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-staff")), chromedp.Navigate(b.URL+"/backoffice/staff"),
		chromedp.WaitVisible(chromedp.CSS("#staff-table")))
	shoot(t, ctx, "staff")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#new-member", "#staff-new-form")
	webtest.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#username"), "besa.kola"),
		chromedp.SendKeys(chromedp.CSS("#full_name"), "Besa Kola"),
		chromedp.SendKeys(chromedp.CSS("#branch"), "Shkodër"),
		chromedp.Click(chromedp.CSS("#role-teller")),
	)
	webtest.SubmitAndWait(t, ctx, "#staff-new-submit", "#totp-secret")
	if webtest.Text(t, ctx, "#initial-password") == "" || !strings.HasPrefix(webtest.Text(t, ctx, "#totp-uri"), "otpauth://totp/") {
		t.Error("the enrolment page lacks the password or the otpauth URI")
	}
	shoot(t, ctx, "enrolment")
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	webtest.SubmitAndWait(t, ctx, "#enrol-done-link", "#member-username")
	if got := webtest.Text(t, ctx, "#member-username"); got != "besa.kola" {
		t.Errorf("member page of %q", got)
	}
	shoot(t, ctx, "member")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/jobs"), chromedp.WaitVisible(chromedp.CSS("#no-jobs")))
	shoot(t, ctx, "jobs")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/eod"), chromedp.WaitVisible(chromedp.CSS(".eod-step")))
	shoot(t, ctx, "eod")
}
