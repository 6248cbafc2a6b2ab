package statement

import (
	"testing"

	"github.com/kumbara/kumbara"
)

func TestParsePeriodAllowsUpTo366DaysInOrder(t *testing.T) {
	tests := []struct{ from, to, code string }{
		{"2026-11-01", "2026-11-20", ""},
		{"2026-11-20", "2026-11-20", ""},
		{"2025-03-08", "2026-03-09", ""},
		{"2025-03-07", "2026-03-09", "date_range_too_long"},
		{"2026-11-21", "2026-11-20", "invalid_date_range"},
		{"", "2026-11-20", "invalid_date"},
		{"2026-11-01", "20.11.2026", "invalid_date"},
	}
	for _, tc := range tests {
		t.Run(tc.from+"…"+tc.to, func(t *testing.T) {
			first, last, err := ParsePeriod(tc.from, tc.to)
			if tc.code == "" {
				if err != nil || first.Format("2006-01-02") != tc.from || last.Format("2006-01-02") != tc.to {
					t.Fatalf("ParsePeriod = %v, %v, %v", first, last, err)
				}
				return
			}
			if got := kumbara.CodeOf(err); got != tc.code {
				t.Fatalf("code %q, want %q (%v)", got, tc.code, err)
			}
		})
	}
}
