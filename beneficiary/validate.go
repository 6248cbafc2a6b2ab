package beneficiary

import (
	"strings"
	"unicode/utf8"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/iban"
	"github.com/kumbara/kumbara/kyc"
	"github.com/kumbara/kumbara/text"
	"golang.org/x/text/language"
)

// The longest value of each text field, in characters once cleaned: the ISO 20022 lengths a payment to the
// beneficiary will carry (a name of 70, a street of 70, a town of 35, a post code of 16), so what is saved fits
// every scheme's message.
const (
	MaxName          = 70
	MaxNickname      = 40
	MaxStreet        = 70
	MaxCity          = 35
	MaxPostalCode    = 16
	MaxBankName      = 70
	MaxBankAddress   = 140
	MaxAccountNumber = 34
)

// Input is a beneficiary as the customer types it. Exactly one of IBAN and AccountNumber identifies the account; an
// account number needs the bank's BIC, name and address (the manual's "bank name" way), an IBAN may have a BIC.
type Input struct {
	Name, Nickname           string
	IBAN, AccountNumber, BIC string
	BankName, BankAddress    string
	Address                  Address
	Phone                    string
}

// Address is the beneficiary's postal address: structured, as SEPA requires from November 2026. Country is an
// ISO 3166-1 alpha-2 code.
type Address struct {
	Street, City, PostalCode, Country string
}

// Validate checks in and returns the beneficiary it describes in the form the bank keeps it; every field's
// problem is reported at once, inside validation_failed.
func Validate(in Input) (Beneficiary, error) {
	var b Beneficiary
	var fields []kumbara.FieldError
	field := func(f kumbara.FieldError) { fields = append(fields, f) }
	freeText := func(name, v string, max int, required bool) string {
		v = text.Clean(v)
		switch {
		case v == "" && required:
			field(kumbara.ErrFieldRequired.At(name))
		case v == "":
		case utf8.RuneCountInString(v) > max:
			field(text.ErrTooLong.At(name))
		case !text.Valid(v, max):
			field(text.ErrInvalidCharacters.At(name))
		}
		return v
	}
	b.Name = freeText("name", in.Name, MaxName, true)
	b.Nickname = freeText("nickname", in.Nickname, MaxNickname, false)
	b.Address.Street = freeText("address.street", in.Address.Street, MaxStreet, false)
	b.Address.City = freeText("address.city", in.Address.City, MaxCity, true)
	b.Address.PostalCode = freeText("address.postal_code", in.Address.PostalCode, MaxPostalCode, false)
	if c, ok := Country(in.Address.Country); ok {
		b.Address.Country = c
	} else if strings.TrimSpace(in.Address.Country) == "" {
		field(kumbara.ErrFieldRequired.At("address.country"))
	} else {
		field(ErrCountryInvalid.At("address.country"))
	}
	if strings.TrimSpace(in.Phone) != "" {
		if p, ok := Phone(in.Phone); ok {
			b.Phone = p
		} else {
			field(ErrPhoneInvalid.At("phone"))
		}
	}
	fields = append(fields, b.account(in)...)
	if len(fields) > 0 {
		return Beneficiary{}, kumbara.ErrValidationFailed.WithFields(fields...)
	}
	return b, nil
}

// account fills the account and its bank from in and returns what is wrong with them.
func (b *Beneficiary) account(in Input) []kumbara.FieldError {
	var fields []kumbara.FieldError
	hasIBAN, hasNumber := strings.TrimSpace(in.IBAN) != "", strings.TrimSpace(in.AccountNumber) != ""
	switch {
	case hasIBAN && hasNumber:
		return []kumbara.FieldError{ErrAccountBoth.At("account_number")}
	case !hasIBAN && !hasNumber:
		return []kumbara.FieldError{ErrAccountMissing.At("iban")}
	case hasIBAN:
		ib, err := iban.Parse(in.IBAN)
		if err != nil {
			fields = append(fields, iban.ErrIBANInvalid.At("iban"))
		}
		b.IBAN = ib.String()
	default:
		n, ok := AccountNumber(in.AccountNumber)
		if !ok {
			fields = append(fields, ErrAccountNumberInvalid.At("account_number"))
		}
		b.AccountNumber = n
	}
	// By IBAN the bank is known from the IBAN itself; by account number the customer names it.
	required := hasNumber
	if strings.TrimSpace(in.BIC) != "" {
		bic, err := iban.ParseBIC(in.BIC)
		if err != nil {
			fields = append(fields, iban.ErrBICInvalid.At("bic"))
		}
		b.BIC = bic.String()
	} else if required {
		fields = append(fields, kumbara.ErrFieldRequired.At("bic"))
	}
	for _, f := range []struct {
		name string
		v    *string
		in   string
		max  int
	}{{"bank_name", &b.BankName, in.BankName, MaxBankName}, {"bank_address", &b.BankAddress, in.BankAddress, MaxBankAddress}} {
		*f.v = text.Clean(f.in)
		switch {
		case *f.v == "" && required:
			fields = append(fields, kumbara.ErrFieldRequired.At(f.name))
		case *f.v == "":
		case utf8.RuneCountInString(*f.v) > f.max:
			fields = append(fields, text.ErrTooLong.At(f.name))
		case !text.Valid(*f.v, f.max):
			fields = append(fields, text.ErrInvalidCharacters.At(f.name))
		}
	}
	return fields
}

// Country reads an ISO 3166-1 alpha-2 country code in either case: a country's own code (Kosovo's XK among them,
// which banks use), not a region (EU), a private-use code (AA, ZZ) or a reserved one (UK, UN).
func Country(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s == "UN" {
		return "", false
	}
	r, err := language.ParseRegion(s)
	if err != nil || !r.IsCountry() || r.Canonicalize().String() != s {
		return "", false
	}
	return s, true
}

// Phone reads a phone number as people write it and returns it in E.164: an Albanian mobile the way kyc reads one
// ("069 123 4567"), or any number written internationally ("+49 30 1234567", "0049…"); spaces, dashes, dots and
// brackets are dropped.
func Phone(s string) (string, bool) {
	if m, err := kyc.ParseMobile(s); err == nil {
		return m.String(), true
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	n := b.String()
	if rest, ok := strings.CutPrefix(n, "00"); ok {
		n = "+" + rest
	}
	digits, ok := strings.CutPrefix(n, "+")
	if !ok || len(digits) < 7 || len(digits) > 15 || digits[0] == '0' {
		return "", false
	}
	return n, true
}

// AccountNumber reads an account number at another bank: letters and digits, which it returns in upper case,
// with the spaces and dashes people group them with dropped; at most MaxAccountNumber characters (an IBAN's
// longest BBAN).
func AccountNumber(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-':
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			return "", false
		}
	}
	n := b.String()
	return n, n != "" && len(n) <= MaxAccountNumber
}
