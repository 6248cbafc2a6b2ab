package statement

import (
	"math"
	"testing"
	"time"
)

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		name  string
		minor int64
		sq    string
		en    string
	}{
		{"zero has both decimals", 0, "0,00", "0.00"},
		{"single minor unit is padded", 5, "0,05", "0.05"},
		{"negative below one unit keeps the sign", -5, "-0,05", "-0.05"},
		{"one whole unit", 100, "1,00", "1.00"},
		{"thousands are grouped", 123450, "1.234,50", "1,234.50"},
		{"exact thousand", -100000, "-1.000,00", "-1,000.00"},
		{"millions are grouped", 123456789, "1.234.567,89", "1,234,567.89"},
		{"largest int64", math.MaxInt64, "92.233.720.368.547.758,07", "92,233,720,368,547,758.07"},
		{"smallest negatable int64", math.MinInt64 + 1, "-92.233.720.368.547.758,07", "-92,233,720,368,547,758.07"},
		{"smallest int64 does not overflow", math.MinInt64, "-92.233.720.368.547.758,08", "-92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for lang, want := range map[Lang]string{Albanian: tt.sq, English: tt.en, "": tt.sq, "de": tt.sq} {
				if got := FormatAmount(tt.minor, lang); got != want {
					t.Errorf("FormatAmount(%d, %q) = %q, want %q", tt.minor, lang, got, want)
				}
			}
		})
	}
}

func TestFormatIBANGroupsByFour(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AL47212110090000000235698741", "AL47 2121 1009 0000 0002 3569 8741"},
		{"al47 2121 1009 0000 0002 3569 8741", "AL47 2121 1009 0000 0002 3569 8741"},
		{"  AL4721 21", "AL47 2121"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := formatIBAN(tt.in); got != tt.want {
			t.Errorf("formatIBAN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCalendarDateIgnoresZone(t *testing.T) {
	// 23:00 on the 31st in UTC-5 is already the 1st in Tirane; a period end
	// is a day, not an instant, so it must stay the 31st.
	t0 := time.Date(2025, 1, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*3600))
	if got := calendarDate(t0, Albanian); got != "31.01.2025" {
		t.Errorf("calendarDate sq = %q", got)
	}
	if got := calendarDate(t0, English); got != "31 Jan 2025" {
		t.Errorf("calendarDate en = %q", got)
	}
}

func TestCleanMakesTextSafeForTheLayout(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"keeps Albanian letters", "Çelësi për Dritën Ëmbël", "Çelësi për Dritën Ëmbël"},
		{"joins lines and collapses spaces", "  një\n\tdy\r\n  tre  ", "një dy tre"},
		{"replaces runes outside the BMP", "kafe ☕ 🙂", "kafe ☕ \uFFFD"},
		{"replaces invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"drops bidi overrides and zero-width characters", "Ar\u202Ebër\u200B", "Arbër"},
		{"drops control characters", "a\x00b\x1bc", "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
