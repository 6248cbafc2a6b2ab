package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/httpx"
	"github.com/kumbara/kumbara/web/webtest"
)

// TestEveryBackOfficePageFitsAPhoneAndALaptopWithoutAccessibilityViolations walks the back office's route table
// as the walk above walks the internet branch's, with the same checks (walkPage): every GET page, signed out (the
// public ones) and signed in as members whose roles together open every page (compliance reads everything, the
// administrator manages staff and jobs), in Albanian and English, at 360 and 1280 px. A path parameter it cannot
// fill fails it, so a new back office page is walked from the day it exists.
func TestEveryBackOfficePageFitsAPhoneAndALaptopWithoutAccessibilityViolations(t *testing.T) {
	axe := axeSource(t)
	b := webtest.NewBank(t)
	routes, err := b.BackOffice.Routes()
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.Customers.ByClientNumber(context.Background(), "100000003")
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"", "compliance", "admin"} {
		for _, lang := range []string{"sq", "en"} {
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
					case rt.Method != "GET", who == "" && rt.Access != httpx.Public,
						rt.Permission != "" && !member.Can(rt.Permission):
						continue
					}
					path, err := fillBackOffice(rt.Path, lang, c.ID)
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

// fillBackOffice gives every path parameter of a back office route a real value, by its name.
func fillBackOffice(path, lang, customerID string) (string, error) {
	path = strings.ReplaceAll(path, "{$}", "")
	for name, v := range map[string]string{"{lang}": lang, "{id}": customerID, "{username}": "teller"} {
		path = strings.ReplaceAll(path, name, v)
	}
	if strings.Contains(path, "{") {
		return "", fmt.Errorf("no value for a parameter of %s: give the walk one", path)
	}
	return path, nil
}
