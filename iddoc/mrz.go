package iddoc

import (
	"encoding/asn1"
	"strings"
	"time"

	"github.com/kumbara/kumbara/clock"
)

// MRZ is what a document's machine-readable zone says (ICAO 9303-3, -4, -5). Texts are as printed: upper-case
// Latin letters and digits, fillers removed; given names are separated by single spaces.
type MRZ struct {
	Format         string    // "TD1" (ID card, 3 lines of 30) or "TD3" (passport, 2 lines of 44)
	DocumentType   string    // e.g. "ID", "I", "P"
	IssuingState   string    // ICAO 3-letter code, e.g. "ALB"
	DocumentNumber string    // without fillers, check digit verified
	Surname        string    // primary identifier, e.g. "CELA" or "HOXHA BERISHA"
	GivenNames     string    // secondary identifier, e.g. "DRITAN"; may be cut short on the document
	Nationality    string    // ICAO 3-letter code
	BirthDate      time.Time // midnight UTC
	Sex            string    // "M", "F" or "X" (unspecified)
	ExpiryDate     time.Time // midnight UTC of the last day the document is valid
	// PersonalNumber is TD1's first optional data field (Albanian ID cards put the personal number — the bank's
	// national ID — there) or TD3's personal number field.
	PersonalNumber string
	// OptionalData is TD1's second optional data field; empty for TD3.
	OptionalData string

	nameZone string // the name field as printed, fillers and all, for the truncation rule in Match
}

// Expired reports whether the document's last valid day (in the bank's time zone) is before now's.
func (m MRZ) Expired(now time.Time) bool {
	y, mo, d := now.In(clock.Tirane).Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).After(m.ExpiryDate)
}

// Lengths of the MRZ text in DG1.
const (
	td1Len = 3 * 30
	td3Len = 2 * 44
)

// ParseDG1 returns the MRZ text in DG1: tag 0x61 holding tag 0x5F1F (ICAO 9303-10 §4.7.1).
func ParseDG1(b []byte) (string, error) {
	if len(b) == 0 || len(b) > MaxDG1 {
		return "", ErrInvalid.With("DG1 is %d bytes", len(b))
	}
	var outer, inner asn1.RawValue
	if err := unmarshal(b, &outer, "DG1"); err != nil {
		return "", err
	}
	if outer.Class != asn1.ClassApplication || outer.Tag != 1 || !outer.IsCompound {
		return "", ErrInvalid.With("DG1: not tag 0x61")
	}
	if err := unmarshal(outer.Bytes, &inner, "DG1 MRZ"); err != nil {
		return "", err
	}
	if inner.Class != asn1.ClassApplication || inner.Tag != 31 || inner.IsCompound {
		return "", ErrInvalid.With("DG1: MRZ not under tag 0x5F1F")
	}
	return string(inner.Bytes), nil
}

// ParseMRZ reads a TD1 (90 characters) or TD3 (88 characters) MRZ, its lines joined without separators, and
// verifies every check digit. now decides the century of the birth date (the latest that is not in the future);
// expiry dates are in 2000–2099. Whether the document has expired is Verify's question (see Expired). A date with
// an unknown day or month (fillers) is refused: the bank compares the full birth date.
func ParseMRZ(text string, now time.Time) (MRZ, error) {
	for i := 0; i < len(text); i++ {
		if !mrzChar(text[i]) {
			return MRZ{}, ErrInvalid.With("MRZ: character %d is not A-Z, 0-9 or <", i+1)
		}
	}
	switch len(text) {
	case td1Len:
		return parseTD1(text[0:30], text[30:60], text[60:90], now)
	case td3Len:
		return parseTD3(text[0:44], text[44:88], now)
	}
	return MRZ{}, ErrInvalid.With("MRZ is %d characters, want 90 (TD1) or 88 (TD3)", len(text))
}

func mrzChar(c byte) bool { return 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '<' }

// checkDigit is ICAO 9303-3 §4.9: digits count as themselves, A–Z as 10–35, the filler as 0; weights 7, 3, 1
// repeat; the check digit is the sum modulo 10.
func checkDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c, v := s[i], 0
		switch {
		case '0' <= c && c <= '9':
			v = int(c - '0')
		case 'A' <= c && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

func checked(field string, digit byte, what string) error {
	if checkDigit(field) != digit {
		return ErrInvalid.With("MRZ: %s check digit is wrong", what)
	}
	return nil
}

func trimFiller(s string) string { return strings.TrimRight(s, "<") }

// parseTD1 reads an ID card's three lines (ICAO 9303-5 §4.2.2).
func parseTD1(l1, l2, l3 string, now time.Time) (MRZ, error) {
	if !strings.ContainsRune("IAC", rune(l1[0])) {
		return MRZ{}, ErrInvalid.With("MRZ: TD1 document code %q", l1[0:2])
	}
	m := MRZ{Format: "TD1", DocumentType: trimFiller(l1[0:2]), nameZone: l3}
	var err error
	if m.IssuingState, err = stateCode(l1[2:5], "issuing state"); err != nil {
		return MRZ{}, err
	}
	opt1 := l1[15:30]
	if l1[14] == '<' {
		// A document number longer than 9 characters continues in the optional data, followed by its check
		// digit and a filler (ICAO 9303-5 §4.2.4 note j).
		end := strings.IndexByte(opt1, '<')
		if end < 2 || l1[13] == '<' {
			return MRZ{}, ErrInvalid.With("MRZ: long document number without its check digit")
		}
		number := l1[5:14] + opt1[:end-1]
		if err := checked(number, opt1[end-1], "document number"); err != nil {
			return MRZ{}, err
		}
		m.DocumentNumber, opt1 = number, opt1[end+1:]
	} else {
		if err := checked(l1[5:14], l1[14], "document number"); err != nil {
			return MRZ{}, err
		}
		m.DocumentNumber = trimFiller(l1[5:14])
	}
	if m.DocumentNumber == "" {
		return MRZ{}, ErrInvalid.With("MRZ: no document number")
	}
	m.PersonalNumber = trimFiller(opt1)
	if m.BirthDate, err = mrzDate(l2[0:6], l2[6], "birth date"); err != nil {
		return MRZ{}, err
	}
	m.BirthDate = birthCentury(m.BirthDate, now)
	if m.Sex, err = sex(l2[7]); err != nil {
		return MRZ{}, err
	}
	if m.ExpiryDate, err = mrzDate(l2[8:14], l2[14], "expiry date"); err != nil {
		return MRZ{}, err
	}
	if m.Nationality, err = stateCode(l2[15:18], "nationality"); err != nil {
		return MRZ{}, err
	}
	m.OptionalData = trimFiller(l2[18:29])
	if err := checked(l1[5:30]+l2[0:7]+l2[8:15]+l2[18:29], l2[29], "composite"); err != nil {
		return MRZ{}, err
	}
	if m.Surname, m.GivenNames, err = names(l3); err != nil {
		return MRZ{}, err
	}
	return m, nil
}

// parseTD3 reads a passport's two lines (ICAO 9303-4 §4.2.2).
func parseTD3(l1, l2 string, now time.Time) (MRZ, error) {
	if l1[0] != 'P' {
		return MRZ{}, ErrInvalid.With("MRZ: TD3 document code %q", l1[0:2])
	}
	m := MRZ{Format: "TD3", DocumentType: trimFiller(l1[0:2]), nameZone: l1[5:44]}
	var err error
	if m.IssuingState, err = stateCode(l1[2:5], "issuing state"); err != nil {
		return MRZ{}, err
	}
	if m.Surname, m.GivenNames, err = names(l1[5:44]); err != nil {
		return MRZ{}, err
	}
	if err := checked(l2[0:9], l2[9], "document number"); err != nil {
		return MRZ{}, err
	}
	if m.DocumentNumber = trimFiller(l2[0:9]); m.DocumentNumber == "" {
		return MRZ{}, ErrInvalid.With("MRZ: no document number")
	}
	if m.Nationality, err = stateCode(l2[10:13], "nationality"); err != nil {
		return MRZ{}, err
	}
	if m.BirthDate, err = mrzDate(l2[13:19], l2[19], "birth date"); err != nil {
		return MRZ{}, err
	}
	m.BirthDate = birthCentury(m.BirthDate, now)
	if m.Sex, err = sex(l2[20]); err != nil {
		return MRZ{}, err
	}
	if m.ExpiryDate, err = mrzDate(l2[21:27], l2[27], "expiry date"); err != nil {
		return MRZ{}, err
	}
	m.PersonalNumber = trimFiller(l2[28:42])
	// An empty personal number may have a filler for its check digit (ICAO 9303-4 §4.2.2.2 note 3).
	if !(m.PersonalNumber == "" && l2[42] == '<') {
		if err := checked(l2[28:42], l2[42], "personal number"); err != nil {
			return MRZ{}, err
		}
	}
	if err := checked(l2[0:10]+l2[13:20]+l2[21:43], l2[43], "composite"); err != nil {
		return MRZ{}, err
	}
	return m, nil
}

func stateCode(s, what string) (string, error) {
	code := trimFiller(s)
	if code == "" {
		return "", ErrInvalid.With("MRZ: no %s", what)
	}
	for i := 0; i < len(code); i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return "", ErrInvalid.With("MRZ: %s is not letters", what)
		}
	}
	return code, nil
}

func sex(c byte) (string, error) {
	switch c {
	case 'M', 'F', 'X':
		return string(c), nil
	case '<':
		return "X", nil
	}
	return "", ErrInvalid.With("MRZ: sex %q", c)
}

// mrzDate reads YYMMDD with its check digit as a date in 2000–2099 (birthCentury moves birth dates back).
func mrzDate(s string, digit byte, what string) (time.Time, error) {
	if err := checked(s, digit, what); err != nil {
		return time.Time{}, err
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, ErrInvalid.With("MRZ: %s is not a full date", what)
		}
	}
	y, mo, d := 2000+twoDigits(s[0:2]), twoDigits(s[2:4]), twoDigits(s[4:6])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
		return time.Time{}, ErrInvalid.With("MRZ: %s does not exist", what)
	}
	return t, nil
}

func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }

// birthCentury takes the latest century that puts the birth date not after now. (Going back 100 years is exact
// for every date but 29 February 2000, which is no longer in anyone's future.)
func birthCentury(b, now time.Time) time.Time {
	if b.After(now) {
		return b.AddDate(-100, 0, 0)
	}
	return b
}

// names splits the name field at the first double filler into the primary and secondary identifiers; single
// fillers inside each become spaces.
func names(zone string) (surname, given string, err error) {
	z := trimFiller(zone)
	primary, secondary, _ := strings.Cut(z, "<<")
	if primary == "" || strings.HasPrefix(primary, "<") {
		return "", "", ErrInvalid.With("MRZ: no surname")
	}
	for i := 0; i < len(z); i++ {
		if z[i] >= '0' && z[i] <= '9' {
			return "", "", ErrInvalid.With("MRZ: digit in the name")
		}
	}
	secondary = strings.Trim(secondary, "<")
	return strings.ReplaceAll(primary, "<", " "), strings.Join(strings.FieldsFunc(secondary,
		func(r rune) bool { return r == '<' }), " "), nil
}
