package password

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
)

// Field is the request field every policy FieldError names.
const Field = "password"

// Length bounds in characters (runes), so that ë and ç count as one character each, as the customer sees them.
const (
	MinLength = 8
	MaxLength = 16
)

// Context is what Check needs to know about the customer. Zero fields are skipped, so a sign-up form that has
// no history yet can still be checked.
type Context struct {
	BirthDate time.Time
	Username  string // the client number
	FirstName string
	LastName  string
	Previous  []string // encoded hashes of the last 5 passwords
}

// Check returns nil if pw satisfies the policy. Otherwise it returns an instance of ErrPolicy with one FieldError
// per broken rule, in the order of the rules in errors.go, so the client can show them all at once. Any other error means a stored hash in c.Previous is malformed and is the bank's fault, not the
// customer's.
func Check(pw string, c Context) error {
	var broken []kumbara.FieldError
	add := func(rule *kumbara.Error) { broken = append(broken, rule.At(Field)) }

	if n := utf8.RuneCountInString(pw); n < MinLength || n > MaxLength {
		add(ErrLength)
	}
	var letter, digit, upper, lower, forbidden bool
	for _, r := range pw {
		switch {
		case isDigit(r):
			digit = true
		case r >= 'a' && r <= 'z' || r == 'ë' || r == 'ç':
			letter, lower = true, true
		case r >= 'A' && r <= 'Z' || r == 'Ë' || r == 'Ç':
			letter, upper = true, true
		case r < utf8.RuneSelf && strings.ContainsRune(specials, r):
			// allowed, but belongs to no class the rules below ask for
		default:
			forbidden = true
		}
	}
	if !letter || !digit {
		add(ErrLettersAndDigits)
	}
	if !upper || !lower {
		add(ErrUpperAndLower)
	}
	if forbidden {
		add(ErrForbiddenCharacter)
	}
	if containsBirthDate(pw, c.BirthDate) {
		add(ErrBirthDate)
	}
	if hasDigitRun(pw) {
		add(ErrDigitRun)
	}
	folded := fold(pw)
	if isCommon(folded) {
		add(ErrCommon)
	}
	if containsPersonalData(folded, c) {
		add(ErrPersonalData)
	}
	reused, err := isReused(pw, c.Previous)
	if err != nil {
		return err
	}
	if reused {
		add(ErrReused)
	}

	if len(broken) == 0 {
		return nil
	}
	return ErrPolicy.WithFields(broken...)
}

// specials are the symbols allowed besides letters and digits: the ones on every keyboard layout our customers
// use, without the space, quotes, backslash, backtick, tilde, pipe and angle brackets that break in forms, CSV
// exports or terminal-based branch tools.
const specials = "!@#$%^&*()-_=+[]{};:,.?/"

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func containsBirthDate(pw string, birth time.Time) bool {
	if birth.IsZero() {
		return false
	}
	// Date, not UTC: a birth date is a calendar day, and converting midnight in Tirana to UTC would move it back
	// a day.
	y, m, d := birth.Date()
	for _, form := range []string{
		fmt.Sprintf("%02d%02d%04d", d, m, y),
		fmt.Sprintf("%02d/%02d/%04d", d, m, y),
		fmt.Sprintf("%02d.%02d.%04d", d, m, y),
		fmt.Sprintf("%04d%02d%02d", y, m, d),
		fmt.Sprintf("%02d%02d%02d", d, m, y%100),
	} {
		if strings.Contains(pw, form) {
			return true
		}
	}
	return false
}

// hasDigitRun implements the digit-run rule in the package documentation. Only ASCII digits count, and only when
// they are adjacent; wrapping from 9 to 0 is not a step of one.
func hasDigitRun(pw string) bool {
	b := []byte(pw) // multi-byte runes contain no ASCII bytes, so byte-wise scanning cannot see phantom digits
	for i := 0; i+2 < len(b); i++ {
		x, y, z := rune(b[i]), rune(b[i+1]), rune(b[i+2])
		if !isDigit(x) || !isDigit(y) || !isDigit(z) {
			continue
		}
		if d := y - x; (d == 0 || d == 1 || d == -1) && z-y == d {
			return true
		}
	}
	return false
}

// fold lower-cases s and reads ë and ç as e and c, because customers type the same word both ways and a name or
// common word must not slip through on a missing diaeresis or cedilla.
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		switch r = unicode.ToLower(r); r {
		case 'ë':
			return 'e'
		case 'ç':
			return 'c'
		}
		return r
	}, s)
}

// minNameLength keeps short name parts such as "Ed" or "Li" from forbidding every password that happens to
// contain those two letters.
const minNameLength = 3

func containsPersonalData(folded string, c Context) bool {
	if u := fold(strings.TrimSpace(c.Username)); utf8.RuneCountInString(u) >= minNameLength && strings.Contains(folded, u) {
		return true
	}
	// A password cannot hold a space or hyphen, so a compound name is only ever present part by part.
	for _, name := range []string{c.FirstName, c.LastName} {
		for _, part := range strings.FieldsFunc(fold(name), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if utf8.RuneCountInString(part) >= minNameLength && strings.Contains(folded, part) {
				return true
			}
		}
	}
	return false
}

func isReused(pw string, previous []string) (bool, error) {
	for _, encoded := range previous {
		ok, err := Verify(encoded, pw)
		if err != nil {
			return false, fmt.Errorf("password: checking password history: %w", err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// Rule is one policy rule as a form shows it.
type Rule struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

var ruleTexts = map[string][]Rule{
	"sq": {
		{CodeLength, "Fjalëkalimi duhet të jetë nga 8 deri në 16 karaktere"},
		{CodeLettersAndDigits, "Fjalëkalimi duhet të përmbajë karaktere alfanumerike (shkronja dhe numra)"},
		{CodeUpperAndLower, "Fjalëkalimi duhet të përmbajë të paktën një shkronjë KAPITALE dhe një shkronjë të vogël"},
		{CodeForbiddenCharacter, "Fjalëkalimi mund të përmbajë vetëm shkronja, numra dhe simbolet " + specials + " (pa hapësira)"},
		{CodeBirthDate, "Fjalëkalimi nuk duhet të jetë i njëjtë me datëlindjen tuaj (DD/MM/VVVV)"},
		{CodeDigitRun, "Fjalëkalimi nuk duhet të përmbajë numra të njëjtë ose të vazhdueshëm (psh. 111111, 123456)"},
		{CodeCommon, "Fjalëkalimi nuk duhet të jetë një fjalëkalim i zakonshëm dhe i lehtë për t'u gjetur"},
		{CodePersonalData, "Fjalëkalimi nuk duhet të përmbajë emrin, mbiemrin ose numrin tuaj të klientit"},
		{CodeReused, "Fjalëkalimi nuk duhet të jetë i njëjtë me 5 fjalëkalimet tuaja të fundit"},
	},
	"en": {
		{CodeLength, "The password must be 8 to 16 characters long"},
		{CodeLettersAndDigits, "The password must contain letters and digits"},
		{CodeUpperAndLower, "The password must contain at least one CAPITAL letter and one lower-case letter"},
		{CodeForbiddenCharacter, "The password may contain only letters, digits and the symbols " + specials + " (no spaces)"},
		{CodeBirthDate, "The password must not be your birth date (DD/MM/YYYY)"},
		{CodeDigitRun, "The password must not contain repeated or sequential digits (e.g. 111111, 123456)"},
		{CodeCommon, "The password must not be a common, easily guessed password"},
		{CodePersonalData, "The password must not contain your first name, last name or client number"},
		{CodeReused, "The password must not be the same as any of your last 5 passwords"},
	},
}

// Rules returns every policy rule with its text in lang ("sq" or "en", region subtags such as "en-GB" allowed).
// Any other language gets Albanian, the bank's working language. The slice is the caller's to keep.
func Rules(lang string) []Rule {
	primary, _, _ := strings.Cut(strings.ToLower(lang), "-")
	rules, ok := ruleTexts[primary]
	if !ok {
		rules = ruleTexts["sq"]
	}
	return append([]Rule(nil), rules...)
}
