package card_test

import (
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/card"
)

func TestLuhnKnownNumbers(t *testing.T) {
	tests := []struct {
		number string
		want   bool
	}{
		{"4111111111111111", true},  // Visa test card
		{"4012888888881881", true},  // Visa test card
		{"5555555555554444", true},  // Mastercard test card
		{"2223003122003222", true},  // Mastercard 2-series test card
		{"378282246310005", true},   // American Express test card, odd length
		{"79927398713", true},       // the textbook example
		{"00", true},                // payload 0, check digit 0
		{"4111111111111112", false}, // last digit off by one
		{"4111111111111121", false}, // two adjacent digits swapped
		{"79927398710", false},
		{"", false},
		{"0", false},                   // a check digit with no payload
		{"4111 1111 1111 1111", false}, // separators are the caller's to remove
		{"4111-1111-1111-1111", false},
		{"411111111111111a", false},
		{"٤١١١١١١١١١١١١١١١", false}, // Arabic-Indic digits are not ASCII digits
		{"-4111111111111111", false},
	}
	for _, tt := range tests {
		if got := card.Luhn(tt.number); got != tt.want {
			t.Errorf("Luhn(%q) = %v, want %v", tt.number, got, tt.want)
		}
	}
}

// FuzzLuhn checks Luhn on any input: it never panics, refuses anything that is not ASCII digits, accepts a payload
// followed by its check digit, and catches every single-digit error in such a number.
func FuzzLuhn(f *testing.F) {
	for _, s := range []string{"4111111111111111", "79927398713", "", "0", "00", "4111 1111", "9", "abc", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := card.Luhn(s)
		digits := s != ""
		for i := 0; i < len(s); i++ {
			digits = digits && s[i] >= '0' && s[i] <= '9'
		}
		if !digits {
			if got {
				t.Fatalf("Luhn(%q) = true for a string that is not all ASCII digits", s)
			}
			return
		}
		if len(s) > 64 {
			s = s[:64]
		}
		n := s + string(card.CheckDigit(s))
		if !card.Luhn(n) {
			t.Fatalf("Luhn(%q) = false for a payload with its check digit", n)
		}
		for i := 0; i < len(n); i++ {
			wrong := []byte(n)
			wrong[i] = '0' + (wrong[i]-'0'+1)%10
			if card.Luhn(string(wrong)) {
				t.Fatalf("Luhn(%q) = true after changing digit %d of %q", wrong, i, n)
			}
		}
	})
}

func TestPINRule(t *testing.T) {
	tests := []struct {
		pin  string
		weak bool
	}{
		{"4739", false},
		{"8901", false}, // no wrap-around: 9 → 0 is not a step of one
		{"1098", false},
		{"1212", false},
		{"1990", false},
		{"0012", false},
		{"1235", false},
		{"0000", true},
		{"7777", true},
		{"1234", true},
		{"0123", true},
		{"6789", true},
		{"4321", true},
		{"9876", true},
		{"3210", true},
		{"", true},
		{"123", true},
		{"47390", true},
		{"47a9", true},
		{" 473", true},
		{"٤٧٣٩", true}, // Arabic-Indic digits
	}
	for _, tt := range tests {
		err := card.CheckPIN(tt.pin)
		switch {
		case tt.weak && kumbara.CodeOf(err) != "card_pin_weak":
			t.Errorf("PIN %q: error %v, want card_pin_weak", tt.pin, err)
		case !tt.weak && err != nil:
			t.Errorf("PIN %q refused: %v", tt.pin, err)
		}
	}
}
