package kyc

import "testing"

func TestParseClientNumber(t *testing.T) {
	tests := []struct {
		name, in string
		want     ClientNumber
		ok       bool
	}{
		{"nine digits", "123456789", "123456789", true},
		{"spaces ignored", " 123 456 789 ", "123456789", true},
		{"largest", "999999999", "999999999", true},
		{"smallest", "100000000", "100000000", true},
		{"leading zero", "012345678", "", false},
		{"eight digits", "12345678", "", false},
		{"ten digits", "1234567890", "", false},
		{"letter", "12345678A", "", false},
		{"sign", "-12345678", "", false},
		{"full-width digits", "１２３４５６７８９", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientNumber(tt.in)
			if !tt.ok {
				if err == nil {
					t.Fatalf("ParseClientNumber(%q) = %q, want an error", tt.in, got)
				}
				assertInvalid(t, err, "client_number_invalid", "client_number")
				return
			}
			if err != nil || got != tt.want || got.String() != string(tt.want) {
				t.Errorf("ParseClientNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
