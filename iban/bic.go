package iban

// BIC is a Business Identifier Code (ISO 9362), the SWIFT address of a bank: 8 characters for the bank's primary
// office or 11 with a branch. Values from ParseBIC are valid and upper case.
type BIC string

// ParseBIC reads a BIC as typed: surrounding or inner spaces and lower case are accepted. The structure is 4
// letters for the institution, 2 letters for the country, 2 letters or digits for the location, and an optional
// 3 letters or digits for the branch.
func ParseBIC(s string) (BIC, error) {
	compact, ok := Compact(s)
	if !ok {
		return "", ErrBICInvalid.With("characters other than letters, digits and spaces")
	}
	if len(compact) != 8 && len(compact) != 11 {
		return "", ErrBICInvalid.With("length must be 8 or 11")
	}
	if !allOf(compact[:6], letters) {
		return "", ErrBICInvalid.With("institution and country must be letters")
	}
	// The location and branch already passed normalise, which lets only letters and digits through.
	return BIC(compact), nil
}

// String returns the BIC as payment messages carry it.
func (b BIC) String() string { return string(b) }

// Institution returns the 4-letter code of the bank.
func (b BIC) Institution() string { return b.part(0, 4) }

// Country returns the ISO 3166 country code.
func (b BIC) Country() string { return b.part(4, 6) }

// Location returns the 2-character location code.
func (b BIC) Location() string { return b.part(6, 8) }

// Branch returns the 3-character branch code; an 8-character BIC addresses the primary office, which SWIFT
// writes as "XXX", so that is what it returns then.
func (b BIC) Branch() string {
	if len(b) == 8 {
		return "XXX"
	}
	return b.part(8, 11)
}

// part guards against a BIC made by conversion rather than ParseBIC, which may be of any length.
func (b BIC) part(from, to int) string {
	if len(b) < to {
		return ""
	}
	return string(b[from:to])
}
