package kyc

import "strings"

// Mobile is an Albanian mobile number in E.164 form, "+3556" followed by eight digits, the form SMS gateways take.
// Values from ParseMobile are valid.
type Mobile string

// String returns the E.164 form.
func (m Mobile) String() string { return string(m) }

const albanianCountryCode = "+355"

// ParseMobile reads an Albanian mobile number as typed: national "06X XXX XXXX", or international
// "+355 6X XXX XXXX" or "00355 6X XXX XXXX", with spaces anywhere or none. X after the 6 is 7, 8 or 9, the
// prefixes of the networks that operate.
func ParseMobile(s string) (Mobile, error) {
	n := strings.ReplaceAll(s, " ", "")
	var national string
	switch {
	case strings.HasPrefix(n, albanianCountryCode):
		national = n[len(albanianCountryCode):]
	case strings.HasPrefix(n, "00355"):
		national = n[len("00355"):]
	case strings.HasPrefix(n, "0"):
		national = n[1:]
	default:
		return "", ErrMobileInvalid.With("neither 0 nor +355 or 00355 in front")
	}
	if len(national) != 9 || !allDigits(national) {
		return "", ErrMobileInvalid.With("need 9 digits after the prefix")
	}
	if national[0] != '6' || national[1] < '7' || national[1] > '9' {
		return "", ErrMobileInvalid.With("not a 67, 68 or 69 mobile number")
	}
	return Mobile(albanianCountryCode + national), nil
}

// MaskPhone shows a phone number with only its country code and last three digits, so a customer can recognise
// their own number on a screen or in a message without it being disclosed: "+355691234123" gives
// "+355 6* *** *123", in the 6X XXX XXXX grouping Albanians write. The leading 6 gives nothing away, as every
// Albanian mobile starts with it.
//
// Anything that is not an Albanian mobile number keeps only a leading + and its last three digits, and not even
// those when it has fewer than seven digits, as then three would be too large a share.
func MaskPhone(e164 string) string {
	if m, err := ParseMobile(e164); err == nil {
		national := string(m[len(albanianCountryCode):])
		return albanianCountryCode + " 6* *** *" + national[6:]
	}
	var digits []byte
	for i := 0; i < len(e164); i++ {
		if c := e164[i]; '0' <= c && c <= '9' {
			digits = append(digits, c)
		}
	}
	shown := 3
	if len(digits) < 7 {
		shown = 0
	}
	var b strings.Builder
	if strings.HasPrefix(strings.TrimSpace(e164), "+") {
		b.WriteByte('+')
	}
	b.WriteString(strings.Repeat("*", len(digits)-shown))
	b.Write(digits[len(digits)-shown:])
	return b.String()
}
