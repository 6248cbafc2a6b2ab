package api_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"testing"

	"github.com/kumbara/kumbara/card"
	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/ledger"
	"github.com/kumbara/kumbara/money"
	"github.com/kumbara/kumbara/uniquecode"
)

// issueCard gives a demo customer a Visa card with PIN 4739 on their ALL current account.
func (b *bank) issueCard(t *testing.T, clientNumber string) card.Card {
	t.Helper()
	acc := b.account(t, clientNumber, money.ALL, ledger.TypeCurrent)
	c, err := b.cards.Issue(context.Background(), card.IssueRequest{CustomerID: b.customer(t, clientNumber).ID,
		AccountID: acc.ID, Type: card.Visa, PIN: "4739"})
	if err != nil {
		t.Fatalf("issue card: %v", err)
	}
	return c
}

func TestRegistrationWithACardSetsThePasswordTheCustomerLogsInWith(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		r := b.do(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"})
		wantStatus(t, r, http.StatusCreated)
		id := r.str("registration_id")
		if id == "" || r.str("otp_channel") != "sms" || r.str("masked_phone") == "" || r.json["expires_in"] != 120.0 {
			t.Fatalf("registration answer %s", r.body)
		}
		code := b.otp(t, elira)
		weak := b.expectProblem(t, "POST", "/api/v1/registrations/"+id+"/complete", "",
			map[string]string{"code": code, "new_password": "abc"}, http.StatusBadRequest, "password_policy")
		if len(weak.fieldCodes()) == 0 {
			t.Errorf("password_policy without field errors: %s", weak.body)
		}
		r = b.do(t, "POST", "/api/v1/registrations/"+id+"/complete", "", map[string]string{"code": code,
			"new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.loginWith(t, elira, "Deti.Jon48")
		b.expectProblem(t, "POST", "/api/v1/registrations/"+id+"/complete", "",
			map[string]string{"code": code, "new_password": "Lule-Shqipe7"}, http.StatusUnauthorized, "otp_used")
	})
}

func TestRegistrationWithAUniqueCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		uc, _, err := b.codes.Issue(context.Background(), b.customer(t, dritan).ID, uniquecode.Registration, "staff-1")
		if err != nil {
			t.Fatalf("issue code: %v", err)
		}
		r := b.do(t, "POST", "/api/v1/registrations", "", map[string]string{"username": dritan, "method": "unique_code",
			"unique_code": uc})
		wantStatus(t, r, http.StatusCreated)
		r = b.do(t, "POST", "/api/v1/registrations/"+r.str("registration_id")+"/complete", "",
			map[string]string{"code": b.otp(t, dritan), "new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.loginWith(t, dritan, "Deti.Jon48")
	})
}

func TestRegistrationAnswersUnknownCustomersAndWrongProofsAlike(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		other := "000000"
		if c.Last6 == other {
			other = "000001"
		}
		bodies := map[string]map[string]string{
			"unknown client number": {"username": "199999999", "method": "card", "card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"},
			"wrong last6":           {"username": elira, "method": "card", "card_type": "visa", "card_last6": other, "card_pin": "4739"},
			"wrong PIN":             {"username": elira, "method": "card", "card_type": "visa", "card_last6": c.Last6, "card_pin": "1111"},
			"wrong PIN, old names":  {"username": elira, "method": "card", "card_type": "visa", "last6": c.Last6, "pin": "1111"},
		}
		var keys []string
		for name, body := range bodies {
			r := b.expectProblem(t, "POST", "/api/v1/registrations", "", body, http.StatusUnauthorized, "registration_failed")
			got := slices.Sorted(maps.Keys(r.json))
			if keys == nil {
				keys = got
			} else if !slices.Equal(got, keys) {
				t.Errorf("%s: problem keys %v, want %v", name, got, keys)
			}
		}
	})
}

func TestRegistrationRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		proof := map[string]string{"username": elira, "method": "card", "card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"}
		r := b.expectProblem(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card"},
			http.StatusBadRequest, "validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"card_type:field_required", "card_last6:field_required", "card_pin:field_required"}) {
			t.Errorf("field errors %v", got)
		}
		if _, err := d.Exec(context.Background(), "UPDATE customers SET contract_version = '001' WHERE id = ?", c.CustomerID); err != nil {
			t.Fatal(err)
		}
		b.expectProblem(t, "POST", "/api/v1/registrations", "", proof, http.StatusUnprocessableEntity, "registration_contract_missing")
		if _, err := d.Exec(context.Background(), "UPDATE customers SET contract_version = '002', mobile = '' WHERE id = ?", c.CustomerID); err != nil {
			t.Fatal(err)
		}
		b.expectProblem(t, "POST", "/api/v1/registrations", "", proof, http.StatusUnprocessableEntity, "registration_phone_missing")
		b.expectProblem(t, "POST", "/api/v1/registrations/nope/complete", "", map[string]string{"code": "123456",
			"new_password": "Deti.Jon48"}, http.StatusUnauthorized, "otp_invalid")
	})
}

// Registration took other names for three of the proof's fields, and for the completion's two, before it took
// recovery's; apps in the field still send them. They keep working, and an answer's field errors name the fields
// as such an app knows them.
func TestRegistrationTakesTheDeprecatedFieldNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		r := b.expectProblem(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "last6": "12345", "pin": ""}, http.StatusBadRequest, "validation_failed", invalidOnPurpose,
			"five digits")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"pin:field_required", "last6:invalid"}) {
			t.Errorf("field errors %v, want them under the names sent", got)
		}
		r = b.do(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "last6": c.Last6, "pin": "4739"})
		wantStatus(t, r, http.StatusCreated)
		id := r.str("registration_id")
		code := b.otp(t, elira)
		r = b.expectProblem(t, "POST", "/api/v1/registrations/"+id+"/complete", "", map[string]string{"otp": code},
			http.StatusBadRequest, "validation_failed", invalidOnPurpose, "no password")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"password:field_required"}) {
			t.Errorf("field errors %v, want password:field_required", got)
		}
		wantStatus(t, b.do(t, "POST", "/api/v1/registrations/"+id+"/complete", "",
			map[string]string{"otp": code, "password": "Deti.Jon48"}), http.StatusNoContent)
		b.loginWith(t, elira, "Deti.Jon48")

		uc, _, err := b.codes.Issue(context.Background(), b.customer(t, dritan).ID, uniquecode.Registration, "staff-1")
		if err != nil {
			t.Fatalf("issue code: %v", err)
		}
		r = b.do(t, "POST", "/api/v1/registrations", "", map[string]string{"username": dritan, "method": "unique_code",
			"code": uc})
		wantStatus(t, r, http.StatusCreated)
	})
}

func TestRegistrationRefusesAFieldGivenUnderBothNamesWithDifferentValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		other := "000000"
		if c.Last6 == other {
			other = "000001"
		}
		r := b.expectProblem(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "last6": other, "card_pin": "4739", "pin": "4739"},
			http.StatusBadRequest, "validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"card_last6:invalid"}) {
			t.Errorf("field errors %v, want card_last6:invalid", got)
		}
		// The same value under both names is one field.
		r = b.do(t, "POST", "/api/v1/registrations", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "last6": c.Last6, "card_pin": "4739", "pin": "4739"})
		wantStatus(t, r, http.StatusCreated)
		r = b.expectProblem(t, "POST", "/api/v1/registrations/"+r.str("registration_id")+"/complete", "",
			map[string]string{"code": "123456", "otp": "654321", "new_password": "Deti.Jon48"}, http.StatusBadRequest,
			"validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"code:invalid"}) {
			t.Errorf("field errors %v, want code:invalid", got)
		}
	})
}
