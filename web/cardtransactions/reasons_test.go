package cardtransactions_test

import (
	"testing"

	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/issuing"
)

// Every reason an authorisation is declined for has its words in Albanian and English wherever a decline is shown:
// the holder's list, the demo terminal and the back office.
func TestEveryDeclineReasonIsWordedWhereDeclinesShow(t *testing.T) {
	c := i18n.MustNew()
	for _, r := range issuing.Reasons() {
		for _, prefix := range []string{"web_ct_reason_", "web_devcards_reason_", "web_bo_cd_reason_"} {
			if !c.Has(prefix + string(r)) {
				t.Errorf("%s%s has no words", prefix, r)
			}
		}
	}
}
