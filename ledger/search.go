package ledger

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold is how the history's text search compares text: lower case and without diacritics, so "Cela", "cela" and
// "Çela" are the same search, as are "pagese" and "Pagesë" — people type without ë and ç. The postings' search
// column is written folded and every query is folded the same way, so both engines compare plain bytes with LIKE
// and need no collation or extension. Letters that carry their mark inside the letter rather than as a combining
// mark (ø, đ, ł, ħ) are mapped by hand.
func Fold(s string) string {
	s = strings.ToLower(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), runes.Map(foldLetter), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

func foldLetter(r rune) rune {
	switch r {
	case 'ø':
		return 'o'
	case 'đ':
		return 'd'
	case 'ł':
		return 'l'
	case 'ħ':
		return 'h'
	case 'ı':
		return 'i'
	}
	return r
}

// searchText is what a posting's search column holds: its description, the counterparty's name if the account
// holder sees it in full (a name they see masked is left out, or a search would tell them the hidden letters),
// and the counterparty's IBAN, folded.
func searchText(description, counterparty, iban string, masked bool) string {
	if masked {
		counterparty = ""
	}
	return Fold(description + " " + counterparty + " " + iban)
}
