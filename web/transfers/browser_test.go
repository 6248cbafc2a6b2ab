package transfers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/web/webtest"

	"github.com/chromedp/chromedp"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/transfer"
)

// demoAccounts returns a demo customer's id and accounts: the current account in ALL, the savings account in ALL
// and the current account in EUR, in that order (as demo.Seed opens them).
func (b *bank) demoAccounts(t *testing.T, client string) (string, []ledger.Account) {
	t.Helper()
	c, err := b.Customers.ByClientNumber(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(accounts) < 3 || accounts[0].Currency != money.ALL || accounts[1].Currency != money.ALL ||
		accounts[2].Currency != money.EUR {
		t.Fatalf("demo customer %s has unexpected accounts %+v", client, accounts)
	}
	return c.ID, accounts
}

func (b *bank) balance(t *testing.T, accountID string) int64 {
	t.Helper()
	a, err := b.Ledger.Get(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Balance
}

func (b *bank) transferRows(t *testing.T) int {
	t.Helper()
	var n int
	if err := b.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM transfers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// toOwnReview opens the own-transfer form, fills it and continues to the review page.
func (b *bank) toOwnReview(t *testing.T, ctx context.Context, from, to, amount, desc string) {
	t.Helper()
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/own"), chromedp.WaitVisible(chromedp.CSS("#own-form")))
	fillOwn(t, ctx, from, to, amount, desc)
}

// fillOwn fills the own-transfer form on the page, submits it and waits for the next page, whose HTTP status it
// returns.
func fillOwn(t *testing.T, ctx context.Context, from, to, amount, desc string) int64 {
	t.Helper()
	fill := []chromedp.Action[chromedp.Void]{
		chromedp.SetValue(chromedp.CSS("#from"), from),
		chromedp.SetValue(chromedp.CSS("#to"), to),
		chromedp.SetValue(chromedp.CSS("#amount"), amount),
	}
	// chromedp refuses to set an empty value, so an empty description is cleared instead.
	if desc != "" {
		fill = append(fill, chromedp.SetValue(chromedp.CSS("#description"), desc))
	} else {
		fill = append(fill, chromedp.Clear(chromedp.CSS("#description")))
	}
	resp, err := chromedp.RunResponse(ctx, append(fill, chromedp.Click(chromedp.CSS("#own-submit")))...)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status
}

func TestBrowserOwnTransferMovesExactlyTheAmountBetweenMyAccounts(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, acc := b.demoAccounts(t, "100000001")
	from, to := acc[0], acc[1]
	fromBefore, toBefore := b.balance(t, from.ID), b.balance(t, to.ID)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers"), chromedp.Click(chromedp.CSS("#choose-own")),
		chromedp.WaitVisible(chromedp.CSS("#own-form")))
	// Choosing the source leaves only the accounts that can receive from it: same currency, not itself.
	webtest.Run(t, ctx, chromedp.SetValue(chromedp.CSS("#from"), from.ID))
	offered, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#to option"))
		.filter(o => o.value && !o.disabled).map(o => o.value)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(offered) != 1 || offered[0] != to.ID {
		t.Errorf("the target picker offers %v, want only %s", offered, to.ID)
	}
	// Amounts are typed the Albanian way, with a decimal comma.
	fillOwn(t, ctx, from.ID, to.ID, "1234,56", "Kursime për pushimet")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	if got, want := webtest.Text(t, ctx, "#review-amount"), i18n.FormatAmount(123456, "ALL", i18n.SQ); got != want {
		t.Errorf("review shows %q, want %q", got, want)
	}
	if got := webtest.Text(t, ctx, "#review-description"); got != "Kursime për pushimet" {
		t.Errorf("review description %q", got)
	}
	if got := webtest.Text(t, ctx, "#review-instant"); got != b.Message("web_tr_instant") {
		t.Errorf("review does not say the transfer is instant: %q", got)
	}
	if b.balance(t, from.ID) != fromBefore || b.transferRows(t) != 0 {
		t.Fatal("money moved before the confirmation")
	}
	webtest.Screenshot(t, ctx, "transfer-review-sq")
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#result")))
	webtest.Screenshot(t, ctx, "transfer-result-sq")
	if got, want := webtest.Text(t, ctx, "#result-amount"), i18n.FormatAmount(123456, "ALL", i18n.SQ); got != want {
		t.Errorf("result shows %q, want %q", got, want)
	}
	if got, want := webtest.Attr(t, ctx, "#receipt", "href"), "/transfers/"+webtest.Text(t, ctx, "#transfer-id")+"/receipt"; got != want {
		t.Errorf("receipt link %q, want %q", got, want)
	}
	if got := b.balance(t, from.ID); got != fromBefore-123456 {
		t.Errorf("source balance %d, want %d", got, fromBefore-123456)
	}
	if got := b.balance(t, to.ID); got != toBefore+123456 {
		t.Errorf("target balance %d, want %d", got, toBefore+123456)
	}
	if n := b.transferRows(t); n != 1 {
		t.Errorf("%d transfers, want 1", n)
	}
}

func TestBrowserInternalTransferFindsThePayeeByClientNumberAndShowsOnlyAMaskedName(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, mine := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	from, to := mine[0], theirs[0]
	fromBefore, toBefore := b.balance(t, from.ID), b.balance(t, to.ID)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx,
		chromedp.Navigate(b.URL+"/transfers/internal"),
		chromedp.WaitVisible(chromedp.CSS("#payee-form")),
		chromedp.Click(chromedp.CSS("#by-client_number")),
		chromedp.SetValue(chromedp.CSS("#value"), "100000002"),
		chromedp.Click(chromedp.CSS("#payee-submit")),
		chromedp.WaitVisible(chromedp.CSS("#payee-name")),
	)
	masked := webtest.Text(t, ctx, "#payee-name")
	if masked != kyc.MaskName("Elira Shehu") {
		t.Errorf("payee shown as %q, want %q", masked, kyc.MaskName("Elira Shehu"))
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Elira", "Shehu"} {
		if strings.Contains(page, name) {
			t.Errorf("the payee check reveals %q", name)
		}
	}
	webtest.Run(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name="to_iban"][value="%s"]`, to.IBAN))),
		chromedp.SetValue(chromedp.CSS("#from"), from.ID),
		chromedp.SetValue(chromedp.CSS("#amount"), "250"),
		chromedp.SetValue(chromedp.CSS("#description"), "Dhuratë për ditëlindjen"),
		chromedp.SetValue(chromedp.CSS("#phone"), "069 123 4567"),
		chromedp.Click(chromedp.CSS("#internal-submit")),
		chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
	)
	if got := webtest.Text(t, ctx, "#review-to"); !strings.Contains(got, masked) || strings.Contains(got, "Elira") {
		t.Errorf("review names the payee %q", got)
	}
	if got := webtest.Text(t, ctx, "#review-phone"); got != "+355 69 123 4567" {
		t.Errorf("review phone %q", got)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := webtest.Text(t, ctx, "#result-to"); !strings.Contains(got, masked) || strings.Contains(got, "Elira") {
		t.Errorf("result names the payee %q", got)
	}
	// The phone typed on the form is kept with the transfer and told of the payment (T3).
	if got := webtest.Text(t, ctx, "#result-phone"); got != "+355 69 123 4567" {
		t.Errorf("result phone %q", got)
	}
	if _, err := b.Dispatch.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := b.Inbox.InboxFor(context.Background(), "+355691234567", 5); len(msgs) != 1 ||
		!strings.Contains(msgs[0].Body, "250,00 ALL") || !strings.Contains(msgs[0].Body, "Arben Hoxha") {
		t.Errorf("SMS to the beneficiary's phone: %+v", msgs)
	}
	if got := b.balance(t, to.ID); got != toBefore+25000 {
		t.Errorf("payee balance %d, want %d", got, toBefore+25000)
	}
	if got := b.balance(t, from.ID); got != fromBefore-25000 {
		t.Errorf("payer balance %d, want %d", got, fromBefore-25000)
	}
}

func TestBrowserReceiptIsAPDFForThePayerAndNotFoundForAnyoneElse(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	me, mine := b.demoAccounts(t, "100000001")
	them, theirs := b.demoAccounts(t, "100000002")
	bg := context.Background()
	my, _, err := b.Transfers.Create(bg, me, "receipt-mine", transfer.Request{Type: transfer.Own,
		FromAccountID: mine[0].ID, ToAccountID: mine[1].ID, Amount: "10.00", Currency: "ALL"})
	if err != nil {
		t.Fatal(err)
	}
	their, _, err := b.Transfers.Create(bg, them, "receipt-theirs", transfer.Request{Type: transfer.Own,
		FromAccountID: theirs[0].ID, ToAccountID: theirs[1].ID, Amount: "10.00", Currency: "ALL"})
	if err != nil {
		t.Fatal(err)
	}
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/"+my.ID), chromedp.WaitVisible(chromedp.CSS("#receipt")))
	got := webtest.Fetch(t, ctx, webtest.Attr(t, ctx, "#receipt", "href"))
	if got.Status != 200 || got.Type != "application/pdf" || got.Magic != "%PDF" {
		t.Errorf("receipt: %+v", got)
	}
	for _, path := range []string{"/transfers/" + their.ID + "/receipt", "/transfers/" + their.ID} {
		if got := webtest.Fetch(t, ctx, path); got.Status != 404 || got.Magic == "%PDF" {
			t.Errorf("%s of another customer's transfer: %+v", path, got)
		}
	}
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/"+their.ID), chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("transfer_not_found") {
		t.Errorf("another customer's transfer says %q", got)
	}
}

func TestBrowserConfirmingTwiceMakesOneTransfer(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, acc := b.demoAccounts(t, "100000001")
	from := acc[0]
	before := b.balance(t, from.ID)
	b.LogIn(t, ctx, "100000001")
	b.toOwnReview(t, ctx, from.ID, acc[1].ID, "100", "")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	// Two confirmations race each other straight to the server (no JavaScript in the way), then the form is
	// submitted twice more the way a double click would.
	statuses, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(async () => {
		const f = document.querySelector("#confirm-form");
		const body = new URLSearchParams(new FormData(f));
		const rs = await Promise.all([fetch(f.action, {method: "POST", body}), fetch(f.action, {method: "POST", body})]);
		f.requestSubmit();
		f.requestSubmit();
		return rs.map(r => r.status);
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range statuses {
		if s != 200 {
			t.Errorf("a confirmation answered %d", s)
		}
	}
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#result")))
	// And once more after going back to the review page.
	webtest.Run(t, ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
		chromedp.Click(chromedp.CSS("#confirm")), chromedp.WaitVisible(chromedp.CSS("#result")))
	if got := webtest.Text(t, ctx, "#notice"); got != b.Message("web_tr_replayed") {
		t.Errorf("a repeated confirmation says %q", got)
	}
	if n := b.transferRows(t); n != 1 {
		t.Fatalf("%d transfers, want 1", n)
	}
	if got := b.balance(t, from.ID); got != before-10000 {
		t.Errorf("balance %d, want %d", got, before-10000)
	}
}

func TestBrowserInsufficientFundsIsSaidOnTheFormAndNothingMoves(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	me, acc := b.demoAccounts(t, "100000001")
	from, to := acc[0], acc[1]
	fromBefore, toBefore := b.balance(t, from.ID), b.balance(t, to.ID)
	b.LogIn(t, ctx, "100000001")

	// On the form: more than the account holds.
	tooMuch := money.New(from.Available()+1, money.ALL).Decimal()
	b.toOwnReview(t, ctx, from.ID, to.ID, tooMuch, "Qira")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#problem")))
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("insufficient_funds") {
		t.Errorf("problem %q, want %q", got, b.Message("insufficient_funds"))
	}
	if got := webtest.Attr(t, ctx, "#amount", "value"); got != tooMuch {
		t.Errorf("the amount typed was not kept: %q", got)
	}
	if got := webtest.Attr(t, ctx, "#amount", "aria-invalid"); got != "true" {
		t.Errorf("the amount is not marked invalid: %q", got)
	}

	// At confirmation: the money left between the review and the confirmation.
	b.toOwnReview(t, ctx, from.ID, to.ID, "1000", "Qira")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	if _, _, err := b.Transfers.Create(context.Background(), me, "drain", transfer.Request{Type: transfer.Own,
		FromAccountID: from.ID, ToAccountID: acc[1].ID, Amount: money.New(from.Available()-100, money.ALL).Decimal(),
		Currency: "ALL"}); err != nil {
		t.Fatal(err)
	}
	drained := b.balance(t, from.ID)
	webtest.SubmitAndWait(t, ctx, "#confirm", "#problem")
	if got := webtest.Text(t, ctx, "#problem"); got != b.Message("insufficient_funds") {
		t.Errorf("problem at confirmation %q", got)
	}
	if got := webtest.Attr(t, ctx, "#amount", "value"); got != "1000.00" {
		t.Errorf("the reviewed amount was not kept: %q", got)
	}
	if b.transferRows(t) != 1 || b.balance(t, from.ID) != drained {
		t.Errorf("a refused transfer moved money")
	}
	if fromBefore-drained != b.balance(t, to.ID)-toBefore {
		t.Errorf("balances do not add up")
	}
}

// transfers.js offers only the accounts that can work, but without JavaScript the pickers offer every account, so
// the server alone must refuse what cannot work, and say why on the form with what was typed still there.
func TestBrowserOwnTransferFormSaysWhatIsWrongAndKeepsTheInput(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, acc := b.demoAccounts(t, "100000001")
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/own"), chromedp.WaitVisible(chromedp.CSS("#own-form")))
	tests := []struct {
		name, to, amount, desc string
		code, field            string
	}{
		{"too many decimals", acc[1].ID, "12,3456", "", "amount_too_many_decimals", "amount"},
		{"a comma before three digits reads two ways", acc[1].ID, "12,345", "", "amount_ambiguous", "amount"},
		{"not a number", acc[1].ID, "dy mijë", "", "invalid_amount", "amount"},
		{"special characters in the description", acc[1].ID, "10", "Qira <b>tetor</b> & nëntor", "description_invalid_characters", "description"},
		{"the same account", acc[0].ID, "10", "", "same_account", "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each refusal shows the form again, so the next case fills the form the last one left, with every
			// account on offer as a browser without JavaScript offers them.
			// (A clone of the picker has no listeners; the options are enabled again.)
			webtest.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
				const from = document.querySelector("#from");
				from.replaceWith(from.cloneNode(true));
				document.querySelectorAll("option").forEach(o => { o.disabled = false; });
			})()`))
			if status := fillOwn(t, ctx, acc[0].ID, tt.to, tt.amount, tt.desc); status < 400 || status >= 500 {
				t.Errorf("refused with HTTP status %d", status)
			}
			if got := webtest.Text(t, ctx, "#problem"); got != b.Message(tt.code) {
				t.Errorf("problem %q, want %q", got, b.Message(tt.code))
			}
			if got := webtest.Attr(t, ctx, "#"+tt.field, "aria-invalid"); got != "true" {
				t.Errorf("%s is not marked invalid", tt.field)
			}
			if got := webtest.Attr(t, ctx, "#amount", "value"); got != tt.amount {
				t.Errorf("amount kept as %q, want %q", got, tt.amount)
			}
			if got := webtest.Attr(t, ctx, "#description", "value"); got != tt.desc {
				t.Errorf("description kept as %q, want %q", got, tt.desc)
			}
		})
	}
	if n := b.transferRows(t); n != 0 {
		t.Errorf("%d transfers from refused forms", n)
	}
}

func TestBrowserATamperedConfirmationIsRefused(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, acc := b.demoAccounts(t, "100000001")
	_, theirs := b.demoAccounts(t, "100000002")
	before := b.balance(t, acc[0].ID)
	b.LogIn(t, ctx, "100000001")
	b.toOwnReview(t, ctx, acc[0].ID, acc[1].ID, "10", "")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	review := webtest.Location(t, ctx)
	tampers := []struct{ name, js string }{
		{"a larger amount", `document.querySelector('#confirm-form input[name="amount"]').value = "99999.00"`},
		{"another beneficiary", fmt.Sprintf(`(() => { const f = document.querySelector('#confirm-form');
			f.querySelector('input[name="type"]').value = "internal";
			f.querySelector('input[name="to"]').value = "";
			f.querySelector('input[name="to_iban"]').value = %q; })()`, theirs[0].IBAN)},
	}
	for _, tt := range tampers {
		t.Run(tt.name, func(t *testing.T) {
			if webtest.Location(t, ctx) != review {
				webtest.Run(t, ctx, chromedp.Navigate(review))
			}
			webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")),
				chromedp.Evaluate[chromedp.Void](tt.js),
				chromedp.Click(chromedp.CSS("#confirm")),
				chromedp.WaitVisible(chromedp.CSS("#problem")))
			if got := webtest.Text(t, ctx, "#problem"); got != b.Message("web_tr_tampered") {
				t.Errorf("problem %q, want %q", got, b.Message("web_tr_tampered"))
			}
		})
	}
	if n := b.transferRows(t); n != 0 || b.balance(t, acc[0].ID) != before {
		t.Errorf("a tampered confirmation made %d transfers", n)
	}
}

func TestBrowserPayeeChecksAreRateLimitedPerCustomer(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	b.LogIn(t, ctx, "100000001")
	webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/transfers/internal"), chromedp.WaitVisible(chromedp.CSS("#payee-form")))
	// The API's limit: 20 at once, then one every 6 seconds (the bank's clock is stopped here).
	last, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(async () => {
		let r;
		for (let i = 0; i < 21; i++) {
			r = await fetch("/transfers/internal/payee", {method: "POST",
				body: new URLSearchParams({by: "client_number", value: "100000002"})});
		}
		return [r.status, await r.text()];
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// It says how long to wait, from the limit, and marks no field: nothing typed was wrong.
	want := b.Catalogue.Message(i18n.SQ, "rate_limited", map[string]string{"wait": "6 sekondash"})
	if status, body := last[0], last[1].(string); status != float64(429) || !strings.Contains(body, want) ||
		strings.Contains(body, "aria-invalid") {
		t.Errorf("21st payee check: %v, want 429 saying %q with no field marked", status, want)
	}
}

func TestBrowserReviewSurvivesALanguageSwitchWithTheSameKey(t *testing.T) {
	b := newBank(t)
	ctx := webtest.Tab(t)
	_, acc := b.demoAccounts(t, "100000001")
	b.LogIn(t, ctx, "100000001")
	b.toOwnReview(t, ctx, acc[0].ID, acc[1].ID, "1500.5", "")
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	key := webtest.Attr(t, ctx, `#confirm-form input[name="key"]`, "value")
	if len(key) != 32 {
		t.Fatalf("idempotency key %q is not 128 bits in hex", key)
	}
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#lang-en")), chromedp.WaitVisible(chromedp.CSS("#confirm-form")))
	if got := webtest.Text(t, ctx, "h1"); got != "Check the transfer" {
		t.Errorf("heading %q", got)
	}
	if got, want := webtest.Text(t, ctx, "#review-amount"), i18n.FormatAmount(150050, "ALL", i18n.EN); got != want {
		t.Errorf("English amount %q, want %q", got, want)
	}
	if got := webtest.Attr(t, ctx, `#confirm-form input[name="key"]`, "value"); got != key {
		t.Errorf("the key changed from %s to %s", key, got)
	}
	// Changing the details goes back to the form as it was filled in.
	webtest.Run(t, ctx, chromedp.Click(chromedp.CSS("#edit")), chromedp.WaitVisible(chromedp.CSS("#own-form")))
	if got := webtest.Attr(t, ctx, "#amount", "value"); got != "1500.50" {
		t.Errorf("the form came back with amount %q", got)
	}
	for sel, want := range map[string]string{"#from": acc[0].ID, "#to": acc[1].ID} {
		if got, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel))); err != nil || got != want {
			t.Errorf("%s came back as %q (%v), want %s", sel, got, err, want)
		}
	}
}

func TestMain(m *testing.M) { webtest.Main(m) }

// bank is the demo bank a test runs against, with this package's helpers as methods.
type bank struct{ *webtest.Bank }

func newBank(t testing.TB) *bank { return &bank{webtest.NewBank(t)} }
