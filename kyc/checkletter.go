package kyc

// checkAlphabet turns a remainder mod 23 into the check letter. W comes first, so it stands for 0; X, Y and Z
// are never check letters.
const checkAlphabet = "WABCDEFGHIJKLMNOPQRSTUV"

// NationalIDCheckLetter returns the check letter (the tenth character) of an Albanian personal number or NIPT
// given its first nine characters: a letter and eight digits. Demo data and tests use it to make valid numbers.
//
// The authorities do not publish the algorithm. The rule here is the one independent public implementations
// use, and it is the one that holds on real published NIPTs:
//
//	value = (v(c₁) + Σ i·dᵢ for i = 1…8) mod 23
//	check = "WABCDEFGHIJKLMNOPQRSTUV"[value]
//
// where c₁ is the first letter, v its place in that same alphabet (W = 0, A = 1, B = 2, … V = 22), and d₁…d₈
// the eight digits that follow, weighted 1 to 8.
//
// When value is 0, numbers issued under the L prefix (the 2010s) were seen printed with A instead of W, so the
// parsers accept either letter for 0; this function always answers W.
func NationalIDCheckLetter(first9 string) (byte, error) {
	s, ok := compact(first9)
	if !ok || len(s) != 9 || letterValue(s[0]) < 0 || !allDigits(s[1:]) {
		return 0, ErrNationalIDInvalid.With("need a letter from A to W and eight digits")
	}
	return checkAlphabet[checkValue(s)], nil
}

// checkValue assumes a letter with a value and eight ASCII digits.
func checkValue(first9 string) int {
	sum := letterValue(first9[0])
	for i := 1; i <= 8; i++ {
		sum += i * int(first9[i]-'0')
	}
	return sum % 23
}

// letterValue returns the place of c in checkAlphabet, or -1 for X, Y, Z and anything that is not a capital.
func letterValue(c byte) int {
	switch {
	case c == 'W':
		return 0
	case 'A' <= c && c <= 'V':
		return int(c-'A') + 1
	}
	return -1
}

// checkLetterMatches reports whether letter is right for the first nine characters, allowing the A that some
// numbers carry for remainder 0 (see NationalIDCheckLetter).
func checkLetterMatches(first9 string, letter byte) bool {
	v := checkValue(first9)
	return letter == checkAlphabet[v] || (v == 0 && letter == 'A')
}

// decadeLetter reports whether c is a first letter both kinds of number use: A for the 1900s through T for the
// 2090s. Every one of them has a value in checkAlphabet.
func decadeLetter(c byte) bool { return 'A' <= c && c <= 'T' }
