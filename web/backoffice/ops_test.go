package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/staff"
	"github.com/kumbara/kumbara/web/webtest"
)

// postIn posts a form from a back office page of the bank's own origin, the page in lang.
func postIn(t *testing.T, b *webtest.Bank, path, token string, lang i18n.Lang, form url.Values) webtest.Answer {
	t.Helper()
	return webtest.Send(t, b, "POST", path, webtest.Request{Cookies: staffCookies(token, lang), Form: form,
		Header: http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {b.URL}}})
}

// dritan is the demo customer the tests act on, with his current account in ALL.
func dritan(t *testing.T, b *webtest.Bank) (customer.Customer, ledger.Account) {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, "100000003")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatal(err)
	}
	return c, accounts[0]
}

func balance(t *testing.T, b *webtest.Bank, id string) int64 {
	t.Helper()
	a, err := b.Ledger.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

// requestOf is the request a redirect names (?request=ID), read by a member who may read it.
func requestOf(t *testing.T, b *webtest.Bank, a webtest.Answer, reader string) approval.Request {
	t.Helper()
	u, err := url.Parse(a.Location)
	if err != nil || u.Query().Get("request") == "" {
		t.Fatalf("%d to %q: no request", a.Status, a.Location)
	}
	m, err := b.Staff.ByUsername(context.Background(), reader)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Approvals.Get(context.Background(), m, u.Query().Get("request"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestATellersDepositIsPostedAndAWrongAmountIsSaidBesideItsField: a deposit typed the Albanian way is posted at
// once and the account's page says so; a wrong amount is refused on the form, in the member's language, beside
// the amount, with what was typed kept.
func TestATellersDepositIsPostedAndAWrongAmountIsSaidBesideItsField(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	token := webtest.StaffToken(t, b, "teller")
	path := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	before := balance(t, b, acc.ID)

	a := postIn(t, b, path+"/deposit", token, i18n.SQ, url.Values{"amount": {"1.250,50"}, "reason": {"Arkë"}})
	if a.Status != http.StatusSeeOther || a.Location != path+"?m=deposited" {
		t.Fatalf("deposit: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	if got := balance(t, b, acc.ID); got != before+125050 {
		t.Errorf("balance %d, want %d", got, before+125050)
	}
	page := staffGet(t, b, a.Location, token, i18n.EN)
	if !strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_done_deposited", nil))) ||
		!strings.Contains(page.Body, "1,250.50 ALL") {
		t.Errorf("the account's page after the deposit: %d", page.Status)
	}

	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		a = postIn(t, b, path+"/deposit", token, lang, url.Values{"amount": {"dy mijë"}})
		if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="amount-problem"`) ||
			!strings.Contains(a.Body, htmlText(b.Catalogue.Message(lang, "invalid_amount", nil))) ||
			!strings.Contains(a.Body, `value="dy mijë"`) {
			t.Errorf("a wrong amount (%s): %d", lang, a.Status)
		}
	}
}

// TestATellerIsRefusedWhatTheBackOfficeDoes: the account's page offers a teller cash and nothing of the back
// office's, and the overdraft's form, asked for or posted all the same, is the 403 page; nothing was asked.
func TestATellerIsRefusedWhatTheBackOfficeDoes(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	token := webtest.StaffToken(t, b, "teller")
	path := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	page := staffGet(t, b, path, token, "")
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="act-deposit"`) {
		t.Fatalf("the teller's account page: %d", page.Status)
	}
	for _, part := range []string{`id="act-overdraft"`, `id="account-block"`, `id="account-close"`, `class="reverse-link"`} {
		if strings.Contains(page.Body, part) {
			t.Errorf("the teller is offered %s", part)
		}
	}
	if a := staffGet(t, b, path+"/overdraft", token, ""); a.Status != http.StatusForbidden {
		t.Errorf("the overdraft's form: %d", a.Status)
	}
	a := postIn(t, b, path+"/overdraft", token, i18n.EN, url.Values{"limit": {"50000"}})
	if a.Status != http.StatusForbidden || !strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "staff_permission_denied", nil))) {
		t.Errorf("posting the overdraft: %d", a.Status)
	}
	manager, _ := b.Staff.ByUsername(context.Background(), "manager")
	list, err := b.Approvals.List(context.Background(), manager, approval.Filter{Maker: "teller"})
	if err != nil || len(list) != 0 {
		t.Errorf("the teller's requests: %v, %v", list, err)
	}
}

// TestALargeWithdrawalWaitsForASecondMember: above the teller's amount, a withdrawal needs a reason and becomes a
// request: the account's page names it with the start of its hash, the balance has not moved, and the teller
// follows it among their own requests.
func TestALargeWithdrawalWaitsForASecondMember(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	token := webtest.StaffToken(t, b, "teller")
	path := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	before := balance(t, b, acc.ID)

	a := postIn(t, b, path+"/withdraw", token, i18n.EN, url.Values{"amount": {"1500000"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="reason-problem"`) {
		t.Errorf("without a reason: %d", a.Status)
	}
	a = postIn(t, b, path+"/withdraw", token, i18n.EN, url.Values{"amount": {"1500000"}, "reason": {"Blerje shtëpie"}})
	r := requestOf(t, b, a, "teller")
	if r.Status != approval.Pending || r.Maker != "teller" || r.Kind != "cash.withdraw" {
		t.Errorf("request %+v", r)
	}
	if got := balance(t, b, acc.ID); got != before {
		t.Errorf("balance %d before approval, want %d", got, before)
	}
	page := staffGet(t, b, a.Location, token, "")
	if !strings.Contains(page.Body, `id="sent"`) || !strings.Contains(page.Body, r.ID) || !strings.Contains(page.Body, r.Hash[:12]) {
		t.Errorf("the account's page does not name the request: %d", page.Status)
	}
	mine := staffGet(t, b, "/backoffice/approvals/mine", token, "")
	if mine.Status != http.StatusOK || !strings.Contains(mine.Body, r.ID) {
		t.Errorf("the teller's requests: %d", mine.Status)
	}
	if a := staffGet(t, b, "/backoffice/approvals", token, ""); a.Status != http.StatusForbidden {
		t.Errorf("the inbox for a teller: %d", a.Status)
	}
	own := staffGet(t, b, "/backoffice/approvals/"+r.ID, token, "")
	if own.Status != http.StatusOK || !strings.Contains(own.Body, `id="request-waiting"`) || strings.Contains(own.Body, `id="approve-form"`) ||
		!strings.Contains(own.Body, `id="request-cash"`) || !strings.Contains(own.Body, "1.500.000,00 ALL") {
		t.Errorf("the teller's own request: %d", own.Status)
	}
}

// TestAReversalIsApprovedByAnotherMemberOnce: the back office asks for a reversal; it cannot approve it (no
// buttons, and its post is refused); a manager sees the entry's legs and the hash, approves, and the entry is
// reversed; approving again, or the maker's page, say it is decided.
func TestAReversalIsApprovedByAnotherMemberOnce(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	maker, checker := webtest.StaffToken(t, b, "backoffice"), webtest.StaffToken(t, b, "manager")
	page, err := b.Ledger.History(context.Background(), acc.ID, ledger.HistoryFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	line := page.Lines[0]
	path := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	before := balance(t, b, acc.ID)

	if a := staffGet(t, b, path+"/entries/"+line.EntryID+"/reverse", maker, ""); a.Status != http.StatusOK ||
		!strings.Contains(a.Body, `id="entry-legs"`) {
		t.Fatalf("the reversal's form: %d", a.Status)
	}
	a := postIn(t, b, path+"/entries/"+line.EntryID+"/reverse", maker, "", url.Values{"reason": {"x"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="reason-problem"`) {
		t.Errorf("a reason too short: %d", a.Status)
	}
	a = postIn(t, b, path+"/entries/"+line.EntryID+"/reverse", maker, "", url.Values{"reason": {"Gabim i arkëtarit"}})
	r := requestOf(t, b, a, "backoffice")
	req := "/backoffice/approvals/" + r.ID

	own := staffGet(t, b, req, maker, "")
	if !strings.Contains(own.Body, `id="request-waiting"`) || strings.Contains(own.Body, `id="approve"`) {
		t.Errorf("the maker's page of their request: %d", own.Status)
	}
	if a := postIn(t, b, req+"/approve", maker, "", url.Values{"hash": {r.Hash}}); a.Status != http.StatusForbidden {
		t.Errorf("the maker approving: %d", a.Status)
	}
	seen := staffGet(t, b, req, checker, i18n.EN)
	for _, want := range []string{`id="approve-form"`, `id="entry-legs"`, r.Hash, "Gabim i arkëtarit", c.Name()} {
		if !strings.Contains(seen.Body, want) {
			t.Errorf("the manager's page of the request lacks %q", want)
		}
	}
	if a := postIn(t, b, req+"/approve", checker, "", url.Values{"hash": {strings.Repeat("0", 64)}}); a.Status != http.StatusConflict ||
		!strings.Contains(a.Body, htmlText(b.Message("approval_payload_changed"))) {
		t.Errorf("approving another hash: %d", a.Status)
	}
	if a := postIn(t, b, req+"/approve", checker, "", url.Values{}); a.Status != http.StatusConflict {
		t.Errorf("approving without a hash: %d", a.Status)
	}
	a = postIn(t, b, req+"/approve", checker, "", url.Values{"hash": {r.Hash}})
	if a.Status != http.StatusSeeOther || a.Location != req+"?m=decided" {
		t.Fatalf("approving: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	if got := balance(t, b, acc.ID); got != before-line.Amount {
		t.Errorf("balance %d after the reversal, want %d", got, before-line.Amount)
	}
	done := staffGet(t, b, req, maker, "")
	if !strings.Contains(done.Body, `id="request-executed"`) || strings.Contains(done.Body, `id="request-waiting"`) {
		t.Errorf("the maker's page after approval: %d", done.Status)
	}
	if a := postIn(t, b, req+"/approve", checker, i18n.EN, url.Values{"hash": {r.Hash}}); a.Status != http.StatusConflict ||
		!strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "approval_decided", nil))) {
		t.Errorf("approving twice: %d", a.Status)
	}
}

// TestARejectionNeedsAReasonAndTheMakerReadsIt: a contact change of the mobile number waits; rejecting it without
// a reason is refused beside the field; with one, the maker's list and page say rejected, and why.
func TestARejectionNeedsAReasonAndTheMakerReadsIt(t *testing.T) {
	b := webtest.NewBank(t)
	c, _ := dritan(t, b)
	maker, checker := webtest.StaffToken(t, b, "service"), webtest.StaffToken(t, b, "manager2")
	a := postIn(t, b, "/backoffice/customers/"+c.ID+"/contact", maker, "", url.Values{"mobile": {"069 555 1234"},
		"email": {c.Email}, "address": {c.Address}})
	r := requestOf(t, b, a, "service")
	req := "/backoffice/approvals/" + r.ID
	if a := postIn(t, b, req+"/reject", checker, "", url.Values{"reason": {" "}}); a.Status != http.StatusBadRequest ||
		!strings.Contains(a.Body, `id="reason-problem"`) {
		t.Errorf("a rejection without a reason: %d", a.Status)
	}
	if a := postIn(t, b, req+"/reject", checker, "", url.Values{"reason": {"Klienti nuk e konfirmoi"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("rejecting: %d", a.Status)
	}
	page := staffGet(t, b, req, maker, "")
	if !strings.Contains(page.Body, "Klienti nuk e konfirmoi") || !strings.Contains(page.Body, "manager2") ||
		!strings.Contains(page.Body, `class="bo-changed"`) || !strings.Contains(page.Body, htmlText("+355695551234")) {
		t.Errorf("the maker's page of the rejected request: %d", page.Status)
	}
	if got, _ := b.Customers.Get(context.Background(), c.ID); got.Mobile != c.Mobile {
		t.Errorf("the mobile changed to %s", got.Mobile)
	}
	// A new address alone is changed at once.
	a = postIn(t, b, "/backoffice/customers/"+c.ID+"/contact", maker, "", url.Values{"mobile": {c.Mobile},
		"email": {c.Email}, "address": {"Rruga e Elbasanit 3, Tiranë"}})
	if a.Status != http.StatusSeeOther || !strings.HasSuffix(a.Location, "?m=contact_changed") {
		t.Errorf("a new address: %d to %q", a.Status, a.Location)
	}
}

// TestAnExpiredRequestCannotBeApproved: a day and more after the demo's overdraft was asked for, the manager's
// page shows it expired without the buttons, and an approval posted all the same is refused.
func TestAnExpiredRequestCannotBeApproved(t *testing.T) {
	b := webtest.NewBank(t)
	manager, _ := b.Staff.ByUsername(context.Background(), "manager")
	list, err := b.Approvals.List(context.Background(), manager, approval.Filter{Status: approval.Pending})
	if err != nil || len(list) != 1 || list[0].Kind != "overdraft.set" {
		t.Fatalf("the demo's request: %+v, %v", list, err)
	}
	r := list[0]
	b.Clock.Advance(approval.Validity + time.Minute)
	token := webtest.StaffToken(t, b, "manager")
	req := "/backoffice/approvals/" + r.ID
	page := staffGet(t, b, req, token, i18n.EN)
	if !strings.Contains(page.Body, b.Catalogue.Message(i18n.EN, "web_bo_req_status_expired", nil)) ||
		strings.Contains(page.Body, `id="approve-form"`) {
		t.Errorf("the expired request's page: %d", page.Status)
	}
	a := postIn(t, b, req+"/approve", token, i18n.EN, url.Values{"hash": {r.Hash}})
	if a.Status != http.StatusConflict || !strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "approval_expired", nil))) {
		t.Errorf("approving the expired request: %d", a.Status)
	}
}

// TestTheInboxCountsWhatWaitsForTheMember: a manager sees the demo's overdraft waiting, counted in the menu (and
// the demo's rates among the recently decided); the
// back office, who asked for it, reads the inbox without a count (it decides nothing).
func TestTheInboxCountsWhatWaitsForTheMember(t *testing.T) {
	b := webtest.NewBank(t)
	manager := webtest.StaffToken(t, b, "manager")
	home := staffGet(t, b, "/backoffice/", manager, "")
	if !strings.Contains(home.Body, `id="menu-approvals-count">1<`) || !strings.Contains(home.Body, `id="tab-approvals-count">1<`) {
		t.Errorf("the manager's menu does not count the demo's request")
	}
	inbox := staffGet(t, b, "/backoffice/approvals", manager, i18n.EN)
	// Only the waiting section: the demo's rates, which the manager approved at the start, are recently decided.
	pending := between(inbox.Body, `<section id="pending"`, "</section>")
	if inbox.Status != http.StatusOK || strings.Count(pending, `class="request-row"`) != 1 ||
		!strings.Contains(pending, "0.00 ALL → 50,000.00 ALL") || !strings.Contains(pending, "Elira Shehu") {
		t.Errorf("the manager's inbox: %d", inbox.Status)
	}
	maker := webtest.StaffToken(t, b, "backoffice")
	if a := staffGet(t, b, "/backoffice/approvals", maker, ""); a.Status != http.StatusOK || strings.Contains(a.Body, "bo-count") ||
		!strings.Contains(a.Body, `id="tab-mine-requests"`) {
		t.Errorf("the back office's inbox: %d", a.Status)
	}
}

// TestAUniqueCodeIsShownOnceAndNeverKept: the answer shows the code with its expiry and tells the browser not to
// keep it; the customer's page never shows it again.
func TestAUniqueCodeIsShownOnceAndNeverKept(t *testing.T) {
	b := webtest.NewBank(t)
	c, _ := dritan(t, b)
	token := webtest.StaffToken(t, b, "teller")
	a := postIn(t, b, "/backoffice/customers/"+c.ID+"/code", token, "", url.Values{"purpose": {"registration"}})
	if a.Status != http.StatusCreated || a.Header.Get("Cache-Control") != "no-store" || !strings.Contains(a.Body, `id="unique-code"`) {
		t.Fatalf("issuing a code: %d %q", a.Status, a.Header.Get("Cache-Control"))
	}
	code := between(a.Body, `id="unique-code">`, "<")
	if len(code) < 8 {
		t.Fatalf("code %q", code)
	}
	if page := staffGet(t, b, "/backoffice/customers/"+c.ID, token, ""); strings.Contains(page.Body, code) {
		t.Error("the customer's page shows the code")
	}
	if a := postIn(t, b, "/backoffice/customers/"+c.ID+"/code", token, "", url.Values{"purpose": {"anything"}}); a.Status != http.StatusBadRequest ||
		!strings.Contains(a.Body, `id="purpose-problem"`) {
		t.Errorf("a purpose that is none: %d", a.Status)
	}
}

// TestOperationsOnAnotherCustomersAccountAreNotFound: an account under another customer's path, an entry of
// another account, a card of another customer: each is the not-found page, and nothing is done.
func TestOperationsOnAnotherCustomersAccountAreNotFound(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	other, err := b.Customers.ByClientNumber(context.Background(), "100000001")
	if err != nil {
		t.Fatal(err)
	}
	teller, bo := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "backoffice")
	before := balance(t, b, acc.ID)
	wrong := "/backoffice/customers/" + other.ID + "/accounts/" + acc.ID
	if a := postIn(t, b, wrong+"/deposit", teller, "", url.Values{"amount": {"100"}}); a.Status != http.StatusNotFound {
		t.Errorf("a deposit under another customer: %d", a.Status)
	}
	if a := staffGet(t, b, wrong, teller, ""); a.Status != http.StatusNotFound {
		t.Errorf("the account's page under another customer: %d", a.Status)
	}
	theirs, _ := b.Ledger.ListByCustomer(context.Background(), other.ID)
	// The savings account's only entry is its first deposit, which no account of Dritan's has a leg in.
	page, _ := b.Ledger.History(context.Background(), theirs[1].ID, ledger.HistoryFilter{Limit: 1})
	mine := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	for _, id := range []string{page.Lines[0].EntryID, "nothing", "%ff"} {
		if a := staffGet(t, b, mine+"/entries/"+id+"/reverse", bo, ""); a.Status != http.StatusNotFound {
			t.Errorf("reversing entry %q through this account: %d", id, a.Status)
		}
	}
	if a := postIn(t, b, "/backoffice/customers/"+c.ID+"/cards/nocard/unblock-pin", webtest.StaffToken(t, b, "service"), "",
		url.Values{}); a.Status != http.StatusNotFound {
		t.Errorf("unblocking another's card: %d", a.Status)
	}
	if got := balance(t, b, acc.ID); got != before {
		t.Errorf("balance %d, want %d", got, before)
	}
}

// TestAnAccountIsClosedOnlyEmptyAfterAConfirmation: closing asks first; a funded account's refusal is said on its
// page; a new empty one closes, and the page then offers nothing more to do with it.
func TestAnAccountIsClosedOnlyEmptyAfterAConfirmation(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	token := webtest.StaffToken(t, b, "backoffice")
	path := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID
	if a := staffGet(t, b, path+"/close", token, ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `id="confirm"`) {
		t.Errorf("the confirmation: %d", a.Status)
	}
	a := postIn(t, b, path+"/close", token, i18n.EN, url.Values{})
	if a.Status != http.StatusUnprocessableEntity || !strings.Contains(a.Body, htmlText(b.Catalogue.Message(i18n.EN, "account_not_empty", nil))) {
		t.Errorf("closing a funded account: %d", a.Status)
	}
	a = postIn(t, b, "/backoffice/customers/"+c.ID+"/accounts", token, "", url.Values{"currency": {"USD"}, "type": {"savings"}})
	if a.Status != http.StatusSeeOther || !strings.HasSuffix(a.Location, "?m=account_opened") {
		t.Fatalf("opening an account: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	opened := strings.TrimSuffix(a.Location, "?m=account_opened")
	if a := postIn(t, b, opened+"/close", token, "", url.Values{}); a.Status != http.StatusSeeOther {
		t.Errorf("closing the empty account: %d", a.Status)
	}
	if page := staffGet(t, b, opened+"?m=account_closed", token, ""); strings.Contains(page.Body, `id="account-close"`) ||
		!strings.Contains(page.Body, b.Message("web_bo_done_account_closed")) {
		t.Errorf("the closed account's page: %d", page.Status)
	}
	if a := postIn(t, b, "/backoffice/customers/"+c.ID+"/accounts", token, "", url.Values{"currency": {"XYZ"}, "type": {"current"}}); a.Status != http.StatusBadRequest ||
		!strings.Contains(a.Body, `id="currency-problem"`) {
		t.Errorf("a currency the bank does not hold: %d", a.Status)
	}
}

// TestStaffOpenACustomerAndABusinessWithTheirIdentifiersChecked: each identifier's refusal is said beside its
// field with what was typed kept; a good individual is created and the business gets them as its representative.
func TestStaffOpenACustomerAndABusinessWithTheirIdentifiersChecked(t *testing.T) {
	b := webtest.NewBank(t)
	token := webtest.StaffToken(t, b, "teller")
	if page := staffGet(t, b, "/backoffice/customers", token, ""); !strings.Contains(page.Body, `id="new-customer"`) {
		t.Error("the search offers no new customer")
	}
	a := postIn(t, b, "/backoffice/customers", token, i18n.EN, url.Values{"first_name": {"Ana"}, "national_id": {"X1"},
		"mobile": {"12"}})
	if a.Status != http.StatusBadRequest {
		t.Fatalf("a bad individual: %d", a.Status)
	}
	for _, field := range []string{"last_name", "national_id", "mobile"} {
		if !strings.Contains(a.Body, `id="`+field+`-problem"`) {
			t.Errorf("no problem beside %s", field)
		}
	}
	if !strings.Contains(a.Body, `value="Ana"`) {
		t.Error("the first name typed is lost")
	}
	a = postIn(t, b, "/backoffice/customers", token, "", url.Values{"first_name": {"Ana"}, "last_name": {"Mema"},
		"national_id": {kyc.NewNationalID(time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC), true, 7).String()},
		"mobile":      {"069 555 1234"}, "contract_version": {"002"}})
	if a.Status != http.StatusSeeOther || !strings.HasSuffix(a.Location, "?m=created") {
		t.Fatalf("a good individual: %d to %q", a.Status, a.Location)
	}
	ana := strings.TrimSuffix(strings.TrimPrefix(a.Location, "/backoffice/customers/"), "?m=created")
	c, err := b.Customers.Get(context.Background(), ana)
	if err != nil || c.Name() != "Ana Mema" {
		t.Fatalf("created %+v, %v", c, err)
	}
	a = postIn(t, b, "/backoffice/customers/business", token, "", url.Values{"company_name": {"Furra Mema"},
		"nipt": {demo.BusinessNIPT}, "mobile": {"069 555 1235"}, "representative": {"999999999"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="representative-problem"`) {
		t.Errorf("a representative nobody is: %d", a.Status)
	}
	a = postIn(t, b, "/backoffice/customers/business", token, "", url.Values{"company_name": {"Furra Mema"},
		"nipt": {string(kyc.NewNIPT('K', 91326012))}, "mobile": {"069 555 1235"}, "representative": {c.ClientNumber}})
	if a.Status != http.StatusSeeOther {
		t.Errorf("a good business: %d: %s", a.Status, a.Body)
	}
	if a := postIn(t, b, "/backoffice/customers", webtest.StaffToken(t, b, "compliance"), "", url.Values{}); a.Status != http.StatusForbidden {
		t.Errorf("compliance creating a customer: %d", a.Status)
	}
}

// TestTheCustomersPageOffersEachMemberTheirOperations: what the actions area offers follows the member's roles,
// and a member who may only read is told so.
func TestTheCustomersPageOffersEachMemberTheirOperations(t *testing.T) {
	b := webtest.NewBank(t)
	c, _ := dritan(t, b)
	offers := map[string][]string{
		"teller":     {`id="code-form"`},
		"service":    {`id="act-contact"`, `id="act-password"`, `id="channel-block"`, `id="channel-close"`},
		"backoffice": {`id="act-open-account"`, `id="act-issue-card"`, `id="account-actions-hint"`},
		"compliance": {`id="no-actions"`},
	}
	all := []string{`id="code-form"`, `id="act-contact"`, `id="act-password"`, `id="channel-block"`, `id="act-open-account"`,
		`id="act-issue-card"`, `id="no-actions"`}
	for who, want := range offers {
		page := staffGet(t, b, "/backoffice/customers/"+c.ID, webtest.StaffToken(t, b, who), "")
		for _, part := range all {
			if got, wanted := strings.Contains(page.Body, part), slices.Contains(want, part); got != wanted {
				t.Errorf("%s: %s shown %v, want %v", who, part, got, wanted)
			}
		}
	}
	m, _ := b.Staff.ByUsername(context.Background(), "compliance")
	if m.Can(staff.CashBranch) {
		t.Fatal("compliance handles cash")
	}
}

// TestACardIsIssuedWithThePINTheCustomerTypesAndItsPINUnblocked: a weak PIN is refused beside its field and never
// put back into the page; a good one issues the card, listed masked; three wrong PINs later, customer service
// unblocks it from the customer's page.
func TestACardIsIssuedWithThePINTheCustomerTypesAndItsPINUnblocked(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	bo := webtest.StaffToken(t, b, "backoffice")
	path := "/backoffice/customers/" + c.ID
	if a := staffGet(t, b, path+"/cards/new", bo, ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `id="card-form"`) {
		t.Fatalf("the card's form: %d", a.Status)
	}
	a := postIn(t, b, path+"/cards", bo, "", url.Values{"account_id": {acc.ID}, "type": {"visa"}, "pin": {"1111"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="pin-problem"`) || strings.Contains(a.Body, "1111") {
		t.Errorf("a weak PIN: %d", a.Status)
	}
	a = postIn(t, b, path+"/cards", bo, "", url.Values{"account_id": {acc.ID}, "type": {"mastercard"}, "contactless": {"1"},
		"pin": {"4829"}})
	if a.Status != http.StatusSeeOther || a.Location != path+"?m=card_issued" {
		t.Fatalf("issuing: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	cards, err := b.Cards.List(context.Background(), c.ID)
	if err != nil || len(cards) != 1 || cards[0].Type != "mastercard" || !cards[0].Contactless {
		t.Fatalf("cards %+v, %v", cards, err)
	}
	for range 3 {
		_ = b.Cards.VerifyPIN(context.Background(), cards[0].ID, "0000")
	}
	service := webtest.StaffToken(t, b, "service")
	page := staffGet(t, b, path, service, "")
	if !strings.Contains(page.Body, `id="unblock-pin-`+cards[0].ID+`"`) || !strings.Contains(page.Body, cards[0].Masked) {
		t.Fatalf("the customer's page offers no PIN unblock: %d", page.Status)
	}
	a = postIn(t, b, path+"/cards/"+cards[0].ID+"/unblock-pin", service, "", url.Values{})
	if a.Status != http.StatusSeeOther || a.Location != path+"?m=pin_unblocked" {
		t.Errorf("unblocking the PIN: %d to %q", a.Status, a.Location)
	}
	if cards, _ := b.Cards.List(context.Background(), c.ID); cards[0].PINBlocked {
		t.Error("the PIN is still blocked")
	}
}

// TestCustomerServiceRunsTheChannelAndSetsAnInitialPassword: blocking and unblocking are done at once; closing asks
// first; reopening waits for a second member; an initial password that breaks the rules or is typed twice
// differently is refused on its form, and neither is sent back.
func TestCustomerServiceRunsTheChannelAndSetsAnInitialPassword(t *testing.T) {
	b := webtest.NewBank(t)
	c, _ := dritan(t, b)
	token := webtest.StaffToken(t, b, "service")
	path := "/backoffice/customers/" + c.ID
	ctx := context.Background()
	for _, step := range []struct{ action, m string }{{"block", "channel_blocked"}, {"unblock", "channel_unblocked"}} {
		if a := postIn(t, b, path+"/channel/"+step.action, token, "", url.Values{}); a.Status != http.StatusSeeOther ||
			a.Location != path+"?m="+step.m {
			t.Errorf("%s: %d to %q", step.action, a.Status, a.Location)
		}
	}
	if a := staffGet(t, b, path+"/channel/close", token, ""); a.Status != http.StatusOK || !strings.Contains(a.Body, `id="confirm-danger"`) {
		t.Errorf("the close's confirmation: %d", a.Status)
	}
	if a := postIn(t, b, path+"/channel/close", token, "", url.Values{}); a.Status != http.StatusSeeOther {
		t.Errorf("closing: %d", a.Status)
	}
	if closed, err := b.Auth.ChannelClosed(ctx, c.ID); err != nil || !closed {
		t.Fatalf("closed %v, %v", closed, err)
	}
	page := staffGet(t, b, path, token, "")
	if !strings.Contains(page.Body, `id="channel-reactivate"`) || strings.Contains(page.Body, `id="channel-close"`) {
		t.Errorf("the closed channel's actions: %d", page.Status)
	}
	a := postIn(t, b, path+"/channel/reactivate", token, "", url.Values{})
	r := requestOf(t, b, a, "service")
	if r.Kind != "channel.reactivate" {
		t.Errorf("request %+v", r)
	}
	if closed, _ := b.Auth.ChannelClosed(ctx, c.ID); !closed {
		t.Error("the channel reopened before approval")
	}
	seen := staffGet(t, b, "/backoffice/approvals/"+r.ID, webtest.StaffToken(t, b, "manager"), "")
	if !strings.Contains(seen.Body, c.ClientNumber) || !strings.Contains(seen.Body, `id="approve-form"`) {
		t.Errorf("the reopening's request page: %d", seen.Status)
	}

	if a := staffGet(t, b, path+"/password", token, ""); a.Status != http.StatusOK {
		t.Errorf("the password's form: %d", a.Status)
	}
	a = postIn(t, b, path+"/password", token, "", url.Values{"password": {"Fillim#2026x"}, "confirm_password": {"Fillim#2026y"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="confirm_password-problem"`) || strings.Contains(a.Body, "Fillim#2026") {
		t.Errorf("two different passwords: %d", a.Status)
	}
	a = postIn(t, b, path+"/password", token, "", url.Values{"password": {"abc"}, "confirm_password": {"abc"}})
	if a.Status != http.StatusBadRequest || !strings.Contains(a.Body, `id="password-broken"`) {
		t.Errorf("a weak password: %d", a.Status)
	}
	a = postIn(t, b, path+"/password", token, "", url.Values{"password": {"Fillim#2026x"}, "confirm_password": {"Fillim#2026x"}})
	if a.Status != http.StatusSeeOther || a.Location != path+"?m=password_set" {
		t.Errorf("a good password: %d to %q: %s", a.Status, a.Location, a.Body)
	}
}

// TestARequestRefusedWhenItRunsShowsFailedWithTheRefusal: two requests to reverse one entry may both wait; the
// first approved reverses it, and the second, approved after, fails — its page says so with the ledger's refusal,
// in the reader's language.
func TestARequestRefusedWhenItRunsShowsFailedWithTheRefusal(t *testing.T) {
	b := webtest.NewBank(t)
	c, acc := dritan(t, b)
	maker, checker := webtest.StaffToken(t, b, "backoffice"), webtest.StaffToken(t, b, "manager")
	page, err := b.Ledger.History(context.Background(), acc.ID, ledger.HistoryFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	reverse := "/backoffice/customers/" + c.ID + "/accounts/" + acc.ID + "/entries/" + page.Lines[0].EntryID + "/reverse"
	var requests []approval.Request
	for range 2 {
		requests = append(requests, requestOf(t, b, postIn(t, b, reverse, maker, "", url.Values{"reason": {"Gabim i arkës"}}), "backoffice"))
	}
	for i, r := range requests {
		a := postIn(t, b, "/backoffice/approvals/"+r.ID+"/approve", checker, "", url.Values{"hash": {r.Hash}})
		if a.Status != http.StatusSeeOther {
			t.Fatalf("approving request %d: %d", i, a.Status)
		}
	}
	failed := staffGet(t, b, "/backoffice/approvals/"+requests[1].ID, checker, i18n.EN)
	if !strings.Contains(failed.Body, `id="request-failed"`) ||
		!strings.Contains(failed.Body, htmlText(b.Catalogue.Message(i18n.EN, "already_reversed", nil))) {
		t.Errorf("the second request's page: %d", failed.Status)
	}
	if a := staffGet(t, b, "/backoffice/approvals/"+requests[0].ID, maker, ""); !strings.Contains(a.Body, `id="request-result"`) {
		t.Errorf("the first request's page names no result: %d", a.Status)
	}
	if a := staffGet(t, b, reverse, maker, ""); !strings.Contains(a.Body, `id="reverse-done"`) || strings.Contains(a.Body, `id="reverse-form"`) {
		t.Errorf("the reversed entry's page still offers its reversal: %d", a.Status)
	}
}
