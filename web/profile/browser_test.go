package profile_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/password"
)

// newCustomer creates an individual who has never logged in (so has not accepted the terms) with a password.
func newCustomer(t *testing.T, b *bank, pw string) customer.Customer {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{FirstName: "Teuta", LastName: "Marku",
		NationalID: kyc.NewNationalID(time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC), true, 321).String(),
		Mobile:     "+355695000005", ContractVersion: "002", Branch: "Tiranë Qendër"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(ctx, c.ID, pw, false); err != nil {
		t.Fatal(err)
	}
	return c
}

func pagePath(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc := webtest.Location(t, ctx)
	i := strings.Index(loc[len("http://"):], "/")
	return loc[len("http://")+i:]
}

func TestBrowserFirstLoginAsksToAcceptTheTermsOnceThenShowsTheSummary(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const pw = "Vjeshta#4826"
	c := newCustomer(t, b, pw)
	webtest.SignIn(t, ctx, b.Bank, c.ClientNumber, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#terms-accept")))
	if p := pagePath(t, ctx); p != "/terms/accept" {
		t.Fatalf("first login landed on %s, want the terms", p)
	}
	if got := webtest.Text(t, ctx, "#terms-text"); !strings.Contains(got, "Bankë demonstruese") {
		t.Fatalf("the terms shown do not look like the demo bank's: %.80q", got)
	}
	webtest.Screenshot(t, ctx, "terms-accept-sq")
	// Until accepted, other pages lead back here.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#terms-accept")))
	if p := pagePath(t, ctx); p != "/terms/accept" {
		t.Fatalf("/summary before accepting went to %s", p)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#terms-accept")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	if p := pagePath(t, ctx); p != "/summary" {
		t.Fatalf("after accepting: %s, want /summary", p)
	}
	if ok, err := b.Terms.Accepted(context.Background(), c.ID); err != nil || !ok {
		t.Fatalf("acceptance not recorded: %v %v", ok, err)
	}
	webtest.LogOut(t, ctx, b.Bank)
	webtest.SignIn(t, ctx, b.Bank, c.ClientNumber, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
	if p := pagePath(t, ctx); p != "/summary" {
		t.Fatalf("the second login went to %s: the terms were asked again", p)
	}
}

func TestBrowserRefusingTheTermsLogsOut(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const pw = "Vjeshta#4826"
	c := newCustomer(t, b, pw)
	webtest.SignIn(t, ctx, b.Bank, c.ClientNumber, pw)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#terms-refuse")), chromedp.Click(chromedp.CSS("#terms-refuse")),
		chromedp.WaitVisible(chromedp.CSS("#username")))
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if p := pagePath(t, ctx); !strings.HasPrefix(p, "/login") {
		t.Fatalf("after refusing, /summary went to %s", p)
	}
	if ok, _ := b.Terms.Accepted(context.Background(), c.ID); ok {
		t.Fatal("a refusal was recorded as acceptance")
	}
}

// clearField empties an input the way a customer would leave it: its value is gone, and the page hears an input event.
func clearField(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	js := fmt.Sprintf(`(function () { var e = document.getElementById(%q); e.value = "";
		e.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, id)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
		t.Fatal(err)
	}
}

// ruleStates reads, in one round trip, the state every live password rule shows: its data-state and the words
// before the rule's text.
func ruleStates(t *testing.T, ctx context.Context) map[string][2]string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][2]string](`(function () {
		var out = {};
		document.querySelectorAll("#password-rules li[data-rule]").forEach(function (li) {
			out[li.getAttribute("data-rule")] = [li.getAttribute("data-state"), li.querySelector(".pr-rule-state").textContent.trim()];
		});
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBrowserPasswordRulesReactWhileTyping(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/profile/password"), chromedp.WaitVisible(chromedp.CSS("#new_password")))
	met, unmet := b.Catalogue.Message(i18n.SQ, "web_pr_rule_met", nil), b.Catalogue.Message(i18n.SQ, "web_pr_rule_unmet", nil)
	// Every rule of A11 is listed, in the page's language, from the policy itself.
	texts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(function () {
		var out = {};
		document.querySelectorAll("li[data-rule]").forEach(function (li) {
			out[li.getAttribute("data-rule")] = li.querySelector(".pr-rule-text").textContent;
		});
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range password.Rules("sq") {
		if got := texts[rule.Code]; got != rule.Text {
			t.Errorf("rule %s reads %q, want %q", rule.Code, got, rule.Text)
		}
	}
	steps := []struct {
		typed string
		want  map[string]bool
	}{
		{"abc", map[string]bool{password.CodeLength: false, password.CodeLettersAndDigits: false,
			password.CodeUpperAndLower: false, password.CodeDigitRun: true, "match": false}},
		{"Abcdefg1", map[string]bool{password.CodeLength: true, password.CodeLettersAndDigits: true,
			password.CodeUpperAndLower: true, password.CodeForbiddenCharacter: true, password.CodeDigitRun: true, "match": false}},
		{"Abcdefg123", map[string]bool{password.CodeDigitRun: false}},
		{"Abc defg1", map[string]bool{password.CodeForbiddenCharacter: false}},
		{"Çelësi ëç 12345678", map[string]bool{password.CodeLength: false}},
	}
	for _, st := range steps {
		clearField(t, ctx, "new_password")
		webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#new_password"), st.typed))
		states := ruleStates(t, ctx)
		for code, wantMet := range st.want {
			state, words := states[code][0], states[code][1]
			wantState, wantWords := "unmet", unmet
			if wantMet {
				wantState, wantWords = "met", met
			}
			if state != wantState || words != wantWords {
				t.Errorf("after typing %q, rule %s shows %s/%q, want %s/%q", st.typed, code, state, words, wantState, wantWords)
			}
		}
	}
	clearField(t, ctx, "new_password")
	webtest.Run(t, ctx, chromedp.SendKeys(chromedp.CSS("#new_password"), "Abcdefg1"),
		chromedp.SendKeys(chromedp.CSS("#confirm_password"), "Abcdefg1"))
	if state := ruleStates(t, ctx)["match"][0]; state != "met" {
		t.Errorf("the same password twice: match rule %s", state)
	}
	label := b.Catalogue.Message(i18n.SQ, "web_pr_rules_status", nil)
	if got, want := webtest.Text(t, ctx, "#rules-status"), label+" 6/6"; got != want {
		t.Errorf("live region says %q, want %q", got, want)
	}
	webtest.Screenshot(t, ctx, "password-rules-sq")
}

// changePassword fills and sends the password form (typing is TestBrowserPasswordRulesReactWhileTyping's
// subject; here the server's answer is).
func changePassword(t *testing.T, ctx context.Context, b *bank, oldPW, newPW, confirm string) {
	t.Helper()
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/profile/password"),
		chromedp.WaitVisible(chromedp.CSS("#old_password")),
		chromedp.SetValue(chromedp.CSS("#old_password"), oldPW),
		chromedp.SetValue(chromedp.CSS("#new_password"), newPW),
		chromedp.SetValue(chromedp.CSS("#confirm_password"), confirm),
		chromedp.Click(chromedp.CSS("#password-submit")),
	)
}

func TestBrowserPasswordChangeSucceedsAndTheOldPasswordNoLongerLogsIn(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const chosen = "Vjeshta#4826"
	// The same customer is also logged in elsewhere; changing the password ends that session.
	elsewhere := webtest.Token(t, b.Bank, "100000002", demo.Password, "+355682000002")
	b.LogIn(t, ctx, "100000002")
	changePassword(t, ctx, b, demo.Password, chosen, chosen)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got, want := webtest.Text(t, ctx, "#notice"), b.Catalogue.Message(i18n.SQ, "web_pr_password_changed", nil); got != want {
		t.Fatalf("after the change: %q, want %q", got, want)
	}
	if a := webtest.Do(t, b.Bank, "GET", "/summary", elsewhere, false, nil); a.Status != http.StatusSeeOther || !strings.HasPrefix(a.Location, "/login") {
		t.Errorf("the other session still works after the change: %d to %q", a.Status, a.Location)
	}
	// The page the customer is on stays logged in.
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/summary"), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	webtest.LogOut(t, ctx, b.Bank)
	webtest.Run(t, ctx,
		chromedp.SetValue(chromedp.CSS("#username"), "100000002"),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, "login_failed", nil); got != want {
		t.Fatalf("the old password: %q, want %q", got, want)
	}
	webtest.SignIn(t, ctx, b.Bank, "100000002", chosen)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#accounts")))
}

func TestBrowserPasswordChangeRefusals(t *testing.T) {
	tests := []struct {
		name, oldPW, newPW, confirm string
		message                     string // catalogue code of the problem shown
		brokenRule                  string // a policy rule the server lists, if any
		invalidField                string
	}{
		{"a wrong old password", "Gabim#2048x", "Vjeshta#4826", "Vjeshta#4826", "password_wrong", "", "old_password"},
		{"two different new passwords", demo.Password, "Vjeshta#4826", "Vjeshta#4827", "web_pr_password_mismatch", "", "confirm_password"},
		{"a rule only the server can check", demo.Password, "Elira#4826x", "Elira#4826x", "password_policy",
			password.CodePersonalData, "new_password"},
	}
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000002")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changePassword(t, ctx, b, tt.oldPW, tt.newPW, tt.confirm)
			webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#problem")))
			if got, want := webtest.Text(t, ctx, "#problem"), b.Catalogue.Message(i18n.SQ, tt.message, nil); got != want {
				t.Fatalf("problem %q, want %q", got, want)
			}
			if got := webtest.Attr(t, ctx, "#"+tt.invalidField, "aria-invalid"); got != "true" {
				t.Errorf("%s is not marked invalid", tt.invalidField)
			}
			if tt.brokenRule != "" {
				if got, want := webtest.Text(t, ctx, "#password-broken li"), b.Catalogue.Message(i18n.SQ, tt.brokenRule, nil); got != want {
					t.Errorf("broken rule listed as %q, want %q", got, want)
				}
			}
		})
	}
	// Nothing changed: the demo password still logs in.
	if _, err := b.Auth.Login(context.Background(), "100000002", demo.Password); err != nil {
		t.Fatalf("the password changed after refusals: %v", err)
	}
}

func TestBrowserStaffSetPasswordMustBeChangedBeforeAnythingElse(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	const initial, chosen = "Fillim2026x", "Vjeshta#4826"
	c, err := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Auth.SetPassword(context.Background(), c.ID, initial, true); err != nil {
		t.Fatal(err)
	}
	webtest.SignIn(t, ctx, b.Bank, "100000003", initial)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#password-forced")))
	if p := pagePath(t, ctx); p != "/profile/password" {
		t.Fatalf("first login with a staff-set password landed on %s", p)
	}
	webtest.Screenshot(t, ctx, "password-forced-sq")
	for _, page := range []string{"/summary", "/profile", "/terms/accept"} {
		webtest.Run(t, ctx, chromedp.Navigate(b.URL+page), chromedp.WaitVisible(chromedp.CSS("#password-forced")))
		if p := pagePath(t, ctx); p != "/profile/password" {
			t.Fatalf("%s before the change went to %s", page, p)
		}
	}
	changePassword(t, ctx, b, initial, chosen, chosen)
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#password-continue")))
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#password-continue")), chromedp.WaitVisible(chromedp.CSS("#accounts")))
	if p := pagePath(t, ctx); p != "/summary" {
		t.Fatalf("after the change /summary went to %s", p)
	}
}

func TestBrowserTermsPrivacyAndContactPagesReadInBothLanguages(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	pages := []struct {
		path, titleKey, sq, en string // sq and en: words each language's page must contain
	}{
		{"/terms", "web_pr_terms_title", "Bankë demonstruese", "Demonstration bank"},
		{"/terms/business", "web_pr_terms_title", "Përdoruesit e autorizuar", "Authorised users"},
		{"/privacy", "web_pr_privacy_title", "Të drejtat tuaja", "Your rights"},
		{"/contact", "web_pr_contact_title", "Qendra e Kontaktit", "Contact Center"},
	}
	for _, l := range []i18n.Lang{i18n.SQ, i18n.EN} {
		if l == i18n.EN {
			webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS("#lang-sq")))
		}
		for _, p := range pages {
			webtest.Run(t, ctx, chromedp.Navigate(b.URL+p.path), chromedp.WaitVisible(chromedp.CSS("h1")))
			if got := webtest.Attr(t, ctx, "html", "lang"); got != string(l) {
				t.Errorf("%s: lang %q, want %q", p.path, got, l)
			}
			if got, want := webtest.Text(t, ctx, "h1"), b.Catalogue.Message(l, p.titleKey, nil); got != want {
				t.Errorf("%s in %s: heading %q, want %q", p.path, l, got, want)
			}
			want := p.sq
			if l == i18n.EN {
				want = p.en
			}
			if body := webtest.Text(t, ctx, "main"); !strings.Contains(body, want) {
				t.Errorf("%s in %s does not contain %q", p.path, l, want)
			}
		}
	}
	webtest.Screenshot(t, ctx, "contact-en")
}

// activeID is the id of the focused element.
func activeID(t *testing.T, ctx context.Context) string {
	t.Helper()
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ""`))
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestBrowserLoginFormIsUsableWithTheKeyboardInOrder(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	// Tab past the skip link and the navigation to the form.
	for i := 0; activeID(t, ctx) != "username"; i++ {
		if i == 8 {
			t.Fatalf("Tab never reached the username field; stuck at %q", activeID(t, ctx))
		}
		webtest.Run(t, ctx, chromedp.KeyEvent("\t"))
	}
	for i, want := range []string{"username", "password", "remember", "login-submit"} {
		if i > 0 {
			webtest.Run(t, ctx, chromedp.KeyEvent("\t"))
		}
		if got := activeID(t, ctx); got != want {
			t.Fatalf("Tab %d focuses %q, want %q", i, got, want)
		}
		// The focused control must show it: the browser's :focus-visible and a drawn outline or ring.
		visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
			var e = document.activeElement, s = getComputedStyle(e);
			var ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
			return e.matches(":focus-visible") && ring;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if !visible {
			t.Errorf("focus on %s is not visible", want)
		}
	}
}

func TestBrowserNarrowScreenHasNoHorizontalScrolling(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 740))
	width := func(page string) int {
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 360 {
			webtest.Screenshot(t, ctx, "narrow-"+page)
		}
		return w
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/login"), chromedp.WaitVisible(chromedp.CSS("#username")))
	if w := width("login"); w > 360 {
		t.Errorf("/login is %d px wide on a 360 px screen", w)
	}
	b.LogIn(t, ctx, "100000001")
	if w := width("summary"); w > 360 {
		t.Errorf("/summary is %d px wide on a 360 px screen", w)
	}
	for _, page := range []string{"/profile/password", "/contact"} {
		webtest.Run(t, ctx, chromedp.Navigate(b.URL+page), chromedp.WaitVisible(chromedp.CSS("h1")))
		if w := width(strings.ReplaceAll(page[1:], "/", "-")); w > 360 {
			t.Errorf("%s is %d px wide on a 360 px screen", page, w)
		}
	}
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
