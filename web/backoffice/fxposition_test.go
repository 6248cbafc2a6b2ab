package backoffice_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/fx"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/web/webtest"
)

// fxConvert has a new individual, with funds in from's currency, convert at the demo's rates: sell amount of it,
// or with buy true, buy amount of to's currency.
func fxConvert(t *testing.T, b *webtest.Bank, n int, from, to money.Currency, funds int64, amount string, buy bool) {
	t.Helper()
	ctx := context.Background()
	birth := time.Date(1979, 3, n, 0, 0, 0, 0, time.UTC)
	c, err := b.Customers.CreateIndividual(ctx, customer.NewIndividual{FirstName: "Elira", LastName: "Duka",
		NationalID: kyc.NewNationalID(birth, false, 700+n).String(), BirthDate: birth,
		Mobile: fmt.Sprintf("+35567%07d", 7000+n)})
	if err != nil {
		t.Fatal(err)
	}
	src, err := b.Customers.OpenAccount(ctx, c.ID, from, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	dst, err := b.Customers.OpenAccount(ctx, c.ID, to, ledger.TypeCurrent, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.CashDeposit(ctx, src.ID, money.New(funds, from), ""); err != nil {
		t.Fatal(err)
	}
	r := fx.QuoteRequest{FromAccountID: src.ID, ToAccountID: dst.ID, SellAmount: amount}
	if buy {
		r = fx.QuoteRequest{FromAccountID: src.ID, ToAccountID: dst.ID, BuyAmount: amount}
	}
	q, err := b.Operations.FX.Quote(ctx, c.ID, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Operations.FX.Execute(ctx, c.ID, q.ID); err != nil {
		t.Fatal(err)
	}
}

// fxDay makes the demo bank's Friday of conversions at the demo's rates (EUR 97.80/99.40, mid 98.60; USD
// 90.20/92.10, mid 91.15): a customer sells 1,234.57 EUR for 120,740.95 lek (the bank books 987.65), another buys
// 500.00 USD for 46,050.00 lek (the bank books 475.00). The positions: EUR +1,234.57, USD −500.00, ALL
// −121,728.60 + 46,050.00 − 475.00 = −76,153.60, summing at the mids to 121,728.602 − 45,575.00 − 76,153.60 =
// 0.002 → 0.00; the day's income 1,462.65.
func fxDay(t *testing.T, b *webtest.Bank) {
	t.Helper()
	fxConvert(t, b, 1, money.EUR, money.ALL, 200_000, "1234.57", false)
	fxConvert(t, b, 2, money.ALL, money.USD, 10_000_000, "500", true)
}

// TestTheFXPositionPageShowsEachCurrencyAndTheDaysResults: the back office reads the position in either language
// with the numbers written the language's way; when the euro's mid moves to 99.00 the total is at once the gain a
// close would book, 1,234.57 × 0.40 = 493.83; after the close the new business day shows that revaluation and no
// income yet; once the rates have expired the page says which currencies it cannot value. A teller, who does not read the bank's books, gets the 403 page, and no menu entry.
func TestTheFXPositionPageShowsEachCurrencyAndTheDaysResults(t *testing.T) {
	b := webtest.NewBank(t)
	keeper := webtest.StaffToken(t, b, "backoffice")
	if a := staffGet(t, b, "/backoffice/fx/position", keeper, ""); a.Status != http.StatusOK ||
		!strings.Contains(a.Body, `id="fxpos-total">0,00 ALL`) {
		t.Fatalf("the position before any conversion: %d", a.Status)
	}
	fxDay(t, b)
	sq := staffGet(t, b, "/backoffice/fx/position", keeper, i18n.SQ)
	if sq.Status != http.StatusOK {
		t.Fatalf("the position: %d", sq.Status)
	}
	for _, want := range []string{`id="fxpos-total">0,00 ALL`,
		`id="fxpos-income">1.462,65 ALL`, `id="fxpos-rounding">0,00 ALL`, `id="fxpos-revaluation">0,00 ALL`,
		`<span class="amount fxpos-balance">1.234,57 EUR</span>`, `<span class="fxpos-mid">98,60</span>`,
		`<span class="amount fxpos-value">121.728,60 ALL</span>`, `<span class="amount fxpos-balance">-500,00 USD</span>`,
		`<span class="fxpos-mid">91,15</span>`, `<span class="amount fxpos-value">-45.575,00 ALL</span>`,
		`<span class="amount fxpos-balance">-76.153,60 ALL</span>`, `<span class="fxpos-mid">1,00</span>`,
		`I gjatë`, `I shkurtër`} {
		if !strings.Contains(sq.Body, want) {
			t.Errorf("the Albanian page lacks %s", want)
		}
	}
	if strings.Contains(sq.Body, `id="fxpos-unrated"`) || strings.Contains(sq.Body, `id="fxpos-verdict"`) {
		t.Error("the Albanian page names an unrated currency or a verdict on a flat position")
	}
	en := staffGet(t, b, "/backoffice/fx/position", keeper, i18n.EN)
	for _, want := range []string{`id="fxpos-income">1,462.65 ALL`, `<span class="amount fxpos-balance">1,234.57 EUR</span>`,
		`<span class="fxpos-mid">98.60</span>`, `<span class="amount fxpos-value">121,728.60 ALL</span>`, ">Long<", ">Short<"} {
		if !strings.Contains(en.Body, want) {
			t.Errorf("the English page lacks %s", want)
		}
	}

	if _, err := b.Operations.FX.Publish(context.Background(), fx.Rate{Currency: money.EUR, Buy: "98.20",
		Sell: "99.80", PublishedBy: "backoffice", ApprovedBy: "manager"}); err != nil {
		t.Fatal(err)
	}
	moved := staffGet(t, b, "/backoffice/fx/position", keeper, i18n.SQ)
	for _, want := range []string{`id="fxpos-total">493,83 ALL`, `id="fxpos-verdict">Fitim`, `<span class="fxpos-mid">99,00</span>`} {
		if !strings.Contains(moved.Body, want) {
			t.Errorf("after the euro moved the page lacks %s", want)
		}
	}

	b.Clock.Set(time.Date(2026, 11, 20, 20, 0, 0, 0, clock.Tirane))
	if closed, err := b.EOD.RunDue(context.Background()); err != nil || fmt.Sprint(closed) != "[2026-11-20]" {
		t.Fatalf("Friday's close: %v, %v", closed, err)
	}
	// The session lapsed while the clock moved on: the member logs in again.
	keeper = webtest.StaffToken(t, b, "backoffice")
	monday := staffGet(t, b, "/backoffice/fx/position", keeper, i18n.SQ)
	for _, want := range []string{`id="fxpos-total">0,00 ALL`, `id="fxpos-revaluation">493,83 ALL`,
		`id="fxpos-income">0,00 ALL`, `<span class="amount fxpos-balance">-76.647,43 ALL</span>`, "23.11.2026"} {
		if !strings.Contains(monday.Body, want) {
			t.Errorf("after the close the page lacks %s", want)
		}
	}
	if breaks, err := b.Ledger.Verify(context.Background()); err != nil || len(breaks) > 0 {
		t.Fatalf("the ledger after the revaluation: %v, %v", breaks, err)
	}
	// On Saturday the rates published on Friday morning have expired: the euro and the dollar have no value and
	// the page says they are left out of the total.
	b.Clock.Set(time.Date(2026, 11, 21, 11, 0, 0, 0, clock.Tirane))
	keeper = webtest.StaffToken(t, b, "backoffice")
	saturday := staffGet(t, b, "/backoffice/fx/position", keeper, i18n.SQ)
	for _, want := range []string{`id="fxpos-unrated">Disa monedha nuk kanë kurs në fuqi (EUR, USD):`,
		`<span class="amount fxpos-value">–</span>`, `id="fxpos-total">-76.647,43 ALL`} {
		if !strings.Contains(saturday.Body, want) {
			t.Errorf("without rates the page lacks %s", want)
		}
	}

	teller := webtest.StaffToken(t, b, "teller")
	if a := staffGet(t, b, "/backoffice/fx/position", teller, i18n.SQ); a.Status != http.StatusForbidden {
		t.Errorf("the teller's position: %d", a.Status)
	}
	if a := staffGet(t, b, "/backoffice/", teller, i18n.SQ); strings.Contains(a.Body, `id="menu-fxposition"`) || strings.Contains(a.Body, `id="home-fxposition"`) {
		t.Error("the teller's menu offers the FX position")
	}
}

// TestTheFXPositionFitsAPhoneAndALaptop: the back office opens the position from its tab on a phone; the table of
// currencies becomes cards at 360 px and a table at 1280 px, neither scrolling sideways.
func TestTheFXPositionFitsAPhoneAndALaptop(t *testing.T) {
	b := webtest.NewBank(t)
	fxDay(t, b)
	if _, err := b.Operations.FX.Publish(context.Background(), fx.Rate{Currency: money.EUR, Buy: "98.20",
		Sell: "99.80", PublishedBy: "backoffice", ApprovedBy: "manager"}); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Tab(t)
	webtest.Run(t, ctx, chromedp.EmulateViewport(360, 800))
	b.StaffLogIn(t, ctx, "backoffice", demo.Password)
	// A report, opened from the home page: the menus hold the day's work.
	webtest.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS("#home-fxposition a")))
	webtest.SubmitAndWait(t, ctx, "#home-fxposition a", "#fxpos-table")
	if got := webtest.Text(t, ctx, "#fxpos-total"); got != "493,83 ALL" {
		t.Errorf("the total reads %q", got)
	}
	if got := webtest.Text(t, ctx, "#fxpos-EUR .fxpos-mid"); got != "99,00" {
		t.Errorf("the euro's mid reads %q", got)
	}
	for _, w := range []int64{360, 1280} {
		webtest.Run(t, ctx, chromedp.EmulateViewport(w, 800))
		if !webtest.WaitFor(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`) {
			t.Errorf("the position scrolls sideways at %d px", w)
		}
	}
	shoot(t, ctx, "fx-position")
}
