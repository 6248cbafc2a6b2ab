// Package text is the bank's one rule for free text from outside — account names, transfer descriptions, device and
// passkey names, locations, user agents — and the check every string from outside passes before it is compared
// with a text column. Domain packages apply it; transports pass what they are sent through unchanged.
package text

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Storable reports whether s can be compared with or written to a text column on both engines: PostgreSQL refuses
// NUL bytes and invalid UTF-8 with an error, which for a client's input must be a 4xx (or "not found"), never a 500.
func Storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Clean returns free text in the one form the bank keeps it in: NFKC-normalised, so that a full-width letter, a
// ligature, a non-breaking space or a letter written with a combining accent becomes its plain form and what looks
// the same is stored the same, without space around it. Invalid UTF-8 becomes U+FFFD, which Allowed refuses.
func Clean(s string) string {
	return strings.TrimSpace(norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD")))
}

// Allowed reports whether r may stand in free text: a letter, mark, digit or other number, punctuation, symbol or
// the plain space. Control characters (tabs and line breaks among them), format characters (bidi overrides,
// zero-width spaces), other separators, private-use and unassigned code points and U+FFFD may not: they hide text,
// reorder it on screen or break the lines of an SMS, a log or a statement.
func Allowed(r rune) bool {
	if r == ' ' {
		return true
	}
	return r != utf8.RuneError && unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}

// Valid reports whether s, in the form Clean gives, holds 1 to max characters, every one Allowed.
func Valid(s string, max int) bool {
	n := 0
	for _, r := range s {
		if n++; n > max || !Allowed(r) {
			return false
		}
	}
	return n > 0
}

// Sanitize is Clean for text a client says about itself (a user agent, a location), which is recorded, never
// refused: what Allowed refuses is dropped, and the rest is cut to max characters.
func Sanitize(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range Clean(s) {
		if !Allowed(r) {
			continue
		}
		if n++; n > max {
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// PlainPunctuation is what Plain allows besides letters, digits and the space.
const PlainPunctuation = ".,-/():'?+"

// Plain reports whether s keeps the manual's "no special characters" rule (T3) for text that travels with money
// and is shown to the other party (transfer descriptions, account names): Latin letters of any kind — so ë, ç and
// the rest of Albanian stay — ASCII digits, the space and the punctuation payment messages commonly use (the
// SWIFT/ISO 20022 Latin character set's). Anything else, from < > & % " ; to emoji, is refused rather than
// stripped, so what the customer typed is what the other side sees.
func Plain(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) && unicode.Is(unicode.Latin, r), unicode.IsDigit(r) && r < 128, r == ' ':
		case strings.ContainsRune(PlainPunctuation, r):
		default:
			return false
		}
	}
	return true
}
