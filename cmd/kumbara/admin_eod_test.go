package main

import (
	"context"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
)

// Staff see the business date, its steps and each close's results, and can close what is due by hand: a bank
// whose business date is a week behind closes every working day since, one by one.
func TestAdminShowsAndRunsTheCloseOfBusiness(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		admin := adminAs(t, dsn)
		out, err := admin("eod")
		if err != nil || !strings.Contains(out, "business date ") || !strings.Contains(out, "steps: expire_holds, card_clearing, credit_statements, credit_due, verify_ledger") {
			t.Fatalf("eod: %v %s", err, out)
		}
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var today string
		if err := d.QueryRow(ctx, "SELECT day FROM business_date").Scan(&today); err != nil {
			t.Fatal(err)
		}
		start, _ := calendar.ParseDate(today)
		weekAgo := start.AddDays(-7)
		for weekAgo.Weekday() == 0 || weekAgo.Weekday() == 6 {
			weekAgo = weekAgo.AddDays(-1)
		}
		if _, err := d.Exec(ctx, "UPDATE business_date SET day = ?", weekAgo.String()); err != nil {
			t.Fatal(err)
		}
		out, err = admin("eod-run")
		if err != nil || !strings.Contains(out, "closed "+weekAgo.String()) {
			t.Fatalf("eod-run: %v %s", err, out)
		}
		out, err = admin("eod", "--days", "3")
		if err != nil {
			t.Fatalf("eod: %v %s", err, out)
		}
		for _, want := range []string{"expire_holds", "0 holds released", "verify_ledger", "ledger sound: "} {
			if !strings.Contains(out, want) {
				t.Errorf("eod lacks %q:\n%s", want, out)
			}
		}
		if out, err := admin("eod", "--close-of-business", "25:00"); err == nil {
			t.Errorf("a close at 25:00 was taken: %s", out)
		}
	})
}
