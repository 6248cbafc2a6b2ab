package iddoc

import (
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/kumbara/kumbara/customer"
	"github.com/kumbara/kumbara/kyc"
)

// Matches reports whether the document is the customer's (see Match).
func (m MRZ) Matches(c customer.Customer) bool { return m.Match(c) == nil }

// Match checks that the document belongs to the customer, or returns id_document_mismatch:
//   - the customer is an individual with a national ID, and it is the document's personal number (Albanian ID
//     cards and passports carry it in the MRZ's optional data);
//   - the birth dates are the same day;
//   - the sex the personal number encodes is the document's (when the document states one);
//   - the names agree under the name rule below.
//
// The name rule. An MRZ writes "SURNAME<<GIVEN<NAMES" in upper-case Latin letters, fillers for spaces and hyphens,
// apostrophes dropped, letters with diacritics transliterated (ICAO 9303-3 §6: Ç→C, Ë→E, É→E…; Ä→AE, Ö→OE, Ü→UE,
// Å→AA, Ñ→N, ß→SS, Æ→AE, Ø→OE, Þ→TH…), and cuts the names short when they do not fit (30 characters on an ID
// card, 39 on a passport). The customer's last and first names are written the same way into
// "LAST<<FIRST", and the document's name field, trailing fillers removed, must be exactly that — or, when the
// field is full (its last character is a letter, which is how ICAO marks a possible truncation), a prefix of it.
// For Ä, Ö, Ü, Å and Ñ the single-letter transliteration (A, O, U, A, N) is accepted too, as some issuers use it.
// ICAO also allows shortening names inside the field (to initials); such a document is refused here rather than
// guessed at, and the customer is sent to a branch. Anything that cannot be written in the MRZ alphabet (a
// Cyrillic or Greek letter, a digit) never matches.
func (m MRZ) Match(c customer.Customer) error {
	mismatch := func(why string) error {
		return ErrMismatch.With("%s", why)
	}
	if c.Kind != customer.Individual {
		return mismatch("not an individual")
	}
	id := strings.ToUpper(strings.TrimSpace(c.NationalID))
	if id == "" || id != m.PersonalNumber {
		return mismatch("personal number differs")
	}
	if c.BirthDate.IsZero() || !sameDay(c.BirthDate, m.BirthDate) {
		return mismatch("birth date differs")
	}
	if nid, err := kyc.ParseNationalID(id); err == nil && (m.Sex == "M" || m.Sex == "F") && string(nid.Sex) != m.Sex {
		return mismatch("sex differs")
	}
	if !m.namesMatch(c.LastName, c.FirstName) {
		return mismatch("names differ")
	}
	return nil
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func (m MRZ) namesMatch(last, first string) bool {
	zone := m.nameZone
	full := len(zone) > 0 && zone[len(zone)-1] != '<'
	if zone == "" {
		// An MRZ not read from a document: its names as they are, not truncated.
		zone = strings.ReplaceAll(m.Surname, " ", "<") + "<<" + strings.ReplaceAll(m.GivenNames, " ", "<")
	}
	z := trimFiller(zone)
	if z == "" {
		return false
	}
	for _, single := range []bool{false, true} {
		l, okL := Transliterate(last, single)
		f, okF := Transliterate(first, single)
		if !okL || !okF || l == "" {
			return false
		}
		want := trimFiller(l + "<<" + f)
		if z == want || full && strings.HasPrefix(want, z) {
			return true
		}
	}
	return false
}

// multiLetter are ICAO 9303-3's transliterations into more than one letter, or into a letter that is not the
// character's Unicode base letter. With single set, Ä Ö Ü Å Ñ take their base letter instead.
var multiLetter = map[rune]string{
	'Ä': "AE", 'Ö': "OE", 'Ü': "UE", 'Å': "AA", 'Ñ': "N",
	'Æ': "AE", 'Ø': "OE", 'Œ': "OE", 'ß': "SS", 'ẞ': "SS", 'Þ': "TH", 'Ð': "D", 'Đ': "D", 'Ł': "L", 'Ħ': "H",
	'Ŀ': "L", 'Ĳ': "IJ", 'ı': "I",
}

// Transliterate writes a name as an MRZ does (see Match): upper case, A–Z only, spaces and hyphens as single
// fillers, apostrophes, full stops and commas dropped, fillers at the ends trimmed. ok is false when the name has a
// character the MRZ alphabet cannot express. "Dritan Çela-Hoxha" gives "DRITAN<CELA<HOXHA".
func Transliterate(name string, single bool) (mrz string, ok bool) {
	var b strings.Builder
	for _, r := range norm.NFC.String(strings.ToUpper(name)) {
		switch {
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\t':
			b.WriteByte('<')
		case r == '\'' || r == '’' || r == '.' || r == ',':
		default:
			if single && strings.ContainsRune("ÄÖÜÅÑ", r) {
				b.WriteRune(base(r))
			} else if s, ok := multiLetter[r]; ok {
				b.WriteString(s)
			} else if br := base(r); 'A' <= br && br <= 'Z' {
				b.WriteRune(br)
			} else {
				return "", false
			}
		}
	}
	parts := strings.FieldsFunc(b.String(), func(r rune) bool { return r == '<' })
	return strings.Join(parts, "<"), true
}

// base returns the letter a character decomposes to when its combining marks are dropped ('Ë' → 'E', 'Ç' → 'C'),
// or 0 when it is not a letter followed only by combining marks.
func base(r rune) rune {
	d := []rune(norm.NFD.String(string(r)))
	for _, m := range d[1:] {
		if !unicode.Is(unicode.Mn, m) {
			return 0
		}
	}
	return d[0]
}
