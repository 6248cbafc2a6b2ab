package iban

import "testing"

func TestParseBICAcceptsValidBICs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"primary office", "NCBAALTX", "NCBAALTX"},
		{"with branch", "NCBAALTX001", "NCBAALTX001"},
		{"explicit primary office branch", "NCBAALTXXXX", "NCBAALTXXXX"},
		{"lower case and spaces", " ncba al tx ", "NCBAALTX"},
		{"digits in location and branch", "DEUTDEFF500", "DEUTDEFF500"},
		{"test BIC location ending in 0", "NCBAAL20", "NCBAAL20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBIC(tt.in)
			if err != nil {
				t.Fatalf("ParseBIC(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseBIC(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseBICRejectsInvalidBICs(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"seven characters", "NCBAALT"},
		{"nine characters", "NCBAALTX0"},
		{"ten characters", "NCBAALTX00"},
		{"twelve characters", "NCBAALTX0010"},
		{"digit in institution", "NCB1ALTX"},
		{"digit in country", "NCBAA1TX"},
		{"hyphen", "NCBA-ALTX"},
		{"Albanian letter", "NCBÇALTX"},
		{"dotless i", "NCBAALTı"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseBIC(tt.in)
			if err == nil {
				t.Fatalf("ParseBIC(%q) = %q, want an error", tt.in, got)
			}
			assertInvalid(t, err, "bic_invalid", "bic")
		})
	}
}

func TestBICExposesItsParts(t *testing.T) {
	tests := []struct {
		in                                     BIC
		institution, country, location, branch string
	}{
		{"NCBAALTX001", "NCBA", "AL", "TX", "001"},
		{"NCBAALTX", "NCBA", "AL", "TX", "XXX"},
		{"", "", "", "", ""},
	}
	for _, tt := range tests {
		got := [4]string{tt.in.Institution(), tt.in.Country(), tt.in.Location(), tt.in.Branch()}
		want := [4]string{tt.institution, tt.country, tt.location, tt.branch}
		if got != want {
			t.Errorf("%q parts = %q, want %q", tt.in, got, want)
		}
	}
}
