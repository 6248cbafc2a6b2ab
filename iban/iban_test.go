package iban

import (
	"errors"
	"testing"

	"github.com/kumbara/kumbara"
)

// registryExample is the Albanian example of the SWIFT IBAN registry.
const registryExample = "AL47212110090000000235698741"

func TestParseAcceptsValidIBANs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"registry example in electronic form", registryExample, registryExample},
		{"registry example in paper form", "AL47 2121 1009 0000 0002 3569 8741", registryExample},
		{"lower case", "al47 2121 1009 0000 0002 3569 8741", registryExample},
		{"irregular spacing", "  AL 4721211009 0000 000235 698741 ", registryExample},
		{"lower case without spaces", "al47212110090000000235698741", registryExample},
		{"pasted with no-break and thin spaces", "AL47\u00a02121\u202f1009\u20090000\t0002 3569 8741\n", registryExample},
		{"letters in the Albanian account part", "AL35202111090000000001234567", "AL35202111090000000001234567"},
		{"German IBAN", "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"paper form with its label, as read from a photo", "IBAN AL47 2121 1009 0000 0002 3569 8741", registryExample},
		{"label with a colon", "IBAN: AL47 2121 1009 0000 0002 3569 8741", registryExample},
		{"label in lower case, no space", "iban:AL47212110090000000235698741", registryExample},
		{"check digits 02", "AL02212110090000000000000027", "AL02212110090000000000000027"},
		{"check digits 97", "AL97212110090000000000000063", "AL97212110090000000000000063"},
		{"check digits 98", "AL98212110090000000000000045", "AL98212110090000000000000045"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRejectsInvalidIBANs(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"empty", ""},
		{"only spaces", "    "},
		{"country code only", "AL47"},
		{"one character short", "AL47 2121 1009 0000 0002 3569 874"},
		{"one character long", "AL47 2121 1009 0000 0002 3569 87410"},
		{"wrong check digits", "AL48 2121 1009 0000 0002 3569 8741"},
		{"two account digits swapped", "AL47 2121 1009 0000 0002 3569 7841"},
		{"wrong national check digit with mod-97 recomputed", "AL72212110080000000235698741"},
		{"letter in the bank code with mod-97 recomputed", "AL85212A10090000000235698741"},
		{"check digits 99, congruent to a valid 02", "AL99212110090000000000000027"},
		{"check digits 00, congruent to a valid 97", "AL00212110090000000000000063"},
		{"check digits 01, congruent to a valid 98", "AL01212110090000000000000045"},
		{"letters as check digits", "ALXX212110090000000235698741"},
		{"hyphens", "AL47-2121-1009-0000-0002-3569-8741"},
		{"dotless i that upper-cases to I", "AL35202111090000000001234567ı"},
		{"a zero-width space, which is no space", "AL47\u200b2121100900000002356987 41"},
		{"full-width digits", "AL47 ２１２１ 1009 0000 0002 3569 8741"},
		{"country without IBANs", "US47212110090000000235698741"},
		{"digits as country", "1247212110090000000235698741"},
		{"German IBAN with Albanian length", "DE89370400440532013000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tt.in, got)
			}
			assertInvalid(t, err, "iban_invalid", "iban")
		})
	}
}

func TestAlbanianIBANExposesItsParts(t *testing.T) {
	i, err := Parse(registryExample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, want string
	}{
		{"country", i.Country(), "AL"},
		{"bank code", i.BankCode(), "212"},
		{"branch code", i.BranchCode(), "1100"},
		{"account part", i.AccountPart(), "0000000235698741"},
		{"printable", i.Printable(), "AL47 2121 1009 0000 0002 3569 8741"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestForeignIBANHasNoAlbanianParts(t *testing.T) {
	i, err := Parse("DE89370400440532013000")
	if err != nil {
		t.Fatal(err)
	}
	if i.Country() != "DE" || i.BankCode() != "" || i.BranchCode() != "" || i.AccountPart() != "" {
		t.Errorf("got country %q bank %q branch %q account %q", i.Country(), i.BankCode(), i.BranchCode(), i.AccountPart())
	}
	// 22 characters: the last group is short rather than padded.
	if got, want := i.Printable(), "DE89 3704 0044 0532 0130 00"; got != want {
		t.Errorf("Printable() = %q, want %q", got, want)
	}
}

func TestUncheckedIBANDoesNotPanic(t *testing.T) {
	for _, i := range []IBAN{"", "A", "AL", "AL47"} {
		_ = i.Country() + i.BankCode() + i.BranchCode() + i.AccountPart() + i.Printable()
	}
}

func TestNewAlbanianBuildsValidIBANs(t *testing.T) {
	tests := []struct {
		name, bank, branch, account, want string
	}{
		{"registry example", "212", "1100", "0000000235698741", registryExample},
		{"short account is left-padded", "212", "1100", "235698741", registryExample},
		{"account in lower case with spaces", "202", "1110", "0000 0000 0123 4567", "AL35202111090000000001234567"},
		{"letters in the account", "202", "1110", "abc123", "AL52202111090000000000ABC123"},
		{"zero bank and branch", "000", "0000", "1", "AL15000000000000000000000001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewAlbanian(tt.bank, tt.branch, tt.account)
			if err != nil {
				t.Fatalf("NewAlbanian: %v", err)
			}
			if got.String() != tt.want {
				t.Errorf("NewAlbanian = %q, want %q", got, tt.want)
			}
			if again, err := Parse(got.Printable()); err != nil || again != got {
				t.Errorf("Parse(%q) = %q, %v; want it back unchanged", got.Printable(), again, err)
			}
		})
	}
}

func TestNewAlbanianRejectsMalformedParts(t *testing.T) {
	tests := []struct {
		name, bank, branch, account, field string
	}{
		{"two-digit bank code", "21", "1100", "1", "bank_code"},
		{"letter in bank code", "2A2", "1100", "1", "bank_code"},
		{"five-digit branch code", "212", "11000", "1", "branch_code"},
		{"letter in branch code", "212", "11O0", "1", "branch_code"},
		{"empty account", "212", "1100", "", "account"},
		{"17-character account", "212", "1100", "12345678901234567", "account"},
		{"hyphen in account", "212", "1100", "123-456", "account"},
		{"Albanian letter in account", "212", "1100", "ë123", "account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewAlbanian(tt.bank, tt.branch, tt.account)
			if err == nil {
				t.Fatalf("NewAlbanian = %q, want an error", got)
			}
			assertInvalid(t, err, "iban_invalid", tt.field)
		})
	}
}

func TestNationalCheckDigit(t *testing.T) {
	tests := []struct {
		name, in string
		want     byte
		ok       bool
	}{
		{"registry example bank 212 branch 1100", "2121100", '9', true},
		{"sum already a multiple of ten gives 0", "0000000", '0', true},
		// 9·1 + 7·0 + … = 9 → (10 − 9) mod 10 = 1
		{"single weighted digit", "1000000", '1', true},
		{"six digits", "212110", 0, false},
		{"eight digits", "21211000", 0, false},
		{"letter", "21211O0", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NationalCheckDigit(tt.in)
			if !tt.ok {
				if err == nil {
					t.Fatalf("NationalCheckDigit(%q) = %q, want an error", tt.in, got)
				}
				assertInvalid(t, err, "iban_invalid", "bank_branch")
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NationalCheckDigit(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// assertInvalid checks that err is the validation error the API can translate: kind, code and the field.
func assertInvalid(t *testing.T, err error, code, field string) {
	t.Helper()
	var e *kumbara.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is a %T, want *kumbara.Error", err, err)
	}
	if e.Kind != kumbara.KindInvalid || e.Code != code {
		t.Errorf("error kind %v code %q, want KindInvalid %q", e.Kind, e.Code, code)
	}
	want := kumbara.FieldError{Field: field, Code: code}
	if len(e.Fields) != 1 || e.Fields[0] != want {
		t.Errorf("error fields %v, want [%v]", e.Fields, want)
	}
}
