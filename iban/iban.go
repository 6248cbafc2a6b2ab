// Package iban validates and builds the identifiers the bank exchanges with other banks: IBANs (ISO 13616) and
// BICs (ISO 9362).
//
// Every check that fails returns an instance of ErrIBANInvalid or ErrBICInvalid (errors.go), whose code picks the
// customer's message. The Detail says which rule failed, for the logs, and never repeats the input: an IBAN
// identifies a person's account.
package iban

import (
	"strings"
	"unicode"
)

//go:generate go run gen_registry.go -src ../../shared/standards/iban-registry-r100.csv -out registry.go

// IBAN is an International Bank Account Number in its electronic form: upper case, no spaces. Values from Parse
// and NewAlbanian are valid; a plain conversion from string is not checked, so code that takes input must Parse.
type IBAN string

const (
	albania        = "AL"
	albanianLength = 28
	// Account characters in an Albanian IBAN; the registry fixes them at 16 whatever the bank's own numbering.
	albanianAccountLength = 16
)

// charClass is one of the registry's character sets; the generated table uses these names for its n, a and c.
type charClass byte

const (
	digits        charClass = iota + 1 // registry "n"
	letters                            // registry "a": upper-case letters
	alphanumerics                      // registry "c": upper-case letters and digits once the IBAN is normalised
)

type segment struct {
	class charClass
	n     int
}

// countryFormat is one registry row: the whole IBAN length and the BBAN that follows "CCkk".
type countryFormat struct {
	length int
	bban   []segment
}

// Parse reads an IBAN as a customer types or pastes it: spaces anywhere (Compact) and lower case are accepted. It checks the
// country against the IBAN registry (length and the BBAN's character classes), the ISO 7064 mod-97 check digits,
// and for Albanian IBANs the national check digit too, which catches a mistyped bank or branch code that a
// recalculated mod-97 would not.
//
// Text read from a photo of an invoice or a card (T7: the app reads it on the device and sends what it read) often
// carries the paper form's own label, "IBAN" or "IBAN:" before the number (ISO 13616-1 prints it so); the label is
// dropped, as no IBAN begins with "IB" (no country has that code).
func Parse(s string) (IBAN, error) {
	compact, ok := Compact(unlabel(s))
	if !ok {
		return "", ErrIBANInvalid.With("characters other than letters, digits and spaces")
	}
	if len(compact) < 4 {
		return "", ErrIBANInvalid.With("too short")
	}
	country := compact[:2]
	format, ok := registry[country]
	if !ok {
		return "", ErrIBANInvalid.With("country %q does not issue IBANs", country)
	}
	if len(compact) != format.length {
		return "", ErrIBANInvalid.With("%s IBANs have %d characters, got %d", country, format.length, len(compact))
	}
	if !allOf(compact[2:4], digits) {
		return "", ErrIBANInvalid.With("check digits are not digits")
	}
	// 00, 01 and 99 are congruent mod 97 to 97, 98 and 02, so they can pass the arithmetic while no issuer
	// ever produces them (ISO 13616 computes 98 − remainder); accepting them would give one account two IBANs.
	if cd := compact[2:4]; cd == "00" || cd == "01" || cd == "99" {
		return "", ErrIBANInvalid.With("check digits out of range")
	}
	pos := 4
	for _, seg := range format.bban {
		if !allOf(compact[pos:pos+seg.n], seg.class) {
			return "", ErrIBANInvalid.With("BBAN does not match the %s structure", country)
		}
		pos += seg.n
	}
	if mod97(compact) != 1 {
		return "", ErrIBANInvalid.With("mod-97 check failed")
	}
	if country == albania && compact[11] != nationalCheckDigit(compact[4:11]) {
		return "", ErrIBANInvalid.With("Albanian national check digit does not match bank and branch")
	}
	return IBAN(compact), nil
}

// NewAlbanian builds the IBAN of an account held at an Albanian bank: bankCode is the 3-digit code the Bank of
// Albania assigns, branchCode the bank's 4-digit branch, account the bank's account number of up to 16 letters or
// digits, left-padded with zeros because the IBAN has a fixed length. Both check digits are computed here.
func NewAlbanian(bankCode, branchCode, account string) (IBAN, error) {
	if len(bankCode) != 3 || !allOf(bankCode, digits) {
		return "", ErrIBANInvalid.Field("bank_code").With("bank code must be 3 digits")
	}
	if len(branchCode) != 4 || !allOf(branchCode, digits) {
		return "", ErrIBANInvalid.Field("branch_code").With("branch code must be 4 digits")
	}
	account, ok := Compact(account)
	if !ok || account == "" || len(account) > albanianAccountLength {
		return "", ErrIBANInvalid.Field("account").With("account must be 1 to 16 letters or digits")
	}
	bankBranch := bankCode + branchCode
	bban := bankBranch + string(nationalCheckDigit(bankBranch)) +
		strings.Repeat("0", albanianAccountLength-len(account)) + account
	check := 98 - mod97(albania+"00"+bban)
	return IBAN(albania + twoDigits(check) + bban), nil
}

// NationalCheckDigit returns, as an ASCII digit, the Albanian national check digit over the 3-digit bank code
// followed by the 4-digit branch code: S = Σ dᵢ·wᵢ with weights 9,7,3,1,9,7,3, check = (10 − S mod 10) mod 10.
func NationalCheckDigit(bankBranch7 string) (byte, error) {
	if len(bankBranch7) != 7 || !allOf(bankBranch7, digits) {
		return 0, ErrIBANInvalid.Field("bank_branch").With("bank and branch code must be 7 digits")
	}
	return nationalCheckDigit(bankBranch7), nil
}

// nationalCheckDigit assumes seven ASCII digits.
func nationalCheckDigit(bankBranch string) byte {
	weights := [7]int{9, 7, 3, 1, 9, 7, 3}
	sum := 0
	for i, w := range weights {
		sum += int(bankBranch[i]-'0') * w
	}
	return byte('0' + (10-sum%10)%10)
}

// String returns the electronic form, the one payment messages carry.
func (i IBAN) String() string { return string(i) }

// Printable returns the paper form: groups of four characters separated by one space, as ISO 13616 prints it
// and as customers read it off a card or a statement.
func (i IBAN) Printable() string {
	var b strings.Builder
	b.Grow(len(i) + len(i)/4)
	for n := 0; n < len(i); n += 4 {
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(i[n:min(n+4, len(i))]))
	}
	return b.String()
}

// Country returns the ISO 3166 country code the IBAN starts with.
func (i IBAN) Country() string {
	if len(i) < 2 {
		return ""
	}
	return string(i[:2])
}

// BankCode returns the 3-digit Bank of Albania code of the account's bank; "" for an IBAN of another country,
// whose BBAN layout the registry does not split for us.
func (i IBAN) BankCode() string {
	if !i.albanian() {
		return ""
	}
	return string(i[4:7])
}

// BranchCode returns the 4-digit branch of an Albanian IBAN, "" otherwise.
func (i IBAN) BranchCode() string {
	if !i.albanian() {
		return ""
	}
	return string(i[7:11])
}

// AccountPart returns the 16 account characters of an Albanian IBAN, zero padding included, "" otherwise.
func (i IBAN) AccountPart() string {
	if !i.albanian() {
		return ""
	}
	return string(i[12:])
}

func (i IBAN) albanian() bool { return len(i) == albanianLength && i[:2] == albania }

// Compact is the forgiving reading of an identifier a customer typed (IBAN, BIC, and — through package kyc —
// national ID, NIPT, client number): it drops white space of any kind (the space, a tab or line break, and the
// no-break and thin spaces a copy from a document or another bank's page brings) and upper-cases ASCII letters,
// and fails on anything else but letters and digits. Only ASCII is upper-cased on purpose: strings.ToUpper would
// turn the Turkish dotless ı into I and the long ſ into S, letting look-alike characters through.
func Compact(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, c := range s {
		switch {
		case unicode.IsSpace(c):
		case 'a' <= c && c <= 'z':
			b = append(b, byte(c-'a'+'A'))
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, byte(c))
		default:
			return "", false
		}
	}
	return string(b), true
}

func allOf(s string, class charClass) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		isDigit, isLetter := '0' <= c && c <= '9', 'A' <= c && c <= 'Z'
		switch class {
		case digits:
			if !isDigit {
				return false
			}
		case letters:
			if !isLetter {
				return false
			}
		default:
			if !isDigit && !isLetter {
				return false
			}
		}
	}
	return true
}

// mod97 computes the ISO 7064 MOD 97-10 remainder of an IBAN (upper-case letters and digits only): the first four
// characters move to the end and each letter counts as two digits, A = 10 … Z = 35. Folding digit by digit keeps
// the number small, so no big integers are needed for a 34-character IBAN.
func mod97(iban string) int {
	r := 0
	for _, c := range []byte(iban[4:] + iban[:4]) {
		if c >= 'A' {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

func twoDigits(n int) string {
	return string([]byte{byte('0' + n/10), byte('0' + n%10)})
}

// unlabel drops a leading "IBAN" label (any case, with or without a colon) from a number read off paper.
func unlabel(s string) string {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	if len(t) < 4 || !strings.EqualFold(t[:4], "IBAN") {
		return s
	}
	return strings.TrimPrefix(t[4:], ":")
}
