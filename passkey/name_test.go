package passkey_test

import (
	"strings"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/passkey"
)

// A passkey's name follows the bank's one rule for free text, like a device's: kept NFKC-normalised, refused when a
// character would hide or reorder it.
func TestAPasskeysNameFollowsTheRuleForFreeText(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "Passkey",
		"  ":                    "Passkey",
		" Çelësi im ":           "Çelësi im",
		"Ｌａｐｔｏｐ":                "Laptop",
		"Laptop\u00a0i punës":   "Laptop i punës",
		strings.Repeat("ë", 40): strings.Repeat("ë", 40),
	} {
		if got, err := passkey.CleanName(in); err != nil || got != want {
			t.Errorf("CleanName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"Laptop\u202etop", "Lap\u200btop", "Lap\ttop", "Lap\x00top", "Lap\xfftop",
		strings.Repeat("ë", 41)} {
		_, err := passkey.CleanName(in)
		if e, ok := kumbara.As(err); !ok || e.Code != "passkey_name_invalid" {
			t.Errorf("CleanName(%q) = %v, want passkey_name_invalid", in, err)
		}
	}
}
