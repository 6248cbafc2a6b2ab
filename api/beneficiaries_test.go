package api_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/kumbara/kumbara/audit"
	"github.com/kumbara/kumbara/beneficiary"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
)

// beneficiaryBody is a beneficiary by IBAN as the contract shapes it: the IBAN registry's Albanian example.
func beneficiaryBody() map[string]any {
	return map[string]any{"name": "Dritan Çela", "nickname": "Vëllai", "iban": "AL47 2121 1009 0000 0002 3569 8741",
		"address": map[string]any{"street": "Rruga Kavajës 8", "city": "Durrës", "postal_code": "2001", "country": "AL"},
		"phone":   "069 123 4567"}
}

// beneficiaryIDs lists the ids a GET of the address book answers, with the query q.
func (b *bank) beneficiaryIDs(t *testing.T, token, q string) []string {
	t.Helper()
	r := b.do(t, "GET", "/api/v1/beneficiaries?q="+url.QueryEscape(q), token, nil)
	wantStatus(t, r, http.StatusOK)
	var ids []string
	list, _ := r.json["beneficiaries"].([]any)
	for _, x := range list {
		ids = append(ids, x.(map[string]any)["id"].(string))
	}
	return ids
}

func TestBeneficiariesAddListSearchEditDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		r := b.do(t, "POST", "/api/v1/beneficiaries", tok, beneficiaryBody())
		wantStatus(t, r, http.StatusCreated)
		id := r.str("id")
		if r.str("iban") != "AL47212110090000000235698741" || r.str("phone") != "+355691234567" ||
			r.str("bank_country") != "AL" || r.json["account_number"] != nil {
			t.Errorf("created %s", r.body)
		}
		abroad := map[string]any{"name": "John Smith", "account_number": "1234-5678", "bic": "CHASUS33",
			"bank_name": "JPMorgan Chase", "bank_address": "383 Madison Avenue, New York",
			"address": map[string]any{"city": "New York", "country": "us"}}
		r = b.do(t, "POST", "/api/v1/beneficiaries", tok, abroad)
		wantStatus(t, r, http.StatusCreated)
		smith := r.str("id")
		if got := b.beneficiaryIDs(t, tok, ""); !slices.Equal(got, []string{id, smith}) {
			t.Errorf("list %v", got)
		}
		if got := b.beneficiaryIDs(t, tok, "CELA"); !slices.Equal(got, []string{id}) {
			t.Errorf("search without accents %v", got)
		}
		if got := b.beneficiaryIDs(t, tok, "al47 2121"); !slices.Equal(got, []string{id}) {
			t.Errorf("search by IBAN %v", got)
		}

		r = b.do(t, "PATCH", "/api/v1/beneficiaries/"+id, tok, map[string]any{"nickname": "",
			"address": map[string]any{"city": "Tiranë"}})
		wantStatus(t, r, http.StatusOK)
		addr, _ := r.json["address"].(map[string]any)
		if r.str("nickname") != "" || addr["city"] != "Tiranë" || addr["street"] != "Rruga Kavajës 8" || r.str("name") != "Dritan Çela" {
			t.Errorf("patched %s", r.body)
		}
		// Switching the account: the IBAN cleared, an account number with its bank.
		r = b.do(t, "PATCH", "/api/v1/beneficiaries/"+id, tok, map[string]any{"iban": "", "account_number": "998877",
			"bic": "DEUTDEFF", "bank_name": "Deutsche Bank", "bank_address": "Taunusanlage 12, Frankfurt"})
		wantStatus(t, r, http.StatusOK)
		if r.str("account_number") != "998877" || r.str("bank_country") != "DE" {
			t.Errorf("switched %s", r.body)
		}
		r = b.do(t, "GET", "/api/v1/beneficiaries/"+id, tok, nil)
		wantStatus(t, r, http.StatusOK)

		wantStatus(t, b.do(t, "DELETE", "/api/v1/beneficiaries/"+id, tok, nil), http.StatusNoContent)
		b.expectProblem(t, "GET", "/api/v1/beneficiaries/"+id, tok, nil, http.StatusNotFound, "saved_beneficiary_not_found")
		if got := b.beneficiaryIDs(t, tok, ""); !slices.Equal(got, []string{smith}) {
			t.Errorf("after delete %v", got)
		}
	})
}

func TestAnotherCustomersBeneficiaryIs404(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		owner, other := b.login(t, arben), b.login(t, elira)
		r := b.do(t, "POST", "/api/v1/beneficiaries", owner, beneficiaryBody())
		wantStatus(t, r, http.StatusCreated)
		path := "/api/v1/beneficiaries/" + r.str("id")
		b.expectProblem(t, "GET", path, other, nil, http.StatusNotFound, "saved_beneficiary_not_found")
		b.expectProblem(t, "PATCH", path, other, map[string]any{"name": "Mine"}, http.StatusNotFound, "saved_beneficiary_not_found")
		b.expectProblem(t, "DELETE", path, other, nil, http.StatusNotFound, "saved_beneficiary_not_found")
		if got := b.beneficiaryIDs(t, other, ""); len(got) != 0 {
			t.Errorf("other's list %v", got)
		}
		r = b.do(t, "GET", path, owner, nil)
		if r.str("name") != "Dritan Çela" {
			t.Errorf("owner's beneficiary changed: %s", r.body)
		}
		b.expectProblem(t, "GET", "/api/v1/beneficiaries", "", nil, http.StatusUnauthorized, "unauthenticated")
	})
}

func TestBeneficiaryBadInputIsRefusedAndNothingIsStored(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		with := func(change func(map[string]any)) map[string]any {
			body := beneficiaryBody()
			change(body)
			return body
		}
		addr := func(k, v string) func(map[string]any) {
			return func(m map[string]any) { m["address"].(map[string]any)[k] = v }
		}
		set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
		for _, tt := range []struct {
			name   string
			change func(map[string]any)
			field  string
		}{
			{"bad mod-97", set("iban", "AL48 2121 1009 0000 0002 3569 8741"), "iban:iban_invalid"},
			{"wrong length", set("iban", "DE8937040044053201300"), "iban:iban_invalid"},
			{"a country without IBANs and no bank", set("iban", "US1234567890"), "iban:iban_invalid"},
			{"no account", set("iban", ""), "iban:beneficiary_account_missing"},
			{"both accounts", set("account_number", "12345"), "account_number:beneficiary_account_both"},
			{"bad BIC", set("bic", "KUMB"), "bic:bic_invalid"},
			{"blank name", set("name", " "), "name:field_required"},
			{"forbidden characters", set("name", "Dritan\u202eÇela"), "name:description_invalid_characters"},
			{"name too long", set("name", strings.Repeat("a", 71)), "name:description_too_long"},
			{"no city", addr("city", ""), "address.city:field_required"},
			{"not a country", addr("country", "XX"), "address.country:beneficiary_country_invalid"},
			{"bad phone", set("phone", "12"), "phone:beneficiary_phone_invalid"},
		} {
			r := b.expectProblem(t, "POST", "/api/v1/beneficiaries", tok, with(tt.change), http.StatusBadRequest,
				"validation_failed", invalidOnPurpose, tt.name)
			if got := r.fieldCodes(); !slices.Contains(got, tt.field) {
				t.Errorf("%s: fields %v, want %s", tt.name, got, tt.field)
			}
		}
		abroad := map[string]any{"name": "John Smith", "account_number": "1234", "address": map[string]any{
			"city": "New York", "country": "US"}}
		r := b.expectProblem(t, "POST", "/api/v1/beneficiaries", tok, abroad, http.StatusBadRequest, "validation_failed",
			invalidOnPurpose, "an account number without its bank")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"bic:field_required", "bank_name:field_required",
			"bank_address:field_required"}) {
			t.Errorf("fields %v", got)
		}
		b.expectProblem(t, "POST", "/api/v1/beneficiaries", tok, with(set("colour", "red")), http.StatusBadRequest,
			"unknown_field", invalidOnPurpose, "an unknown field")
		b.expectProblem(t, "POST", "/api/v1/beneficiaries", tok, "{", http.StatusBadRequest, "malformed_json",
			invalidOnPurpose, "malformed JSON")
		b.expectProblem(t, "GET", "/api/v1/beneficiaries?q="+strings.Repeat("a", 101), tok, nil, http.StatusBadRequest,
			"invalid_query")
		if got := b.beneficiaryIDs(t, tok, ""); len(got) != 0 {
			t.Fatalf("refused input stored: %v", got)
		}

		r = b.do(t, "POST", "/api/v1/beneficiaries", tok, beneficiaryBody())
		wantStatus(t, r, http.StatusCreated)
		id := r.str("id")
		b.expectProblem(t, "POST", "/api/v1/beneficiaries", tok, with(set("name", "Someone")), http.StatusConflict,
			"beneficiary_duplicate")
		b.expectProblem(t, "PATCH", "/api/v1/beneficiaries/"+id, tok, map[string]any{"iban": "XX00"},
			http.StatusBadRequest, "validation_failed", invalidOnPurpose, "a bad IBAN")
		if r := b.do(t, "GET", "/api/v1/beneficiaries/"+id, tok, nil); r.str("iban") != "AL47212110090000000235698741" {
			t.Errorf("refused patch changed %s", r.body)
		}
		if got := b.beneficiaryIDs(t, tok, ""); len(got) != 1 {
			t.Errorf("after a duplicate: %v", got)
		}
	})
}

func TestTheAddressBookHasALimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.login(t, arben)
		c := b.customer(t, arben)
		in := beneficiary.Input{Name: "N", BIC: "DEUTDEFF", BankName: "B", BankAddress: "A",
			Address: beneficiary.Address{City: "Berlin", Country: "DE"}}
		for i := range beneficiary.MaxPerCustomer {
			in.AccountNumber = "A" + strings.Repeat("1", i%30+1) + string(rune('A'+i/30))
			if _, err := b.services.Beneficiaries.Add(t.Context(), c.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		r := b.do(t, "POST", "/api/v1/beneficiaries", tok, beneficiaryBody(), "Accept-Language", "en")
		if r.status != http.StatusUnprocessableEntity || r.str("code") != "beneficiary_limit" ||
			!strings.Contains(r.str("detail"), "(200)") {
			t.Errorf("detail %q does not say the limit", r.str("detail"))
		}
	})
}

func TestABusinessUserKeepsTheBusinesssBook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		tok := b.representativeLogin(t, demo.Password)
		r := b.do(t, "POST", "/api/v1/beneficiaries", tok, beneficiaryBody())
		wantStatus(t, r, http.StatusCreated)
		biz, person := b.customer(t, business), b.customer(t, arben)
		if got, _ := b.services.Beneficiaries.List(t.Context(), biz.ID, ""); len(got) != 1 {
			t.Errorf("business's book %v", got)
		}
		if got := b.beneficiaryIDs(t, b.login(t, arben), ""); len(got) != 0 {
			t.Errorf("the representative's own book got it: %v", got)
		}
		page, err := b.services.Audit.Activity(t.Context(), biz.ID, audit.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if e := page.Entries[0]; e.Action != beneficiary.ActionAdded || e.Actor != audit.Customer(person.ID) {
			t.Errorf("audit %+v", e)
		}
	})
}
