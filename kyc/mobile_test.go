package kyc

import "testing"

func TestParseMobileAcceptsAlbanianMobiles(t *testing.T) {
	tests := []struct {
		name, in string
		want     Mobile
	}{
		{"national form", "0691234123", "+355691234123"},
		{"national form with spaces", "069 123 4123", "+355691234123"},
		{"E.164", "+355691234123", "+355691234123"},
		{"plus with spaces", "+355 69 123 4123", "+355691234123"},
		{"00 international prefix", "00355 69 123 4123", "+355691234123"},
		{"surrounding spaces", "  069 123 4123  ", "+355691234123"},
		{"067 network", "067 000 0000", "+355670000000"},
		{"068 network", "068 999 9999", "+355689999999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMobile(tt.in)
			if err != nil || got != tt.want || got.String() != string(tt.want) {
				t.Errorf("ParseMobile(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseMobileRejectsOtherNumbers(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"plus only", "+"},
		{"country code only", "00355"},
		{"066, not an operating network", "066 123 4567"},
		{"065", "065 123 4567"},
		{"Tirana landline", "04 222 3333"},
		{"landline in international form", "+355 4 222 3333"},
		{"one digit short", "069 123 412"},
		{"one digit long", "069 123 41234"},
		{"trunk zero after the country code", "+355 069 123 4123"},
		{"country code without plus", "355691234123"},
		{"no trunk zero", "69 123 4123"},
		{"another country", "+356 69 123 4123"},
		{"hyphens", "069-123-4123"},
		{"letter", "069 123 412a"},
		{"full-width digits", "０６９１２３４１２３"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseMobile(tt.in)
			if err == nil {
				t.Fatalf("ParseMobile(%q) = %q, want an error", tt.in, got)
			}
			assertInvalid(t, err, "mobile_invalid", "mobile")
		})
	}
}

func TestMaskPhoneShowsOnlyCountryCodeAndLastThreeDigits(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Albanian mobile", "+355691234123", "+355 6* *** *123"},
		{"Albanian mobile typed nationally", "069 123 4123", "+355 6* *** *123"},
		{"foreign number", "+441234567890", "+*********890"},
		{"foreign number with spaces", "+44 1234 567890", "+*********890"},
		{"too short to show any digit", "123456", "******"},
		{"short with plus", "+3556", "+****"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MaskPhone(tt.in); got != tt.want {
				t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
