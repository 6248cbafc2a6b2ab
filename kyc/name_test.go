package kyc

import "testing"

func TestMaskNameKeepsTheInitialOfEachName(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"first and last name", "Arben Hoxha", "A**** H****"},
		{"Albanian initials", "Ëndri Çela", "Ë**** Ç***"},
		{"Albanian letters inside count once", "Arbër Çaçi", "A**** Ç***"},
		{"lower case stays lower case", "ëlira", "ë****"},
		{"diacritic as a combining mark stays with the initial", "E\u0308ndri", "E\u0308****"},
		{"combining mark inside adds no asterisk", "Arbe\u0308r", "A****"},
		{"three names", "Anna Maria Gjoka", "A*** M**** G****"},
		{"hyphenated surname", "Hoxha-Berisha", "H****-B******"},
		{"runs of spaces collapse", "  Arben \t  Hoxha  ", "A**** H****"},
		{"one-letter name", "A", "A"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskName(tt.in); got != tt.want {
				t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
