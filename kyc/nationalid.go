package kyc

import (
	"fmt"
	"time"
)

// Sex as the personal number records it.
type Sex string

const (
	SexMale   Sex = "M"
	SexFemale Sex = "F"
)

// femaleMonthOffset is added to the month of birth in a woman's personal number.
const femaleMonthOffset = 50

// NationalID is an Albanian personal number (numri personal) with what it says about its holder. Values from
// ParseNationalID and NewNationalID are valid.
type NationalID struct {
	Number    string    // 10 characters, upper case, e.g. "J00101999W"
	BirthDate time.Time // midnight UTC of the date of birth
	Sex       Sex
}

// String returns the number as printed on the identity card.
func (n NationalID) String() string { return n.Number }

// ParseNationalID reads a personal number as typed (spaces and lower case are accepted) and checks it: a decade
// letter A…T (A = 1900s, B = 1910s, … J = 1990s, K = 2000s, M = 2020s), the last digit of the year, the month
// (01–12 for men, 51–62 for women), the day, a 3-digit serial and the check letter of NationalIDCheckLetter.
//
// A birth date in the future is not rejected here: whether the holder is old enough is the onboarding rule's
// question, and it has the clock.
func ParseNationalID(s string) (NationalID, error) {
	n, ok := compact(s)
	if !ok || len(n) != 10 {
		return NationalID{}, ErrNationalIDInvalid.With("need 10 letters or digits")
	}
	if !decadeLetter(n[0]) {
		return NationalID{}, ErrNationalIDInvalid.With("first character is not a decade letter A to T")
	}
	if !allDigits(n[1:9]) {
		return NationalID{}, ErrNationalIDInvalid.With("characters 2 to 9 must be digits")
	}
	month, sex := twoDigits(n[2:4]), SexMale
	if month > femaleMonthOffset {
		month, sex = month-femaleMonthOffset, SexFemale
	}
	if month < 1 || month > 12 {
		return NationalID{}, ErrNationalIDInvalid.With("month is neither 01-12 nor 51-62")
	}
	year := 1900 + 10*int(n[0]-'A') + int(n[1]-'0')
	day := twoDigits(n[4:6])
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31 April into 1 May; a changed day means the date does not exist.
	if day < 1 || birth.Day() != day {
		return NationalID{}, ErrNationalIDInvalid.With("day does not exist in that month")
	}
	if !checkLetterMatches(n[:9], n[9]) {
		return NationalID{}, ErrNationalIDInvalid.With("check letter does not match")
	}
	return NationalID{Number: n, BirthDate: birth, Sex: sex}, nil
}

// NewNationalID makes the valid personal number of someone born on the calendar date of birth (read in birth's
// own location) with the given sex and serial, for demo data and tests. It panics when the year is outside
// 1900–2099, which the decade letters cannot express, or the serial outside 0–999: both are mistakes in the
// calling code, not in anyone's input.
func NewNationalID(birth time.Time, female bool, serial int) NationalID {
	year, month, day := birth.Date()
	if year < 1900 || year > 2099 {
		panic(fmt.Sprintf("kyc.NewNationalID: year %d outside 1900-2099", year))
	}
	if serial < 0 || serial > 999 {
		panic(fmt.Sprintf("kyc.NewNationalID: serial %d outside 0-999", serial))
	}
	monthCode, sex := int(month), SexMale
	if female {
		monthCode, sex = monthCode+femaleMonthOffset, SexFemale
	}
	first9 := fmt.Sprintf("%c%d%02d%02d%03d", 'A'+(year-1900)/10, year%10, monthCode, day, serial)
	return NationalID{
		Number:    first9 + string(checkAlphabet[checkValue(first9)]),
		BirthDate: time.Date(year, month, day, 0, 0, 0, 0, time.UTC),
		Sex:       sex,
	}
}

// twoDigits assumes two ASCII digits.
func twoDigits(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
