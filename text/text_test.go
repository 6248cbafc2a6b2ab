package text_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kumbara/kumbara/text"
)

func TestCleanKeepsTheOneFormOfWhatLooksTheSame(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain Albanian", "Për shtëpinë", "Për shtëpinë"},
		{"space around", " \t Kursime \n", "Kursime"},
		{"full-width letters and digits", "Ｐｉｘｅｌ ８", "Pixel 8"},
		{"a combining accent", "Durre\u0308s", "Durrës"},
		{"a ligature", "ﬁlani", "filani"},
		{"a non-breaking space", "Rruga\u00a0e Kavajës", "Rruga e Kavajës"},
		{"an ideographic space", "a\u3000b", "a b"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := text.Clean(tc.in); got != tc.want {
				t.Fatalf("Clean(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestValidAllowsPrintableTextAndRefusesWhatHidesOrBreaksIt(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     bool
	}{
		{"letters, digits, punctuation", "iPhone 15?", true},
		{"symbols", "S24+ ★ €", true},
		{"Cyrillic", "Телефон", true},
		{"exactly the limit", strings.Repeat("ë", 10), true},
		{"empty", "", false},
		{"over the limit", strings.Repeat("ë", 11), false},
		{"a tab", "a\tb", false},
		{"a line break", "a\nb", false},
		{"a NUL byte", "a\x00b", false},
		{"a right-to-left override", "abc\u202edef", false},
		{"a zero-width space", "a\u200bb", false},
		{"a line separator", "a\u2028b", false},
		{"private use", "a\ue000", false},
		{"an unassigned code point", "a\U000E0080", false},
		{"the replacement character", "a\uFFFD", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := text.Valid(tc.in, 10); got != tc.want {
				t.Fatalf("Valid(%q, 10) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestSanitizeRecordsWhatItCanOfWhatAClientSaysAboutItself(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"a user agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0", 120, "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"},
		{"control characters dropped", "Pixel 8\x00\n", 120, "Pixel 8"},
		{"a bidi override dropped", "Tiranë\u202e", 120, "Tiranë"},
		{"invalid UTF-8 dropped", "\xffDurrës", 120, "Durrës"},
		{"full-width normalised", "Ｔｉｒａｎｅ", 120, "Tirane"},
		{"cut to characters", strings.Repeat("ë", 20), 5, "ëëëëë"},
		{"no space left at the cut", "abcd efgh", 5, "abcd"},
		{"nothing left", "\x00\u200b", 10, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := text.Sanitize(tc.in, tc.max); got != tc.want {
				t.Fatalf("Sanitize(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func TestStorableRefusesWhatPostgreSQLCannotCompare(t *testing.T) {
	for in, want := range map[string]bool{"": true, "abc": true, "ë": true, "a\x00b": false, "a\xffb": false} {
		if got := text.Storable(in); got != want {
			t.Errorf("Storable(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "Për shtëpinë", "Ｐｉｘｅｌ", "e\u0308", "\u202e", "a\x00\xff", "ﬁ\u00a0x", " \t "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := text.Clean(s)
		if !utf8.ValidString(c) || text.Clean(c) != c {
			t.Fatalf("Clean(%q) = %q is not its own clean form", s, c)
		}
		z := text.Sanitize(s, 50)
		if z != "" && !text.Valid(z, 50) {
			t.Fatalf("Sanitize(%q) = %q is not valid", s, z)
		}
		if text.Valid(c, 1000) && !text.Storable(c) {
			t.Fatalf("valid text %q is not storable", c)
		}
	})
}
