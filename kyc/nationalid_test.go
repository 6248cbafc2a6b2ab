package kyc

import (
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseNationalIDAcceptsValidNumbers(t *testing.T) {
	tests := []struct {
		name, in, number string
		birth            time.Time
		sex              Sex
	}{
		// J00101999W and J05115999K are the examples independent public implementations test against.
		{"man born in the 1990s", "J00101999W", "J00101999W", date(1990, 1, 1), SexMale},
		{"woman, month plus 50", "J05115999K", "J05115999K", date(1990, 1, 15), SexFemale},
		{"lower case with spaces", " j00101 999w ", "J00101999W", date(1990, 1, 1), SexMale},
		{"pasted with a tab and a no-break space", "J00101\u00a0999\tW", "J00101999W", date(1990, 1, 1), SexMale},
		{"leap day of 2000", "K00229001I", "K00229001I", date(2000, 2, 29), SexMale},
		{"woman, last day of the year", "J56231001L", "J56231001L", date(1995, 12, 31), SexFemale},
		{"first decade letter, serial 000", "A00101000I", "A00101000I", date(1900, 1, 1), SexMale},
		{"last decade letter", "T91231999M", "T91231999M", date(2099, 12, 31), SexMale},
		{"woman born in the 2020s", "M45228123J", "M45228123J", date(2024, 2, 28), SexFemale},
		{"check letter A for remainder 1", "K31231001A", "K31231001A", date(2003, 12, 31), SexMale},
		{"check letter A for remainder 0", "J00101999A", "J00101999A", date(1990, 1, 1), SexMale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNationalID(tt.in)
			if err != nil {
				t.Fatalf("ParseNationalID(%q): %v", tt.in, err)
			}
			if got.Number != tt.number || got.String() != tt.number || !got.BirthDate.Equal(tt.birth) ||
				got.BirthDate.Location() != time.UTC || got.Sex != tt.sex {
				t.Errorf("ParseNationalID(%q) = %+v, want %s born %s sex %s", tt.in, got, tt.number,
					tt.birth.Format(time.DateOnly), tt.sex)
			}
		})
	}
}

func TestParseNationalIDRejectsInvalidNumbers(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"wrong check letter", "J00101999B"},
		{"check letter X, never used", "J00101999X"},
		{"digit as check letter", "J001019990"},
		{"nine characters", "J00101999"},
		{"eleven characters", "J00101999WW"},
		{"digit as decade letter", "100101999W"},
		{"decade letter after T", "U00101001N"},
		{"letter among the digits", "J0010I999W"},
		{"month 13", "J01301001K"},
		{"month 00", "J00001001W"},
		{"month 50, a woman's 00", "J05001001J"},
		{"month 63, a woman's 13", "J06301001U"},
		{"day 00", "J00100001U"},
		{"day 32", "J00132001T"},
		{"31 April", "J00431001A"},
		{"29 February outside a leap year", "J10229001I"},
		{"hyphen", "J00101-999W"},
		{"Albanian letter", "Ë00101999W"},
		{"a zero-width space", "J00101999\u200bW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNationalID(tt.in)
			if err == nil {
				t.Fatalf("ParseNationalID(%q) = %+v, want an error", tt.in, got)
			}
			assertInvalid(t, err, "national_id_invalid", "national_id")
		})
	}
}

func TestNationalIDCheckLetter(t *testing.T) {
	tests := []struct {
		name, in string
		want     byte
	}{
		{"remainder 0 gives W", "J00101999", 'W'},
		{"woman's number", "J05115999", 'K'},
		{"lower case", "j05115999", 'K'},
		{"NIPT digits", "K22218003", 'V'},
		{"W as first letter counts 0", "W10000000", 'A'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NationalIDCheckLetter(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("NationalIDCheckLetter(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNationalIDCheckLetterRejectsMalformedInput(t *testing.T) {
	for _, in := range []string{"", "J0010199", "J001019990", "X00101999", "100101999", "J0010199A"} {
		if got, err := NationalIDCheckLetter(in); err == nil {
			t.Errorf("NationalIDCheckLetter(%q) = %q, want an error", in, got)
		} else {
			assertInvalid(t, err, "national_id_invalid", "national_id")
		}
	}
}

func TestNewNationalIDMakesNumbersThatParseBack(t *testing.T) {
	tirana := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		birth  time.Time
		female bool
		serial int
		want   string
	}{
		{"man", date(1990, 1, 1), false, 999, "J00101999W"},
		{"woman", date(1990, 1, 15), true, 999, "J05115999K"},
		{"small serial is zero-padded", date(2000, 2, 29), false, 1, "K00229001I"},
		// 00:30 in Tirana is still 31 December in UTC; the calendar date as written is what counts.
		{"date read in its own location", time.Date(1990, 1, 1, 0, 30, 0, 0, tirana), false, 999, "J00101999W"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := NewNationalID(tt.birth, tt.female, tt.serial)
			if id.Number != tt.want {
				t.Errorf("NewNationalID = %q, want %q", id.Number, tt.want)
			}
			parsed, err := ParseNationalID(id.Number)
			if err != nil || parsed != id {
				t.Errorf("ParseNationalID(%q) = %+v, %v; want %+v", id.Number, parsed, err, id)
			}
		})
	}
}

func TestNewNationalIDPanicsOnImpossibleInput(t *testing.T) {
	tests := []struct {
		name   string
		birth  time.Time
		serial int
	}{
		{"born before 1900", date(1899, 12, 31), 1},
		{"born after 2099", date(2100, 1, 1), 1},
		{"negative serial", date(1990, 1, 1), -1},
		{"four-digit serial", date(1990, 1, 1), 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertPanics(t, func() { NewNationalID(tt.birth, false, tt.serial) })
		})
	}
}
