package httpx

import "strings"

// LogPath is a request path as the logs may keep it: an IBAN in it (DELETE /api/v1/beneficiaries/trusted/{iban})
// names someone's account, which logs must not, so the segment becomes "{iban}". Anything shaped like an IBAN is
// replaced, valid or not: a mistyped IBAN is as personal as a right one.
func LogPath(path string) string {
	if len(path) < 15 {
		return path
	}
	segs := strings.Split(path, "/")
	changed := false
	for i, seg := range segs {
		if looksLikeIBAN(seg) {
			segs[i], changed = "{iban}", true
		}
	}
	if !changed {
		return path
	}
	return strings.Join(segs, "/")
}

// looksLikeIBAN is ISO 13616's shape, spaces ignored: two letters, two digits, 11 to 30 letters or digits.
func looksLikeIBAN(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
		digit := '0' <= c && c <= '9'
		switch {
		case i < 2 && !letter, i >= 2 && i < 4 && !digit, !letter && !digit:
			return false
		}
	}
	return true
}
