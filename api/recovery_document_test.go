package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/i18n"
	"github.com/kumbara/kumbara/iddoc"
	"github.com/kumbara/kumbara/iddoc/iddoctest"
)

// documentBody is a recovery request with the chip as the app sends it: base64 in JSON, data groups keyed by number.
func documentBody(username string, chip iddoc.Chip, previous string) map[string]any {
	groups := map[string][]byte{}
	for n, dg := range chip.DataGroups {
		groups[string(rune('0'+n))] = dg // 1 and 2 only in these tests
	}
	return map[string]any{"username": username, "method": "id_document", "previous_password": previous,
		"id_document": map[string]any{"sod": chip.SOD, "data_groups": groups}}
}

func TestPasswordRecoveryWithTheIDDocumentAndAPreviousPassword(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		country := iddoctest.NewIssuer(t)
		b.server.Recovery.IDDocs = country.Verifier(b.clock)
		chip := country.Chip(iddoctest.MRZFor(b.customer(t, elira)))

		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", documentBody(elira, chip, "Nuk-Ishte9"),
			http.StatusUnauthorized, "recovery_failed")
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", documentBody(dritan, chip, demo.Password),
			http.StatusUnauthorized, "recovery_failed")
		r := b.do(t, "POST", "/api/v1/password-recovery", "", documentBody(elira, chip, demo.Password))
		wantStatus(t, r, http.StatusCreated)
		r = b.do(t, "POST", "/api/v1/password-recovery/"+r.str("recovery_id")+"/complete", "",
			map[string]string{"code": b.otp(t, elira), "new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.loginWith(t, elira, "Deti.Jon48")
	})
}

func TestPasswordRecoveryRefusesDocumentsItCannotTrust(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		country := iddoctest.NewIssuer(t)
		chip := country.Chip(iddoctest.MRZFor(b.customer(t, elira)))
		// No country signing certificates configured: the method is unavailable (a 503 the app can explain).
		r, err := b.send("POST", "/api/v1/password-recovery", "", documentBody(elira, chip, demo.Password))
		if err != nil {
			t.Fatal(err)
		}
		b.checkProblem(t, r, http.StatusServiceUnavailable, iddoc.CodeUnavailable, i18n.SQ)
		b.server.Recovery.IDDocs = country.Verifier(b.clock)
		forged := iddoc.Chip{SOD: chip.SOD, DataGroups: map[int][]byte{1: slices.Clone(chip.DataGroups[1])}}
		forged.DataGroups[1][len(forged.DataGroups[1])-1] ^= 1
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", documentBody(elira, forged, demo.Password),
			http.StatusUnprocessableEntity, iddoc.CodeInvalid)
		bad := documentBody(elira, chip, demo.Password)
		bad["id_document"] = map[string]any{"sod": chip.SOD, "data_groups": map[string][]byte{"01": chip.DataGroups[1]}}
		r = b.expectProblem(t, "POST", "/api/v1/password-recovery", "", bad, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "data group 01")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"id_document.data_groups:invalid"}) {
			t.Errorf("field errors %v", got)
		}
		r = b.expectProblem(t, "POST", "/api/v1/password-recovery", "", map[string]any{"username": elira,
			"method": "id_document"}, http.StatusBadRequest, "validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"id_document.sod:field_required",
			"id_document.data_groups:field_required", "previous_password:field_required"}) {
			t.Errorf("field errors %v", got)
		}
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", `{"username":"100000002","method":"id_document",`+
			`"previous_password":"x","id_document":{"sod":"not base64!","data_groups":{}}}`, http.StatusBadRequest, "malformed_json")
	})
}
