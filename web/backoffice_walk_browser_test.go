package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/clearinghouse"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/issuing"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/payment"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestEveryBackOfficePageFitsAPhoneAndALaptopWithoutAccessibilityViolations walks the back office's route table
// as the walk above walks the internet branch's, with the same checks (walkPage): every GET page, signed out (the
// public ones) and signed in as members whose roles together open every page (a manager, who decides requests;
// compliance, who reads everything; the administrator, who manages staff and jobs; and the roles whose operations
// have forms of their own), in Albanian and English, at 360 and 1280 px. Each page is walked once per language, by
// the first of them who may open it. A path parameter it cannot fill fails it, so a new back office page is walked
// from the day it exists.
func TestEveryBackOfficePageFitsAPhoneAndALaptopWithoutAccessibilityViolations(t *testing.T) {
	axe := axeSource(t)
	b := webtest.NewBank(t)
	routes, err := b.BackOffice.Routes()
	if err != nil {
		t.Fatal(err)
	}
	values := backOfficeValues(t, b)
	for _, lang := range []string{"sq", "en"} {
		walked := map[string]bool{}
		for _, who := range []string{"", "manager", "compliance", "admin", "backoffice", "service", "teller"} {
			name := who
			if name == "" {
				name = "out"
			}
			t.Run(name+"-"+lang, func(t *testing.T) {
				ctx := webtest.LongTab(t, 5*time.Minute)
				home := "/backoffice/login"
				if who != "" {
					b.StaffLogIn(t, ctx, who, demo.Password)
					home = "/backoffice/"
				}
				webtest.Run(t, ctx, chromedp.Navigate(b.URL+"/backoffice/lang/"+lang+"?next="+home),
					chromedp.WaitReady(chromedp.CSS("body")))
				member, _ := b.Staff.ByUsername(context.Background(), who)
				for _, rt := range routes {
					switch {
					case rt.Method != "GET", walked[rt.Path], who == "" && rt.Access != httpx.Public,
						rt.Permission != "" && !member.Can(rt.Permission):
						continue
					}
					walked[rt.Path] = true
					path, err := fillBackOffice(rt.Path, lang, values)
					if err != nil {
						t.Error(err)
						continue
					}
					if typ, ok := backOfficeDownloads[rt.Path]; ok {
						if got := webtest.Fetch(t, ctx, path); got.Status != 200 || got.Type != typ {
							t.Errorf("%s: %d %q, want %s", path, got.Status, got.Type, typ)
						}
						continue
					}
					walkPage(t, ctx, b.URL+path, "bo-"+shotName(strings.TrimPrefix(rt.Path, "/backoffice"), name, lang), axe)
				}
			})
		}
	}
}

// backOfficeDownloads are the back office's GET routes that answer a file, not a page, with its type: the walk
// fetches them instead of looking at them.
var backOfficeDownloads = map[string]string{
	"/backoffice/payments/clearing/{direction}/{message}": "application/xml; charset=utf-8",
}

// backOfficeValues are the demo's real values of the back office's path parameters: Dritan Çela ({id}), his
// current account ({account}) and its latest entry ({entry}), a member of staff ({username}), the demo's request
// waiting for a manager ({request}), and a payment another bank sends him through the clearing-house sandbox
// ({payment}) with its message ({direction}, {message}), the day reconciled, a bank of the directory with a
// VoP credential ({code}), and the demo's request for a preferential rate ({fxrequest}).
func backOfficeValues(t *testing.T, b *webtest.Bank) map[string]string {
	t.Helper()
	ctx := context.Background()
	c, err := b.Customers.ByClientNumber(ctx, "100000003")
	if err != nil {
		t.Fatal(err)
	}
	accounts, err := b.Ledger.ListByCustomer(ctx, c.ID)
	if err != nil || len(accounts) == 0 {
		t.Fatalf("accounts: %v", err)
	}
	page, err := b.Ledger.History(ctx, accounts[0].ID, ledger.HistoryFilter{Limit: 1})
	if err != nil || len(page.Lines) == 0 {
		t.Fatalf("history: %v", err)
	}
	manager, _ := b.Staff.ByUsername(ctx, "manager")
	pending, err := b.Approvals.List(ctx, manager, approval.Filter{Status: approval.Pending})
	if err != nil || len(pending) == 0 {
		t.Fatalf("the demo's request: %v", err)
	}
	ch, ok := b.BackOffice.Payments.Clearing.(*clearinghouse.Sandbox)
	if !ok {
		t.Fatal("the bank has no clearing-house sandbox")
	}
	message, err := ch.Inject(ctx, clearinghouse.Inbound{IBAN: iban.IBAN(accounts[0].IBAN),
		Amount: money.New(7_500_00, accounts[0].Currency), Name: "Alba Trade", Remittance: "Fatura 12"})
	if err != nil {
		t.Fatalf("a payment from another bank: %v", err)
	}
	in, err := b.BackOffice.Payments.Search(ctx, payment.StaffFilter{Direction: payment.In})
	if err != nil || len(in) == 0 {
		t.Fatalf("the payment from another bank: %v", err)
	}
	if _, err := b.BackOffice.Payments.ReconcileDay(ctx, calendar.DateOf(b.Clock.Now())); err != nil {
		t.Fatalf("reconciling the day: %v", err)
	}
	if _, _, err := b.BackOffice.Directory.IssueCredential(ctx, "212"); err != nil {
		t.Fatalf("a bank's credential: %v", err)
	}
	fxRequests, err := b.Operations.FX.AllRequests(ctx, 0)
	if err != nil || len(fxRequests) == 0 {
		t.Fatalf("the demo's preferential rate request: %v", err)
	}
	// A debit card of his ({card}), with its history.
	k, err := b.Cards.Issue(ctx, card.IssueRequest{CustomerID: c.ID, AccountID: accounts[0].ID, Type: card.Visa,
		Contactless: true, PIN: "4739"})
	if err != nil {
		t.Fatalf("a card: %v", err)
	}
	for i, amount := range []int64{12_000, 1 << 50} {
		if _, err := b.Issuing.Authorise(ctx, issuing.Request{ID: fmt.Sprint("walk-", i), CardID: k.ID,
			Amount: money.New(amount, accounts[0].Currency), Merchant: "Neptun Tirana", MCC: "5732", Country: "AL",
			CardPresent: true}); err != nil {
			t.Fatalf("an authorisation: %v", err)
		}
	}
	if _, err := b.Issuing.Clear(ctx, issuing.Format(issuing.File{ID: "walk", BusinessDate: calendar.DateOf(b.Clock.Now()),
		Presentments: []issuing.Presentment{{ID: "walk-p", AuthorisationID: "walk-0", CardID: k.ID, Kind: issuing.KindPurchase,
			Amount: money.New(12_000, accounts[0].Currency), MCC: "5732", Merchant: "Neptun Tirana"}}})); err != nil {
		t.Fatalf("the clearing: %v", err)
	}
	if _, err := b.Issuing.OpenDispute(ctx, "walk-p", "Nuk e njoh", "backoffice"); err != nil {
		t.Fatalf("a dispute: %v", err)
	}
	return map[string]string{"{id}": c.ID, "{account}": accounts[0].ID, "{entry}": page.Lines[0].EntryID,
		"{username}": "teller", "{request}": pending[0].ID, "{payment}": in[0].ID, "{direction}": payment.In,
		"{message}": message, "{code}": "212", "{fxrequest}": fxRequests[0].ID, "{card}": k.ID}
}

// fillBackOffice gives every path parameter of a back office route a real value, by its name.
func fillBackOffice(path, lang string, values map[string]string) (string, error) {
	path = strings.ReplaceAll(path, "{$}", "")
	path = strings.ReplaceAll(path, "{lang}", lang)
	for name, v := range values {
		path = strings.ReplaceAll(path, name, v)
	}
	if strings.Contains(path, "{") {
		return "", fmt.Errorf("no value for a parameter of %s: give the walk one", path)
	}
	return path, nil
}
