package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/cardnetwork"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/outbox"
	"github.com/kumbara/kumbara/web/core"
)

var (
	formRe     = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	methodRe   = regexp.MustCompile(`(?i)\bmethod="post"`)
	actionRe   = regexp.MustCompile(`\baction="([^"]+)"`)
	fieldRe    = regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\bname="([^"{}]+)"`)
	buttonRe   = regexp.MustCompile(`(?s)<button\b[^>]*>(.*?)</button>`)
	labelKeyRe = regexp.MustCompile(`\bT "([a-z0-9_]+)"`)
	// scriptURLRe finds the addresses the pages' scripts post to, kept in data-* attributes: the steps of the
	// passkey ceremonies (adding one, logging in, confirming a payment), which carry a WebAuthn assertion or the
	// password.
	scriptURLRe = regexp.MustCompile(`\bdata-[a-z-]+="(/[^"]*)"`)
	templateRe  = regexp.MustCompile(`\{\{[^}]*\}\}`)
	// secretFieldRe names a form field that carries a secret the server checks: a password, a one-time or branch
	// code, a card's PIN or last digits.
	secretFieldRe = regexp.MustCompile(`(^|_)(password|otp|code|pin|last6)(_|$)`)
	// sendsLabelRe is a button that says it sends something: a code again, a statement by email.
	sendsLabelRe = regexp.MustCompile(`(?i)\b(send|resend|sms|e-?mail)\b`)
)

// TestEveryPostThatChecksASecretOrSendsAMessageHasABudget finds those routes without the route table: from what
// the pages post. A form checks a secret when it has a field named like one; it sends a message when its button
// says so (in the English catalogue); the addresses the pages' scripts post to (data-* attributes) are passkey
// ceremonies, which check one. Each must spend a budget.
func TestEveryPostThatChecksASecretOrSendsAMessageHasABudget(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// Demo mode with the card network sandbox: the demo's card terminal takes a PIN.
	s := &Server{Deps: core.Deps{Inbox: &outbox.Sandbox{}, CardNetwork: &cardnetwork.Sandbox{}}}
	table, err := s.Routes()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	routes := map[string]core.Route{}
	for _, rt := range table {
		pattern := rt.Method + " " + rt.Path
		routes[pattern] = rt
		mux.Handle(pattern, http.NotFoundHandler())
	}
	budgets := httpx.NewBudgets(nil)
	check := func(page, action, why string) {
		t.Helper()
		target := templateRe.ReplaceAllString(action, "x")
		_, pattern := mux.Handler(httptest.NewRequest(http.MethodPost, target, nil))
		rt, ok := routes[pattern]
		switch {
		case !ok:
			t.Errorf("%s posts to %s, which no route serves", page, action)
		case rt.Limit == "":
			t.Errorf("%s (%s) spends no rate-limit budget, yet %s", pattern, page, why)
		default:
			if _, ok := budgets.Budget(rt.Limit); !ok {
				t.Errorf("%s spends the unknown budget %q", pattern, rt.Limit)
			}
		}
	}

	var secrets, senders, scripts int
	walkPage := func(fsys fs.FS, path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		page := string(raw)
		for _, form := range formRe.FindAllStringSubmatch(page, -1) {
			action := actionRe.FindStringSubmatch(form[1])
			if !methodRe.MatchString(form[1]) || action == nil {
				continue
			}
			var why []string
			for _, f := range fieldRe.FindAllStringSubmatch(form[2], -1) {
				if secretFieldRe.MatchString(f[1]) {
					why = append(why, "it posts "+f[1])
					secrets++
					break
				}
			}
			for _, b := range buttonRe.FindAllStringSubmatch(form[2], -1) {
				for _, key := range labelKeyRe.FindAllStringSubmatch(b[1], -1) {
					if label := cat.Message(i18n.EN, key[1], nil); sendsLabelRe.MatchString(label) {
						why = append(why, "its button says "+label)
						senders++
					}
				}
			}
			if len(why) > 0 {
				check(path, action[1], strings.Join(why, " and "))
			}
		}
		for _, u := range scriptURLRe.FindAllStringSubmatch(page, -1) {
			scripts++
			check(path, u[1], "a script posts a passkey ceremony's step to it")
		}
		return nil
	}
	// Every area's templates and the core's: the site's pages, wherever they live.
	templates := []fs.FS{core.Templates()}
	for _, a := range s.areas() {
		if a.Templates != nil { // an area of routes only (the demo network's JSON)
			templates = append(templates, a.Templates)
		}
	}
	for _, fsys := range templates {
		if err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			return walkPage(fsys, path, d, err)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// The confirmation pages' passkey steps post to the address their partial builds from the page's (core.
	// PasskeyConfirmation), which the walk cannot read: every passkey step of the table spends a budget instead.
	steps := 0
	for _, rt := range table {
		if rt.MaxBody != core.MaxPasskeyJSON {
			continue
		}
		steps++
		if rt.Limit == "" {
			t.Errorf("the passkey step %s %s spends no rate-limit budget", rt.Method, rt.Path)
		}
	}
	// The templates' shape is what finds them: a change that hid every form from this walk must not pass quietly.
	if secrets < 8 || senders < 3 || scripts < 3 || steps < 6 {
		t.Errorf("found %d forms with secrets, %d sending messages, %d script steps, %d passkey steps: the walk of the templates is broken",
			secrets, senders, scripts, steps)
	}
}
