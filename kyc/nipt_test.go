package kyc

import "testing"

func TestParseNIPTAcceptsValidNumbers(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// K22218003V, J91402501L, M02129023S, K01730502W and L62119008A are NIPTs of registered businesses, as
		// published; they are what the check-letter rule was verified against.
		{"business NIPT", "K22218003V", "K22218003V"},
		{"as printed on invoices", "K 22218003 V", "K22218003V"},
		{"lower case", "k22218003v", "K22218003V"},
		{"1990s NIPT", "J91402501L", "J91402501L"},
		{"2020s NIPT", "M02129023S", "M02129023S"},
		{"remainder 0 written W", "K01730502W", "K01730502W"},
		{"remainder 0 written A, as on L NIPTs", "L62119008A", "L62119008A"},
		{"remainder 0 written W on an L NIPT", "L62119008W", "L62119008W"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNIPT(tt.in)
			if err != nil {
				t.Fatalf("ParseNIPT(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseNIPT(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseNIPTRejectsInvalidNumbers(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"wrong check letter", "K22218003A"},
		{"two digits swapped", "K22281003V"},
		{"check letter X, never used", "K22218003X"},
		{"nine characters", "K2221800V"},
		{"eleven characters", "K222180033V"},
		{"digit first", "122218003V"},
		{"first letter after T", "U00101001N"},
		{"letter among the digits", "K2221800AV"},
		{"hyphens", "K-22218003-V"},
		{"Albanian letter", "K22218003Ë"},
		{"VAT prefix", "AL K22218003V"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNIPT(tt.in)
			if err == nil {
				t.Fatalf("ParseNIPT(%q) = %q, want an error", tt.in, got)
			}
			assertInvalid(t, err, "nipt_invalid", "nipt")
		})
	}
}

func TestNewNIPTMakesNumbersThatParseBack(t *testing.T) {
	tests := []struct {
		name   string
		prefix byte
		number int
		want   NIPT
	}{
		{"published NIPT", 'K', 22218003, "K22218003V"},
		{"zero-padded", 'A', 0, "A00000000A"},
		{"remainder 0 always gets W", 'L', 62119008, "L62119008W"},
		{"largest number", 'T', 99_999_999, "T99999999" + NIPT(checkAlphabet[checkValue("T99999999")])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewNIPT(tt.prefix, tt.number)
			if got != tt.want {
				t.Errorf("NewNIPT = %q, want %q", got, tt.want)
			}
			if parsed, err := ParseNIPT(got.String()); err != nil || parsed != got {
				t.Errorf("ParseNIPT(%q) = %q, %v", got, parsed, err)
			}
		})
	}
}

func TestNewNIPTPanicsOnImpossibleInput(t *testing.T) {
	tests := []struct {
		name   string
		prefix byte
		number int
	}{
		{"letter after T", 'U', 1},
		{"lower case letter", 'k', 1},
		{"digit", '1', 1},
		{"negative number", 'K', -1},
		{"nine digits", 'K', 100_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertPanics(t, func() { NewNIPT(tt.prefix, tt.number) })
		})
	}
}
