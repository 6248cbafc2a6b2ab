package kyc

import "fmt"

// NIPT is an Albanian tax identification number (Numri i Identifikimit për Personin e Tatueshëm) of a business
// or self-employed person: a letter, eight digits and a check letter. Values from ParseNIPT and NewNIPT are valid.
type NIPT string

// String returns the NIPT as the tax administration prints it.
func (n NIPT) String() string { return string(n) }

// ParseNIPT reads a NIPT as typed (spaces and lower case are accepted, so "K 22218003 V" reads as "K22218003V")
// and checks it: a first letter A…T for the decade of registration, eight digits, and the check letter computed by
// the same rule as the personal number's (see NationalIDCheckLetter).
func ParseNIPT(s string) (NIPT, error) {
	n, ok := compact(s)
	if !ok || len(n) != 10 {
		return "", ErrNIPTInvalid.With("need 10 letters or digits")
	}
	if !decadeLetter(n[0]) {
		return "", ErrNIPTInvalid.With("first character is not a letter A to T")
	}
	if !allDigits(n[1:9]) {
		return "", ErrNIPTInvalid.With("characters 2 to 9 must be digits")
	}
	if !checkLetterMatches(n[:9], n[9]) {
		return "", ErrNIPTInvalid.With("check letter does not match")
	}
	return NIPT(n), nil
}

// NewNIPT makes a valid NIPT from its first letter (A…T) and the number its eight digits spell, for demo data
// and tests. It panics on a letter outside A…T or a number outside 0–99 999 999, both mistakes in the calling code.
func NewNIPT(prefix byte, number int) NIPT {
	if !decadeLetter(prefix) {
		panic(fmt.Sprintf("kyc.NewNIPT: prefix %q is not a letter A-T", prefix))
	}
	if number < 0 || number > 99_999_999 {
		panic(fmt.Sprintf("kyc.NewNIPT: number %d does not fit in 8 digits", number))
	}
	first9 := fmt.Sprintf("%c%08d", prefix, number)
	return NIPT(first9 + string(checkAlphabet[checkValue(first9)]))
}
