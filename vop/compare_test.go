package vop_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kumbara/kumbara/vop"
)

// Compare's answers for the names payers type, Albanian and European, individuals and businesses. A close match
// names the account as the bank keeps it; no other answer names anyone.
func TestCompareAnswersAsThePayeeSeesTheName(t *testing.T) {
	const person, company = false, true
	for _, tc := range []struct {
		why      string
		account  string
		given    string
		business bool
		want     vop.Result
	}{
		// The same name, however it is written.
		{"identical", "Arben Hoxha", "Arben Hoxha", person, vop.Match},
		{"case", "Arben Hoxha", "ARBEN hoxha", person, vop.Match},
		{"ç typed as c", "Dritan Çela", "Dritan Cela", person, vop.Match},
		{"ë typed as e", "Ëndri Gjinë", "Endri Gjine", person, vop.Match},
		{"diacritics both ways", "Mirela Kuçi", "MIRËLA KUCI", person, vop.Match},
		{"word order", "Arben Hoxha", "Hoxha Arben", person, vop.Match},
		{"punctuation and spaces", "Elira Shehu", "  Elira,   Shehu. ", person, vop.Match},
		{"hyphenated double surname", "Jonida Hoxha-Berisha", "Jonida Hoxha Berisha", person, vop.Match},
		{"double given name", "Ana Maria Koci", "Koci Ana-Maria", person, vop.Match},
		{"apostrophe", "Seán O'Brien", "Sean OBrien", person, vop.Match},
		{"title", "Arta Dervishi", "Dr. Arta Dervishi", person, vop.Match},
		{"German umlaut", "Jürgen Müller", "Jurgen Muller", person, vop.Match},
		{"Polish letters", "Łukasz Wałęsa", "Lukasz Walesa", person, vop.Match},
		{"ë and ç in one name", "Gëzim Çollaku", "Gezim Collaku", person, vop.Match},
		{"Italian", "Giuseppe D'Amico", "giuseppe damico", person, vop.Match},
		{"French", "François Lefèvre", "Francois Lefevre", person, vop.Match},
		{"Spanish double surname", "José García Márquez", "Jose Garcia Marquez", person, vop.Match},

		// Businesses: the legal form is no part of the name.
		{"SHPK dotted", "Alfa Ndërtim SHPK", "Alfa Ndertim sh.p.k.", company, vop.Match},
		{"SHPK left out", "Alfa Ndërtim SHPK", "Alfa Ndërtim", company, vop.Match},
		{"SH.A. for SHA", "Banka Kombëtare Tregtare SHA", "Banka Kombetare Tregtare Sh.a.", company, vop.Match},
		{"legal form in words", "Agro Çaushi SHPK", "Agro Caushi shoqëri me përgjegjësi të kufizuar", company, vop.Match},
		{"legal form first", "Dajti Park SHPK", "SHPK Dajti Park", company, vop.Match},
		{"PF", "Kafe Flora PF", "Kafe Flora", company, vop.Match},
		{"another legal form", "Alba Trade SHPK", "Alba Trade LLC", company, vop.Match},
		{"GmbH left out, ü typed as ue", "Müller Logistik GmbH", "Mueller Logistik", company, vop.CloseMatch},
		{"S.R.L.", "Rossi Costruzioni S.R.L.", "Rossi Costruzioni srl", company, vop.Match},
		{"Ltd", "Thames Imports Ltd.", "Thames Imports Limited", company, vop.Match},
		{"sp. z o.o.", "Kowalski Transport Sp. z o.o.", "Kowalski Transport", company, vop.Match},
		{"& for dhe", "Hoxha & Bregu SHPK", "Hoxha dhe Bregu", company, vop.Match},
		{"a name that is all legal form keeps it", "SHA", "sha", company, vop.Match},

		// Close: initials, a middle name, a typo, words run together.
		{"initial of the given name", "Arben Hoxha", "A. Hoxha", person, vop.CloseMatch},
		{"initial without the dot", "Arben Hoxha", "A Hoxha", person, vop.CloseMatch},
		{"initial and a missing middle name", "Arben Ilir Hoxha", "A. Hoxha", person, vop.CloseMatch},
		{"missing middle name", "Arben Ilir Hoxha", "Arben Hoxha", person, vop.CloseMatch},
		{"father's name not on the account", "Arben Hoxha", "Arben Ilir Hoxha", person, vop.CloseMatch},
		{"second surname not typed", "Jonida Hoxha-Berisha", "Jonida Berisha", person, vop.CloseMatch},
		{"letter left out", "Arben Hoxha", "Arben Hoxa", person, vop.CloseMatch},
		{"letters swapped", "Elira Shehu", "Elria Shehu", person, vop.CloseMatch},
		{"letter added", "Besnik Gjokaj", "Besnik Gjoka", person, vop.CloseMatch},
		{"double letter typed once", "Fatmira Lleshi", "Fatmira Leshi", person, vop.CloseMatch},
		{"double consonant typed once", "Xhensila Rrapaj", "Xhensila Rapaj", person, vop.CloseMatch},
		{"letter changed", "Mimoza Gashi", "Mimoza Gasha", person, vop.CloseMatch},
		{"one letter wrong in a long name", "Anastasia Papadopoulou", "Anastasia Papadopulou", person, vop.CloseMatch},
		{"two typos in a long name", "Konstantinos Papadopoulos", "Konstandinos Papadopulos", person, vop.CloseMatch},
		{"words run together", "Anna Maria Rossi", "Annamaria Rossi", person, vop.CloseMatch},
		{"double surname run together", "Jonida Hoxha-Berisha", "Jonida Hoxhaberisha", person, vop.CloseMatch},
		{"business typo", "Alfa Ndërtim SHPK", "Alfa Ndertin", company, vop.CloseMatch},
		{"business word not typed", "Alfa Ndërtim Group SHPK", "Alfa Ndertim", company, vop.CloseMatch},
		{"initial is not for businesses", "Alfa Ndërtim SHPK", "A. Ndertim", company, vop.NoMatch},

		// No match: another person, or too little to tell.
		{"another person", "Arben Hoxha", "Elira Shehu", person, vop.NoMatch},
		{"surname alone", "Arben Hoxha", "Hoxha", person, vop.NoMatch},
		{"given name alone", "Arben Hoxha", "Arben", person, vop.NoMatch},
		{"initials alone", "Arben Hoxha", "A. H.", person, vop.NoMatch},
		{"another family of the same given name", "Arben Hoxha", "Arben Hoti", person, vop.NoMatch},
		{"a prefix is not a typo", "Besnik Gjoka", "Besnik Gjoni", person, vop.NoMatch},
		{"Rossi is not Russo", "Mario Rossi", "Mario Russo", person, vop.NoMatch},
		{"short names must be exact", "Ana Kola", "Ama Kola", person, vop.NoMatch},
		{"wrong initial", "Arben Hoxha", "B. Hoxha", person, vop.NoMatch},
		{"a word missing and another added", "Arben Ilir Hoxha", "Arben Hoxha Berisha", person, vop.NoMatch},
		{"two typos in a short name", "Elira Shehu", "Elria Shehi", person, vop.NoMatch},
		{"another business", "Alfa Ndërtim SHPK", "Beta Ndertim SHPK", company, vop.NoMatch},
		{"legal form alone", "Alfa Ndërtim SHPK", "SHPK", company, vop.NoMatch},
		{"nothing typed but marks", "Arben Hoxha", " .,- ", person, vop.NoMatch},

		// No name on the account: nothing to compare with.
		{"account without a name", "", "Arben Hoxha", person, vop.NotPossible},
		{"account name of marks only", "--", "Arben Hoxha", person, vop.NotPossible},
	} {
		t.Run(tc.why, func(t *testing.T) {
			got, name := vop.Compare(tc.account, tc.given, tc.business)
			if got != tc.want {
				t.Fatalf("Compare(%q, %q, %v) = %s, want %s", tc.account, tc.given, tc.business, got, tc.want)
			}
			wantName := ""
			if got == vop.CloseMatch {
				wantName = tc.account
			}
			if name != wantName {
				t.Errorf("Compare(%q, %q) names %q, want %q", tc.account, tc.given, name, wantName)
			}
		})
	}
}

// A business's legal form is left out only for businesses: an individual's words are all name.
func TestLegalFormsAreLeftOutOnlyForBusinesses(t *testing.T) {
	if got, _ := vop.Compare("Alfa Ndërtim SHPK", "Alfa Ndertim", false); got == vop.Match {
		t.Errorf("an individual's account %q matched without its last word", "Alfa Ndërtim SHPK")
	}
	if got, _ := vop.Compare("Dr Arben Hoxha", "Arben Hoxha", true); got == vop.Match {
		t.Errorf("a business's %q matched without its first word", "Dr Arben Hoxha")
	}
}

// A name far longer than any the scheme carries is still compared, with bounded work: word for word only.
func TestCompareOfLongNamesIsBounded(t *testing.T) {
	long := ""
	for range 400 {
		long += "Arben "
	}
	if got, _ := vop.Compare(long, long, false); got != vop.Match {
		t.Errorf("a long name against itself: %s", got)
	}
	if got, _ := vop.Compare(long, long+"Hoxha", false); got != vop.NoMatch {
		t.Errorf("a long name against another: %s", got)
	}
}

// A word far longer than any name is not compared letter by letter with another: a few long words would
// otherwise cost a quadratic amount of work each.
func TestCompareOfLongWordsIsBounded(t *testing.T) {
	word := strings.Repeat("a", 100_000)
	account := word + " " + word + "b " + word + "c"
	given := word + "d " + word + "e " + word + "f"
	start := time.Now()
	if got, _ := vop.Compare(account, given, false); got != vop.NoMatch {
		t.Errorf("long words: %s", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("comparing long words took %v", d)
	}
}
