package eod_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/eod"
)

func tirane(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Tirane)
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fixture is a close of business on a fresh database with a fake clock and two steps that record every run.
type fixture struct {
	ctx context.Context
	d   *db.DB
	clk *clock.Fake
	cal *calendar.Service
	svc *eod.Service

	mu   sync.Mutex
	runs []string // "date step", in the order they ran
	fail map[string]int
}

func newFixture(t *testing.T, d *db.DB, start time.Time) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), d: d, clk: clock.NewFake(start), fail: map[string]int{}}
	f.cal = &calendar.Service{DB: d, Clock: f.clk}
	f.svc = f.service()
	return f
}

// service is one instance's close of business over the fixture's database, its steps recording into f.
func (f *fixture) service() *eod.Service {
	s := &eod.Service{DB: f.d, Clock: f.clk, Calendar: f.cal}
	for _, name := range []string{"standing_orders", "interest"} {
		s.Register(name, func(_ context.Context, d calendar.Date) (string, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			key := d.String() + " " + name
			if f.fail[key] > 0 {
				f.fail[key]--
				return "", errors.New("the clearing house did not answer")
			}
			f.runs = append(f.runs, key)
			return "ran " + name, nil
		})
	}
	return s
}

func (f *fixture) businessDate(t *testing.T) calendar.Date {
	t.Helper()
	d, err := f.svc.BusinessDate(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (f *fixture) ran() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.runs)
}

// A month of business days with holidays: the periodic job (here a loop every 30 minutes of fake time) closes
// each working day at 20:00 and no earlier, and the business date moves over weekends and holidays —
// Independence and Liberation Days on a weekend (observed on Monday 30 November), Youth Day (8 December) and
// Christmas (25 December).
func TestAMonthOfClosesAt20MovesTheBusinessDateOverWeekendsAndHolidays(t *testing.T) {
	want := []string{"2026-11-25", "2026-11-26", "2026-11-27", "2026-12-01", "2026-12-02", "2026-12-03",
		"2026-12-04", "2026-12-07", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-14", "2026-12-15",
		"2026-12-16", "2026-12-17", "2026-12-18", "2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24",
		"2026-12-28"}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, tirane(2026, 11, 25, 8, 0))
		if got := f.businessDate(t); got != date(want[0]) {
			t.Fatalf("first business date %s, want %s", got, want[0])
		}
		var closed []string
		for f.clk.Now().Before(tirane(2026, 12, 29, 8, 0)) {
			f.clk.Advance(30 * time.Minute)
			before := f.businessDate(t)
			days, err := f.svc.RunDue(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, day := range days {
				at := f.clk.Now().In(clock.Tirane)
				if day != before || at.Format(time.DateOnly) != day.String() || at.Hour() != 20 || at.Minute() != 0 {
					t.Errorf("closed %s at %s with business date %s; want it closed at 20:00 that day", day, at, before)
				}
				closed = append(closed, day.String())
				if next := f.businessDate(t); len(closed) < len(want) && next.String() != want[len(closed)] {
					t.Errorf("after the close of %s the business date is %s, want %s", day, next, want[len(closed)])
				}
			}
		}
		if !slices.Equal(closed, want) {
			t.Fatalf("closed %v\nwant   %v", closed, want)
		}
		var runs []string
		for _, day := range want {
			runs = append(runs, day+" standing_orders", day+" interest")
		}
		if got := f.ran(); !slices.Equal(got, runs) {
			t.Errorf("steps ran %v\nwant %v", got, runs)
		}
		if got := f.businessDate(t); got != date("2026-12-29") {
			t.Errorf("business date %s, want 2026-12-29", got)
		}
	})
}

// A bank down from Monday's day to Friday morning closes Monday, Tuesday and Wednesday... one by one, in order,
// each with all its steps, when it is back; Friday's close waits for Friday 20:00.
func TestThreeMissedDaysAreReplayedOneByOneInOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, tirane(2026, 12, 1, 9, 0))
		if got := f.businessDate(t); got != date("2026-12-01") {
			t.Fatalf("business date %s", got)
		}
		f.clk.Set(tirane(2026, 12, 4, 10, 0)) // down from Tuesday morning to Friday morning
		days, err := f.svc.RunDue(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(days); got != "[2026-12-01 2026-12-02 2026-12-03]" {
			t.Errorf("closed %s", got)
		}
		want := []string{"2026-12-01 standing_orders", "2026-12-01 interest", "2026-12-02 standing_orders",
			"2026-12-02 interest", "2026-12-03 standing_orders", "2026-12-03 interest"}
		if got := f.ran(); !slices.Equal(got, want) {
			t.Errorf("ran %v\nwant %v", got, want)
		}
		if got := f.businessDate(t); got != date("2026-12-04") {
			t.Errorf("business date %s, want 2026-12-04", got)
		}
		if days, err := f.svc.RunDue(f.ctx); err != nil || len(days) != 0 {
			t.Errorf("a second call closed %v (%v)", days, err)
		}
		history, err := f.svc.History(f.ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range history {
			got = append(got, fmt.Sprintf("%s %s %s %d %s", r.Date, r.Step, r.Status, r.Attempts, r.Result))
		}
		wantHistory := []string{"2026-12-03 standing_orders done 1 ran standing_orders", "2026-12-03 interest done 1 ran interest",
			"2026-12-02 standing_orders done 1 ran standing_orders", "2026-12-02 interest done 1 ran interest",
			"2026-12-01 standing_orders done 1 ran standing_orders", "2026-12-01 interest done 1 ran interest"}
		if !slices.Equal(got, wantHistory) {
			t.Errorf("history %v\nwant %v", got, wantHistory)
		}
	})
}

// A step that fails stops the close where it is: the business date stays, the failure is recorded, and the next
// run retries that step alone — the steps done before it never run again for that date.
func TestAFailedStepIsRetriedAloneAndTheDayClosesAfterIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, tirane(2026, 12, 2, 9, 0))
		f.businessDate(t)
		f.fail["2026-12-02 interest"] = 1
		f.clk.Set(tirane(2026, 12, 2, 20, 1))
		days, err := f.svc.RunDue(f.ctx)
		if err == nil || len(days) != 0 {
			t.Fatalf("closed %v, err %v; want the failure", days, err)
		}
		if got := f.businessDate(t); got != date("2026-12-02") {
			t.Errorf("business date moved to %s after a failed step", got)
		}
		history, err := f.svc.History(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 2 || !history[0].Done() || !history[1].Failed() ||
			!strings.Contains(history[1].Error, "clearing house") || history[1].FinishedAt.IsZero() {
			t.Fatalf("history after the failure: %+v", history)
		}
		f.clk.Advance(time.Minute)
		if days, err := f.svc.RunDue(f.ctx); err != nil || fmt.Sprint(days) != "[2026-12-02]" {
			t.Fatalf("retry closed %v (%v)", days, err)
		}
		if got := f.ran(); !slices.Equal(got, []string{"2026-12-02 standing_orders", "2026-12-02 interest"}) {
			t.Errorf("ran %v", got)
		}
		history, _ = f.svc.History(f.ctx, 1)
		if len(history) != 2 || history[1].Attempts != 2 || !history[1].Done() || history[1].Error != "" {
			t.Errorf("history after the retry: %+v", history)
		}
		if got := f.businessDate(t); got != date("2026-12-03") {
			t.Errorf("business date %s, want 2026-12-03", got)
		}
	})
}

// Several instances closing the same days at once (every instance runs the periodic job) run each step once per
// date, and the business date moves once per close.
func TestInstancesClosingAtOnceRunEachStepOncePerDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, tirane(2026, 12, 1, 9, 0))
		f.businessDate(t)
		f.clk.Set(tirane(2026, 12, 4, 10, 0))
		var wg sync.WaitGroup
		for range 4 {
			s := f.service()
			wg.Go(func() {
				for range 20 {
					if _, err := s.RunDue(f.ctx); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		if _, err := f.svc.RunDue(f.ctx); err != nil { // whatever another instance left to a later call
			t.Fatal(err)
		}
		got := f.ran()
		slices.Sort(got)
		want := []string{"2026-12-01 interest", "2026-12-01 standing_orders", "2026-12-02 interest",
			"2026-12-02 standing_orders", "2026-12-03 interest", "2026-12-03 standing_orders"}
		if !slices.Equal(got, want) {
			t.Errorf("ran %v\nwant each once: %v", got, want)
		}
		if got := f.businessDate(t); got != date("2026-12-04") {
			t.Errorf("business date %s, want 2026-12-04", got)
		}
	})
}

// An instance that died running a step leaves it claimed; once its lease has passed another instance runs it.
func TestAStepLeftRunningByADeadInstanceIsTakenOverAfterItsLease(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, tirane(2026, 12, 2, 9, 0))
		f.businessDate(t)
		f.clk.Set(tirane(2026, 12, 2, 20, 0))
		if _, err := d.Exec(f.ctx, `INSERT INTO eod_steps (business_date, step, position, status, attempts, started_at)
			VALUES ('2026-12-02', 'standing_orders', 0, 'running', 1, ?)`, db.Micros(f.clk.Now())); err != nil {
			t.Fatal(err)
		}
		f.clk.Advance(eod.DefaultLease - time.Minute)
		if days, err := f.svc.RunDue(f.ctx); err != nil || len(days) != 0 || len(f.ran()) != 0 {
			t.Fatalf("within the lease: closed %v, ran %v (%v)", days, f.ran(), err)
		}
		f.clk.Advance(2 * time.Minute)
		if days, err := f.svc.RunDue(f.ctx); err != nil || fmt.Sprint(days) != "[2026-12-02]" {
			t.Fatalf("after the lease: closed %v (%v)", days, err)
		}
		history, _ := f.svc.History(f.ctx, 1)
		if len(history) != 2 || history[0].Attempts != 2 || !history[0].Done() {
			t.Errorf("history %+v", history)
		}
	})
}

// The first business date of a bank is the value date of the moment it starts: a Saturday's is the Monday.
func TestTheFirstBusinessDateIsTheNextWorkingDayOnAWeekend(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string
	}{
		{tirane(2026, 12, 12, 11, 0), "2026-12-14"},
		{tirane(2026, 12, 11, 20, 30), "2026-12-14"},
		{tirane(2026, 12, 11, 19, 30), "2026-12-11"},
	}
	for _, c := range cases {
		t.Run(c.at.String(), func(t *testing.T) {
			f := newFixture(t, dbtest.Open(t, db.SQLite), c.at)
			if got := f.businessDate(t); got.String() != c.want {
				t.Errorf("business date %s, want %s", got, c.want)
			}
		})
	}
}
