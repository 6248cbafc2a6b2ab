package vop

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/text"
)

// Compare is the matching rule alone: the name on an account (accountName, as the bank keeps it) against the name a
// payer typed (given). business says the account is a business's, whose legal form (SHPK, SH.A., LLC, GmbH…) is
// not part of its name. It answers Match, CloseMatch with the account's name (the only case the scheme lets a name
// be shown), NoMatch, or NotPossible when the account has no name to compare with; it never returns a name with
// any other result.
//
// Both names are first brought to the words they are compared by (words): case and diacritics folded as the
// history's search folds them (ledger.Fold: "Çela" is "cela", "Hoxhë" is "hoxhe"), apostrophes dropped ("O'Brien"
// is "obrien"), every other mark a space between words, so "Hoxha-Berisha", "Hoxha Berisha" and "HOXHA  berisha"
// are the same two words; a title before an individual's name (Dr., Prof., Znj.…) and a business's legal form
// and the words "and"/"dhe" are left out. Then:
//
//   - Match: the same words, in any order ("Hoxha Arben" is "Arben Hoxha"; "ALFA sh.p.k." is "Alfa SHPK").
//   - CloseMatch: the same letters with words run together or split ("Annamaria" for "Anna Maria"); or each word
//     typed paired with a distinct word of the account's, by the word itself, a small typo, or, for an
//     individual, its initial ("A. Hoxha" for "Arben Hoxha"), with at most one word of the account's left over (a
//     middle name not typed, when the payer typed at least two words) or one typed word left over (a middle name
//     the account does not have, when the payer typed at least three), never both; at least one pair must be a
//     whole word, so initials alone ("A. H.") match nothing.
//   - NoMatch: anything else. A surname alone never comes closer than NoMatch: the close match shows the
//     account's name, and a probe must not learn it.
//
// A small typo is measured by Damerau-Levenshtein distance (optimal string alignment: an insertion, deletion,
// substitution or swap of two neighbours is one edit) rather than Jaro-Winkler similarity. The distance is an
// integer with a budget that grows with the name's length — one edit per six letters of the account's name, at
// least one, and within a word one per started six letters of a word of four letters or more (shorter words must
// be exact: Ana and Ama, Ema and Eda are different people) — so there is no threshold on a float to tune or
// round. Jaro-Winkler rewards a shared beginning, and a payer types the given name right far more often than not:
// over whole names at 0.90 it calls "Arben Hoti" close to "Arben Hoxha" (0.905), "Besnik Gjoni" close to "Besnik
// Gjoka" (0.93) and "Mario Russo" close to "Mario Rossi" (0.94) — different families, whose name a close match
// would show to a payer who typed someone else's. The distance budget keeps them apart (3, 2 and 2 edits in words
// of five letters) while "Hoxa", "Gjoka" for "Gjokaj" and "Elria" for "Elira" stay close.
func Compare(accountName, given string, business bool) (Result, string) {
	a, g := words(accountName, business), words(given, business)
	if len(a) == 0 {
		return NotPossible, ""
	}
	if len(g) == 0 {
		return NoMatch, ""
	}
	if sameWords(a, g) {
		return Match, ""
	}
	if closeMatch(a, g, business) {
		return CloseMatch, text.Clean(accountName)
	}
	return NoMatch, ""
}

// maxCompared bounds the letters of a name compared edit by edit: the scheme's names hold at most 140 characters,
// and a longer string from a careless caller costs a bounded amount of work rather than a quadratic one.
const maxCompared = 256

// words is a name as Compare compares it: folded, split into words, without titles (individuals) or legal forms
// and conjunctions (businesses).
func words(name string, business bool) []string {
	folded := ledger.Fold(text.Clean(name))
	var ws []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			ws = append(ws, b.String())
			b.Reset()
		}
	}
	for _, r := range folded {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r): // a mark Fold kept on a letter outside its table: part of the letter
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '´':
			// O'Brien, D'Amico, Ndre'a: the apostrophe joins, whether or not the payer typed it.
		default:
			flush()
		}
	}
	flush()
	if business {
		ws = slices.DeleteFunc(ws, func(w string) bool { return conjunctions[w] })
		ws = trimLegalForms(ws)
	} else {
		for len(ws) > 1 && titles[ws[0]] {
			ws = ws[1:]
		}
	}
	return ws
}

// titles are what may stand before an individual's name without being part of it (Albanian, English and the
// common European forms), folded.
var titles = map[string]bool{
	"dr": true, "prof": true, "mr": true, "mrs": true, "ms": true, "miss": true, "znj": true, "zonja": true,
	"zoti": true, "ing": true, "herr": true, "frau": true, "sig": true, "sigra": true, "dott": true, "mme": true,
	"mlle": true,
}

// conjunctions join the names of a business's partners ("Hoxha & Bregu", "Hoxha dhe Bregu").
var conjunctions = map[string]bool{"and": true, "dhe": true, "und": true}

// legalForms are the legal forms a business's name may carry, folded and written without dots or spaces: words
// Compare leaves out at either end of a business's name, however they are dotted or spaced ("SH.P.K.", "sh p k",
// "Shpk" are all "shpk"). Albanian first (Ligji 9901/2008 për tregtarët dhe shoqëritë tregtare), then the forms a
// payer meets in Europe and in English.
var legalForms = map[string]bool{
	// Albania
	"shpk": true, "sha": true, "pf": true,
	"shoqerimepergjegjesitekufizuar": true, "shoqeriaksionare": true, "personfizik": true,
	// English
	"llc": true, "ltd": true, "limited": true, "plc": true, "inc": true, "incorporated": true, "corp": true,
	"corporation": true, "co": true, "company": true, "llp": true, "lp": true,
	// German, Austrian, Swiss
	"gmbh": true, "ag": true, "kg": true, "ohg": true, "gmbhcokg": true, "ug": true, "eg": true,
	// Italian
	"srl": true, "srls": true, "spa": true, "sas": true, "snc": true, "sapa": true,
	// French, Belgian, Luxembourgish, Spanish, Portuguese, Greek
	"sa": true, "sarl": true, "eurl": true, "sasu": true, "sl": true, "slu": true, "lda": true, "ae": true,
	"ike": true, "epe": true, "oe": true, "ee": true,
	// Dutch, Nordic
	"bv": true, "nv": true, "vof": true, "ab": true, "as": true, "asa": true, "aps": true, "oy": true, "oyj": true,
	// Central and Eastern Europe, the Balkans
	"sro": true, "spzoo": true, "kft": true, "zrt": true, "nyrt": true, "doo": true, "dooel": true,
	"ad": true, "ood": true, "eood": true, "ooo": true, "dd": true,
}

// maxFormWords is how many words one legal form may be spelt in ("shoqëri me përgjegjësi të kufizuar" is five).
const maxFormWords = 5

// trimLegalForms leaves out the legal forms at either end of a business's words, keeping at least one word: a
// business called only "SHA" is compared as "sha".
func trimLegalForms(ws []string) []string {
	for {
		n := len(ws)
		for k := min(maxFormWords, len(ws)-1); k >= 1; k-- {
			if legalForms[strings.Join(ws[len(ws)-k:], "")] {
				ws = ws[:len(ws)-k]
				break
			}
		}
		for k := min(maxFormWords, len(ws)-1); k >= 1; k-- {
			if legalForms[strings.Join(ws[:k], "")] {
				ws = ws[k:]
				break
			}
		}
		if len(ws) == n {
			return ws
		}
	}
}

// sameWords reports whether a and g hold the same words, in any order.
func sameWords(a, g []string) bool {
	if len(a) != len(g) {
		return false
	}
	as, gs := slices.Clone(a), slices.Clone(g)
	slices.Sort(as)
	slices.Sort(gs)
	return slices.Equal(as, gs)
}

// letters counts the letters (and digits) of words.
func letters(ws []string) int {
	n := 0
	for _, w := range ws {
		n += utf8.RuneCountInString(w)
	}
	return n
}

// budget is how many edits a name of n letters may differ by and still be a close match: one per six letters,
// at least one.
func budget(n int) int { return max(1, n/6) }

// wordBudget is how many edits a word of n letters may take: none under four letters, else one per started six.
func wordBudget(n int) int {
	if n < 4 {
		return 0
	}
	return (n + 5) / 6
}

// closeMatch reports whether g is a close match for the account's words a (see Compare), once they are not the same.
func closeMatch(a, g []string, business bool) bool {
	total := letters(a)
	// Words run together or split, perhaps with a typo, in the order typed: "Annamaria Rossi", "Hoxhaberisha".
	if len(a) != len(g) && total <= maxCompared && letters(g) <= maxCompared &&
		distance(strings.Join(a, ""), strings.Join(g, "")) <= budget(total) {
		return true
	}
	return paired(a, g, business, total)
}

// paired pairs each typed word with a distinct word of the account's: the word itself, then the closest within
// its typo budget, then initials (individuals), and says whether what is left over and the typos together are
// small enough for a close match.
func paired(a, g []string, business bool, total int) bool {
	if len(a) > maxWords || len(g) > maxWords {
		return false
	}
	freeA, freeG := slices.Repeat([]bool{true}, len(a)), slices.Repeat([]bool{true}, len(g))
	whole, edits := 0, 0
	// The words themselves.
	for i, w := range g {
		for j, v := range a {
			if freeA[j] && v == w {
				freeA[j], freeG[i] = false, false
				if utf8.RuneCountInString(w) > 1 {
					whole++
				}
				break
			}
		}
	}
	// Typos, the closest pair first.
	for {
		bi, bj, bd := -1, -1, 0
		for i, w := range g {
			if !freeG[i] {
				continue
			}
			for j, v := range a {
				if !freeA[j] {
					continue
				}
				lv, lw := utf8.RuneCountInString(v), utf8.RuneCountInString(w)
				allowed := wordBudget(min(lv, lw))
				if allowed == 0 || max(lv, lw) > maxCompared || max(lv, lw)-min(lv, lw) > allowed {
					continue
				}
				if d := distance(v, w); d <= allowed && (bi < 0 || d < bd) {
					bi, bj, bd = i, j, d
				}
			}
		}
		if bi < 0 {
			break
		}
		freeA[bj], freeG[bi] = false, false
		whole++
		edits += bd
	}
	if edits > budget(total) {
		return false
	}
	// Initials, for an individual's given names: "A." for Arben (or an account kept with an initial).
	if !business {
		for i, w := range g {
			for j, v := range a {
				if freeG[i] && freeA[j] && initialOf(w, v) {
					freeA[j], freeG[i] = false, false
				}
			}
		}
	}
	leftA, leftG := countTrue(freeA), countTrue(freeG)
	switch {
	case whole == 0:
		return false
	case leftA > 0 && leftG > 0, leftA > 1, leftG > 1:
		return false
	case leftA == 1:
		return len(g) >= 2
	case leftG == 1:
		return len(g) >= 3
	}
	return true
}

// maxWords bounds the words paired one by one; a name of more words is only matched word for word.
const maxWords = 12

// initialOf reports whether one of w and v is a single letter and the other a longer word that begins with it.
func initialOf(w, v string) bool {
	lw, lv := utf8.RuneCountInString(w), utf8.RuneCountInString(v)
	switch {
	case lw == 1 && lv > 1:
		return strings.HasPrefix(v, w)
	case lv == 1 && lw > 1:
		return strings.HasPrefix(w, v)
	}
	return false
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// distance is the Damerau-Levenshtein distance of a and b in its optimal-string-alignment form: insertions,
// deletions, substitutions and swaps of two neighbouring letters, each one edit, by rune.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 {
		return max(len(ra), len(rb))
	}
	// Three rows of the table: two back for a swap, one back, and the one being filled.
	prev2, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
