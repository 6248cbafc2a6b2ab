package backoffice_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/iso20022"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/sca"
	"github.com/kumbara/kumbara/web/webtest"
)

// otherBankIBAN is an account at Raiffeisen Bank (202), which the demo's directory holds.
const otherBankIBAN = "AL35202111090000000001234567"

// payments are the back office tests' payments of Dritan Çela: one settled and then returned by the beneficiary's
// bank, one the clearing house rejected, and one another bank sent him.
type payments struct {
	returned, rejected, incoming payment.Payment
	day                          calendar.Date
}

// staffAudited fails t unless the newest entry by member username is action, from the back office's request, with
// after in what it left.
func staffAudited(t *testing.T, b *webtest.Bank, username, action, after string) {
	t.Helper()
	p, err := audit.Search(context.Background(), b.DB, audit.Filter{Staff: username, Action: "clearing.", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entries) == 0 {
		t.Fatalf("no entry of %s by %s", action, username)
	}
	e := p.Entries[0]
	if e.Action != action || e.Actor.ID != username || e.Result != audit.ResultOK || e.RequestID == "" ||
		!strings.Contains(e.After, after) {
		t.Errorf("the entry of %s by %s: %+v, want after with %s", action, username, e, after)
	}
}

// sandbox is the bank's clearing-house sandbox.
func sandbox(t testing.TB, b *webtest.Bank) *clearinghouse.Sandbox {
	t.Helper()
	ch, ok := b.BackOffice.Payments.Clearing.(*clearinghouse.Sandbox)
	if !ok {
		t.Fatal("the bank has no clearing-house sandbox")
	}
	return ch
}

// pay makes a domestic payment of Dritan's to ib and confirms it with the code the bank sends him.
func pay(t testing.TB, b *webtest.Bank, amount, ib string) payment.Payment {
	t.Helper()
	ctx := context.Background()
	c, acc := dritan(t.(*testing.T), b)
	svc := b.BackOffice.Payments
	p, _, err := svc.Create(ctx, c.ID, fmt.Sprintf("bo-%s-%s", amount, ib), payment.Request{Type: payment.Domestic,
		FromAccountID: acc.ID, Amount: amount, Currency: "ALL", Description: "Qira",
		Beneficiary: beneficiary.Input{Name: "Arben Hoxha", IBAN: ib, Address: beneficiary.Address{City: "Tiranë", Country: "AL"}}})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if p.Status == payment.PendingConfirmation {
		var body string
		if err := b.DB.QueryRow(ctx, "SELECT body FROM sandbox_inbox WHERE recipient = ? ORDER BY created_at DESC, id DESC LIMIT 1",
			c.Mobile).Scan(&body); err != nil {
			t.Fatalf("the payment's code: %v", err)
		}
		if p, err = svc.Confirm(ctx, c.ID, p.ID, sca.Proof{Method: sca.MethodSMS, Code: webtest.CodeRe.FindString(body)}); err != nil {
			t.Fatalf("Confirm: %v", err)
		}
	}
	return p
}

// makePayments makes Dritan's payments and lets the clearing house settle, reject and return them.
func makePayments(t *testing.T, b *webtest.Bank) payments {
	t.Helper()
	ctx := context.Background()
	ch, svc := sandbox(t, b), b.BackOffice.Payments
	if err := ch.Reject(ctx, iban.IBAN(otherBankIBAN), "AC01"); err != nil {
		t.Fatal(err)
	}
	var ps payments
	ps.returned = pay(t, b, "25000", "AL47212110090000000235698741")
	ps.rejected = pay(t, b, "3000", otherBankIBAN)
	if _, err := svc.RunSession(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := ch.Work(ctx); err != nil {
		t.Fatal(err)
	}
	j, err := svc.Journey(ctx, ps.returned.ID)
	if err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(time.Minute)
	if _, err := ch.Return(ctx, j.Payment.TxID, "AC04"); err != nil {
		t.Fatal(err)
	}
	_, acc := dritan(t, b)
	if _, err := ch.Inject(ctx, clearinghouse.Inbound{IBAN: iban.IBAN(acc.IBAN), Amount: money.New(7_500_00, money.ALL),
		Name: "Alba Trade", Remittance: "Fatura 12"}); err != nil {
		t.Fatal(err)
	}
	in, err := svc.Search(ctx, payment.StaffFilter{Direction: payment.In})
	if err != nil || len(in) != 1 {
		t.Fatalf("the incoming payment: %v, %v", in, err)
	}
	ps.incoming = in[0]
	ps.day = calendar.DateOf(b.Clock.Now())
	return ps
}

// TestStaffFindPaymentsAndFollowOneThroughTheBooksAndTheClearing: a teller searches every customer's payments (by
// customer, by IBAN, the rejects and returns), is told beside each field what is wrong with a search, opens a
// returned payment's journey — its statuses, entries and the three messages about it, each laid out to read and
// to download — and reaches a customer's payments from their view; an unknown payment or message is not found.
func TestStaffFindPaymentsAndFollowOneThroughTheBooksAndTheClearing(t *testing.T) {
	b := webtest.NewBank(t)
	ps := makePayments(t, b)
	token := webtest.StaffToken(t, b, "teller")
	page := staffGet(t, b, "/backoffice/payments", token, i18n.EN)
	for _, id := range []string{ps.returned.ID, ps.rejected.ID, ps.incoming.ID} {
		if !strings.Contains(page.Body, `id="payment-`+id+`"`) {
			t.Errorf("the search lacks payment %s", id)
		}
	}
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="menu-payments"`) ||
		!strings.Contains(page.Body, `id="payments-tab-payments" aria-current="page"`) {
		t.Fatalf("the payments page: %d", page.Status)
	}
	rejects := staffGet(t, b, "/backoffice/payments?status=rejects&customer=100000003", token, i18n.EN)
	if !strings.Contains(rejects.Body, `id="payment-`+ps.rejected.ID+`"`) || !strings.Contains(rejects.Body, `id="payment-`+ps.returned.ID+`"`) ||
		strings.Contains(rejects.Body, `id="payment-`+ps.incoming.ID+`"`) ||
		!strings.Contains(rejects.Body, `id="payments-tab-rejects" aria-current="page"`) ||
		!strings.Contains(rejects.Body, "AC01 · "+htmlText(b.Catalogue.Message(i18n.EN, "payment_reason_ac01", nil))) {
		t.Errorf("the rejects and returns: %d", rejects.Status)
	}
	byIBAN := staffGet(t, b, "/backoffice/payments?iban="+url.QueryEscape("al35 2021 1109 0000 0000 0123 4567"), token, i18n.SQ)
	if strings.Count(byIBAN.Body, `class="payment-row"`) != 1 || !strings.Contains(byIBAN.Body, `id="payment-`+ps.rejected.ID+`"`) {
		t.Errorf("by the other side's IBAN: %d", byIBAN.Status)
	}
	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		bad := staffGet(t, b, "/backoffice/payments?customer=999999999&iban=AL00&from=2026-11-20&to=2026-11-01", token, lang)
		if bad.Status != http.StatusBadRequest || strings.Contains(bad.Body, `id="payments-table"`) {
			t.Errorf("a wrong search (%s): %d", lang, bad.Status)
		}
		for field, code := range map[string]string{"customer": "customer_not_found", "iban": "iban_invalid", "to": "invalid_date_range"} {
			if !strings.Contains(bad.Body, `id="`+field+`-problem">`+htmlText(b.Catalogue.Message(lang, code, nil))) {
				t.Errorf("%s's problem (%s) is not beside it", field, lang)
			}
		}
	}
	if a := staffGet(t, b, "/backoffice/payments?sort=amount", token, ""); a.Status != http.StatusBadRequest {
		t.Errorf("a parameter the search does not take: %d", a.Status)
	}

	journey := staffGet(t, b, "/backoffice/payments/"+ps.returned.ID, token, i18n.EN)
	if journey.Status != http.StatusOK {
		t.Fatalf("the journey: %d", journey.Status)
	}
	for _, part := range []string{
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_status_returned", nil)), "AC04 · ",
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_step_settled", nil)),
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_step_returned", nil)),
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_msg_pacs008_out", nil)),
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_msg_pacs002_in", nil)),
		htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_msg_pacs004_in", nil)),
		"\n  &lt;FIToFICstmrCdtTrf&gt;\n", "&lt;RtrRsnInf&gt;", `id="payment-customer">Dritan Çela`,
	} {
		if !strings.Contains(journey.Body, part) {
			t.Errorf("the journey lacks %q", part)
		}
	}
	if n := strings.Count(journey.Body, `<pre class="bo-xml"`); n != 3 {
		t.Errorf("%d messages laid out, want 3", n)
	}
	file := between(journey.Body, `<a href="/backoffice/payments/clearing/out/`, `"`)
	doc := staffGet(t, b, "/backoffice/payments/clearing/out/"+file, token, "")
	if doc.Status != http.StatusOK || doc.Header.Get("Content-Type") != "application/xml; charset=utf-8" ||
		!strings.HasPrefix(doc.Header.Get("Content-Disposition"), `attachment; filename="pacs.008.001.08-out-`) {
		t.Fatalf("the download: %d %q %q", doc.Status, doc.Header.Get("Content-Type"), doc.Header.Get("Content-Disposition"))
	}
	if name, err := iso20022.MessageName([]byte(doc.Body)); err != nil || name != "pacs.008.001.08" {
		t.Errorf("the downloaded message reads as %q, %v", name, err)
	}
	for _, path := range []string{"/backoffice/payments/0190c0de-0000-7000-8000-000000000000",
		"/backoffice/payments/clearing/in/" + file, "/backoffice/payments/clearing/sideways/" + file} {
		if a := staffGet(t, b, path, token, ""); a.Status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, a.Status)
		}
	}
	c, _ := dritan(t, b)
	view := staffGet(t, b, "/backoffice/customers/"+c.ID, token, "")
	if !strings.Contains(view.Body, `href="/backoffice/payments?customer=100000003" id="customer-payments"`) {
		t.Error("the customer's view does not lead to their payments")
	}
}

// TestTheClearingDayShowsWhatWaitsAndItsOperatorsRunTheSession: every role reads the clearing side's day; only a
// member who runs it is offered the session and the dispatcher, and a teller's post is the 403 page. While the
// clearing house is down the session's message waits, named with its last error; sent again once it is up, it is
// taken.
func TestTheClearingDayShowsWhatWaitsAndItsOperatorsRunTheSession(t *testing.T) {
	b := webtest.NewBank(t)
	ctx := context.Background()
	teller, operator := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "backoffice")
	pay(t, b, "1200", otherBankIBAN)
	page := staffGet(t, b, "/backoffice/payments/clearing", teller, i18n.EN)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, `id="clearing-none"`) ||
		strings.Contains(page.Body, `id="clearing-run-session"`) ||
		!strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_waiting", map[string]string{"n": "1"}))) {
		t.Fatalf("the teller's clearing page: %d", page.Status)
	}
	for _, path := range []string{"/backoffice/payments/clearing/session", "/backoffice/payments/clearing/dispatch",
		"/backoffice/payments/reconciliation"} {
		if a := postIn(t, b, path, teller, i18n.EN, url.Values{"day": {"2026-11-20"}}); a.Status != http.StatusForbidden {
			t.Errorf("the teller posting %s: %d", path, a.Status)
		}
	}
	if err := sandbox(t, b).Set(ctx, clearinghouse.Settings{Down: true}); err != nil {
		t.Fatal(err)
	}
	a := postIn(t, b, "/backoffice/payments/clearing/session", operator, i18n.EN, nil)
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/payments/clearing?m=session&sent=1&waiting=1" {
		t.Fatalf("the session: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	staffAudited(t, b, "backoffice", payment.ActionSessionRun, `{"sent":1,"waiting":1}`)
	page = staffGet(t, b, a.Location, operator, i18n.EN)
	if !strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_session_done",
		map[string]string{"sent": "1", "waiting": "1"}))) || !strings.Contains(page.Body, `id="clearing-pending-table"`) ||
		!strings.Contains(page.Body, `class="item-sub message-error">clearing house: unavailable`) ||
		!strings.Contains(page.Body, `id="clearing-run-session"`) {
		t.Errorf("the day with the clearing house down: %d", page.Status)
	}
	if err := sandbox(t, b).Set(ctx, clearinghouse.Settings{}); err != nil {
		t.Fatal(err)
	}
	a = postIn(t, b, "/backoffice/payments/clearing/dispatch", operator, i18n.SQ, nil)
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/payments/clearing?m=dispatched&waiting=0" {
		t.Fatalf("sending what waits: %d to %q", a.Status, a.Location)
	}
	staffAudited(t, b, "backoffice", payment.ActionDispatched, `{"sent":0,"waiting":0}`)
	if p, err := audit.Search(ctx, b.DB, audit.Filter{Staff: "teller", Action: "clearing."}); err != nil || len(p.Entries) != 0 {
		t.Errorf("the teller's refused posts left %d entries (%v)", len(p.Entries), err)
	}
	page = staffGet(t, b, a.Location, operator, i18n.SQ)
	if !strings.Contains(page.Body, `id="clearing-none-pending"`) || !strings.Contains(page.Body, `id="clearing-table"`) ||
		!strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.SQ, "web_bo_pay_msg_status_delivered", nil))) {
		t.Errorf("the day once the clearing house took the message: %d", page.Status)
	}
	for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
		bad := staffGet(t, b, "/backoffice/payments/clearing?day=20-11-2026", teller, lang)
		if bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, `id="day-problem">`+
			htmlText(b.Catalogue.Message(lang, "date_invalid", nil))) {
			t.Errorf("a day that is not one (%s): %d", lang, bad.Status)
		}
	}
	if other := staffGet(t, b, "/backoffice/payments/clearing?day=2026-11-21", teller, i18n.EN); other.Status != http.StatusOK ||
		!strings.Contains(other.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_no_sessions", nil))) {
		t.Errorf("a Saturday: %d", other.Status)
	}
}

// ghostBreak reconciles day with the clearing house's report in ALL and, on it, a settlement of 123.45 ALL the
// bank never posted (transaction GHOSTTX).
func ghostBreak(t *testing.T, b *webtest.Bank, day calendar.Date) {
	t.Helper()
	ctx := context.Background()
	from, to, err := b.BackOffice.Payments.Window(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sandbox(t, b).SettlementReport(ctx, money.ALL, from, to)
	if err != nil {
		t.Fatal(err)
	}
	st, err := iso20022.ParseStatement(doc)
	if err != nil {
		t.Fatal(err)
	}
	st.Entries = append(st.Entries, iso20022.Entry{Reference: "GHOST1", Amount: money.New(123_45, money.ALL), Credit: true,
		BookingDate: day, ValueDate: day, TxID: "GHOSTTX", AdditionalInfo: "never posted"})
	st.Closing.Minor += 123_45
	if doc, err = st.Marshal(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.BackOffice.Payments.Reconcile(ctx, day, doc); err != nil {
		t.Fatal(err)
	}
}

// TestTheReconciliationShowsABreakWithTheEntriesOnEachSide: a member who runs the clearing side reconciles the
// day with the clearing house's report and every entry matches; a report with a settlement the bank never posted
// shows the break with the report's entry and nothing in the books, to a teller too, who is offered no button.
func TestTheReconciliationShowsABreakWithTheEntriesOnEachSide(t *testing.T) {
	b := webtest.NewBank(t)
	ps := makePayments(t, b)
	teller, operator := webtest.StaffToken(t, b, "teller"), webtest.StaffToken(t, b, "backoffice")
	a := postIn(t, b, "/backoffice/payments/reconciliation", operator, i18n.EN, url.Values{"day": {ps.day.String()}})
	if a.Status != http.StatusSeeOther || a.Location != "/backoffice/payments/reconciliation?day="+ps.day.String()+"&m=reconciled" {
		t.Fatalf("reconciling: %d to %q: %s", a.Status, a.Location, a.Body)
	}
	staffAudited(t, b, "backoffice", payment.ActionReconciled, `{"day":"`+ps.day.String()+`","currency":"ALL"`)
	page := staffGet(t, b, a.Location, operator, i18n.EN)
	if !strings.Contains(page.Body, `id="recon-ALL"`) || strings.Contains(page.Body, `class="recon-break"`) ||
		!strings.Contains(page.Body, htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_reconciled_ok", nil))) ||
		!strings.Contains(page.Body, `id="recon-again"`) {
		t.Fatalf("the day reconciled: %d", page.Status)
	}
	ghostBreak(t, b, ps.day)
	page = staffGet(t, b, "/backoffice/payments/reconciliation", teller, i18n.EN)
	if page.Status != http.StatusOK || strings.Count(page.Body, `class="recon-break"`) != 1 ||
		!strings.Contains(page.Body, `data-kind="missing_ours"`) || !strings.Contains(page.Body, "+123.45 ALL") ||
		!strings.Contains(page.Body, `<code class="break-tx">GHOSTTX</code>`) ||
		!strings.Contains(page.Body, `class="bo-muted break-ours">`+htmlText(b.Catalogue.Message(i18n.EN, "web_bo_pay_nothing", nil))) ||
		strings.Contains(page.Body, `id="recon-again"`) {
		t.Errorf("the break on the teller's page: %d", page.Status)
	}
	if a := postIn(t, b, "/backoffice/payments/reconciliation", operator, i18n.EN, url.Values{"day": {"yesterday"}}); a.Status != http.StatusBadRequest ||
		!strings.Contains(a.Body, `id="day-problem"`) {
		t.Errorf("reconciling a day that is not one: %d", a.Status)
	}
}
