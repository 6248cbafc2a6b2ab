package api

import (
	"encoding/json"
	"testing"

	"github.com/kumbara/kumbara"
	"github.com/kumbara/kumbara/iddoc"
)

// FuzzIDDocumentJSON feeds the id_document of a trust request: whatever the app sends is read into a chip or
// refused as id_document_invalid, never anything else.
func FuzzIDDocumentJSON(f *testing.F) {
	f.Add(`{"sod":"MIIB","data_groups":{"1":"YQ==","2":"dQ=="}}`)
	f.Add(`{"sod":"%%%","data_groups":{"1":"YQ=="}}`)
	f.Add(`{"sod":"AA==","data_groups":{"01":"AA==","17":"AA==","-1":"AA=="}}`)
	f.Add(`{"sod":"","data_groups":null}`)
	f.Fuzz(func(t *testing.T, raw string) {
		var d idDocumentJSON
		if json.Unmarshal([]byte(raw), &d) != nil {
			return
		}
		chip, err := d.chip()
		if err != nil {
			if kumbara.CodeOf(err) != iddoc.CodeInvalid {
				t.Fatalf("chip(%q): %v", raw, err)
			}
			return
		}
		if len(chip.SOD) == 0 || len(chip.DataGroups) > iddoc.MaxDataGroups {
			t.Fatalf("chip(%q) = %d bytes of SOD, %d groups", raw, len(chip.SOD), len(chip.DataGroups))
		}
		for n := range chip.DataGroups {
			if n < 1 || n > 16 {
				t.Fatalf("chip(%q): data group %d", raw, n)
			}
		}
	})
}
