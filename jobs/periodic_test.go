package jobs_test

import (
	"testing"
	"time"

	"github.com/kumbara/kumbara/clock"
	"github.com/kumbara/kumbara/jobs"
)

// TestSchedulesGiveTheLatestDueTime: Every is due on multiples of its period, Daily at its time in Tirane, summer
// time included; a due time is its own latest.
func TestSchedulesGiveTheLatestDueTime(t *testing.T) {
	tirane := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, clock.Tirane)
	}
	for _, c := range []struct {
		name     string
		schedule jobs.Schedule
		now      time.Time
		want     time.Time
	}{
		{"every 30 s, between", jobs.Every(30 * time.Second), time.Date(2026, 12, 7, 10, 0, 47, 0, time.UTC),
			time.Date(2026, 12, 7, 10, 0, 30, 0, time.UTC)},
		{"hourly, on the hour", jobs.Every(time.Hour), time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC),
			time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
		{"daily, before its time", jobs.Daily(20, 0), tirane(2026, 12, 7, 19, 59), tirane(2026, 12, 6, 20, 0)},
		{"daily, at its time", jobs.Daily(20, 0), tirane(2026, 12, 7, 20, 0), tirane(2026, 12, 7, 20, 0)},
		{"daily, after midnight", jobs.Daily(20, 0), tirane(2026, 12, 8, 0, 30), tirane(2026, 12, 7, 20, 0)},
		{"daily, the day summer time starts", jobs.Daily(20, 0), tirane(2027, 3, 28, 21, 0), tirane(2027, 3, 28, 20, 0)},
		{"daily, the morning after summer time starts", jobs.Daily(20, 0), tirane(2027, 3, 29, 9, 0), tirane(2027, 3, 28, 20, 0)},
		{"daily, the day summer time ends", jobs.Daily(1, 30), tirane(2027, 10, 31, 12, 0), tirane(2027, 10, 31, 1, 30)},
	} {
		got := c.schedule(c.now)
		if !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("%s: at %s due %s, want %s (in UTC)", c.name, c.now, got, c.want.UTC())
		}
	}
}
