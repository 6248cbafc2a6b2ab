package kyc

// ClientNumber is the bank's own number for a customer: nine digits, never starting with 0 so that no system on
// the way (spreadsheets, the core's numeric fields) can drop a digit. Values from ParseClientNumber are valid.
type ClientNumber string

// String returns the nine digits.
func (c ClientNumber) String() string { return string(c) }

// ParseClientNumber reads a client number as typed; spaces are ignored.
func ParseClientNumber(s string) (ClientNumber, error) {
	n, ok := compact(s)
	if !ok || len(n) != 9 || !allDigits(n) {
		return "", ErrClientNumberInvalid.With("need 9 digits")
	}
	if n[0] == '0' {
		return "", ErrClientNumberInvalid.With("first digit is 0")
	}
	return ClientNumber(n), nil
}
