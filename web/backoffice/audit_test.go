package backoffice_test

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/app"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/web/backoffice"
	"github.com/kumbara/kumbara/web/webtest"
)

// all is every match of re's first group in s.
func all(re *regexp.Regexp, s string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

var (
	actorRe    = regexp.MustCompile(`class="audit-actor">([^<]*)<`)
	actionRe   = regexp.MustCompile(`<code class="audit-action">([^<]*)<`)
	customerRe = regexp.MustCompile(`href="/backoffice/customers/([^"]+)" class="audit-customer"`)
	seqRe      = regexp.MustCompile(`<tr id="entry-(\d+)"`)
	olderRe    = regexp.MustCompile(`href="([^"]*)" id="audit-older"`)
)

// TestComplianceSearchesTheAuditLogByMemberActionCustomerAndDays: each filter narrows the search to what it
// names, the actions are named in the reader's language, and the days are Tirane's, the last one included.
func TestComplianceSearchesTheAuditLogByMemberActionCustomerAndDays(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	webtest.StaffToken(t, b, "teller")
	if _, err := b.Staff.Login(ctx, "teller", "Gabim#2026xx"); err == nil {
		t.Fatal("a wrong password logged the teller in")
	}
	c, err := b.Customers.ByClientNumber(ctx, "100000003")
	if err != nil {
		t.Fatal(err)
	}
	webtest.Token(t, b, "100000003", demo.Password, c.Mobile)
	token := webtest.StaffToken(t, b, "compliance")
	search := func(q string, lang i18n.Lang) webtest.Answer {
		t.Helper()
		a := staffGet(t, b, "/backoffice/audit?"+q, token, lang)
		if a.Status != http.StatusOK {
			t.Fatalf("search %s: %d", q, a.Status)
		}
		return a
	}

	a := search("staff=Teller", i18n.EN)
	actors := all(actorRe, a.Body)
	if len(actors) < 2 || slices.ContainsFunc(actors, func(s string) bool { return s != "teller" }) {
		t.Errorf("by member: actors %v, want the teller's entries only", actors)
	}
	for _, want := range []string{b.Catalogue.Message(i18n.EN, "audit_staff_login", nil),
		b.Catalogue.Message(i18n.EN, "audit_staff_login_failed", nil), "staff_login_failed", `"factor":"totp"`,
		b.Catalogue.Message(i18n.EN, "web_bo_role_teller", nil)} {
		if !strings.Contains(a.Body, htmlText(want)) {
			t.Errorf("by member: the page lacks %q", want)
		}
	}
	if a := search("staff=teller&action=staff.login", ""); !allEqual(all(actionRe, a.Body), "staff.login") {
		t.Errorf("by member and action: %v", all(actionRe, a.Body))
	}
	if acts := all(actionRe, search("action=staff.", "").Body); len(acts) == 0 ||
		slices.ContainsFunc(acts, func(s string) bool { return !strings.HasPrefix(s, "staff.") }) {
		t.Errorf("by a kind of action: %v", acts)
	}
	a = search("customer=100000003", "")
	if ids := all(customerRe, a.Body); len(ids) == 0 || !allEqual(ids, c.ID) {
		t.Errorf("by customer: customers %v, want %s alone", ids, c.ID)
	}
	if !slices.Contains(all(actionRe, a.Body), "login.succeeded") {
		t.Errorf("by customer: no login among %v", all(actionRe, a.Body))
	}
	today := b.Clock.Now().In(clock.Tirane).Format("2006-01-02")
	if rows := all(seqRe, search("from="+today+"&to="+today, "").Body); len(rows) == 0 {
		t.Error("today's entries: none")
	}
	if a := search("to=2026-11-19", ""); !strings.Contains(a.Body, `id="audit-none"`) || len(all(seqRe, a.Body)) != 0 {
		t.Error("entries before the bank opened")
	}
}

func allEqual(values []string, want string) bool {
	return len(values) > 0 && !slices.ContainsFunc(values, func(s string) bool { return s != want })
}

// TestTheAuditSearchSaysWhatIsWrongWithIt: each refused filter beside its field, in the page's language, and no
// entries shown.
func TestTheAuditSearchSaysWhatIsWrongWithIt(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "compliance")
	for _, tc := range []struct {
		query, field, code string
	}{
		{"customer=999999999", "customer", "customer_not_found"},
		{"staff=nobody", "staff", "staff_not_found"},
		{"action=bogus", "action", "invalid"},
		{"action=bogus.", "action", "invalid"},
		{"from=2026-02-30", "from", "date_invalid"},
		{"from=2026-11-21&to=2026-11-20", "to", "invalid_date_range"},
		{"page=2", "", "invalid_query"},
		{"before=abc", "", "invalid_query"},
		{"before=0", "", "invalid_query"},
	} {
		a := staffGet(t, b, "/backoffice/audit?"+tc.query, token, i18n.EN)
		want := htmlText(b.Catalogue.Message(i18n.EN, tc.code, nil))
		switch {
		case a.Status != http.StatusBadRequest:
			t.Errorf("%s: %d, want 400", tc.query, a.Status)
		case tc.field != "" && !strings.Contains(a.Body, `id="`+tc.field+`-problem">`+want):
			t.Errorf("%s: no %q beside %s", tc.query, want, tc.field)
		case tc.field == "" && !strings.Contains(a.Body, want):
			t.Errorf("%s: the page does not say %q", tc.query, want)
		case strings.Contains(a.Body, `id="audit-table"`) || strings.Contains(a.Body, `id="audit-none"`):
			t.Errorf("%s: entries shown for a refused search", tc.query)
		}
	}
}

// TestTheAuditLogPagesBackwardsNewestFirst: a page holds AuditShown entries, newest first; "older" carries the
// search on to the next, whose entries all come before, and which links back to the newest.
func TestTheAuditLogPagesBackwardsNewestFirst(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	for range backoffice.AuditShown + 5 {
		// A username that names nobody is recorded too, without it.
		if _, err := b.Staff.Login(ctx, "nobody", "Gabim#2026xx"); err == nil {
			t.Fatal("nobody logged in")
		}
	}
	token := webtest.StaffToken(t, b, "compliance")
	a := staffGet(t, b, "/backoffice/audit?action=staff.login.failed", token, "")
	first := all(seqRe, a.Body)
	older := all(olderRe, a.Body)
	if len(first) != backoffice.AuditShown || len(older) != 1 || !slices.IsSortedFunc(first, descending) {
		t.Fatalf("first page: %d entries, older %v", len(first), older)
	}
	if !strings.Contains(older[0], "action=staff.login.failed") {
		t.Errorf("the older link %q forgets the search", older[0])
	}
	a = staffGet(t, b, older[0], token, "")
	next := all(seqRe, a.Body)
	if a.Status != http.StatusOK || len(next) != 5 || descending(first[len(first)-1], next[0]) >= 0 ||
		!strings.Contains(a.Body, `id="audit-newest"`) || strings.Contains(a.Body, `id="audit-older"`) {
		t.Errorf("older page: %d, entries %v after %s", a.Status, next, first[len(first)-1])
	}
}

// descending orders sequence numbers newest first.
func descending(a, b string) int {
	if len(a) != len(b) {
		return len(b) - len(a)
	}
	return strings.Compare(b, a)
}

// TestTheAuditLogIsComplianceOnly: a teller (and every role without audit.read) gets the 403 page, and the
// customer view links to a customer's full log only for those who may read it.
func TestTheAuditLogIsComplianceOnly(t *testing.T) {
	b := webtest.NewBank(t)
	c, err := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"teller", "service", "backoffice", "manager", "admin"} {
		token := webtest.StaffToken(t, b, who)
		if a := staffGet(t, b, "/backoffice/audit", token, ""); a.Status != http.StatusForbidden ||
			!strings.Contains(a.Body, htmlText(b.Message("staff_permission_denied"))) {
			t.Errorf("%s opening the audit log: %d", who, a.Status)
		}
		if a := staffGet(t, b, "/backoffice/customers/"+c.ID, token, ""); strings.Contains(a.Body, `id="full-audit"`) {
			t.Errorf("%s is offered the customer's full audit log", who)
		}
	}
	token := webtest.StaffToken(t, b, "compliance")
	a := staffGet(t, b, "/backoffice/customers/"+c.ID, token, "")
	if !strings.Contains(a.Body, `href="/backoffice/audit?customer=100000003" id="full-audit"`) {
		t.Error("compliance is not offered the customer's full audit log")
	}
	if a := staffGet(t, b, "/backoffice/", token, ""); !strings.Contains(a.Body, `id="home-audit"`) {
		t.Error("compliance's home page does not offer the audit log")
	}
}

// TestTheActionFilterOffersEveryActionTheLogRecords: the search's actions are the catalogue's list, each named
// in the page's language.
func TestTheActionFilterOffersEveryActionTheLogRecords(t *testing.T) {
	want := app.AuditActions()
	b := webtest.NewBank(t)
	a := staffGet(t, b, "/backoffice/audit", webtest.StaffToken(t, b, "compliance"), i18n.SQ)
	for _, action := range want {
		option := `<option value="` + action + `">` + htmlText(b.Message(auditKey(action))) + `</option>`
		if !strings.Contains(a.Body, option) {
			t.Errorf("no option %s", option)
		}
	}
	if !strings.Contains(a.Body, `<option value="staff.">`) {
		t.Error("no option for every staff action")
	}
}

func auditKey(action string) string { return "audit_" + strings.ReplaceAll(action, ".", "_") }
