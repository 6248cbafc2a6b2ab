package api_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/kumbara/kumbara/db"
	"github.com/kumbara/kumbara/db/dbtest"
	"github.com/kumbara/kumbara/demo"
	"github.com/kumbara/kumbara/uniquecode"
)

func TestPasswordRecoveryWithACardSetsTheNewPasswordAndEndsSessions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		tok := b.login(t, elira)
		r := b.do(t, "POST", "/api/v1/password-recovery", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"})
		wantStatus(t, r, http.StatusCreated)
		id := r.str("recovery_id")
		if id == "" || r.str("otp_channel") != "sms" || r.str("masked_phone") == "" || r.json["expires_in"] != 120.0 {
			t.Fatalf("recovery answer %s", r.body)
		}
		code := b.otp(t, elira)
		weak := b.expectProblem(t, "POST", "/api/v1/password-recovery/"+id+"/complete", "",
			map[string]string{"code": code, "new_password": "abc"}, http.StatusBadRequest, "password_policy")
		if len(weak.fieldCodes()) == 0 {
			t.Errorf("password_policy without field errors: %s", weak.body)
		}
		r = b.do(t, "POST", "/api/v1/password-recovery/"+id+"/complete", "",
			map[string]string{"code": code, "new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.expectProblem(t, "GET", "/api/v1/me", tok, nil, http.StatusUnauthorized, "session_expired")
		b.expectProblem(t, "POST", "/api/v1/auth/login", "", loginBody(elira, demo.Password), http.StatusUnauthorized,
			"login_failed")
		b.loginWith(t, elira, "Deti.Jon48")
		b.expectProblem(t, "POST", "/api/v1/password-recovery/"+id+"/complete", "",
			map[string]string{"code": code, "new_password": "Lule-Shqipe7"}, http.StatusUnauthorized, "otp_used")
	})
}

func TestPasswordRecoveryWithAUniqueCode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		uc, _, err := b.codes.Issue(context.Background(), b.customer(t, dritan).ID, uniquecode.Recovery, "staff-1")
		if err != nil {
			t.Fatalf("issue code: %v", err)
		}
		body := map[string]string{"username": dritan, "method": "unique_code", "unique_code": uc}
		r := b.do(t, "POST", "/api/v1/password-recovery", "", body)
		wantStatus(t, r, http.StatusCreated)
		r = b.do(t, "POST", "/api/v1/password-recovery/"+r.str("recovery_id")+"/complete", "",
			map[string]string{"code": b.otp(t, dritan), "new_password": "Deti.Jon48"})
		wantStatus(t, r, http.StatusNoContent)
		b.loginWith(t, dritan, "Deti.Jon48")
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", body, http.StatusUnauthorized, "recovery_failed")
	})
}

func TestPasswordRecoveryAnswersUnknownCustomersAndWrongProofsAlike(t *testing.T) {
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
			"wrong unique code":     {"username": elira, "method": "unique_code", "unique_code": "ABCDE-FGHJK"},
		}
		var keys []string
		for name, body := range bodies {
			r := b.expectProblem(t, "POST", "/api/v1/password-recovery", "", body, http.StatusUnauthorized, "recovery_failed")
			got := slices.Sorted(maps.Keys(r.json))
			if keys == nil {
				keys = got
			} else if !slices.Equal(got, keys) {
				t.Errorf("%s: problem keys %v, want %v", name, got, keys)
			}
		}
	})
}

func TestPasswordRecoveryRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		r := b.expectProblem(t, "POST", "/api/v1/password-recovery", "", map[string]string{"username": elira, "method": "card"},
			http.StatusBadRequest, "validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"card_type:field_required", "card_last6:field_required",
			"card_pin:field_required"}) {
			t.Errorf("field errors %v", got)
		}
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", map[string]string{"method": "card"},
			http.StatusBadRequest, "validation_failed", invalidOnPurpose, "no username")
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", map[string]string{"username": elira, "method": "card",
			"pin": "4739"}, http.StatusBadRequest, "unknown_field", invalidOnPurpose, "an unknown field")
		b.expectProblem(t, "POST", "/api/v1/password-recovery/nope/complete", "", map[string]string{"code": "123456",
			"new_password": "Deti.Jon48"}, http.StatusUnauthorized, "otp_invalid")
		b.expectProblem(t, "POST", "/api/v1/password-recovery/nope/complete", "", map[string]string{"code": "123456"},
			http.StatusBadRequest, "validation_failed", invalidOnPurpose, "no new password")
		// A channel the bank closed: told only after a right proof, and recovery does not reopen it.
		if err := b.auth.CloseChannel(context.Background(), b.customer(t, elira).ID); err != nil {
			t.Fatal(err)
		}
		b.expectProblem(t, "POST", "/api/v1/password-recovery", "", map[string]string{"username": elira, "method": "card",
			"card_type": "visa", "card_last6": c.Last6, "card_pin": "4739"}, http.StatusForbidden, "channel_closed")
	})
}

func TestPasswordRecoveryStepsShareOneBudgetPerAddress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		limited := 0
		for range 120 {
			r, err := b.send("POST", "/api/v1/password-recovery", "", map[string]string{"username": "199999999"},
				invalidOnPurpose, "no method: only the budget counts")
			if err != nil {
				t.Fatal(err)
			}
			if r.status == http.StatusTooManyRequests {
				limited++
			}
		}
		if limited == 0 {
			t.Fatal("120 recovery requests in a row were never limited")
		}
		r := b.expectProblem(t, "POST", "/api/v1/password-recovery/nope/complete", "", map[string]string{"code": "123456",
			"new_password": "Deti.Jon48"}, http.StatusTooManyRequests, "rate_limited")
		if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 1 {
			t.Errorf("Retry-After %q, want the seconds until the budget has a token", r.header.Get("Retry-After"))
		}
		// Logging in is counted separately.
		b.login(t, arben)
	})
}

func TestChangingThePasswordOverTheAPITakesTheCardAndPIN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		b := newBank(t, d)
		c := b.issueCard(t, elira)
		other := b.login(t, elira)
		tok := b.login(t, elira)
		change := map[string]string{"old_password": demo.Password, "new_password": "Deti.Jon48"}
		r := b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusBadRequest, "validation_failed")
		if got := r.fieldCodes(); !slices.Equal(got, []string{"card_last6:field_required", "card_pin:field_required"}) {
			t.Errorf("field errors %v", got)
		}
		change["card_last6"], change["card_pin"] = c.Last6, "1111"
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusBadRequest, "password_card_wrong")
		change["card_pin"] = "4739"
		wantStatus(t, b.do(t, "POST", "/api/v1/me/password", tok, change), http.StatusNoContent)
		b.expectProblem(t, "GET", "/api/v1/me", other, nil, http.StatusUnauthorized, "session_expired")
		wantStatus(t, b.do(t, "GET", "/api/v1/me", tok, nil), http.StatusOK)
		b.loginWith(t, elira, "Deti.Jon48")

		// Three wrong PINs block the card's PIN (expectProblem asks twice, in each language).
		change = map[string]string{"old_password": "Deti.Jon48", "new_password": "Lule-Shqipe7", "card_last6": c.Last6,
			"card_pin": "1111"}
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusBadRequest, "password_card_wrong")
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusForbidden, "card_pin_blocked")
		// A blocked PIN does not drop the card from the check: the right PIN is refused too, and so is the old
		// password alone, until the branch unblocks the PIN.
		change["card_pin"] = "4739"
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusForbidden, "card_pin_blocked")
		delete(change, "card_last6")
		delete(change, "card_pin")
		b.expectProblem(t, "POST", "/api/v1/me/password", tok, change, http.StatusBadRequest, "validation_failed")
		if err := b.cards.UnblockPIN(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
		change["card_last6"], change["card_pin"] = c.Last6, "4739"
		wantStatus(t, b.do(t, "POST", "/api/v1/me/password", tok, change), http.StatusNoContent)
	})
}
