package kyc

import (
	"strings"
	"testing"
)

// The fuzz targets take both a string to parse and the inputs of the matching generator, so one run checks that
// whatever the parser accepts is stable and that whatever the generator makes is accepted.

func FuzzParseNationalID(f *testing.F) {
	f.Add("J00101999W", uint32(0), false, uint16(0))
	f.Add("j05115999k", uint32(32_872), true, uint16(999))
	f.Add("K00229001I", uint32(36_583), false, uint16(1))
	f.Add("J01301001K", uint32(73_048), true, uint16(500))
	f.Add("J00101999A", uint32(1), false, uint16(65_535))
	f.Add("", uint32(4_000_000_000), true, uint16(1000))
	first, last := date(1900, 1, 1), date(2099, 12, 31)
	days := uint32(last.Sub(first).Hours()/24) + 1
	f.Fuzz(func(t *testing.T, s string, day uint32, female bool, serial uint16) {
		if id, err := ParseNationalID(s); err == nil {
			again, err := ParseNationalID(id.String())
			if err != nil || again != id {
				t.Fatalf("ParseNationalID(%q) = %+v, %v; want %+v", id.String(), again, err, id)
			}
			// The generator gives back the same nine characters; the check letter may differ only by the
			// A that is accepted for remainder 0.
			made := NewNationalID(id.BirthDate, id.Sex == SexFemale, serialOf(id.Number))
			if made.Number[:9] != id.Number[:9] || !made.BirthDate.Equal(id.BirthDate) || made.Sex != id.Sex {
				t.Fatalf("NewNationalID for %+v = %+v", id, made)
			}
		}

		birth := first.AddDate(0, 0, int(day%days))
		id := NewNationalID(birth, female, int(serial%1000))
		parsed, err := ParseNationalID(strings.ToLower(id.Number))
		if err != nil || parsed != id {
			t.Fatalf("ParseNationalID(%q) = %+v, %v; want %+v", id.Number, parsed, err, id)
		}
		if !parsed.BirthDate.Equal(birth) {
			t.Fatalf("%q was made for %s and parses as %s", id.Number, birth, parsed.BirthDate)
		}
	})
}

func serialOf(number string) int {
	return int(number[6]-'0')*100 + int(number[7]-'0')*10 + int(number[8]-'0')
}

func FuzzParseNIPT(f *testing.F) {
	f.Add("K22218003V", byte('K'), uint32(22218003))
	f.Add("k 22218003 v", byte('A'), uint32(0))
	f.Add("L62119008A", byte('T'), uint32(99_999_999))
	f.Add("U00101001N", byte('U'), uint32(4_000_000_000))
	f.Fuzz(func(t *testing.T, s string, prefix byte, number uint32) {
		if n, err := ParseNIPT(s); err == nil {
			if again, err := ParseNIPT(n.String()); err != nil || again != n {
				t.Fatalf("ParseNIPT(%q) = %q, %v", n, again, err)
			}
			if len(n) != 10 {
				t.Fatalf("ParseNIPT(%q) = %q, not 10 characters", s, n)
			}
		}

		prefix = 'A' + prefix%20 // A…T
		made := NewNIPT(prefix, int(number%100_000_000))
		if parsed, err := ParseNIPT(strings.ToLower(made.String())); err != nil || parsed != made {
			t.Fatalf("ParseNIPT(%q) = %q, %v", made, parsed, err)
		}
	})
}

func FuzzParseMobile(f *testing.F) {
	for _, s := range []string{"0691234123", "069 123 4123", "+355 69 123 4123", "00355691234123", "066 123 4567",
		"+355 069 123 4123", "+", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		masked := MaskPhone(s) // must not panic on anything
		m, err := ParseMobile(s)
		if err != nil {
			return
		}
		if len(m) != 13 || !strings.HasPrefix(m.String(), "+3556") {
			t.Fatalf("ParseMobile(%q) = %q, not +3556 and 8 digits", s, m)
		}
		if again, err := ParseMobile(m.String()); err != nil || again != m {
			t.Fatalf("ParseMobile(%q) = %q, %v", m, again, err)
		}
		if want := "+355 6* *** *" + m.String()[10:]; masked != want {
			t.Fatalf("MaskPhone(%q) = %q, want %q", s, masked, want)
		}
	})
}
