package statement

import (
	"testing"

	"github.com/kumbara/kumbara/i18n"
)

// catalogue is the one catalogue the documents of these tests take their words from, as the bank's services share
// one; it is read-only.
var catalogue = mustCatalogue()

func mustCatalogue() *i18n.Catalogue {
	c, err := i18n.New()
	if err != nil {
		panic(err)
	}
	return c
}

func TestLabelsAreInTheCatalogueInBothLanguages(t *testing.T) {
	for _, key := range labelKeys {
		if !catalogue.Has(key) {
			t.Errorf("label %q has no message", key)
		}
	}
}
