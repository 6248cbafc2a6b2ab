package password

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
)

// arben is the demo customer of the manual.
var arben = Context{
	BirthDate: time.Date(1990, 5, 14, 0, 0, 0, 0, time.UTC),
	Username:  "100000001",
	FirstName: "Arben",
	LastName:  "Hoxha",
}

// codes returns the rule codes Check reports for pw, failing the test on anything but a well-formed policy error.
func codes(t testing.TB, pw string, c Context) []string {
	t.Helper()
	err := Check(pw, c)
	if err == nil {
		return nil
	}
	e, ok := kumbara.As(err)
	if !ok || e.Kind != kumbara.KindInvalid || e.Code != CodePolicy || len(e.Fields) == 0 {
		t.Fatalf("Check(%q) = %#v, want a password_policy validation error with fields", pw, err)
	}
	var got []string
	for _, f := range e.Fields {
		if f.Field != Field {
			t.Errorf("Check(%q) reported field %q, want %q", pw, f.Field, Field)
		}
		got = append(got, f.Code)
	}
	return got
}

func TestCheckReportsEveryBrokenRule(t *testing.T) {
	for _, c := range []struct {
		name string
		pw   string
		ctx  Context
		want []string // nil: accepted
	}{
		// Accepted.
		{"the demo password", "Kumbara2026", arben, nil},
		{"letters then one digit", "Abcdefg1", arben, nil},
		{"exactly 16 characters", "Abcdefghijklmn12", arben, nil},
		{"allowed symbols", "Xy7!@#$%^&*()-_=", arben, nil},
		{"more allowed symbols", "Xy7+[]{};:,.?/", arben, nil},
		{"albanian letters count as letters", "ëëëëëë17", arben, []string{CodeUpperAndLower}},
		{"albanian capitals count as upper case", "Çelësi47", arben, nil},
		{"only albanian letters for both cases", "Ëç904820", arben, nil},
		{"ë counts as one character", "Ëëëëëë1", arben, []string{CodeLength}},
		{"two identical digits", "Abcdef11", arben, nil},
		{"two ascending digits", "Abcdef12", arben, nil},
		{"wrap from 9 to 0 is no run", "Abcde890", arben, nil},
		{"wrap from 0 to 9 is no run", "Abcde109", arben, nil},
		{"digits apart are no run", "Xa1b2c3d", arben, nil},
		{"identical digits apart are no run", "Abc11d1e", arben, nil},
		{"up then down is no run", "Abcde121", arben, nil},
		{"birth date of someone else", "Ab14051990", Context{}, nil},
		{"short name part is not personal data", "Edmond47x", Context{FirstName: "Ed"}, nil},
		{"empty context skips personal rules", "Arben2026x", Context{}, nil},

		// Length.
		{"7 characters", "Abcde1x", arben, []string{CodeLength}},
		{"17 characters", "Abcdefghijklmn12x", arben, []string{CodeLength}},
		{"empty", "", arben, []string{CodeLength, CodeLettersAndDigits, CodeUpperAndLower}},

		// Classes.
		{"no digit", "Abcdefgh", arben, []string{CodeLettersAndDigits}},
		{"no letter", "40&7#9!5", arben, []string{CodeLettersAndDigits, CodeUpperAndLower}},
		{"no upper case", "abcdefg1", arben, []string{CodeUpperAndLower}},
		{"no lower case", "ABCDEFG1", arben, []string{CodeUpperAndLower}},
		{"capitals only", "ABCDEFGH", arben, []string{CodeLettersAndDigits, CodeUpperAndLower}},

		// Forbidden characters.
		{"space", "Abc def1", arben, []string{CodeForbiddenCharacter}},
		{"tab", "Abc\tdef1", arben, []string{CodeForbiddenCharacter}},
		{"newline", "Abcdef1\n", arben, []string{CodeForbiddenCharacter}},
		{"quote", "Abc'def1", arben, []string{CodeForbiddenCharacter}},
		{"backslash", `Abc\def1`, arben, []string{CodeForbiddenCharacter}},
		{"tilde", "Abc~def1", arben, []string{CodeForbiddenCharacter}},
		{"other accented letter", "Abcdéf17", arben, []string{CodeForbiddenCharacter}},
		{"decomposed ë", "Abcde\u0308f17", arben, []string{CodeForbiddenCharacter}},
		{"cyrillic lookalike", "Аbcdef17", arben, []string{CodeUpperAndLower, CodeForbiddenCharacter}},
		{"invalid utf-8", "Abcdef1\xff", arben, []string{CodeForbiddenCharacter}},

		// Birth date 14/05/1990.
		{"DDMMYYYY", "Ab14051990", arben, []string{CodeBirthDate}},
		{"DD/MM/YYYY", "A14/05/1990b", arben, []string{CodeBirthDate}},
		{"DD.MM.YYYY", "x14.05.1990B", arben, []string{CodeBirthDate}},
		{"YYYYMMDD", "Xy19900514", arben, []string{CodeBirthDate}},
		{"DDMMYY", "Abcd140590", arben, []string{CodeBirthDate}},
		{"birth date in local time", "Ab14051990", Context{BirthDate: time.Date(1990, 5, 14, 0, 0, 0, 0, time.FixedZone("CEST", 2*3600))}, []string{CodeBirthDate}},

		// Digit runs.
		{"ascending run, and common", "Abc12345", arben, []string{CodeDigitRun, CodeCommon}},
		{"three identical digits", "Abcd1112", arben, []string{CodeDigitRun}},
		{"descending run", "Abcde987", arben, []string{CodeDigitRun}},
		{"run of zeros", "Ab000cde", arben, []string{CodeDigitRun}},
		{"run at the start", "789Abcde", arben, []string{CodeDigitRun}},
		{"run across 8, 9", "Abcde789", arben, []string{CodeDigitRun}},
		{"run down through 0", "Abcde210", arben, []string{CodeDigitRun}},

		// Common passwords.
		{"Password1", "Password1", arben, []string{CodeCommon}},
		{"common, any case", "pASSWORD1", arben, []string{CodeCommon}},
		{"common with a year", "Qwerty2024", arben, []string{CodeCommon}},
		{"albanian word for password", "Fjalekalimi1", arben, []string{CodeCommon}},
		{"albanian word typed with ë", "Fjalëkalimi1", arben, []string{CodeCommon}},

		// Personal data of Arben Hoxha, 100000001.
		{"first name", "Arben2026x", arben, []string{CodePersonalData}},
		{"first name in other case", "xARBEn47", arben, []string{CodePersonalData}},
		{"last name", "Hoxha4747", arben, []string{CodePersonalData}},
		{"client number", "Ab100000001", arben, []string{CodeDigitRun, CodePersonalData}},
		{"client number with other digits", "Ab91029384", Context{Username: "91029384"}, []string{CodePersonalData}},
		{"part of a compound name", "Maria4747x", Context{FirstName: "Anna-Maria"}, []string{CodePersonalData}},
		{"name with ë typed without it", "Drite4747X", Context{FirstName: "Dritë"}, []string{CodePersonalData}},
		{"name without ë typed with it", "Dritë4747X", Context{FirstName: "Drite"}, []string{CodePersonalData}},
		{"name typed with capital Ç", "ÇELO4747x", Context{LastName: "Çelo"}, []string{CodePersonalData}},

		// Several at once.
		{"everything short and simple", "aaa111", arben, []string{CodeLength, CodeUpperAndLower, CodeDigitRun}},
		{"name, run and birth date", "arben140590123", arben, []string{CodeUpperAndLower, CodeBirthDate, CodeDigitRun, CodePersonalData}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := codes(t, c.pw, c.ctx); !slices.Equal(got, c.want) {
				t.Errorf("Check(%q) = %v, want %v", c.pw, got, c.want)
			}
		})
	}
}

func TestCheckRefusesTheLastPasswords(t *testing.T) {
	var previous []string
	for _, pw := range []string{"Old1pass", "Older2pw", "Oldest3p"} {
		encoded, err := ForTests.Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		previous = append(previous, encoded)
	}
	ctx := arben
	ctx.Previous = previous
	for _, c := range []struct {
		pw   string
		want []string
	}{
		{"Old1pass", []string{CodeReused}},
		{"Oldest3p", []string{CodeReused}},
		{"old1pass", []string{CodeUpperAndLower}},
		{"Brand4new", nil},
	} {
		if got := codes(t, c.pw, ctx); !slices.Equal(got, c.want) {
			t.Errorf("Check(%q) = %v, want %v", c.pw, got, c.want)
		}
	}
}

func TestCheckFailsInternallyOnAMalformedPreviousHash(t *testing.T) {
	ctx := arben
	ctx.Previous = []string{"not a hash"}
	err := Check("Brand4new", ctx)
	if !errors.Is(err, ErrMalformedHash) || kumbara.KindOf(err) != kumbara.KindInternal {
		t.Fatalf("Check = %v, want an internal error wrapping ErrMalformedHash", err)
	}
}

func TestRulesListEveryCodeCheckReportsInBothLanguages(t *testing.T) {
	all := []string{
		CodeLength, CodeLettersAndDigits, CodeUpperAndLower, CodeForbiddenCharacter, CodeBirthDate,
		CodeDigitRun, CodeCommon, CodePersonalData, CodeReused,
	}
	for _, c := range []struct {
		lang, wantLength string
	}{
		{"sq", "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere"},
		{"en", "The password must be 8 to 16 characters long"},
		{"en-GB", "The password must be 8 to 16 characters long"},
		{"SQ-al", "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere"},
		{"it", "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere"},
		{"", "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			rules := Rules(c.lang)
			var got []string
			for _, r := range rules {
				got = append(got, r.Code)
				if r.Text == "" {
					t.Errorf("rule %s has no text", r.Code)
				}
			}
			if !slices.Equal(got, all) {
				t.Errorf("codes = %v, want %v", got, all)
			}
			if rules[0].Text != c.wantLength {
				t.Errorf("length text = %q, want %q", rules[0].Text, c.wantLength)
			}
		})
	}
}

func TestRulesKeepTheManualsAlbanianWording(t *testing.T) {
	want := map[string]string{
		CodeLength:           "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere",
		CodeLettersAndDigits: "Fjalëkalimi duhet të përmbajë karaktere alfanumerike (shkronja dhe numra)",
		CodeUpperAndLower:    "Fjalëkalimi duhet të përmbajë të paktën një shkronjë KAPITALE dhe një shkronjë të vogël",
		CodeBirthDate:        "Fjalëkalimi nuk duhet të jetë i njëjtë me datëlindjen tuaj (DD/MM/VVVV)",
		CodeDigitRun:         "Fjalëkalimi nuk duhet të përmbajë numra të njëjtë ose të vazhdueshëm (psh. 111111, 123456)",
	}
	for _, r := range Rules("sq") {
		if w, ok := want[r.Code]; ok && r.Text != w {
			t.Errorf("%s = %q, want %q", r.Code, r.Text, w)
		}
	}
}

func TestRulesReturnsACopyTheCallerMayChange(t *testing.T) {
	Rules("en")[0].Text = "changed"
	if Rules("en")[0].Text == "changed" {
		t.Fatal("Rules shares its slice with callers")
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"Kumbara2026", "Abcdefg1", "Abc12345", "Abcd1112", "abcdefg1", "ABCDEFGH", "Abcdefghijklmn12x",
		"Arben2026x", "Ab14051990", "Password1", "Çelësi47", "Abc def1", "Abcdef1\xff", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pw string) {
		got := codes(t, pw, arben)
		if got != nil {
			return
		}
		if n := utf8.RuneCountInString(pw); n < MinLength || n > MaxLength {
			t.Fatalf("accepted %q of %d characters", pw, n)
		}
		if !utf8.ValidString(pw) {
			t.Fatalf("accepted invalid UTF-8 %q", pw)
		}
		var letter, digit, upper, lower bool
		for _, r := range pw {
			switch {
			case r >= '0' && r <= '9':
				digit = true
			case strings.ContainsRune("abcdefghijklmnopqrstuvwxyzëç", r):
				letter, lower = true, true
			case strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZËÇ", r):
				letter, upper = true, true
			case strings.ContainsRune("!@#$%^&*()-_=+[]{};:,.?/", r):
			default:
				t.Fatalf("accepted %q with forbidden %q", pw, r)
			}
		}
		if !letter || !digit || !upper || !lower {
			t.Fatalf("accepted %q without a letter, digit, capital and small letter", pw)
		}
	})
}
