package card

import (
	"crypto/rand"
	"io"
	"math/big"
	"strings"
)

// panLength is the length of the numbers we issue: 16 digits for both Visa and Mastercard debit cards.
const panLength = 16

// Luhn reports whether number — ASCII digits only, at least two (a payload and its check digit) — passes the Luhn
// (mod 10) check of ISO/IEC 7812. Spaces and other separators are refused: callers normalise first, so a check
// never silently ignores part of its input.
func Luhn(number string) bool {
	if len(number) < 2 || !allDigits(number) {
		return false
	}
	return checkDigit(number[:len(number)-1]) == number[len(number)-1]
}

// checkDigit returns the Luhn check digit to append to payload (ASCII digits).
func checkDigit(payload string) byte {
	return byte('0' + (10-luhnSum(payload)%10)%10)
}

// luhnSum is the Luhn sum of payload as if a check digit followed it: from the right, the first, third… digits
// are doubled (and 9 taken off a two-digit result).
func luhnSum(payload string) int {
	sum := 0
	double := true
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidBIN reports whether bin can start the numbers we issue: 6 to 8 digits (ISO/IEC 7812 moved from 6- to
// 8-digit issuer identification numbers; both are in use).
func ValidBIN(bin string) bool {
	return len(bin) >= 6 && len(bin) <= 8 && allDigits(bin)
}

// newPAN draws a card number: the BIN, random digits up to panLength-1, and the Luhn check digit.
func newPAN(r io.Reader, bin string) (string, error) {
	n := panLength - 1 - len(bin)
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := rand.Int(r, limit)
	if err != nil {
		return "", err
	}
	payload := bin + leftPad(v.String(), n)
	return payload + string(checkDigit(payload)), nil
}

func leftPad(s string, n int) string {
	if len(s) >= n {
		return s
	}
	return strings.Repeat("0", n-len(s)) + s
}

// mask shows the first 6 and last 4 digits, the most a card number may show (PCI DSS 3.4), in groups of four:
// "4111 11** **** 1111".
func mask(pan string) string {
	var b strings.Builder
	for i := 0; i < len(pan); i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		if i < 6 || i >= len(pan)-4 {
			b.WriteByte(pan[i])
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
