package money

import (
	"strings"
	"unicode"
)

// Typed reads an amount as a person types it on a page whose language writes decimals with decimalMark (',' in
// Albanian, '.' in English), and gives it back as the decimal string the bank's services take ("1250.50"). People
// write amounts the way their language does and the way the bank shows them, so either works in both languages:
// "1.250,50", "1,250.50", "1250,50", "1250.50" and "1 250,50" are all 1250.50.
//   - spaces (also no-break and thin ones) group digits and are dropped;
//   - with both marks, the last one is the decimal mark and the other groups digits in threes;
//   - a mark that appears more than once groups digits in threes;
//   - a single mark followed by other than three digits is the decimal mark ("1250.5", "1250,50");
//   - a single mark followed by three digits groups them when it is not the page's decimal mark ("1.250" on an
//     Albanian page is 1250). When it is ("1,250" on an Albanian page) the person may have meant either 1250 or
//     1.25: ErrAmountAmbiguous, whose message says how to write each.
//
// Anything else is ErrInvalidAmount. What the amount may be (decimals for its currency, positive, in range) is the
// service's to say: Typed only reads.
func Typed(s string, decimalMark rune) (string, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", rest
	}
	if s == "" || strings.Trim(s, "0123456789.,") != "" {
		if sign == "" && s == "" {
			return "", nil // nothing typed: the service says the amount is required
		}
		return "", ErrInvalidAmount
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var intPart, frac string
	switch {
	case dots == 0 && commas == 0:
		intPart = s
	case dots > 0 && commas > 0:
		last := max(strings.LastIndex(s, "."), strings.LastIndex(s, ","))
		mark := s[last]
		if strings.Count(s, string(mark)) > 1 {
			return "", ErrInvalidAmount // the decimal mark twice
		}
		intPart, frac = s[:last], s[last+1:]
	case dots+commas > 1:
		intPart = s
	default:
		i := strings.IndexAny(s, ".,")
		intPart, frac = s[:i], s[i+1:]
		if len(frac) == 3 {
			if rune(s[i]) == decimalMark {
				return "", ErrAmountAmbiguous
			}
			intPart, frac = s, ""
		}
		if frac == "" && len(s) == i+1 {
			return "", ErrInvalidAmount // "1250,"
		}
	}
	digits, ok := ungroup(intPart)
	if !ok || digits == "" || strings.ContainsAny(frac, ".,") {
		return "", ErrInvalidAmount
	}
	if frac == "" {
		return sign + digits, nil
	}
	return sign + digits + "." + frac, nil
}

// ungroup drops the grouping marks of the whole part of an amount: none, or one kind of mark between groups of
// three digits after a first group of one to three ("1.250.000", "12,500").
func ungroup(s string) (string, bool) {
	if !strings.ContainsAny(s, ".,") {
		return s, true
	}
	mark := ","
	if strings.Contains(s, ".") {
		mark = "."
	}
	groups := strings.Split(s, mark)
	for i, g := range groups {
		if g == "" || strings.ContainsAny(g, ".,") || (i > 0 && len(g) != 3) || (i == 0 && len(g) > 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}
