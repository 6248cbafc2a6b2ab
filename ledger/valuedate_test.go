package ledger_test

import (
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
)

func tirane(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Tirane)
}

// T14: an entry posted after the close of business, or on a day the bank is closed, counts from the next working
// day; the history line, the line's detail and the entry all carry it.
func TestEntriesAreValuedOnTheNextWorkingDayAfterTheClose(t *testing.T) {
	cases := []struct {
		name string
		at   time.Time
		want string
	}{
		{"a working morning", tirane(2026, 12, 7, 10, 0), "2026-12-07"},
		{"a minute before the close", tirane(2026, 12, 7, 19, 59), "2026-12-07"},
		{"at the close, before Youth Day", tirane(2026, 12, 7, 20, 0), "2026-12-09"},
		{"on Youth Day", tirane(2026, 12, 8, 11, 0), "2026-12-09"},
		{"Friday evening", tirane(2026, 12, 11, 21, 30), "2026-12-14"},
		{"Saturday", tirane(2026, 12, 12, 9, 0), "2026-12-14"},
		{"Christmas Eve after the close", tirane(2026, 12, 24, 20, 0), "2026-12-28"},
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.l.Calendar = &calendar.Service{DB: d, Clock: f.clk}
		a := f.open(t, 0)
		for _, c := range cases {
			f.clk.Set(c.at)
			entry := f.deposit(t, a.ID, 100)
			var stored string
			if err := d.QueryRow(f.ctx, "SELECT value_date FROM journal_entries WHERE id = ?", entry).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			page, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{Limit: 1})
			if err != nil || len(page.Lines) != 1 {
				t.Fatalf("%s: history %v %v", c.name, page.Lines, err)
			}
			line := page.Lines[0]
			detail, err := f.l.LineOf(f.ctx, a.ID, line.ID)
			if err != nil {
				t.Fatal(err)
			}
			for what, got := range map[string]string{"entry": stored, "history": day(line.ValueDate),
				"detail": day(detail.ValueDate)} {
				if got != c.want {
					t.Errorf("%s: %s value date %s, want %s", c.name, what, got, c.want)
				}
			}
		}
	})
}

func day(t time.Time) string { return t.In(clock.Tirane).Format(time.DateOnly) }

// Without a calendar (tools and the ledger's own tests) an entry counts from the day it was posted, in Tirane.
func TestEntriesWithoutACalendarAreValuedOnTheirPostingDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.clk.Set(tirane(2026, 12, 12, 23, 30)) // a Saturday night: 22:30 UTC
		a := f.open(t, 0)
		f.deposit(t, a.ID, 100)
		page, err := f.l.History(f.ctx, a.ID, ledger.HistoryFilter{})
		if err != nil || len(page.Lines) != 1 {
			t.Fatalf("history %v %v", page.Lines, err)
		}
		if got := day(page.Lines[0].ValueDate); got != "2026-12-12" {
			t.Errorf("value date %s, want 2026-12-12", got)
		}
	})
}

// The group commit asks the calendar for each batch's value date without a database read: the year is read
// before the transaction at most once a minute. With the holidays' table gone, postings still go through while
// the year is cached.
func TestValueDatesCostTheGroupCommitNoRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.l.Calendar = &calendar.Service{DB: d, Clock: f.clk}
		from, to := f.funded(t, 1_000_000), f.open(t, 0)
		f.l.Start(0)
		defer f.l.Close()
		if err := f.l.Submit(f.ctx, transferOp(from.ID, to.ID, 1)); err != nil { // reads the year
			t.Fatal(err)
		}
		if _, err := d.Exec(f.ctx, "ALTER TABLE announced_holidays RENAME TO announced_holidays_away"); err != nil {
			t.Fatal(err)
		}
		defer func() {
			_, _ = d.Exec(f.ctx, "ALTER TABLE announced_holidays_away RENAME TO announced_holidays")
		}()
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 25 {
					if err := f.l.Submit(f.ctx, transferOp(from.ID, to.ID, 1)); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if got := f.get(t, to.ID).Balance; got != 201 {
			t.Errorf("balance %d, want 201", got)
		}
	})
}

// Migration 00028 gave the entries posted before value dates the day they were posted on in Tirane, in SQL both
// engines run alike: run again here on entries posted around the changes of summer time, the ends of years and
// months, leap days and at random over a century, it must agree with Go's time zone database.
func TestTheValueDatesBackfillAgreesWithTiraneTime(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), time.Date(2026, 3, 29, 0, 59, 59, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 21, 59, 59, 0, time.UTC), time.Date(2026, 10, 24, 22, 30, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 0, 59, 59, 0, time.UTC), time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 25, 22, 59, 59, 0, time.UTC), time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 31, 22, 59, 59, 0, time.UTC), time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 28, 23, 0, 0, 0, time.UTC), time.Date(2024, 2, 29, 23, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 12, 0, 0, 0, time.UTC), time.Date(2100, 2, 28, 23, 30, 0, 0, time.UTC),
		time.Date(2027, 3, 28, 0, 30, 0, 0, time.UTC), time.Date(2030, 3, 31, 1, 0, 0, 0, time.UTC),
	}
	rng := rand.New(rand.NewPCG(28, 28))
	lo, hi := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	for range 400 {
		times = append(times, time.Unix(lo+rng.Int64N(hi-lo), 0).UTC())
	}
	backfill := backfillStatements(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ids := make([]string, len(times))
		for i, at := range times {
			ids[i] = uuid.Must(uuid.NewV7()).String()
			if _, err := d.Exec(f.ctx, "INSERT INTO journal_entries (id, kind, posted_at) VALUES (?, 'test', ?)",
				ids[i], db.Micros(at)+int64(i%1000)); err != nil {
				t.Fatal(err)
			}
		}
		for _, stmt := range backfill {
			if _, err := d.Exec(f.ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		for i, at := range times {
			var got string
			if err := d.QueryRow(f.ctx, "SELECT value_date FROM journal_entries WHERE id = ?", ids[i]).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := calendar.DateOf(at).String(); got != want {
				t.Errorf("posted %s: value date %s, want %s", at, got, want)
			}
		}
	})
}

// backfillStatements are migration 00028's statements that value the older entries.
func backfillStatements(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../db/migrations/00028_business_date_value_dates.sql")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "CREATE TABLE value_date_backfill")
	end := strings.Index(s, "DROP TABLE value_date_backfill;")
	if start < 0 || end < start {
		t.Fatal("migration 00028 has no value date backfill")
	}
	var out []string
	for stmt := range strings.SplitSeq(s[start:end+len("DROP TABLE value_date_backfill;")], ";\n") {
		if stmt = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(stmt), ";")); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}
