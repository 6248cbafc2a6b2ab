package kyc

import (
	"strings"
	"unicode"
)

// MaskName hides a name behind its initials for the payee check, where the payer should recognise the account
// holder without learning their name: "Arben Hoxha" gives "A**** H****". It works by character, not byte, so
// "Ëndri Çela" gives "Ë**** Ç***"; a diacritic typed as a separate combining mark stays with its letter and adds
// no asterisk. Each part of a hyphenated name keeps its initial ("Hoxha-Berisha" gives "H****-B******"), and runs
// of spaces collapse to one.
func MaskName(full string) string {
	parts := strings.Fields(full)
	for i, p := range parts {
		parts[i] = maskNamePart(p)
	}
	return strings.Join(parts, " ")
}

func maskNamePart(part string) string {
	var b strings.Builder
	initial := true // the next letter starts a name and stays visible
	shown := false  // the last letter was written out, so combining marks that follow belong to it
	for _, r := range part {
		switch {
		case r == '-':
			b.WriteRune(r)
			initial, shown = true, false
		case unicode.Is(unicode.Mn, r):
			if shown {
				b.WriteRune(r)
			}
		case initial:
			b.WriteRune(r)
			initial, shown = false, true
		default:
			b.WriteByte('*')
			shown = false
		}
	}
	return b.String()
}
