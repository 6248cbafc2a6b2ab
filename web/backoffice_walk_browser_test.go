package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/approval"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/ledger"
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
					walkPage(t, ctx, b.URL+path, "bo-"+shotName(strings.TrimPrefix(rt.Path, "/backoffice"), name, lang), axe)
				}
			})
		}
	}
}

// backOfficeValues are the demo's real values of the back office's path parameters: Dritan Çela ({id}), his
// current account ({account}) and its latest entry ({entry}), a member of staff ({username}) and the demo's request
// waiting for a manager ({request}).
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
	return map[string]string{"{id}": c.ID, "{account}": accounts[0].ID, "{entry}": page.Lines[0].EntryID,
		"{username}": "teller", "{request}": pending[0].ID}
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
