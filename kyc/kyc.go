// Package kyc validates the identifiers the bank collects when it gets to know a customer: the Albanian personal
// number (numri personal), the business tax number (NIPT), the bank's own client number and an Albanian mobile
// number; and it masks names and phone numbers for screens that confirm a payee without disclosing them.
//
// Every check that fails returns a *kumbara.Error of kind KindInvalid with a stable code that picks the
// customer's message. Its Detail says which rule failed, for the logs, and never repeats the input, which is
// personal data.
package kyc

import "github.com/kumbara/kumbara"

// Error codes, part of the API contract.
const (
	CodeNationalIDInvalid   = "national_id_invalid"
	CodeNIPTInvalid         = "nipt_invalid"
	CodeClientNumberInvalid = "client_number_invalid"
	CodeMobileInvalid       = "mobile_invalid"
)

// compact drops spaces and upper-cases ASCII letters, the forgiving part of reading what a customer typed. Anything
// but letters, digits and spaces fails, and only ASCII is upper-cased: strings.ToUpper would turn the Turkish ı
// into I and let a look-alike through.
func compact(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		default:
			return "", false
		}
	}
	return string(b), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func invalid(code, field, detail string) *kumbara.Error {
	e := kumbara.Invalid(code, kumbara.FieldError{Field: field, Code: code})
	e.Detail = detail
	return e
}
