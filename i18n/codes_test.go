package i18n_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/calendar"
	"github.com/kumbara/kumbara/errcodes"
	"github.com/kumbara/kumbara/i18n"
)

// The registry (package errcodes) lists every code the bank answers with; the catalogue must say each in both
// languages, and say nothing else but page labels.

func TestEveryErrorCodeHasAMessageInBothLanguages(t *testing.T) {
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	internal := map[i18n.Lang]string{i18n.SQ: c.Message(i18n.SQ, "internal", nil), i18n.EN: c.Message(i18n.EN, "internal", nil)}
	codes := errcodes.Codes()
	if len(codes) < 141 { // the codes of the hand-kept list the registry replaced, and those it found besides
		t.Fatalf("the registry lists %d codes; it lost some", len(codes))
	}
	for _, code := range codes {
		if !c.Has(code) {
			t.Errorf("Has(%q) = false", code)
		}
		for _, lang := range []i18n.Lang{i18n.SQ, i18n.EN} {
			msg := c.Message(lang, code, nil)
			switch {
			case strings.TrimSpace(msg) == "":
				t.Errorf("%s/%s: empty message", lang, code)
			case msg == code:
				t.Errorf("%s/%s: message is the raw code", lang, code)
			case code != "internal" && msg == internal[lang]:
				t.Errorf("%s/%s: falls back to the internal message", lang, code)
			}
		}
	}
}

func TestEveryMessageIsAnErrorCodeOrAPageLabel(t *testing.T) {
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	// The holidays' names are shown in the reader's language too.
	codes, texts := append(errcodes.Codes(), calendar.Names()...), errcodes.Texts()
	for _, key := range c.Codes() {
		if !strings.HasPrefix(key, "web_") && !slices.Contains(codes, key) && !slices.Contains(texts, key) {
			t.Errorf("%q has a message but no package declares it as an error code (errcodes.Owners) or a text (errcodes.Texts)", key)
		}
	}
}

// The texts the bank writes (descriptions, account types, SMS) are read in either language: each has both.
func TestEveryGeneratedTextHasAMessageInBothLanguages(t *testing.T) {
	c, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	texts := errcodes.Texts()
	if len(texts) == 0 {
		t.Fatal("errcodes.Texts lists nothing")
	}
	for _, key := range texts {
		if !c.Has(key) {
			t.Errorf("Has(%q) = false", key)
			continue
		}
		sq, en := c.Message(i18n.SQ, key, nil), c.Message(i18n.EN, key, nil)
		if sq == en || sq == key || en == key {
			t.Errorf("%s: sq %q, en %q", key, sq, en)
		}
	}
}
