package vop_test

import (
	"testing"

	"github.com/kumbara/kumbara/vop"
)

// FuzzCompare holds Compare to its promises for any two strings, as names from other banks and payers are: it
// answers one of the four results, names the account on a close match only, and finds every name its own match.
func FuzzCompare(f *testing.F) {
	for _, seed := range [][2]string{
		{"Arben Hoxha", "A. Hoxha"}, {"Dritan Çela", "dritan cela"}, {"Alfa Ndërtim SHPK", "Alfa sh.p.k."},
		{"Jonida Hoxha-Berisha", "Jonida Hoxhaberisha"}, {"Seán O'Brien", "Sean OBrien"}, {"", "x"},
		{"Kowalski Transport Sp. z o.o.", "Kowalski"}, {"\xff\x00", "a\u0301"},
	} {
		f.Add(seed[0], seed[1], false)
		f.Add(seed[0], seed[1], true)
	}
	f.Fuzz(func(t *testing.T, account, given string, business bool) {
		got, name := vop.Compare(account, given, business)
		switch got {
		case vop.Match, vop.NoMatch, vop.NotPossible:
			if name != "" {
				t.Fatalf("Compare(%q, %q) = %s names %q", account, given, got, name)
			}
		case vop.CloseMatch:
			if name == "" {
				t.Fatalf("Compare(%q, %q) is a close match without the account's name", account, given)
			}
		default:
			t.Fatalf("Compare(%q, %q) = %q", account, given, got)
		}
		if self, _ := vop.Compare(account, account, business); self != vop.Match && self != vop.NotPossible {
			t.Fatalf("Compare(%q, itself) = %s", account, self)
		}
	})
}
